"""The help screen: the keys, and how load and risk are worked out, with their sources."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Markdown

from planner.analysis import sources
from planner.model.settings import SPECS, Settings


def keys_markdown(bindings: list[Binding]) -> str:
    """A table of the keys that have a description."""
    rows = [f"| `{binding.key_display or binding.key}` | {binding.description} | {binding.tooltip} |"
            for binding in bindings if binding.description]
    return "\n".join(["| Key | Action | What it does |", "| --- | --- | --- |", *rows])


def method_markdown(settings: Settings) -> str:
    """How load and risk are computed, with the plan's current figures and their sources."""
    spec = SPECS
    return f"""
## How load is worked out

**Demand** (hours a week) is the sum of three terms, each shown with its figure in the person panel:

1. **Responsibilities**: the hours of each distinct responsibility the person holds, through roles or
   directly. One held through two roles counts once. *{sources.CATALOG_HOURS}.*
2. **Management**: {settings.hours_per_report:g} h for each direct report. *{spec['hours_per_report'].source} (assumption).*
3. **Switching**: {settings.switching_rate:.0%} of the responsibility hours for each function beyond the
   first. Management work is part of every function and does not count as one. *{sources.SWITCHING}.*

**Capacity** is the person's weekly hours (default {settings.capacity_hours:g} h, an assumption).
**Utilisation** is demand divided by capacity.

## Bands (scaled to each person's capacity)

| Band | From | Source |
| --- | --- | --- |
| ok | up to {settings.stretched_from:.0%} | the person's own week |
| stretch | above {settings.stretched_from:.0%} | assumption |
| OVER (overloaded) | {settings.overloaded_from:.1%} | {sources.OVERLOADED} |
| CRIT (critical) | {settings.critical_from:.1%} | {sources.CRITICAL} |

The marker in the tree carries the word and the percentage, so it reads without colour.

## Span of control

{sources.SPAN}. A manager who also does hands-on work is judged as a player/coach unless an
archetype is set in their form; one who only manages gets the archetype that fits their span.
{sources.GRAICUNAS}: shown as context.

## Merged role

{sources.MERGED}. A person holding manager roles of two functions is set against what each role
would carry alone. The team view shows the verdict.

All of these figures live in the plan's settings (press `,` to edit them); the ones marked as
assumptions are the planner's own synthesis, since no study measures them.
"""


class HelpScreen(ModalScreen[None]):
    """Keys and method, scrollable; escape, q, f1 or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 100; max-width: 100%; height: 100%; border: thick $primary; background: $surface; }
    HelpScreen Markdown { padding: 0 1; }
    """
    BINDINGS = [Binding("escape,q,f1,question_mark", "dismiss", "Close", id="help.close")]

    def __init__(self, bindings: list[Binding], settings: Settings) -> None:
        super().__init__()
        self._text = "# Org Planner help\n\n## Keys\n\n" + keys_markdown(bindings) + "\n" + method_markdown(settings)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Markdown(self._text)

    def on_mount(self) -> None:
        self.query_one(Markdown).focus()
