"""Shared by the UI tests: apps with hostile names, deterministic apps for snapshots, key bursts, waiting for
evidence, and the Pilot helpers every UI test file uses."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, Static

from planner.model.org import Org, Person
from planner.model.plan import Plan
from planner.storage import dumps, loads, save
from planner.storage.layouts import load_layout
from planner.ui import session as session_module
from planner.ui.app import PlannerApp, make_app
from planner.ui.screens.main import MainScreen
from planner.ui.session import Session
from planner.ui.widgets.org_tree import OrgTree

SMALL = (80, 24)  # the terminal of an owner over SSH
WIDE = (120, 40)

# Names that would be markup (or a terminal escape) if anything parsed or passed them through.
BOLD_NAME = "[bold]x"
CLOSE_NAME = "[/]"
RED_NAME = "[red]Ana[/red]"
# OSC 52 ("write this to the clipboard") wrapped in a name. The file format cleans control characters
# out of names on load, so the planner shows what is left, literally.
OSC_RAW = "Eve \x1b]52;c;aGk=\x07 Osc"
OSC_SHOWN = "Eve ]52;c;aGk= Osc"
_OSC_PLACEHOLDER = "Eve OSCPLACEHOLDER Osc"

HOSTILE_PLAN_NAME = "[b]Hostile[/b] plan"
HOSTILE_FILE = "hostile.toml"

# id -> (name, title, manager)
HOSTILE_PEOPLE = {
    "boss": (CLOSE_NAME, "[i]Owner", None),
    "bold": (BOLD_NAME, "Manager [/b]", "boss"),
    "red": (RED_NAME, "Sales representative", "bold"),
    "osc": (_OSC_PLACEHOLDER, "Marketing executive", "bold"),
}
HOSTILE_ROLES = {"boss": ("owner",), "bold": ("sales-marketing-manager",), "red": ("sales-rep",),
                 "osc": ("marketing-executive",)}


def hostile_toml() -> str:
    """A plan file whose people (and plan name) look like markup, one holding an OSC 52 escape."""
    org = Org()
    for person_id, (name, title, _) in HOSTILE_PEOPLE.items():
        org.put(Person(person_id, name, title, roles=HOSTILE_ROLES[person_id]))
    for person_id, (_, _, manager) in HOSTILE_PEOPLE.items():
        org.set_manager(person_id, manager)
    text = dumps(Plan(HOSTILE_PLAN_NAME, scenarios={"current": org}))
    assert _OSC_PLACEHOLDER in text
    # Written as TOML escapes, as a hand-edited or hostile file would hold them.
    return text.replace(_OSC_PLACEHOLDER, "Eve \\u001b]52;c;aGk=\\u0007 Osc")


def write_hostile(folder: Path) -> Path:
    """Write the hostile plan file into `folder`; its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / HOSTILE_FILE
    path.write_text(hostile_toml(), encoding="utf-8")
    return path


def hostile_app(folder: Path) -> PlannerApp:
    """The app on the hostile plan, opened from a file in `folder` (so the title shows just the file name)."""
    return make_app(path=write_hostile(folder), saves=folder / "saves")


def hostile_app_in_memory() -> PlannerApp:
    """The hostile plan as an unsaved plan (no file), for snapshots that must not depend on a temp path."""
    plan = loads(hostile_toml(), HOSTILE_FILE)
    return PlannerApp(Session(plan, origin="hostile"), Path("saves-unused"))


def merged_app() -> PlannerApp:
    """The merged starter layout, unsaved."""
    return make_app(layout="merged", saves=Path("saves-unused"))


KEY_CHARACTERS = {"enter": "\r", "tab": "\t", "space": " ", "slash": "/", "escape": "\x1b"}


def send_burst(app: PlannerApp, *keys: str) -> None:
    """Queue key presses all at once, as an SSH connection delivers fast typing, with no pause between them."""
    for key in keys:
        app.post_message(events.Key(key, KEY_CHARACTERS.get(key, key if len(key) == 1 else None)))


async def burst_handled(pilot: Pilot, app: PlannerApp) -> None:
    """Wait until every key sent so far has been handled and has settled (the last of a burst too)."""
    await wait_until(pilot, lambda: not app.keys_settling and not app.message_queue_size, "the keys handled")
    await pilot.pause()


async def wait_until(pilot: Pilot, condition: Callable[[], object], what: str = "the condition",
                     timeout: float = 60.0) -> None:
    """Let the app run until `condition()` holds: evidence, not time (the timeout only stops a hung test).

    The condition is read only once the screen on top has composed: a screen is pushed before its
    widgets exist, and a condition that queries them would fail in between on a busy machine.
    """
    deadline = asyncio.get_running_loop().time() + timeout
    while not (_top_screen_composed(pilot.app) and condition()):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout:.0f} s")
        await pilot.pause(0.01)


def _top_screen_composed(app: App[Any]) -> bool:
    """Whether the screen on top has composed and mounted its widgets (or no screen is left)."""
    return not app.screen_stack or app.screen.is_mounted


def layout_app(tmp_path: Path, layout: str = "merged") -> PlannerApp:
    """The app on an unsaved plan from a starter layout, saving into tmp_path/saves."""
    return make_app(layout=layout, saves=tmp_path / "saves")


def file_app(tmp_path: Path, layout: str = "merged") -> tuple[PlannerApp, Path]:
    """The app on a layout saved into tmp_path (so it starts clean, with a file to save to), and that file."""
    path = tmp_path / "plan.toml"
    save(load_layout(layout), path)
    return make_app(path=path, saves=tmp_path / "saves"), path


def main_screen(app: PlannerApp) -> MainScreen:
    """The main screen, which must be on top."""
    screen = app.screen
    assert isinstance(screen, MainScreen), f"expected the main screen on top, got {screen!r}"
    return screen


def tree(app: PlannerApp) -> OrgTree:
    """The org tree of the main screen."""
    return app.main_screen.query_one(OrgTree)


def tree_labels(app: PlannerApp) -> dict[str, str]:
    """The visible tree rows, person id -> label text."""
    org_tree = tree(app)
    labels = {}
    for line in range(org_tree.last_line + 1):
        node = org_tree.get_node_at_line(line)
        if node is not None and node.data is not None:
            labels[node.data] = str(node.label)
    return labels


def panel_text(app: PlannerApp) -> str:
    """What the person panel shows, as plain text."""
    return str(app.main_screen.query_one("#person-details", Static).content)


def dialog_text(app: PlannerApp) -> str:
    """All the text of the screen on top."""
    return " ".join(str(widget.render()) for widget in app.screen.query("Static"))


def screen_lines(app: PlannerApp) -> list[str]:
    """The terminal's lines as drawn now, as plain text (Textual has no public call for this; Pilot uses the same)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def messages(app: PlannerApp) -> list[str]:
    """The notifications shown so far."""
    return [str(notification.message) for notification in app._notifications]


async def select(pilot: Pilot, app: PlannerApp, person_id: str) -> None:
    """Put the tree cursor on a person, as a search or the team view would, and wait for their panel."""
    tree(app).select_person(person_id)
    assert tree(app).person_id == person_id
    name = app.session.org.person(person_id).name
    await wait_until(pilot, lambda: name in panel_text(app).split("\n")[0], f"the panel of {person_id}")


def keys_for(text: str) -> list[str]:
    """The keys that type `text` (a space is the space key)."""
    return ["space" if char == " " else char for char in text]


async def type_text(pilot: Pilot, text: str) -> None:
    """Type text key by key."""
    await pilot.press(*keys_for(text))


async def replace_input(pilot: Pilot, app: PlannerApp, selector: str, text: str) -> None:
    """Focus an input on the top screen, clear it, and type new text into it."""
    field = app.screen.query_one(selector, Input)
    field.focus()
    await pilot.pause()
    field.clear()
    await type_text(pilot, text)
    await pilot.pause()
    assert field.value == text


async def wait_for_saves(pilot, app: PlannerApp) -> None:
    """Wait until saves under way are written and taken in, and the recovery file is brought in line after them."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    app.keep_recovery()


class HeldSaves:
    """Saves that wait in their worker until released: while one waits, the UI must go on by itself."""

    WAIT = 30.0

    def __init__(self, monkeypatch) -> None:
        """Hold every save the app makes from now on (until the test ends)."""
        self.entered = threading.Event()
        self.release = threading.Event()
        writing = session_module.save

        def held_save(*args, **kwargs) -> None:
            self.entered.set()
            assert self.release.wait(self.WAIT), "the test never released the save"
            writing(*args, **kwargs)

        monkeypatch.setattr(session_module, "save", held_save)

    async def started(self) -> None:
        """Wait (without blocking the app) until a save is under way in the worker."""
        assert await asyncio.to_thread(self.entered.wait, self.WAIT), "the save never started"
