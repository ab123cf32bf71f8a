"""What the main screen's parts share: the open session, a typed handle to the app, and applying an edit."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

from planner.model.edits import Edit
from planner.model.errors import PlanError
from planner.model.org import Person
from planner.ui.session import Session
from planner.ui.widgets.org_tree import OrgTree

if TYPE_CHECKING:
    from planner.ui.app import PlannerApp


class PlanScreen(Screen):
    """A screen on the open plan; the main screen is built from its parts (views, people, what-ifs, files)."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    @property
    def planner(self) -> PlannerApp:
        """The app, typed: every call to the planner's own methods is checked."""
        return cast("PlannerApp", self.app)

    @property
    def org_tree(self) -> OrgTree:
        """The org tree."""
        return self.query_one(OrgTree)

    @property
    def selected(self) -> str | None:
        """The id of the selected person, if any."""
        return self.org_tree.person_id

    def refresh_all(self) -> None:
        """Bring every view and the title in line with the plan (the main screen says how)."""
        raise NotImplementedError

    def apply(self, edit: Edit) -> bool:
        """Apply an edit; a refused one is explained and changes nothing."""
        try:
            self.session.apply(edit)
        except PlanError as error:
            self.refused(error)
            return False
        self.refresh_all()
        return True

    def refused(self, error: PlanError) -> None:
        """Say why an edit was not done."""
        self.notify(str(error), title="Not done", severity="error", markup=False)

    def need_person(self) -> Person | None:
        """The selected person, or None after asking the user to select one."""
        person_id = self.selected
        if person_id is None:
            self.notify("Select a person first.", severity="warning")
            return None
        return self.session.org.person(person_id)

    def choices(self, exclude: set[str]) -> list[tuple[str, str, str]]:
        """Everyone in the scenario but `exclude`, as a picker's (id, name, title) choices."""
        return [(p.id, p.name, p.title) for p in self.session.org.people() if p.id not in exclude]
