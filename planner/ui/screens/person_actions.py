"""The main screen's edits of people, the catalog and the settings: each opens a dialog, then applies one edit."""

from __future__ import annotations

from dataclasses import replace

from planner.analysis import Analysis, Band, analyse
from planner.model.catalog import Responsibility
from planner.model.edits import (
    AddPerson,
    Batch,
    Edit,
    MovePerson,
    PutResponsibility,
    RemovePerson,
    SetSettings,
    UpdatePerson,
    add_dotted_line,
    remove_dotted_line,
    toggle_vacancy,
)
from planner.model.org import Person
from planner.model.settings import Settings
from planner.model.text import slugify
from planner.ui.screens.assign import Assignment, AssignScreen, assignment_edit_fields
from planner.ui.screens.dialogs import Confirm
from planner.ui.screens.forms import ResponsibilityForm, SettingsForm
from planner.ui.screens.person_form import PersonDraft, PersonForm
from planner.ui.screens.picker import picker
from planner.ui.screens.plan_screen import PlanScreen


def band_counts(analysis: Analysis) -> tuple[int, int]:
    """How many people work beyond their week, and how many of them are overloaded or critical."""
    bands = [person.load.band for person in analysis.people.values()]
    return sum(band is not Band.OK for band in bands), sum(band in (Band.OVERLOADED, Band.CRITICAL) for band in bands)


class PersonActions(PlanScreen):
    """Add, edit, assign, move, delete, vacancy, dotted lines, custom responsibilities and the settings."""

    def _new_person(self, draft: PersonDraft, manager: str | None) -> None:
        person = Person(slugify(draft.name, set(self.session.org)), draft.name, draft.title,
                        roles=(draft.role,) if draft.role else (), capacity_hours=draft.capacity_hours,
                        archetype=draft.archetype, notes=draft.notes)
        if self.apply(AddPerson(self.session.scenario, person, manager)):
            self.org_tree.select_person(person.id)

    def action_add_report(self) -> None:
        """Add a person under the selected one (at the top when the plan is empty)."""
        manager = self.selected
        under = self.session.analysis.people[manager].name if manager else "nobody (top of the org)"
        self.app.push_screen(PersonForm(f"New report under {under}", self.session.plan.catalog),
                             lambda draft: draft and self._new_person(draft, manager))

    def action_add_sibling(self) -> None:
        """Add a person under the selected person's manager."""
        person = self.need_person()
        if person is not None:
            manager = self.session.org.manager_of(person.id)
            self.app.push_screen(PersonForm("New person beside the selected one", self.session.plan.catalog),
                                 lambda draft: draft and self._new_person(draft, manager))

    def action_edit(self) -> None:
        """Edit the selected person's details (and give them the role their title names, if accepted)."""
        person = self.need_person()
        if person is None:
            return

        def done(draft: PersonDraft | None) -> None:
            if draft is not None:
                roles = (*person.roles, draft.role) if draft.role else person.roles
                self.apply(UpdatePerson(self.session.scenario, replace(
                    person, name=draft.name, title=draft.title, roles=roles, capacity_hours=draft.capacity_hours,
                    archetype=draft.archetype, notes=draft.notes)))

        self.app.push_screen(PersonForm(f"Edit {person.name}", self.session.plan.catalog, person), done)

    def action_assign(self) -> None:
        """Check and uncheck roles and responsibilities."""
        person = self.need_person()
        if person is None:
            return

        def done(chosen: Assignment | None) -> None:
            if chosen is not None:
                fields = assignment_edit_fields(self.session.plan, person, chosen)
                self.apply(UpdatePerson(self.session.scenario, replace(person, **fields), "assign"))

        self.app.push_screen(AssignScreen(self.session.plan, person, self.session.org.span(person.id)), done)

    def action_move(self) -> None:
        """Move the selected person to a manager picked by name."""
        person = self.need_person()
        if person is None:
            return
        person_id, name = person.id, person.name
        team = {person_id, *self.session.org.team(person_id)}
        self.app.push_screen(
            picker(self.app, f"Move {name} to report to…", self.choices(team), extra=("", "nobody: top of the org")),
            lambda chosen: chosen is not None and self.apply(
                Batch((MovePerson(self.session.scenario, person_id, chosen or None),), f"move {name}")),
        )

    def action_delete(self) -> None:
        """Delete the selected person after confirming; their reports move up."""
        person = self.need_person()
        if person is None:
            return
        org = self.session.org
        reports = org.span(person.id)
        manager = org.manager_of(person.id)
        where = org.person(manager).name if manager else "the top of the org"
        question = (f"Delete {person.name}?"
                    + (f" Their {reports} report(s) will move up to {where}." if reports else "")
                    + " You can undo with ctrl+z.")
        removal = Batch((RemovePerson(self.session.scenario, person.id),), f"delete {person.name}")
        self.app.push_screen(Confirm("Delete person", question, "Delete"), lambda yes: yes and self.apply(removal))

    def action_toggle_vacancy(self) -> None:
        """Mark the selected person as an open position, or filled."""
        person = self.need_person()
        if person is not None:
            self.apply(toggle_vacancy(self.session.plan, self.session.scenario, person.id))

    def action_dotted(self) -> None:
        """Pick someone to add as a dotted-line manager, or to remove if they already are one."""
        person = self.need_person()
        if person is None:
            return
        person_id = person.id
        solid = self.session.org.manager_of(person_id)
        choices = [(pid, name, ("dotted line now: pick to remove · " if pid in person.dotted_managers else "") + title)
                   for pid, name, title in self.choices({person_id, solid} - {None})]

        def done(chosen: str | None) -> None:
            if not chosen:
                return
            plan, scenario = self.session.plan, self.session.scenario
            toggle = remove_dotted_line if chosen in person.dotted_managers else add_dotted_line
            self.apply(toggle(plan, scenario, person_id, chosen))

        self.app.push_screen(picker(self.app, f"Dotted line for {person.name}: add or remove", choices), done)

    def action_new_responsibility(self) -> None:
        """Add a custom responsibility to the catalog (and to the selected person)."""
        person_id = self.selected

        def done(item: Responsibility | None) -> None:
            if item is None:
                return
            edits: list[Edit] = [PutResponsibility(item)]
            if person_id is not None:
                person = self.session.org.person(person_id)
                extra = (*person.extra_responsibilities, item.id)
                edits.append(UpdatePerson(self.session.scenario, replace(person, extra_responsibilities=extra)))
            self.apply(Batch(tuple(edits), f"add responsibility {item.title}"))

        self.app.push_screen(ResponsibilityForm(set(self.session.plan.catalog.responsibilities)), done)

    def action_settings(self) -> None:
        """Edit the plan's settings; every figure follows."""
        self.app.push_screen(SettingsForm(self.session.plan.settings, self._settings_consequence),
                             lambda settings: settings and self.apply(SetSettings(settings)))

    def _settings_consequence(self, settings: Settings) -> str:
        """What new settings would do to the scenario shown: who would work beyond their week, or be overloaded."""
        session = self.session
        before = session.analysis
        after = analyse(replace(session.plan, settings=settings), session.scenario)
        (beyond, heavy), (beyond_now, heavy_now) = band_counts(after), band_counts(before)
        return (f"With them, {beyond} of the {len(after.people)} people in {session.scenario} would work beyond "
                f"their week, {heavy} overloaded or critical (now {beyond_now}, {heavy_now}).")
