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

**Demand** (hours a week) is the sum of four terms, each shown with its figure in the person panel:

1. **Responsibilities**: the hours of each distinct responsibility the person holds, through roles or
   directly. One held through two roles counts once. *{sources.CATALOG_HOURS}.*
2. **Team duties**: duties that grow with the team carry hours per direct report in the catalog
   (built in: manage the team 1 h, train it 0.5 h). Nothing is counted both fixed and per report, and
   someone with no reports spends nothing on them. *{sources.MANAGEMENT}.*
3. **Switching**: {settings.switching_rate:.0%} of the hours outside the person's main function, when they
   work in two functions or more (management is part of every function, not one more). *{sources.SWITCHING}.*
4. **Coordination**: {settings.coordination_hours:g} h for a manager of sales or of marketing while
   someone else manages the other. *{spec['coordination_hours'].source}.*

**Capacity** is the person's weekly hours (default {settings.capacity_hours:g} h, an assumption).

## Bands

| Band | When | What it means |
| --- | --- | --- |
| ok | demand within the person's own week | |
| stretch | above the person's own weekly hours | over contract |
| OVER (overloaded) | from {settings.overloaded_hours:g} h a week, whatever the contract | {sources.OVERLOADED} |
| CRIT (critical) | from {settings.critical_hours:g} h a week, whatever the contract | {sources.CRITICAL} |

The marker in the tree carries the word and the percentage of the person's own week, so it reads
without colour.

## How sure is the verdict?

Every assumed figure (catalog hours, hours per report, coordination) may be off by
{settings.assumption_spread:.0%}, all together: each verdict shows demand at both ends of that range,
and how much less (or more) time the duties would have to take for the band to change. The
published figures (switching, {settings.overloaded_hours:g} h, {settings.critical_hours:g} h) are not scaled.

## Span of control

{sources.SPAN}. A manager who also does hands-on work is judged as a player/coach unless an
archetype is set in their form; one who only manages gets the archetype that fits their span.
{sources.GRAICUNAS}: shown as context.

## Merged role

{sources.MERGED}. A person holding manager roles of two functions is set against what each role
would carry alone (its responsibilities, the reports of its function, and coordination with the
other manager), each with its range. The team view shows the verdict.

**When to split**: the number of direct reports at which the merged role reaches
{settings.overloaded_hours:g} h (overloaded) and {settings.critical_hours:g} h (critical), and up to which each role held
alone stays within its holder's week, from the same load and with every assumed hour
{settings.assumption_spread:.0%} off either way. The team view and the report give the figures for the plan;
`H` proposes which responsibilities to hand off instead.

All of these figures live in the plan (press `,` for the settings; hours are in the catalog); the
ones marked as assumptions are the planner's own synthesis, since no study measures them.
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
