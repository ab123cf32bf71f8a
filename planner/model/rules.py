"""The plan's invariants, as checks that list every violation they find."""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from planner.model.catalog import Catalog, Responsibility, Role
from planner.model.errors import (
    BoundsError,
    CycleError,
    DuplicateIdError,
    InvariantError,
    UnknownIdError,
)
from planner.model.org import ARCHETYPES, Org, Person
from planner.model.plan import Plan
from planner.model.settings import COST_LABELS, SPECS, Settings
from planner.model.text import has_control_characters, is_valid_id

MAX_HOURS = 168.0
MAX_COST = 1e12  # a yearly cost: any sane currency's payroll fits below it
MAX_NAME = 200
MAX_NOTES = 20_000
ID_HINT = "use letters, digits, '-', '_' or '.', starting with a letter or digit, at most 64 long"


@dataclass(frozen=True)
class Violation:
    """One broken rule: the error it raises, what is wrong, how to fix it, and which key."""

    kind: type[InvariantError]
    message: str
    hint: str = ""
    key: str | None = None

    def error(self) -> InvariantError:
        """The exception an edit raises for this violation."""
        return self.kind(self.message, self.hint)


def raise_first(violations: Iterable[Violation]) -> None:
    """Raise the first violation, if there is one."""
    for violation in violations:
        raise violation.error()


def check_id(value: str, what: str, key: str = "id") -> Iterator[Violation]:
    """An id must be short and plain so files stay readable."""
    if not is_valid_id(value):
        yield Violation(BoundsError, f"{what} id {value!r} is not a valid id", ID_HINT, key)


def check_text(value: str, what: str, key: str, required: bool = False, multiline: bool = False) -> Iterator[Violation]:
    """A text must be present when required, not absurdly long, and free of control characters."""
    limit = MAX_NOTES if multiline else MAX_NAME
    if has_control_characters(value, multiline):
        yield Violation(BoundsError, f"{what} holds control characters", "remove them", key)
    if required and not value.strip():
        yield Violation(BoundsError, f"{what} is empty", f"give a {key}", key)
    if len(value) > limit:
        yield Violation(BoundsError, f"{what} is {len(value)} characters long", f"shorten it to at most {limit}", key)


def check_number(value: float, what: str, key: str, low: float, high: float, low_open: bool = False) -> Iterator[Violation]:
    """A number must be finite and within [low, high] (or (low, high])."""
    below = value <= low if low_open else value < low
    if not math.isfinite(value) or below or value > high:
        bound = f"more than {low:g}" if low_open else f"at least {low:g}"
        yield Violation(BoundsError, f"{what} is {value!r}", f"use a number {bound} and at most {high:g}", key)


def check_unique(values: tuple[str, ...], what: str, key: str) -> Iterator[Violation]:
    """A list of ids must not name the same id twice."""
    seen: set[str] = set()
    for value in values:
        if value in seen:
            yield Violation(DuplicateIdError, f"{what} lists {value!r} twice", "remove the repeat", key)
        seen.add(value)


def first_problem(violations: Iterable[Violation]) -> str | None:
    """The first rule broken, worded as "what is wrong: how to fix it", or None when there is none."""
    first = next(iter(violations), None)
    return None if first is None else f"{first.message}: {first.hint}"


def check_settings(settings: Settings) -> Iterator[Violation]:
    """Every setting within its bounds, and the load bands in rising order."""
    for name, spec in SPECS.items():
        yield from check_number(getattr(settings, name), spec.label, name, spec.low, spec.high)
    for name, label in COST_LABELS.items():
        yield from check_text(getattr(settings, name), label, name)
    if settings.overloaded_hours > settings.critical_hours:
        yield Violation(
            BoundsError,
            "the load thresholds are out of order",
            "keep overloaded_hours <= critical_hours",
            "overloaded_hours",
        )


def check_responsibility(item: Responsibility) -> Iterator[Violation]:
    """A responsibility needs a valid id, a title, a function and sane hours."""
    what = f"responsibility {item.id!r}"
    yield from check_id(item.id, "responsibility")
    yield from check_text(item.title, f"the title of {what}", "title", required=True)
    yield from check_id(item.function, f"the function of {what}", "function")
    yield from check_number(item.hours, f"the hours of {what}", "hours", 0, MAX_HOURS)
    yield from check_number(item.hours_per_report, f"the hours per report of {what}", "hours_per_report", 0, MAX_HOURS)
    yield from check_text(item.source, f"the source of {what}", "source")


def check_role(catalog: Catalog, role: Role) -> Iterator[Violation]:
    """A role must bundle known responsibilities and combine only plain roles."""
    what = f"role {role.id!r}"
    yield from check_id(role.id, "role")
    yield from check_text(role.title, f"the title of {what}", "title", required=True)
    yield from check_text(role.note, f"the note of {what}", "note")
    yield from check_text(role.purpose, f"the purpose of {what}", "purpose")
    if role.cost is not None:
        yield from check_number(role.cost, f"the cost of {what}", "cost", 0, MAX_COST)
    if role.combines:
        if role.function:
            yield Violation(BoundsError, f"{what} combines roles and also names a function",
                            "remove its function: it works in the functions of the roles it combines", "function")
    else:
        yield from check_id(role.function, f"the function of {what}", "function")
    yield from check_unique(role.responsibilities, what, "responsibilities")
    for item in role.responsibilities:
        if item not in catalog.responsibilities:
            yield Violation(UnknownIdError, f"{what} bundles unknown responsibility {item!r}",
                            "add it to the catalog or remove it from the role", "responsibilities")
    yield from check_unique(role.combines, what, "combines")
    for part in role.combines:
        if part == role.id or part not in catalog.roles:
            yield Violation(UnknownIdError, f"{what} combines unknown role {part!r}",
                            "name other roles of the catalog", "combines")
        elif catalog.roles[part].combines:
            yield Violation(BoundsError, f"{what} combines {part!r}, which combines roles itself",
                            "combine only plain roles", "combines")


def plainly_valid(plan: Plan, org: Org, person: Person) -> bool:
    """A quick test that a person breaks no rule, for the common case; False means "run check_person"."""
    return plain_own_fields(plan.catalog, person) and (
        not person.dotted_managers or _plain_dotted_lines(org, person))


def plain_own_fields(catalog: Catalog, person: Person) -> bool:
    """The part of plainly_valid that needs no org: the person's own fields, and roles the catalog knows."""
    return (
        is_valid_id(person.id) and 0 < len(person.name) <= MAX_NAME and person.name.isprintable()
        and not person.name.isspace() and len(person.title) <= MAX_NAME and person.title.isprintable()
        and (not person.notes or (len(person.notes) <= MAX_NOTES and person.notes.isprintable()))
        and _distinct_and_known(person.roles, catalog.roles)
        and not person.extra_responsibilities and not person.dropped_responsibilities
        and (person.capacity_hours is None or 0 < person.capacity_hours <= MAX_HOURS)
        and (person.cost is None or 0 <= person.cost <= MAX_COST)
        and (person.archetype is None or person.archetype in ARCHETYPES)
    )


def _distinct_and_known(ids: tuple[str, ...], known: Mapping[str, object]) -> bool:
    """Whether ids name nothing twice and only what is known."""
    distinct = set(ids)
    return len(distinct) == len(ids) and distinct <= known.keys()


def _plain_dotted_lines(org: Org, person: Person) -> bool:
    """Dotted lines to distinct people of the org, neither oneself nor the solid-line manager."""
    dotted = person.dotted_managers
    solid = org.manager_of(person.id) if person.id in org else None
    return len(set(dotted)) == len(dotted) and all(
        manager in org and manager not in (person.id, solid) for manager in dotted)


def check_person(plan: Plan, org: Org, person: Person) -> Iterator[Violation]:
    """A person's fields must be sane and every id they name must exist."""
    if not plainly_valid(plan, org, person):
        yield from person_violations(plan, org, person)


def person_violations(plan: Plan, org: Org, person: Person) -> Iterator[Violation]:
    """Every rule a person breaks (the full check behind check_person)."""
    what = f"person {person.id!r}"
    yield from check_id(person.id, "person")
    yield from person_field_violations(person, what)
    yield from _check_refs(person.roles, plan.catalog.roles, what, "role", "roles")
    for key in ("extra_responsibilities", "dropped_responsibilities"):
        yield from _check_refs(getattr(person, key), plan.catalog.responsibilities, what, "responsibility", key)
    yield from check_dotted_lines(org, person)


def person_field_violations(person: Person, what: str) -> Iterator[Violation]:
    """The rules of a person's own fields (name, title, notes, capacity, archetype, cost), as a form checks them."""
    yield from check_text(person.name, f"the name of {what}", "name", required=True)
    yield from check_text(person.title, f"the title of {what}", "title")
    yield from check_text(person.notes, f"the notes of {what}", "notes", multiline=True)
    if person.capacity_hours is not None:
        yield from check_number(person.capacity_hours, f"the capacity of {what}", "capacity_hours", 0, MAX_HOURS, low_open=True)
    if person.archetype is not None and person.archetype not in ARCHETYPES:
        yield Violation(BoundsError, f"{what} has unknown archetype {person.archetype!r}",
                        f"use one of: {', '.join(ARCHETYPES)}", "archetype")
    if person.cost is not None:
        yield from check_number(person.cost, f"the cost of {what}", "cost", 0, MAX_COST)


def _check_refs(ids: tuple[str, ...], known: Mapping[str, object], what: str, noun: str, key: str) -> Iterator[Violation]:
    yield from check_unique(ids, f"{key} of {what}", key)
    for item in ids:
        if item not in known:
            near = difflib.get_close_matches(item, known, n=1)
            hint = f"did you mean {near[0]!r}?" if near else f"pick a {noun} from the catalog or add it there"
            yield Violation(UnknownIdError, f"{what} names unknown {noun} {item!r} in {key}", hint, key)


def check_dotted_lines(org: Org, person: Person) -> Iterator[Violation]:
    """Dotted lines point at other people, never at oneself or the solid-line manager."""
    what = f"person {person.id!r}"
    yield from check_unique(person.dotted_managers, f"the dotted lines of {what}", "dotted_managers")
    solid = org.manager_of(person.id) if person.id in org else None
    for manager in person.dotted_managers:
        if manager == person.id:
            yield Violation(BoundsError, f"{what} has a dotted line to themselves", "remove it", "dotted_managers")
        elif manager not in org:
            yield Violation(UnknownIdError, f"{what} has a dotted line to unknown person {manager!r}",
                            "name someone in this scenario", "dotted_managers")
        elif manager == solid:
            yield Violation(BoundsError, f"{what} has a dotted line that repeats their solid line to {manager!r}",
                            "remove the dotted line", "dotted_managers")


def check_reporting_line(org: Org, person_id: str, manager_id: str | None) -> Iterator[Violation]:
    """A new solid line must point at a known person and make no loop."""
    if manager_id is None:
        return
    if manager_id not in org:
        yield Violation(UnknownIdError, f"person {person_id!r} reports to unknown person {manager_id!r}",
                        "name someone in this scenario as manager", "manager")
    elif manager_id == person_id or person_id in org.chain_of_command(manager_id):
        yield Violation(CycleError, f"{person_id!r} reporting to {manager_id!r} would make a loop",
                        f"{manager_id!r} is already in {person_id!r}'s team; pick someone outside it", "manager")


def find_cycles(org: Org) -> list[list[str]]:
    """Every reporting loop in a scenario, each as its ids in reporting order.

    With at most one manager each, everyone outside the trees below the roots hangs under
    a loop; walking up from them finds each loop once, in time linear in the org.
    """
    below_roots = org.below_roots()
    if len(below_roots) == len(org):
        return []
    placed = set(below_roots)
    cycles: list[list[str]] = []
    for start in org:
        path: dict[str, int] = {}
        node: str | None = start
        while node is not None and node not in placed and node not in path:
            path[node] = len(path)
            node = org.manager_of(node)
        if node is not None and node in path:
            walk = list(path)[path[node]:]
            cycles.append(list(reversed(walk)))
        placed.update(path)
    return cycles


def cycle_violation(cycle: list[str]) -> Violation:
    """The violation that names the people of one reporting loop."""
    loop = " -> ".join([*cycle, cycle[0]])
    return Violation(CycleError, f"reporting lines make a loop: {loop}",
                     "give one of these people a manager outside the loop (or none)", "manager")


def users_of_responsibility(plan: Plan, item_id: str) -> list[str]:
    """Who or what still names a responsibility: roles and people, as words."""
    users = [f"role {role.id!r}" for role in plan.catalog.roles.values() if item_id in role.responsibilities]
    for name, org in plan.scenarios.items():
        users += [f"{person.id!r} in {name!r}" for person in org.people()
                  if item_id in person.extra_responsibilities or item_id in person.dropped_responsibilities]
    return users


def users_of_role(plan: Plan, role_id: str) -> list[str]:
    """Who or what still names a role: combining roles and people, as words."""
    users = [f"role {role.id!r}" for role in plan.catalog.roles.values() if role_id in role.combines]
    for name, org in plan.scenarios.items():
        users += [f"{person.id!r} in {name!r}" for person in org.people() if role_id in person.roles]
    return users
