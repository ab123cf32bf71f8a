"""`planner serve --web`: the planner in a browser through textual-serve, behind a random token."""

from __future__ import annotations

import secrets
import shlex
import sys
from pathlib import Path

from planner.model.errors import PlanError


def serve_web(plans: Path, host: str, port: int) -> None:
    """Serve the planner on http://host:port until interrupted; it prints the address with the token to open."""
    try:
        from planner.serve.web_server import TokenServer
    except ImportError:
        raise PlanError("textual-serve is not installed", "pip install 'org-planner[web]'") from None
    command = " ".join(shlex.quote(part) for part in
                       (sys.executable, "-m", "planner", "--saves", str(plans.resolve()), "--confine"))
    server = TokenServer(command, host, port, secrets.token_urlsafe(32))
    try:
        server.serve()
    except OSError as error:
        raise PlanError(f"cannot listen on {host}:{port}: {error.strerror or error}",
                        "choose another --port, or stop the program that uses it") from None
