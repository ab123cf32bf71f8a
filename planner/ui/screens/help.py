"""The help screen: the keys, and how load and risk are worked out, with their sources."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from planner.analysis import sources
from planner.model.settings import SPECS, Settings
from planner.ui.screens.picker import picker
from planner.ui.widgets.reading import ReadingScroll


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

## How sure is a verdict

Every assumed figure (catalog hours, hours per report, coordination) may be off by
{settings.assumption_spread:.0%}, all together: each verdict shows demand at both ends of that range,
and how much less (or more) time the duties would have to take for the band to change. The
published figures (switching, {settings.overloaded_hours:g} h, {settings.critical_hours:g} h) are not scaled.

## Span of control

{sources.SPAN}. A manager who also does hands-on work is judged as a player/coach unless an
archetype is set in their form; one who only manages gets the archetype that fits their span.
{sources.GRAICUNAS}: with each report alone, with each group of them and between each pair. The
person panel shows this count as context for how fast a team gets harder to run; it is not a limit.

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
    """Keys and method, scrolled with every usual key; a number, tab or / jumps to a section; escape, q, f1 or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 100; max-width: 100%; height: 100%; border: thick $primary; background: $surface; }
    HelpScreen #help-index { padding: 0 1; color: $text-muted; border-bottom: solid $primary-background; }
    HelpScreen Markdown { padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape,q,f1,question_mark", "dismiss", "Close", id="help.close"),
        Binding("tab", "section(1)", "Next section", id="help.next", priority=True),
        Binding("shift+tab", "section(-1)", "Previous section", id="help.previous", priority=True),
        Binding("slash", "find_section", "Find a section", key_display="/", id="help.find"),
        *(Binding(str(number), f"go({number})", show=False, id=f"help.section_{number}") for number in range(1, 10)),
    ]

    def __init__(self, bindings: list[Binding], settings: Settings) -> None:
        super().__init__()
        self._text = "# Org Planner help\n\n## Keys\n\n" + keys_markdown(bindings) + "\n" + method_markdown(settings)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="help-index")
            with ReadingScroll(id="help-body"):
                yield Markdown(self._text)

    def on_mount(self) -> None:
        self.query_one(Vertical).border_subtitle = "tab: next section · /: find · space j k PgDn: scroll · esc: close"
        self.query_one("#help-body", ReadingScroll).focus()

    @on(Markdown.TableOfContentsUpdated)
    def _index(self) -> None:
        self.query_one("#help-index", Static).update(
            Text(" · ".join(f"{number} {title}" for number, (title, _) in enumerate(self.sections, 1))))

    @property
    def sections(self) -> list[tuple[str, str]]:
        """The sections in order, as (title, heading id)."""
        return [(title, block_id) for level, title, block_id in self.query_one(Markdown).table_of_contents if level == 2]

    def _section_tops(self) -> list[int]:
        """Where each section starts, in lines from the top of the help."""
        markdown = self.query_one(Markdown)
        return [markdown.virtual_region.y + markdown.query_one(f"#{block_id}").virtual_region.y
                for _, block_id in self.sections]

    def _scroll_to_line(self, line: int) -> None:
        self.query_one("#help-body", ReadingScroll).scroll_to(y=line, animate=False)

    def action_go(self, number: int) -> None:
        """Jump to a section by its number in the index."""
        tops = self._section_tops()
        if 1 <= number <= len(tops):
            self._scroll_to_line(tops[number - 1])

    def action_section(self, step: int) -> None:
        """Jump to the next section (step 1) or the previous one (step -1)."""
        here = round(self.query_one("#help-body", ReadingScroll).scroll_y)
        tops = self._section_tops()
        ahead = [top for top in tops if top > here] if step > 0 else [top for top in tops if top < here]
        if ahead:
            self._scroll_to_line(ahead[0] if step > 0 else ahead[-1])

    def action_find_section(self) -> None:
        """Pick a section by typing part of its title."""
        choices = [(str(number), title, "") for number, (title, _) in enumerate(self.sections, 1)]
        self.app.push_screen(picker(self.app, "Go to a section of the help", choices),
                             lambda chosen: chosen and self.action_go(int(chosen)))
