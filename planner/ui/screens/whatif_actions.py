"""The main screen's what-ifs: the scenario list, merging two people's roles, splitting one's, the hand-off plan,
and comparing."""

from __future__ import annotations

from collections.abc import Callable

from planner.analysis.handoff import DEFAULT_INTO
from planner.model.edits import AddPerson, Batch, Edit
from planner.model.errors import PlanError
from planner.model.scenarios import (
    AddScenario,
    RemoveScenario,
    RenameScenario,
    merge_roles,
    split_parts,
    split_role,
)
from planner.ui.screens.advice import AdviceScreen, ApplyHandOff
from planner.ui.screens.compare import CompareScreen
from planner.ui.screens.dialogs import Confirm
from planner.ui.screens.picker import picker
from planner.ui.screens.plan_screen import PlanScreen
from planner.ui.screens.whatif import MergeForm, NameForm, ScenarioChoice, ScenarioList, SplitForm, WhatIf


class WhatIfActions(PlanScreen):
    """Switch, copy, rename or remove scenarios; merge, split; the hand-off plan; compare two scenarios."""

    def show_scenario(self, name: str) -> None:
        """Switch the views to another scenario of the plan."""
        self.session.scenario = name
        self.refresh_all()

    def _apply_built(self, build: Callable[[], Edit]) -> Edit | None:
        """Build and apply a what-if (the session then shows the scenario it changed); a refused one is explained."""
        try:
            edit = build()
        except PlanError as error:
            self.refused(error)
            return None
        return edit if self.apply(edit) else None

    def _free_name(self, base: str) -> str:
        """`base`, or `base 2`, `base 3`... whichever no scenario has yet."""
        names, number = set(self.session.plan.scenarios), 2
        name = base
        while name in names:
            name, number = f"{base} {number}", number + 1
        return name

    def action_scenarios(self) -> None:
        """List the scenarios: switch, copy, rename or remove."""

        def chosen(choice: ScenarioChoice | None) -> None:
            if choice is None:
                return
            if choice.action == "switch":
                self.show_scenario(choice.name)
            elif choice.action == "remove":
                self.app.push_screen(Confirm("Remove scenario", f"Remove the scenario {choice.name}? "
                                             "You can undo with ctrl+z.", "Remove"),
                                     lambda yes: yes and self.apply(RemoveScenario(choice.name)))
            elif choice.action == "rename":
                self.app.push_screen(NameForm(f"Rename {choice.name}", choice.name, "Rename"),
                                     lambda new: new and self._apply_built(lambda: RenameScenario(choice.name, new)))
            else:
                source = choice.name if choice.action == "copy" else None
                suggestion = self._free_name(f"{choice.name} copy" if source else "blank")
                self.app.push_screen(NameForm("New scenario", suggestion),
                                     lambda new: new and self._apply_built(lambda: AddScenario(new, source)))

        self.app.push_screen(ScenarioList(self.session.plan, self.session.scenario), chosen)

    def action_merge(self) -> None:
        """Merge another person's manager roles and reports into the selected person, whose team then shows."""
        keeper = self.need_person()
        if keeper is None:
            return
        org, keeper_id = self.session.org, keeper.id
        choices = sorted(self.choices({keeper_id}), key=lambda c: -org.span(c[0]))

        def merge_with(other_id: str | None) -> None:
            if not other_id:
                return
            other = org.person(other_id)

            def done(what: WhatIf | None) -> None:
                if what is not None and self._apply_built(lambda: merge_roles(
                        self.session.plan, self.session.scenario, keeper_id, other_id, what.choice, what.into)):
                    self.org_tree.open_team(keeper_id)

            self.app.push_screen(MergeForm(keeper.name, other.name, self._free_name("merged")), done)

        self.app.push_screen(picker(self.app, f"Merge whose roles into {keeper.name}?", choices), merge_with)

    def action_split(self) -> None:
        """Hand one of the selected person's manager roles to a new person or a vacancy, whose team then shows."""
        person = self.need_person()
        if person is None:
            return
        person_id = person.id
        try:
            parts = [(part.id, part.title) for part in split_parts(self.session.plan.catalog, person)]
        except PlanError as error:
            self.notify(str(error), severity="warning", markup=False)
            return

        def done(what: WhatIf | None) -> None:
            if what is not None:
                split = self._apply_built(lambda: split_role(self.session.plan, self.session.scenario, person_id,
                                                             what.choice, what.name, what.into))
                if isinstance(split, Batch):
                    newcomer = next(edit.person.id for edit in split.edits if isinstance(edit, AddPerson))
                    self.org_tree.open_team(newcomer)

        self.app.push_screen(SplitForm(person.name, parts, self._free_name("split")), done)

    def action_advise(self) -> None:
        """Show the hand-off plan of the scenario shown; it can be applied into a new scenario."""
        self.show_advice(None)

    def show_advice(self, person_id: str | None) -> None:
        """Show the hand-off plan for everyone overloaded or critical, or for one person."""
        session = self.session

        def chosen(choice: ApplyHandOff | None) -> None:
            if choice is not None:
                self._apply_built(lambda: choice.handoff.edit(choice.into))

        self.app.push_screen(AdviceScreen(session.plan, session.analysis, self.selected, self._free_name(DEFAULT_INTO),
                                          person_id), chosen)

    def action_compare(self) -> None:
        """Compare the first scenario (the baseline) with the one shown, or with the next one."""
        names = list(self.session.plan.scenarios)
        baseline, shown = names[0], self.session.scenario
        after = shown if shown != baseline else (names[1] if len(names) > 1 else baseline)
        self.app.push_screen(CompareScreen(self.session, baseline, after))
