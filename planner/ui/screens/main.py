"""The main screen: the org tree, the selected person's panel and the team view, and moving between them.

Its actions come in parts, a file each: people and settings (person_actions), what-ifs (whatif_actions) and
files (file_actions), on a base that holds the session and applies edits (plan_screen).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.widgets import ContentSwitcher, Static

from planner.ui.room_keys import ROOM_BINDINGS, RoomKeys
from planner.ui.screens.file_actions import FileActions
from planner.ui.screens.person_actions import PersonActions
from planner.ui.screens.picker import picker
from planner.ui.screens.whatif_actions import WhatIfActions
from planner.ui.session import Session
from planner.ui.widgets.footer import FittingFooter
from planner.ui.widgets.header import PlannerHeader
from planner.ui.widgets.org_tree import OrgTree
from planner.ui.widgets.person_panel import EMPTY_SCENARIO, PersonPanel
from planner.ui.widgets.team_view import TeamView

NARROW = 100


class MainScreen(RoomKeys, PersonActions, WhatIfActions, FileActions):
    """Read and edit the open plan: one list of keys drives the footer, the help and the command palette."""

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
        Binding("H", "advise", "Hand-off plan", key_display="H", show=False, id="whatif.advise",
                tooltip="Propose which responsibilities to hand off from overloaded people to people with slack"),
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
        super().__init__(session)
        self._team_stale = True

    def compose(self) -> ComposeResult:
        yield PlannerHeader()
        with ContentSwitcher(initial="org-view", id="views"):
            with Horizontal(id="org-view"):
                with Vertical(id="tree-pane"):
                    yield Static(id="focus-bar")
                    yield Static(Text(EMPTY_SCENARIO, style="italic"), id="empty-hint")
                    yield OrgTree(id="tree")
                yield PersonPanel(id="person")
            yield TeamView(id="team-view")
        yield FittingFooter()

    def on_mount(self) -> None:
        self._fit(self.app.size.width)
        self.refresh_all()
        self.query_one(OrgTree).focus()

    def refresh_all(self) -> None:
        """Bring every view and the title in line with the plan."""
        session = self.session
        session.keep_scenario_valid()
        analysis = session.analysis
        self.org_tree.show(session.org, analysis)
        self.set_class(not analysis.people, "-empty")
        self.query_one(PersonPanel).show(session.plan, analysis, self.selected)
        self._team_stale = True
        if self.query_one(ContentSwitcher).current == "team-view":
            self._show_team()
        self.show_titles()

    def show_titles(self) -> None:
        """The file name (unsaved-changes marker, who is here), then the scenario (first, so never cut) and plan."""
        session, planner = self.session, self.planner
        planner.title = planner.with_presence(f"{'* ' if session.dirty else ''}{session.file_label}{planner.save_status}")
        planner.sub_title = f"{session.scenario} · {session.plan.name}"

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
        self.app.push_screen(picker(self.app, "Find a person", self.choices(set())),
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
