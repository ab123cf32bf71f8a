"""`planner serve --web`: only a browser holding the printed token gets in, and the planner works in it."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from planner.cli import main
from planner.serve.web_server import TokenServer
from planner.storage import save
from planner.storage.layouts import load_layout
from tests.browser import Chromium, chromium_path

TOKEN = "the-token"


@pytest.fixture
async def client():
    """A test client of the token server's app (its planner command is never run by these requests)."""
    server = TokenServer("false", "127.0.0.1", 8000, TOKEN)
    async with TestClient(TestServer(await server._make_app())) as test_client:
        yield test_client


@pytest.mark.parametrize("path", ["/", "/?token=wrong", "/?token=", "/?token=tökén", "/ws", "/ws?token=wrong",
                                  "/static/js/textual.js", "/static/", "/download/some-key"])
async def test_every_route_refuses_a_request_without_the_token(client, path):
    response = await client.get(path)
    assert response.status == 403
    assert "open the address that `planner serve --web` printed" in await response.text()


async def test_the_token_is_traded_for_a_cookie_that_lets_the_page_and_its_assets_in(client):
    redirect = await client.get(f"/?fontsize=20&token={TOKEN}", allow_redirects=False)
    assert redirect.status == 303 and redirect.headers["Location"] == "/?fontsize=20"
    cookie = redirect.cookies["planner_token_8000"]
    assert cookie.value == TOKEN and cookie["httponly"] and cookie["samesite"] == "Strict"
    page = await client.get(redirect.headers["Location"])
    assert page.status == 200 and "Org Planner" in await page.text()
    assert (await client.get("/static/js/textual.js")).status == 200


async def test_a_cookie_holding_another_token_is_refused(client):
    client.session.cookie_jar.update_cookies({"planner_token_8000": "wrong"})
    assert (await client.get("/static/js/textual.js")).status == 403


async def test_a_page_from_another_site_is_refused_even_with_the_cookie(client):
    assert (await client.get(f"/?token={TOKEN}")).status == 200
    response = await client.get("/static/js/textual.js", headers={"Origin": "http://evil.example"})
    assert response.status == 403


def _free_port() -> int:
    """A local port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _wait_for_address(output: Path, server: subprocess.Popen, timeout: float = 60) -> str:
    """The address with the token that the server prints once it starts."""
    async with asyncio.timeout(timeout):
        while not (found := re.search(r"http://\S+\?token=\S+", output.read_text())):
            assert server.poll() is None, f"the server exited:\n{output.read_text()}"
            await asyncio.sleep(0.05)
    return found.group()


async def _status_once_listening(url: str, timeout: float = 60) -> int:
    """The HTTP status of `url`, asked again until the server accepts connections."""
    async with aiohttp.ClientSession() as session, asyncio.timeout(timeout):
        while True:
            try:
                async with session.get(url) as response:
                    return response.status
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.05)


@pytest.fixture
async def web_server(tmp_path: Path):
    """`planner serve --web` on a free port over a folder holding one plan; its base URL and printed address."""
    plans = tmp_path / "plans"
    plans.mkdir()
    save(load_layout("merged"), plans / "acme.toml")
    output = tmp_path / "server.log"
    port = _free_port()
    with output.open("wb") as log:
        server = subprocess.Popen([sys.executable, "-m", "planner", "serve", "--web", "--plans", str(plans),
                                   "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, env=os.environ)
    try:
        address = await _wait_for_address(output, server)
        yield f"http://127.0.0.1:{port}/", address
    finally:
        server.send_signal(signal.SIGINT)
        try:
            assert await asyncio.to_thread(server.wait, 60) == 0, output.read_text()
        finally:
            server.kill()


@pytest.fixture
async def browser(tmp_path: Path):
    """A headless Chromium; skipped only where Debian's chromium is not installed."""
    if chromium_path() is None:
        pytest.skip("Debian's `chromium` is not on PATH (`.ci/run` installs it: apt-get install chromium)")
    profile = tmp_path / "chromium"
    profile.mkdir()
    chromium = Chromium(profile)
    try:
        await chromium.start()
        yield chromium
    finally:
        await chromium.close()


async def test_the_printed_address_is_on_localhost_with_a_long_random_token(web_server):
    base, address = web_server
    assert address.startswith(base)
    assert re.fullmatch(r"[\w-]{40,}", address.split("?token=")[1])


async def test_a_browser_runs_the_planner_with_the_token_and_is_refused_without(web_server, browser):
    base, address = web_server
    assert await _status_once_listening(base) == 403
    await browser.open(base)
    async with asyncio.timeout(60):
        while "403 Forbidden" not in await browser.body_text():
            await asyncio.sleep(0.1)
    assert await browser.terminal_text() == ""

    await browser.open(address)
    await browser.wait_for_terminal("acme.toml")
    await browser.press("Enter")
    first = await browser.wait_for_terminal("Sam Patel")
    assert "Jordan Blake" in first and "Reports to nobody" in first

    await browser.press("ArrowDown")
    changed = await browser.wait_for_terminal("Reports to Sam Patel")
    assert changed != first and "Reports to nobody" not in changed


def test_a_port_in_use_is_a_clear_error_with_exit_code_2(tmp_path: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "planner", "serve", "--web", "--plans", str(tmp_path),
                                 "--port", str(port)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert f"error: cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "fix: choose another --port" in result.stderr


def test_each_start_draws_a_new_token_and_binds_to_localhost_unless_host_says_otherwise(monkeypatch, tmp_path):
    started: list[TokenServer] = []
    monkeypatch.setattr(TokenServer, "serve", lambda server: started.append(server))
    assert main(["serve", "--web", "--plans", str(tmp_path)]) == 0
    assert main(["serve", "--web", "--plans", str(tmp_path)]) == 0
    assert main(["serve", "--web", "--plans", str(tmp_path), "--host", "0.0.0.0", "--port", "8001"]) == 0
    first, second, elsewhere = started
    assert first.token != second.token and len(first.token) >= 40
    assert (first.host, first.port) == ("127.0.0.1", 8000)
    assert first.url == f"http://127.0.0.1:8000/?token={first.token}"
    assert (elsewhere.host, elsewhere.port) == ("0.0.0.0", 8001)
