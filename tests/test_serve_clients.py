"""A viewer over SSH, end to end: it sees only the plans folder and leaves every file in it as it was."""

from __future__ import annotations

import asyncio

from planner.model.edits import toggle_vacancy
from planner.storage import load
from planner.storage.layouts import load_layout
from planner.ui.session import Session

from .test_clients import files_under
from .test_serve_ssh import ANSI, Screen, connect, keys, server  # noqa: F401 (fixtures)


async def test_a_served_viewer_sees_only_the_folder_and_changes_nothing_in_it(server, keys):
    port, plans, _ = server
    (plans / "gone.toml").symlink_to(plans / "deleted.toml")
    editor = Session(load(plans / "acme.toml"), plans / "acme.toml")
    toggle_vacancy(editor.plan, "current", "owner").apply(editor.plan)
    editor.history.mark_unsaved()
    editor.keep_recovery()
    consultants_own = Session(load_layout("separate"), origin="separate")
    consultants_own.keep_recovery()
    before = files_under(plans)
    async with connect(port, keys["viewer"]) as connection:
        process = await connection.create_process(term_type="xterm-256color", term_size=(80, 24), encoding=None)
        screen = Screen(process)
        await screen.wait_for("gone.toml: skipped, a link to a file that is missing")
        await screen.wait_for("blank")
        assert b"Recovered" not in ANSI.sub(b"", screen.text), "the server's own recovered plans are not shown"
        process.stdin.write(b"\r")
        await screen.wait_for("Jordan Blake")
        process.stdin.write(b"v")
        await screen.wait_for("cannot change it")
        process.stdin.write(b"\x11")
        await asyncio.wait_for(process.wait_closed(), 10)
    assert files_under(plans) == before
    assert consultants_own.recovery.exists() and editor.recovery.exists()
