"""App construction for the UI tests: plans with hostile names, and apps that are deterministic for snapshots."""

from __future__ import annotations

from pathlib import Path

from planner.model.org import Org, Person
from planner.model.plan import Plan
from planner.storage import dumps, loads
from planner.ui.app import PlannerApp, make_app
from planner.ui.session import Session

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


async def wait_for_saves(pilot, app: PlannerApp) -> None:
    """Wait until saves under way are written and taken in, and the recovery file is brought in line after them."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    app.keep_recovery()
