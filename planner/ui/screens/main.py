"""The main screen: the org tree, the selected person's panel and the team view, with every edit."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Header, Static

from planner.analysis import Analysis, Band, analyse
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
from planner.model.errors import PlanError
from planner.model.org import Person
from planner.model.scenarios import (
    AddScenario,
    RemoveScenario,
    RenameScenario,
    merge_roles,
    split_parts,
    split_role,
)
from planner.model.settings import Settings
from planner.model.text import slugify
from planner.render.export import FORMATS, export
from planner.storage.files import export_target_exists, write_atomic
from planner.ui.screens.assign import AssignScreen, assignment_edit_fields
from planner.ui.screens.compare import CompareScreen
from planner.ui.screens.dialogs import Confirm, Message
from planner.ui.screens.forms import (
    ExportChoice,
    ExportForm,
    ImportForm,
    ResponsibilityForm,
    SettingsForm,
)
from planner.ui.screens.person_form import PersonDraft, PersonForm
from planner.ui.screens.picker import PersonPicker
from planner.ui.room_keys import ROOM_BINDINGS, RoomKeys
from planner.ui.screens.whatif import (
    MergeForm,
    NameForm,
    ScenarioChoice,
    ScenarioList,
    SplitForm,
    WhatIf,
)
from planner.ui.session import Session
from planner.ui.widgets.footer import FittingFooter
from planner.ui.widgets.org_tree import OrgTree
from planner.ui.widgets.person_panel import PersonPanel
from planner.ui.widgets.team_view import TeamView

NARROW = 100


def band_counts(analysis: Analysis) -> tuple[int, int]:
    """How many people work beyond their week, and how many of them are overloaded or critical."""
    bands = [person.load.band for person in analysis.people.values()]
    return sum(band is not Band.OK for band in bands), sum(band in (Band.OVERLOADED, Band.CRITICAL) for band in bands)


class MainScreen(RoomKeys, Screen):
    """Read and edit the open plan."""

    BINDINGS = [
        Binding("a", "add_report", "Add", id="person.add_report", tooltip="Add a report under the selected person"),
        Binding("s", "add_sibling", "Sibling", show=False, id="person.add_sibling",
                tooltip="Add a person beside the selected one, under the same manager"),
        Binding("e", "edit", "Edit", id="person.edit", tooltip="Edit name, title, capacity, archetype and notes"),
        Binding("r", "assign", "Roles", id="person.assign", tooltip="Assign roles and responsibilities from the catalog"),
        Binding("m", "move", "Move", show=False, id="person.move", tooltip="Move the selected person to another manager"),
        Binding("delete,x", "delete", "Delete", key_display="del", show=False, id="person.delete",
                tooltip="Delete the selected person; their reports move up"),
        Binding("v", "toggle_vacancy", "Vacancy", show=False, id="person.vacancy",
                tooltip="Mark the selected person as an open position, or filled"),
        Binding("d", "dotted", "Dotted line", show=False, id="person.dotted",
                tooltip="Add or remove a dotted-line manager"),
        Binding("n", "new_responsibility", "New responsibility", show=False, id="catalog.new",
                tooltip="Add a custom responsibility to the catalog and give it to the selected person"),
        Binding("comma", "settings", "Settings", key_display=",", show=False, id="plan.settings",
                tooltip="Edit capacity, switching, load thresholds, coordination and the assumption spread"),
        Binding("w", "scenarios", "Scenarios", id="plan.scenarios",
                tooltip="Switch, copy, rename or remove the plan's scenarios (what-ifs)"),
        Binding("M", "merge", "Merge roles", key_display="M", show=False, id="whatif.merge",
                tooltip="Merge another person's roles and reports into the selected person"),
        Binding("S", "split", "Split role", key_display="S", show=False, id="whatif.split",
                tooltip="Hand one of the selected person's two manager roles to a new person or a vacancy"),
        Binding("c", "compare", "Compare", show=False, id="plan.compare",
                tooltip="Compare two scenarios side by side"),
        Binding("E", "export", "Export", key_display="E", show=False, id="file.export",
                tooltip="Export the scenario: report (markdown, html), chart (mermaid, dot), csv or json"),
        Binding("I", "import_csv", "Import CSV", key_display="I", show=False, id="file.import",
                tooltip="Make a new plan from a staff list exported by an HR system"),
        Binding("f9", "screenshot_svg", "Screenshot", show=False, id="file.screenshot",
                tooltip="Save an SVG picture of the screen to saves/"),
        Binding("f", "focus_subtree", "Focus", show=False, id="view.focus",
                tooltip="Show only the selected person's team; again to show everyone"),
        Binding("t", "toggle_team", "Team", id="view.team", tooltip="Switch between the org tree and the team view"),
        Binding("escape", "back", "Back", key_display="esc", id="view.back",
                tooltip="Back to the whole tree (from the team view, a person's details or one team)"),
        Binding("slash", "find", "Find", key_display="/", show=False, id="view.find", tooltip="Find a person by name"),
        Binding("ctrl+z", "undo", "Undo", show=False, id="edit.undo", tooltip="Undo the last change"),
        Binding("ctrl+y", "redo", "Redo", show=False, id="edit.redo", tooltip="Redo the last undone change"),
        Binding("ctrl+s", "save", "Save", id="file.save", tooltip="Save to the open file"),
        Binding("f2", "save_as", "Save as", show=False, id="file.save_as", tooltip="Save to another file"),
        Binding("ctrl+o", "app.open", "Open", show=False, id="file.open",
                tooltip="Open a recent plan or start one from a layout"),
        *ROOM_BINDINGS,
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._team_stale = True

    def compose(self) -> ComposeResult:
        yield Header()
        with ContentSwitcher(initial="org-view", id="views"):
            with Horizontal(id="org-view"):
                with Vertical(id="tree-pane"):
                    yield Static(id="focus-bar")
                    yield OrgTree(id="tree")
                yield PersonPanel(id="person")
            yield TeamView(id="team-view")
        yield FittingFooter()

    def on_mount(self) -> None:
        self._fit(self.app.size.width)
        self.refresh_all()
        self.query_one(OrgTree).focus()

    @property
    def org_tree(self) -> OrgTree:
        """The org tree."""
        return self.query_one(OrgTree)

    @property
    def selected(self) -> str | None:
        """The id of the selected person, if any."""
        return self.org_tree.person_id

    def refresh_all(self) -> None:
        """Bring every view and the title in line with the plan."""
        session = self.session
        session.keep_scenario_valid()
        analysis = session.analysis
        self.org_tree.show(session.org, analysis)
        self.query_one(PersonPanel).show(session.plan, analysis, self.selected)
        self._team_stale = True
        if self.query_one(ContentSwitcher).current == "team-view":
            self._show_team()
        self.show_titles()

    def show_titles(self) -> None:
        """The file name with an unsaved-changes marker, then the scenario shown (first, so never cut) and the plan's name."""
        session = self.session
        self.app.title = self.app.with_presence(f"{'* ' if session.dirty else ''}{session.file_label}{self.app.save_status}")
        self.app.sub_title = f"{session.scenario} · {session.plan.name}"

    def on_screen_resume(self) -> None:
        self.show_titles()

    def _show_team(self) -> None:
        if self._team_stale:
            self.query_one(TeamView).show(self.session.analysis)
            self._team_stale = False

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        """Side by side on wide terminals; on narrow ones the tree and the person panel take turns."""
        narrow = width < NARROW
        self.set_class(narrow, "-narrow")
        self.org_tree.auto_expand = not narrow

    @on(OrgTree.PersonHighlighted)
    def _highlighted(self, event: OrgTree.PersonHighlighted) -> None:
        self.query_one(PersonPanel).show(self.session.plan, self.session.analysis, event.person_id)

    @on(OrgTree.NodeSelected)
    def _selected(self) -> None:
        if self.has_class("-narrow"):
            self.add_class("-details")
            self.query_one(PersonPanel).focus()
            self.refresh_bindings()

    @on(OrgTree.SubtreeShown)
    def _subtree_shown(self, event: OrgTree.SubtreeShown) -> None:
        bar = self.query_one("#focus-bar", Static)
        bar.display = event.person_id is not None
        if event.person_id is not None:
            name = self.session.org.person(event.person_id).name
            bar.update(Text.assemble(("Only ", "bold"), (name, "bold"), ("'s team", "bold"),
                                     " · esc or f: everyone"))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer "back" (and show it in the footer) only when there is somewhere to go back from."""
        if action == "back":
            return (self.query_one(ContentSwitcher).current == "team-view" or self.has_class("-details")
                    or self.org_tree.subtree_root is not None)
        return super().check_action(action, parameters)

    @on(TeamView.JumpTo)
    def _jump(self, event: TeamView.JumpTo) -> None:
        self.go_to(event.person_id)

    def go_to(self, person_id: str) -> None:
        """Show the tree with the cursor on a person."""
        self.query_one(ContentSwitcher).current = "org-view"
        self.remove_class("-details")
        self.org_tree.select_person(person_id)
        self.org_tree.focus()
        self.refresh_bindings()

    def apply(self, edit: Edit) -> bool:
        """Apply an edit; a refused one is explained and changes nothing."""
        try:
            self.session.apply(edit)
        except PlanError as error:
            self._refused(error)
            return False
        self.refresh_all()
        return True

    def _refused(self, error: PlanError) -> None:
        self.app.notify(str(error), title="Not done", severity="error", markup=False)

    def _need_person(self) -> Person | None:
        """The selected person, or None after asking the user to select one."""
        person_id = self.selected
        if person_id is None:
            self.app.notify("Select a person first.", severity="warning")
            return None
        return self.session.org.person(person_id)

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
        person = self._need_person()
        if person is not None:
            manager = self.session.org.manager_of(person.id)
            self.app.push_screen(PersonForm("New person beside the selected one", self.session.plan.catalog),
                                 lambda draft: draft and self._new_person(draft, manager))

    def action_edit(self) -> None:
        """Edit the selected person's details."""
        person = self._need_person()
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
        person = self._need_person()
        if person is None:
            return

        def done(chosen) -> None:
            if chosen is not None:
                fields = assignment_edit_fields(self.session.plan, person, chosen)
                self.apply(UpdatePerson(self.session.scenario, replace(person, **fields), "assign"))

        self.app.push_screen(AssignScreen(self.session.plan, person, self.session.org.span(person.id)), done)

    def _choices(self, exclude: set[str]) -> list[tuple[str, str, str]]:
        return [(p.id, p.name, p.title) for p in self.session.org.people() if p.id not in exclude]

    def action_move(self) -> None:
        """Move the selected person to a manager picked by name."""
        person = self._need_person()
        if person is None:
            return
        person_id, name = person.id, person.name
        team = {person_id, *self.session.org.team(person_id)}
        self.app.push_screen(
            PersonPicker(f"Move {name} to report to…", self._choices(team), extra=("", "nobody: top of the org")),
            lambda chosen: chosen is not None and self.apply(
                Batch((MovePerson(self.session.scenario, person_id, chosen or None),), f"move {name}")),
        )

    def action_delete(self) -> None:
        """Delete the selected person after confirming; their reports move up."""
        person = self._need_person()
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
        person = self._need_person()
        if person is not None:
            self.apply(toggle_vacancy(self.session.plan, self.session.scenario, person.id))

    def action_dotted(self) -> None:
        """Pick someone to add as a dotted-line manager, or to remove if they already are one."""
        person = self._need_person()
        if person is None:
            return
        person_id = person.id
        solid = self.session.org.manager_of(person_id)
        choices = [(pid, name, ("dotted line now: pick to remove · " if pid in person.dotted_managers else "") + title)
                   for pid, name, title in self._choices({person_id, solid} - {None})]

        def done(chosen: str | None) -> None:
            if not chosen:
                return
            plan, scenario = self.session.plan, self.session.scenario
            toggle = remove_dotted_line if chosen in person.dotted_managers else add_dotted_line
            self.apply(toggle(plan, scenario, person_id, chosen))

        self.app.push_screen(PersonPicker(f"Dotted line for {person.name}: add or remove", choices), done)

    def action_new_responsibility(self) -> None:
        """Add a custom responsibility to the catalog (and to the selected person)."""
        person_id = self.selected

        def done(item) -> None:
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

    def action_focus_subtree(self) -> None:
        """Show only the selected person's team, or everyone again."""
        tree = self.org_tree
        tree.set_subtree_root(None if tree.subtree_root else self.selected)

    def action_toggle_team(self) -> None:
        """Switch between the org tree and the team view."""
        switcher = self.query_one(ContentSwitcher)
        if switcher.current == "team-view":
            switcher.current = "org-view"
            self.org_tree.focus()
        else:
            self._show_team()
            self.remove_class("-details")
            switcher.current = "team-view"
            self.query_one(TeamView).focus_risks()
        self.refresh_bindings()

    def action_back(self) -> None:
        """Leave the details, the team view or a focused subtree, back to the whole tree."""
        if self.query_one(ContentSwitcher).current == "team-view":
            self.query_one(ContentSwitcher).current = "org-view"
        elif self.has_class("-details"):
            self.remove_class("-details")
        elif self.org_tree.subtree_root is not None:
            self.org_tree.set_subtree_root(None)
        self.org_tree.focus()
        self.refresh_bindings()

    def action_find(self) -> None:
        """Find a person by name and go to them."""
        self.app.push_screen(PersonPicker("Find a person", self._choices(set())),
                             lambda chosen: chosen and self.go_to(chosen))

    def action_undo(self) -> None:
        """Undo the last change."""
        self._step(self.session.undo, "Undid", "Nothing to undo.")

    def action_redo(self) -> None:
        """Redo the last undone change."""
        self._step(self.session.redo, "Redid", "Nothing to redo.")

    def _step(self, step: Callable[[], str | None], verb: str, nothing: str) -> None:
        """Undo or redo, then say what was done and, when the step moved the view, in which scenario."""
        shown = self.session.scenario
        label = step()
        if label is None:
            self.app.notify(nothing, timeout=2)
            return
        self.refresh_all()
        where = f" (now showing {self.session.scenario})" if self.session.scenario != shown else ""
        self.app.notify(f"{verb}: {label}{where}", timeout=2, markup=False)

    def show_scenario(self, name: str) -> None:
        """Switch the views to another scenario of the plan."""
        self.session.scenario = name
        self.refresh_all()

    def _apply_built(self, build: Callable[[], Edit]) -> Edit | None:
        """Build and apply a what-if (the session then shows the scenario it changed); a refused one is explained."""
        try:
            edit = build()
        except PlanError as error:
            self._refused(error)
            return None
        return edit if self.apply(edit) else None

    def _free_name(self, base: str) -> str:
        names, number = set(self.session.plan.scenarios), 2
        name = base
        while name in names:
            name, number = f"{base} {number}", number + 1
        return name

    def action_scenarios(self) -> None:
        """List the scenarios: switch, copy, rename or remove."""
        plan = self.session.plan

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

        self.app.push_screen(ScenarioList(plan, self.session.scenario), chosen)

    def action_merge(self) -> None:
        """Merge another person's manager roles and reports into the selected person."""
        keeper = self._need_person()
        if keeper is None:
            return
        org, keeper_id = self.session.org, keeper.id
        choices = sorted(self._choices({keeper_id}), key=lambda c: -org.span(c[0]))

        def merge_with(other_id: str | None) -> None:
            if not other_id:
                return
            other = org.person(other_id)

            def done(what: WhatIf | None) -> None:
                if what is not None:
                    self._apply_built(lambda: merge_roles(self.session.plan, self.session.scenario, keeper_id,
                                                          other_id, what.choice, what.into))

            self.app.push_screen(MergeForm(keeper.name, other.name, self._free_name("merged")), done)

        self.app.push_screen(PersonPicker(f"Merge whose roles into {keeper.name}?", choices), merge_with)

    def action_split(self) -> None:
        """Hand one of the selected person's manager roles to a new person or a vacancy."""
        person = self._need_person()
        if person is None:
            return
        person_id = person.id
        try:
            parts = [(part.id, part.title) for part in split_parts(self.session.plan.catalog, person)]
        except PlanError as error:
            self.app.notify(str(error), severity="warning", markup=False)
            return

        def done(what: WhatIf | None) -> None:
            if what is not None:
                split = self._apply_built(lambda: split_role(self.session.plan, self.session.scenario, person_id,
                                                             what.choice, what.name, what.into))
                if isinstance(split, Batch):
                    newcomer = next(edit.person.id for edit in split.edits if isinstance(edit, AddPerson))
                    self.org_tree.open_team(newcomer)

        self.app.push_screen(SplitForm(person.name, parts, self._free_name("split")), done)

    def action_compare(self) -> None:
        """Compare the first scenario (the baseline) with the one shown, or with the next one."""
        names = list(self.session.plan.scenarios)
        baseline, shown = names[0], self.session.scenario
        after = shown if shown != baseline else (names[1] if len(names) > 1 else baseline)
        self.app.push_screen(CompareScreen(self.session, baseline, after))

    def action_export(self) -> None:
        """Export the scenario shown to a file."""
        if self.app.refuse_writing():
            return
        session = self.session
        stem = slugify(f"{session.plan.name} {session.scenario}")
        others = [name for name in session.plan.scenarios if name != session.scenario]

        def write(choice: ExportChoice) -> None:
            try:
                text = export(session.plan, choice.fmt, session.scenario, choice.compare)
                choice.path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(choice.path, text.encode("utf-8"))
            except (PlanError, OSError) as error:
                self.app.push_screen(Message("Could not export", str(error)))
                return
            self.app.notify(f"Exported {choice.path}", timeout=3, markup=False)

        def chosen(choice: ExportChoice | None) -> None:
            if choice is not None:
                self.app.write_file(choice.path, "this export", lambda: write(choice), export_target_exists)

        self.app.push_screen(ExportForm(self.app.saves, stem, FORMATS, others), chosen)

    def action_import_csv(self) -> None:
        """Make a new plan from a staff CSV (asking first about unsaved changes)."""
        if self.app.confine:
            self.app.push_screen(Message("Not available", "Importing reads files on the server: not offered here."))
            return
        self.app.push_screen(ImportForm(), lambda path: path and self.app.import_staff(path))

    def action_screenshot_svg(self) -> None:
        """Save an SVG of the screen to the saves folder."""
        if self.app.refuse_writing():
            return
        name = f"{slugify(self.session.plan.name)}-{time.strftime('%Y%m%d-%H%M%S')}.svg"
        try:
            self.app.saves.mkdir(parents=True, exist_ok=True)
            path = self.app.save_screenshot(filename=name, path=str(self.app.saves))
        except OSError as error:
            self.app.push_screen(Message("Could not save the screenshot", str(error)))
            return
        self.app.notify(f"Saved {path}", timeout=3, markup=False)

    def action_save(self) -> None:
        """Save to the open file (or ask where, for a new plan)."""
        self.app.save_session()

    def action_save_as(self) -> None:
        """Save to a file chosen now."""
        self.app.save_session_as()
