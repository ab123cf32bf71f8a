"""Reversible edits: each one checks the plan's rules, applies, and returns its inverse."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from planner.model.catalog import Responsibility, Role
from planner.model.errors import DuplicateIdError, InvariantError, UnknownIdError
from planner.model.org import Org, Person
from planner.model.plan import Plan
from planner.model.rules import (
    check_person,
    check_reporting_line,
    check_responsibility,
    check_role,
    check_settings,
    raise_first,
    users_of_responsibility,
    users_of_role,
)
from planner.model.settings import Settings


class Edit(ABC):
    """A change to a plan that can be undone exactly."""

    @property
    @abstractmethod
    def label(self) -> str:
        """What the edit does, in a few words (shown as "Undo <label>")."""

    @abstractmethod
    def apply(self, plan: Plan) -> Edit:
        """Apply the edit, or raise an InvariantError and change nothing; return the inverse."""

    @property
    def scenario_changed(self) -> str | None:
        """The scenario whose people this edit changes (to show it after an undo or redo); None for plan-wide edits."""
        return None


@dataclass(frozen=True)
class ScenarioEdit(Edit, ABC):
    """An edit of the people of one scenario."""

    scenario: str

    @property
    def scenario_changed(self) -> str | None:
        return self.scenario


def _person(org: Org, person_id: str) -> Person:
    if person_id not in org:
        raise UnknownIdError(f"no person with id {person_id!r}", "pick someone in this scenario")
    return org.person(person_id)


def _check_or_restore(plan: Plan, org: Org, person: Person, restore: Callable[[], object]) -> None:
    """Check a person after a tentative change and undo it with `restore` if a rule broke."""
    violations = list(check_person(plan, org, person))
    if violations:
        restore()
        raise_first(violations)


@dataclass(frozen=True)
class AddPerson(ScenarioEdit):
    """Add a person under a manager (None: at the top)."""

    person: Person
    manager: str | None = None

    @property
    def label(self) -> str:
        return f"add {self.person.name}"

    def apply(self, plan: Plan) -> Edit:
        org = plan.scenario(self.scenario)
        if self.person.id in org:
            raise DuplicateIdError(f"person id {self.person.id!r} is already used", "choose another id")
        raise_first(check_reporting_line(org, self.person.id, self.manager))
        org.put(self.person)
        org.set_manager(self.person.id, self.manager)
        _check_or_restore(plan, org, self.person, lambda: org.discard(self.person.id))
        return RemovePerson(self.scenario, self.person.id)


@dataclass(frozen=True)
class RemovePerson(ScenarioEdit):
    """Remove a person; their reports move up to the removed person's manager."""

    person_id: str

    @property
    def label(self) -> str:
        return f"remove {self.person_id}"

    def apply(self, plan: Plan) -> Edit:
        org = plan.scenario(self.scenario)
        person = _person(org, self.person_id)
        manager = org.manager_of(self.person_id)
        reports = org.reports(self.person_id)
        moving = set(reports)
        touched = [p for p in org.people() if self.person_id in p.dotted_managers or (
            p.id in moving and manager in p.dotted_managers)]
        undo: list[Edit] = [AddPerson(self.scenario, person, manager)]
        undo += [MovePerson(self.scenario, report, self.person_id) for report in reports]
        undo += [UpdatePerson(self.scenario, old) for old in touched]
        for old in touched:
            kept = tuple(m for m in old.dotted_managers if m != self.person_id and not (old.id in moving and m == manager))
            org.put(replace(old, dotted_managers=kept))
        for report in reports:
            org.set_manager(report, manager)
        org.discard(self.person_id)
        return Batch(tuple(undo), f"remove {person.name}")


@dataclass(frozen=True)
class MovePerson(ScenarioEdit):
    """Give a person another solid-line manager; a dotted line to that manager becomes the solid one."""

    person_id: str
    manager: str | None

    @property
    def label(self) -> str:
        return f"move {self.person_id}"

    def apply(self, plan: Plan) -> Edit:
        org = plan.scenario(self.scenario)
        person = _person(org, self.person_id)
        raise_first(check_reporting_line(org, self.person_id, self.manager))
        undo: list[Edit] = [MovePerson(self.scenario, self.person_id, org.manager_of(self.person_id))]
        if self.manager in person.dotted_managers:
            undo.append(UpdatePerson(self.scenario, person))
            org.put(replace(person, dotted_managers=tuple(m for m in person.dotted_managers if m != self.manager)))
        org.set_manager(self.person_id, self.manager)
        return Batch(tuple(undo), f"move {person.name}") if len(undo) > 1 else undo[0]


@dataclass(frozen=True)
class UpdatePerson(ScenarioEdit):
    """Replace a person's details (name, roles, capacity, dotted lines...) keeping their id."""

    person: Person
    what: str = "edit"

    @property
    def label(self) -> str:
        return f"{self.what} {self.person.name}"

    def apply(self, plan: Plan) -> Edit:
        org = plan.scenario(self.scenario)
        old = _person(org, self.person.id)
        org.put(self.person)
        _check_or_restore(plan, org, self.person, lambda: org.put(old))
        return UpdatePerson(self.scenario, old, self.what)


@dataclass(frozen=True)
class PutResponsibility(Edit):
    """Add a responsibility to the catalog, or replace the one with its id."""

    item: Responsibility

    @property
    def label(self) -> str:
        return f"catalog: {self.item.title}"

    def apply(self, plan: Plan) -> Edit:
        raise_first(check_responsibility(self.item))
        old = plan.catalog.responsibilities.get(self.item.id)
        plan.catalog.responsibilities[self.item.id] = self.item
        return PutResponsibility(old) if old else RemoveResponsibility(self.item.id)


@dataclass(frozen=True)
class RemoveResponsibility(Edit):
    """Remove a responsibility nobody and no role refers to."""

    item_id: str

    @property
    def label(self) -> str:
        return f"remove responsibility {self.item_id}"

    def apply(self, plan: Plan) -> Edit:
        old = plan.catalog.responsibilities.get(self.item_id)
        if old is None:
            raise UnknownIdError(f"no responsibility with id {self.item_id!r}")
        _refuse_if_used(users_of_responsibility(plan, self.item_id), f"responsibility {self.item_id!r}")
        del plan.catalog.responsibilities[self.item_id]
        return PutResponsibility(old)


@dataclass(frozen=True)
class PutRole(Edit):
    """Add a role to the catalog, or replace the one with its id."""

    role: Role

    @property
    def label(self) -> str:
        return f"catalog: {self.role.title}"

    def apply(self, plan: Plan) -> Edit:
        catalog = plan.catalog
        old = catalog.roles.get(self.role.id)
        catalog.roles[self.role.id] = self.role
        violations = [v for role in catalog.roles.values() if role.id == self.role.id or self.role.id in role.combines
                      for v in check_role(catalog, role)]
        if violations:
            if old is None:
                del catalog.roles[self.role.id]
            else:
                catalog.roles[self.role.id] = old
            raise_first(violations)
        return PutRole(old) if old else RemoveRole(self.role.id)


@dataclass(frozen=True)
class RemoveRole(Edit):
    """Remove a role nobody holds and no role combines."""

    role_id: str

    @property
    def label(self) -> str:
        return f"remove role {self.role_id}"

    def apply(self, plan: Plan) -> Edit:
        old = plan.catalog.roles.get(self.role_id)
        if old is None:
            raise UnknownIdError(f"no role with id {self.role_id!r}")
        _refuse_if_used(users_of_role(plan, self.role_id), f"role {self.role_id!r}")
        del plan.catalog.roles[self.role_id]
        return PutRole(old)


def _refuse_if_used(users: list[str], what: str) -> None:
    if users:
        shown = ", ".join(users[:5]) + (f" and {len(users) - 5} more" if len(users) > 5 else "")
        raise InvariantError(f"{what} is still used by {shown}", "unassign it there first")


@dataclass(frozen=True)
class SetSettings(Edit):
    """Replace the plan's settings."""

    settings: Settings

    @property
    def label(self) -> str:
        return "change settings"

    def apply(self, plan: Plan) -> Edit:
        raise_first(check_settings(self.settings))
        old, plan.settings = plan.settings, self.settings
        return SetSettings(old)


@dataclass(frozen=True)
class Batch(Edit):
    """Several edits as one: all apply, or none does."""

    edits: tuple[Edit, ...]
    what: str = "change"

    @property
    def label(self) -> str:
        return self.what

    @property
    def scenario_changed(self) -> str | None:
        return next((edit.scenario_changed for edit in reversed(self.edits) if edit.scenario_changed), None)

    def apply(self, plan: Plan) -> Edit:
        undo: list[Edit] = []
        try:
            for edit in self.edits:
                undo.append(edit.apply(plan))
        except InvariantError:
            for inverse in reversed(undo):
                inverse.apply(plan)
            raise
        return Batch(tuple(reversed(undo)), self.what)


def update_person(plan: Plan, scenario: str, person_id: str, what: str = "edit", **changes: Any) -> UpdatePerson:
    """An edit that changes some of a person's fields."""
    person = _person(plan.scenario(scenario), person_id)
    return UpdatePerson(scenario, replace(person, **changes), what)


def change_setting(plan: Plan, name: str, value: float) -> SetSettings:
    """An edit that changes one setting."""
    if name not in Settings.names():
        raise UnknownIdError(f"no setting named {name!r}", f"use one of: {', '.join(Settings.names())}")
    figure: dict[str, Any] = {name: value}  # one of the numeric settings, checked above
    return SetSettings(replace(plan.settings, **figure))


def assign_role(plan: Plan, scenario: str, person_id: str, role_id: str) -> UpdatePerson:
    """An edit that gives a person a role."""
    person = _person(plan.scenario(scenario), person_id)
    return update_person(plan, scenario, person_id, "assign role to", roles=(*person.roles, role_id))


def unassign_role(plan: Plan, scenario: str, person_id: str, role_id: str) -> UpdatePerson:
    """An edit that takes a role from a person."""
    person = _person(plan.scenario(scenario), person_id)
    roles = tuple(r for r in person.roles if r != role_id)
    return update_person(plan, scenario, person_id, "unassign role from", roles=roles)


def assign_responsibility(plan: Plan, scenario: str, person_id: str, item_id: str) -> UpdatePerson:
    """An edit that makes a person hold a responsibility (undropping it if a role bundles it)."""
    person = _person(plan.scenario(scenario), person_id)
    dropped = tuple(i for i in person.dropped_responsibilities if i != item_id)
    via_roles = any(item_id in plan.catalog.role_responsibilities(r) for r in person.roles)
    extra = person.extra_responsibilities
    if not via_roles and item_id not in extra:
        extra = (*extra, item_id)
    return update_person(plan, scenario, person_id, "assign to", extra_responsibilities=extra,
                         dropped_responsibilities=dropped)


def unassign_responsibility(plan: Plan, scenario: str, person_id: str, item_id: str) -> UpdatePerson:
    """An edit that frees a person of a responsibility (dropping it if a role bundles it)."""
    person = _person(plan.scenario(scenario), person_id)
    extra = tuple(i for i in person.extra_responsibilities if i != item_id)
    via_roles = any(item_id in plan.catalog.role_responsibilities(r) for r in person.roles)
    dropped = person.dropped_responsibilities
    if via_roles and item_id not in dropped:
        dropped = (*dropped, item_id)
    return update_person(plan, scenario, person_id, "unassign from", extra_responsibilities=extra,
                         dropped_responsibilities=dropped)


def toggle_vacancy(plan: Plan, scenario: str, person_id: str) -> UpdatePerson:
    """An edit that turns a person into an open position or back."""
    person = _person(plan.scenario(scenario), person_id)
    return update_person(plan, scenario, person_id, "toggle vacancy of", vacant=not person.vacant)


def add_dotted_line(plan: Plan, scenario: str, person_id: str, manager_id: str) -> UpdatePerson:
    """An edit that adds a dotted-line manager."""
    person = _person(plan.scenario(scenario), person_id)
    return update_person(plan, scenario, person_id, "add dotted line for",
                         dotted_managers=(*person.dotted_managers, manager_id))


def remove_dotted_line(plan: Plan, scenario: str, person_id: str, manager_id: str) -> UpdatePerson:
    """An edit that removes a dotted-line manager."""
    person = _person(plan.scenario(scenario), person_id)
    kept = tuple(m for m in person.dotted_managers if m != manager_id)
    return update_person(plan, scenario, person_id, "remove dotted line of", dotted_managers=kept)


@dataclass
class History:
    """Undo and redo over a plan: every edit goes through `apply`.

    `applied`, when set, hears of every edit made to the plan: the one applied, or the inverse an undo
    or a redo applied. Applying those in order to the plan as it was gives the plan as it is.
    """

    plan: Plan
    applied: Callable[[Edit], object] | None = None
    _undo: list[tuple[Edit, int, str]] = field(default_factory=list)
    _redo: list[tuple[Edit, int, str]] = field(default_factory=list)
    _state: int = 0
    _next_state: int = 1
    _saved_state: int = 0

    def apply(self, edit: Edit) -> None:
        """Apply an edit and remember how to undo it."""
        inverse = edit.apply(self.plan)
        self._undo.append((inverse, self._state, edit.label))
        self._redo.clear()
        self._state, self._next_state = self._next_state, self._next_state + 1
        self._tell(edit)

    def _tell(self, edit: Edit) -> None:
        if self.applied is not None:
            self.applied(edit)

    def undo(self) -> str | None:
        """Undo the last edit; its label, or None when there is nothing to undo."""
        return self._step(self._undo, self._redo)

    def redo(self) -> str | None:
        """Redo the last undone edit; its label, or None when there is nothing to redo."""
        return self._step(self._redo, self._undo)

    def _step(self, source: list[tuple[Edit, int, str]], target: list[tuple[Edit, int, str]]) -> str | None:
        if not source:
            return None
        edit, state, label = source.pop()
        target.append((edit.apply(self.plan), self._state, label))
        self._state = state
        self._tell(edit)
        return label

    @property
    def next_undo(self) -> Edit | None:
        """The edit an undo would apply (the inverse of the last edit), if any."""
        return self._undo[-1][0] if self._undo else None

    @property
    def next_redo(self) -> Edit | None:
        """The edit a redo would apply, if any."""
        return self._redo[-1][0] if self._redo else None

    @property
    def can_undo(self) -> bool:
        """Whether there is an edit to undo."""
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        """Whether there is an undone edit to redo."""
        return bool(self._redo)

    @property
    def state(self) -> int:
        """A token that changes with every apply, undo and redo (equal tokens: equal plans)."""
        return self._state

    @property
    def dirty(self) -> bool:
        """Whether the plan differs from the last save (or from when it was opened)."""
        return self._state != self._saved_state

    def mark_saved(self, state: int | None = None) -> None:
        """Record that the plan as it is now, or as it was at `state` (a token), has been saved."""
        self._saved_state = self._state if state is None else state

    @property
    def saved_state(self) -> int:
        """The token of the plan as it was last saved (-1: it is in no file)."""
        return self._saved_state

    @property
    def in_no_file(self) -> bool:
        """Whether the plan was marked as existing in no file and not saved since (a new or recovered plan)."""
        return self._saved_state == -1

    def mark_unsaved(self) -> None:
        """Record that the plan as it is now exists in no file (a new plan)."""
        self._saved_state = -1
