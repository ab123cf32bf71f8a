"""The hand-off plan on screen: the moves and what is still over, worked out off the UI thread, applied in one step."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.events import Resize
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from planner.analysis import Analysis
from planner.analysis.handoff import HandOff, hand_off
from planner.model.plan import Plan
from planner.render.advice import advice_text
from planner.ui.keys import KeysInOrder
from planner.ui.screens.whatif import NameForm
from planner.ui.widgets.header import PlannerHeader


@dataclass(frozen=True)
class ApplyHandOff:
    """What the screen hands back: the plan to apply and the new scenario's name."""

    handoff: HandOff
    into: str


class AdviceScreen(Screen[ApplyHandOff | None]):
    """The hand-off plan of the scenario shown; p switches between the whole plan and the selected person."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Back", id="advice.back", tooltip="Back to the plan"),
        Binding("a", "apply", "Apply…", id="advice.apply",
                tooltip="Make the moves in a new scenario (one step: ctrl+z undoes it), then compare"),
        Binding("p", "toggle_person", "Person/plan", id="advice.person",
                tooltip="Advise on the selected person only, or on everyone overloaded or critical"),
    ]

    @dataclass
    class Ready(Message):
        """A hand-off plan has been worked out."""

        handoff: HandOff
        person_id: str | None

    cancel_key = "escape"  # closes the screen at once, even while the plan is being worked out

    def __init__(self, plan: Plan, analysis: Analysis, person_id: str | None, free_name: str,
                 advise_on: str | None = None) -> None:
        super().__init__()
        self._plan, self._analysis, self._selected, self._free_name = plan, analysis, person_id, free_name
        self.person_id: str | None = advise_on
        self.handoff: HandOff | None = None
        self._shown_lines = 0

    def compose(self) -> ComposeResult:
        yield PlannerHeader()
        with VerticalScroll(id="advice-scroll"):
            yield Static(id="advice-body")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        scroll = self.query_one("#advice-scroll")
        scroll.focus()
        self.watch(scroll, "virtual_size", self._keys_may_go, init=False)
        self._work_out(self.person_id)

    def _work_out(self, person_id: str | None) -> None:
        self.handoff = None
        self.person_id = person_id
        who = "everyone overloaded or critical" if person_id is None else self._analysis.people[person_id].name
        self.query_one("#advice-body", Static).update(Text(f"Working out the hand-off plan for {who}…"))
        self.sub_title = f"hand-off plan · {self._analysis.scenario} · {self._plan.name}"
        self._solve(person_id)

    @work(thread=True, exclusive=True)
    def _solve(self, person_id: str | None) -> None:
        self.post_message(self.Ready(hand_off(self._plan, self._analysis, person_id), person_id))

    @on(Ready)
    def _ready(self, message: Ready) -> None:
        if message.person_id != self.person_id:
            return
        self.handoff = message.handoff
        self._show()
        self._keys_may_go()

    @property
    def ready_for_keys(self) -> bool:
        """Whether the plan is worked out and on screen, so keys act on it (scrolling included)."""
        return self.handoff is not None and self.query_one("#advice-scroll").virtual_size.height >= self._shown_lines

    @property
    def app_keys(self) -> KeysInOrder:
        """The app, typed: it holds the keys typed while this screen is not ready for them."""
        assert isinstance(self.app, KeysInOrder)
        return self.app

    def _keys_may_go(self) -> None:
        """Tell the app to let the keys typed meanwhile go if the plan is now laid out (or the screen has closed)."""
        self.app_keys.recheck_screen()

    def on_unmount(self) -> None:
        self._keys_may_go()

    def _show(self) -> None:
        if self.handoff is not None:
            width = max(40, self.query_one("#advice-scroll").scrollable_content_region.width)
            text = advice_text(self.handoff, width)
            self._shown_lines = text.count("\n")
            self.query_one("#advice-body", Static).update(Text(text))

    def on_resize(self, event: Resize) -> None:
        self._show()

    def action_toggle_person(self) -> None:
        """Advise on the selected person, or on the whole plan again."""
        if self.person_id is None and self._selected is None:
            self.app.notify("Select a person on the plan first.", severity="warning")
            return
        self._work_out(self._selected if self.person_id is None else None)

    def action_apply(self) -> None:
        """Ask for the new scenario's name, then hand the plan back to be applied."""
        handoff = self.handoff
        if handoff is None:
            self.app.notify("Still working out the plan.", severity="warning")
            return
        if not handoff.moves:
            self.app.notify("No moves to apply.", severity="warning")
            return
        self.app.push_screen(NameForm("Apply the hand-off plan in a new scenario named", self._free_name),
                             lambda name: name and self.dismiss(ApplyHandOff(handoff, name)))
