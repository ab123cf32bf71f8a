"""textual-serve's Server behind a random token: the page, its assets, downloads and the app's websocket."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web
from textual_serve.server import Server

REFUSED = "403 Forbidden: open the address that `planner serve --web` printed (it holds the token).\n"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _is_token(given: str | None, token: str) -> bool:
    """Whether `given` is the token, compared in constant time."""
    return given is not None and hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8"))


def _from_another_site(request: web.Request) -> bool:
    """Whether a browser sent the request from a page this server did not serve (a cross-site websocket)."""
    origin = request.headers.get("Origin")
    return origin is not None and urlsplit(origin).netloc != request.host


def require_token(token: str, cookie: str) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    """A middleware that answers 403 unless the request holds the token, in the cookie or in `?token=`.

    `?token=` is traded for the cookie and a redirect, so the token leaves the address bar (and a shared screen).
    """

    @web.middleware
    async def check(request: web.Request, handler: Handler) -> web.StreamResponse:
        if _from_another_site(request):
            raise web.HTTPForbidden(text=REFUSED)
        if _is_token(request.cookies.get(cookie), token):
            return await handler(request)
        if not _is_token(request.query.get("token"), token):
            raise web.HTTPForbidden(text=REFUSED)
        redirect = web.HTTPSeeOther(request.rel_url.without_query_params("token"))
        redirect.set_cookie(cookie, token, httponly=True, samesite="Strict")
        raise redirect

    return check


class TokenServer(Server):
    """A textual-serve Server that lets in only the requests that hold its token."""

    def __init__(self, command: str, host: str, port: int, token: str) -> None:
        super().__init__(command, host=host, port=port, title="Org Planner")
        self.token = token
        self.url = f"{self.public_url}/?token={token}"

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        # Cookies are per host, not per port: a name per port keeps two servers on one machine apart.
        app.middlewares.append(require_token(self.token, f"planner_token_{self.port}"))
        return app

    async def on_startup(self, app: web.Application) -> None:
        print(f"Org Planner: open {self.url} in a browser (Ctrl+C to stop).", flush=True)
