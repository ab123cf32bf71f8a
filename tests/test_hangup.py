"""A dropped connection loses nothing: the real program under a pseudo-terminal, SIGHUP and SIGTERM."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time

import pytest

from planner.model.edits import toggle_vacancy
from planner.storage import load
from planner.storage.safety import (
    new_session_id,
    pending_recoveries,
    read_recovery,
    recovery_files,
    recovery_path,
    write_recovery,
)
from planner.ui.app import make_app

from .ui_apps import wait_for_saves

EXIT_WITHIN = 2.0


class Terminal:
    """The planner running on a pseudo-terminal, as over SSH."""

    def __init__(self, *args: str, env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        os.set_blocking(self.master, False)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "planner", *args], stdin=slave, stdout=slave, stderr=slave,
            env={**env, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}, start_new_session=True,
        )
        os.close(slave)
        self.screen = b""

    def read_until(self, text: bytes, timeout: float = 20.0) -> None:
        """Read output until `text` appears (the app has drawn it)."""
        deadline = time.monotonic() + timeout
        while text not in self.screen:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"{text!r} never appeared"
            if select.select([self.master], [], [], remaining)[0]:
                try:
                    self.screen += os.read(self.master, 65536)
                except OSError:
                    break

    def type(self, keys: bytes) -> None:
        """Send keys as a person would type them."""
        os.write(self.master, keys)

    def close(self) -> None:
        """Make sure nothing is left behind."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
def test_a_hang_up_keeps_the_edits_and_exits_within_two_seconds(plan_file, signum):
    terminal = Terminal(str(plan_file), env=dict(os.environ))
    try:
        terminal.read_until(b"Sam Patel")
        terminal.type(b"v")
        terminal.read_until(b"OPEN")
        started = time.monotonic()
        os.killpg(terminal.process.pid, signum)
        terminal.process.wait(timeout=5)
        assert time.monotonic() - started < EXIT_WITHIN
    finally:
        terminal.close()
    [kept] = recovery_files(plan_file)
    recovered = read_recovery(kept)
    assert recovered.scenario().person("owner").vacant
    assert not load(plan_file).scenario().person("owner").vacant, "the plan file itself is untouched"
    [recovery] = pending_recoveries(plan_file, load(plan_file))
    assert recovery.path == kept and recovery.changes == ("scenario 'current': people 1 changed",)


async def test_reopening_offers_the_recovered_edits(plan_file):
    changed = load(plan_file)
    toggle_vacancy(changed, "current", "owner").apply(changed)
    write_recovery(changed, recovery_path(plan_file, new_session_id()), str(plan_file))
    app = make_app(plan_file)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "people 1 changed" in text
        await pilot.press("r")
        await pilot.pause()
        assert app.session.plan.scenario().person("owner").vacant
        assert app.session.dirty and app.session.path == plan_file
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_for_saves(pilot, app)
    assert load(plan_file).scenario().person("owner").vacant
    assert not recovery_files(plan_file), "a clean save removes the recovery file"


async def test_discarding_the_recovered_edits_removes_them(plan_file):
    changed = load(plan_file)
    changed.name = "Recovered name"
    write_recovery(changed, recovery_path(plan_file, new_session_id()), str(plan_file))
    app = make_app(plan_file)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert app.session.plan.name == "Merged sales and marketing"
    assert not recovery_files(plan_file)
