"""A headless Chromium driven over the DevTools protocol: open a page, read the terminal on it, press keys."""

from __future__ import annotations

import asyncio
import itertools
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import aiohttp

# Headless as root on Debian, and nothing from outside: every host but the test server fails at once.
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--window-size=1200,800",
    "--remote-debugging-port=0",
)

# textual-serve keeps its xterm.js Terminal in a closure; catch it as the page assigns `this.terminal`.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
    if (value && typeof value.write === "function" && value.buffer) window.plannerTerminal = value;
  },
});
"""

# The rows the terminal shows, as text; null until the page has made its terminal.
READ_TERMINAL = """
(() => {
  const terminal = window.plannerTerminal;
  if (!terminal) return null;
  const buffer = terminal.buffer.active, rows = [];
  for (let y = 0; y < terminal.rows; y++) rows.push(buffer.getLine(buffer.viewportY + y).translateToString(true));
  return rows.join("\\n");
})()
"""

KEYS = {"Enter": (13, "\r"), "ArrowDown": (40, ""), "ArrowUp": (38, "")}


def chromium_path() -> str | None:
    """Debian's chromium on PATH, or None."""
    return shutil.which("chromium")


class Chromium:
    """One headless Chromium with one page, driven over its DevTools websocket."""

    def __init__(self, profile: Path) -> None:
        self.profile = profile
        self.process: subprocess.Popen | None = None
        self.session: aiohttp.ClientSession | None = None
        self.socket: aiohttp.ClientWebSocketResponse | None = None
        self._ids = itertools.count(1)

    async def start(self, timeout: float = 60) -> None:
        """Start the browser and connect to its first page."""
        with (self.profile / "chromium.log").open("wb") as log:
            self.process = subprocess.Popen([chromium_path(), *FLAGS, f"--user-data-dir={self.profile}",
                                             "about:blank"], stdout=log, stderr=subprocess.STDOUT)
        port = await self._wait_for_devtools_port(timeout)
        self.session = aiohttp.ClientSession()
        async with self.session.get(f"http://127.0.0.1:{port}/json/list") as response:
            targets = await response.json(content_type=None)
        page = next(target for target in targets if target["type"] == "page")
        self.socket = await self.session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0)
        await self.call("Page.enable")
        await self.call("Page.addScriptToEvaluateOnNewDocument", source=CATCH_TERMINAL)

    async def _wait_for_devtools_port(self, timeout: float) -> int:
        """The DevTools port, from the file Chromium writes into its profile once it listens."""
        active = self.profile / "DevToolsActivePort"
        async with asyncio.timeout(timeout):
            while not active.exists() or not active.read_text().strip():
                if self.process.poll() is not None:
                    log = (self.profile / "chromium.log").read_text(errors="replace")
                    raise AssertionError(f"chromium exited with {self.process.returncode}:\n{log[-2000:]}")
                await asyncio.sleep(0.05)
        return int(active.read_text().split()[0])

    async def call(self, method: str, **params: Any) -> dict:
        """Send one DevTools command and return its result (events that arrive meanwhile are dropped)."""
        message_id = next(self._ids)
        await self.socket.send_json({"id": message_id, "method": method, "params": params})
        async for message in self.socket:
            if message.type != aiohttp.WSMsgType.TEXT:
                break
            reply = json.loads(message.data)
            if reply.get("id") == message_id:
                if "error" in reply:
                    raise AssertionError(f"{method}: {reply['error']}")
                return reply["result"]
        raise AssertionError(f"the DevTools connection closed during {method}")

    async def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression on the page."""
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    async def open(self, url: str) -> None:
        """Navigate the page to `url`."""
        await self.call("Page.navigate", url=url)

    async def body_text(self) -> str:
        """The text of the page's body ('' before it has one)."""
        return await self.evaluate("document.body ? document.body.innerText : ''") or ""

    async def terminal_text(self) -> str:
        """What the page's terminal shows, row by row ('' before the page has made one)."""
        return await self.evaluate(READ_TERMINAL) or ""

    async def wait_for_terminal(self, text: str, timeout: float = 90) -> str:
        """Wait until the terminal shows `text`; return all it shows then."""
        shown = ""
        try:
            async with asyncio.timeout(timeout):
                while text not in (shown := await self.terminal_text()):
                    await asyncio.sleep(0.1)
        except TimeoutError:
            raise AssertionError(f"{text!r} never appeared on the page's terminal:\n{shown}") from None
        return shown

    async def press(self, key: str) -> None:
        """Press and release a key in the page's terminal, as a keyboard would."""
        code, text = KEYS[key]
        await self.evaluate("window.plannerTerminal.focus()")
        event = {"key": key, "code": key, "windowsVirtualKeyCode": code}
        await self.call("Input.dispatchKeyEvent", type="keyDown", text=text, **event)
        await self.call("Input.dispatchKeyEvent", type="keyUp", **event)

    async def close(self) -> None:
        """Close the connection and end the browser."""
        if self.session is not None:
            await self.session.close()
        if self.process is not None:
            self.process.terminate()
            try:
                await asyncio.to_thread(self.process.wait, 60)
            finally:
                self.process.kill()
