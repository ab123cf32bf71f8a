"""The start screen: recent plans in saves/ and the starter layouts."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from planner.storage.layouts import list_layouts
from planner.storage.safety import untitled_recoveries
from planner.ui.widgets.footer import FittingFooter
from planner.ui.widgets.header import PlannerHeader

RECENT = 15


def recent_plans(folder: Path, allowed: Callable[[Path], bool]) -> tuple[list[Path], list[str]]:
    """The plan files in a folder that may be opened, newest first, and a note on each one left out."""
    dated, notes = [], []
    for path in folder.glob("*.toml") if folder.is_dir() else ():
        try:
            modified = path.stat().st_mtime
        except FileNotFoundError:
            notes.append(f"{path.name}: skipped, a link to a file that is missing")
            continue
        except OSError as error:
            notes.append(f"{path.name}: skipped, {error.strerror or error}")
            continue
        if not allowed(path):
            notes.append(f"{path.name}: skipped, it leads outside {folder}")
            continue
        dated.append((modified, path))
    return [path for _, path in sorted(dated, reverse=True)[:RECENT]], sorted(notes)


class StartScreen(Screen):
    """Choose a recent plan, a recovered unsaved plan, or start from a layout."""

    BINDINGS = [Binding("escape", "app.back_to_plan", "Back", id="start.back", tooltip="Back to the open plan")]

    @dataclass
    class Chosen(Message):
        """A plan file to open, or a layout to start from."""

        path: Path | None = None
        layout: str | None = None
        recovered: Path | None = None

    def __init__(self, saves: Path, state: Path | None, allowed: Callable[[Path], bool]) -> None:
        """List the plans of `saves` that are `allowed`, and untitled recoveries of `state` (none when None)."""
        super().__init__()
        self._saves, self._state, self._allowed = saves, state, allowed

    def compose(self) -> ComposeResult:
        yield PlannerHeader()
        with Vertical(id="start"):
            yield Static(Text("Org Planner", style="bold"), id="start-title")
            yield Static(Text("Plan who reports to whom, who does what, and whether it can work. "
                              "Choose a plan with the arrow keys and press enter."))
            yield OptionList(id="start-options")
        yield FittingFooter()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        plans, notes = recent_plans(self._saves, self._allowed)
        options.add_option(Option(Text(f"Recent plans in {self._saves}/", style="bold"), disabled=True))
        for path in plans:
            options.add_option(Option(Text(f"  {path.name}"), id=f"plan:{path}"))
        if not plans:
            options.add_option(Option(Text("  none yet: start from a layout below", style="italic"), disabled=True))
        for note in notes:
            options.add_option(Option(Text(f"  {note}", style="italic"), disabled=True))
        recovered = [(path, written) for path, written in untitled_recoveries(self._state)
                     if self._allowed(path)] if self._state is not None else []
        if recovered:
            options.add_option(Option(Text("Recovered unsaved plans (never saved to a file)", style="bold"),
                                      disabled=True))
            for path, written in recovered:
                when = time.strftime("%Y-%m-%d %H:%M", time.localtime(written))
                options.add_option(Option(Text(f"  recovered plan of {when}"), id=f"recovered:{path}"))
        options.add_option(Option(Text("New plan from a starter layout", style="bold"), disabled=True))
        for layout in list_layouts():
            label = Text(f"  {layout.name:<9}", style="bold")
            label.append(f"{layout.people:>3}  {layout.description}")
            options.add_option(Option(label, id=f"layout:{layout.name}"))
        options.focus()
        options.highlighted = next(i for i in range(options.option_count) if not options.get_option_at_index(i).disabled)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        kind, _, value = (event.option.id or "").partition(":")
        if kind == "plan":
            self.post_message(self.Chosen(path=Path(value)))
        elif kind == "recovered":
            self.post_message(self.Chosen(recovered=Path(value)))
        else:
            self.post_message(self.Chosen(layout=value))
