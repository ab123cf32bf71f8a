"""Scenario edits, and the what-ifs: merge two people's roles into one, or split one person's roles in two."""

from __future__ import annotations

from dataclasses import dataclass, replace

from planner.model.catalog import Catalog, Role
from planner.model.edits import (
    AddPerson,
    Batch,
    Edit,
    MovePerson,
    RemovePerson,
    UpdatePerson,
)
from planner.model.errors import (
    BoundsError,
    DuplicateIdError,
    InvariantError,
    UnknownIdError,
)
from planner.model.org import Org, Person
from planner.model.plan import Plan
from planner.model.rules import check_text, raise_first
from planner.model.text import slugify

FATES = {"leave": "leaves the org", "vacancy": "becomes an open position", "ic": "stays as an individual contributor"}


def _check_new_name(plan: Plan, name: str) -> None:
    raise_first(check_text(name, "the scenario's name", "name", required=True))
    if name in plan.scenarios:
        raise DuplicateIdError(f"a scenario named {name!r} already exists", "choose another name")


def _with_scenario_at(plan: Plan, name: str, org: Org, index: int) -> None:
    items = list(plan.scenarios.items())
    items.insert(index, (name, org))
    plan.scenarios = dict(items)


@dataclass(frozen=True)
class AddScenario(Edit):
    """Add a scenario: a copy of `source`, or an empty org when source is None."""

    name: str
    source: str | None = None

    @property
    def scenario_changed(self) -> str | None:
        return self.name

    @property
    def label(self) -> str:
        return f"add scenario {self.name}"

    def apply(self, plan: Plan) -> Edit:
        _check_new_name(plan, self.name)
        org = plan.scenario(self.source).copy() if self.source is not None else Org()
        plan.scenarios[self.name] = org
        return RemoveScenario(self.name)


@dataclass(frozen=True)
class RemoveScenario(Edit):
    """Remove a scenario (never the last one)."""

    name: str

    @property
    def label(self) -> str:
        return f"remove scenario {self.name}"

    def apply(self, plan: Plan) -> Edit:
        org = plan.scenario(self.name)
        if len(plan.scenarios) == 1:
            raise InvariantError("a plan keeps at least one scenario", "add another scenario before removing this one")
        index = list(plan.scenarios).index(self.name)
        del plan.scenarios[self.name]
        return RestoreScenario(self.name, org, index)


@dataclass(frozen=True)
class RestoreScenario(Edit):
    """Put a removed scenario back where it was (the inverse of RemoveScenario)."""

    name: str
    org: Org
    index: int

    @property
    def scenario_changed(self) -> str | None:
        return self.name

    @property
    def label(self) -> str:
        return f"restore scenario {self.name}"

    def apply(self, plan: Plan) -> Edit:
        _check_new_name(plan, self.name)
        _with_scenario_at(plan, self.name, self.org, self.index)
        return RemoveScenario(self.name)


@dataclass(frozen=True)
class RenameScenario(Edit):
    """Rename a scenario, keeping its place in the plan."""

    old: str
    new: str

    @property
    def scenario_changed(self) -> str | None:
        return self.new

    @property
    def label(self) -> str:
        return f"rename scenario {self.old} to {self.new}"

    def apply(self, plan: Plan) -> Edit:
        org = plan.scenario(self.old)
        _check_new_name(plan, self.new)
        index = list(plan.scenarios).index(self.old)
        del plan.scenarios[self.old]
        _with_scenario_at(plan, self.new, org, index)
        return RenameScenario(self.new, self.old)


def _combined_role(catalog: Catalog, parts: set[str]) -> str | None:
    """The catalog role that combines exactly these plain roles, if there is one."""
    return next((role.id for role in catalog.roles.values() if role.combines and set(role.combines) == parts), None)


def _roles_for(catalog: Catalog, roles: list[str]) -> tuple[str, ...]:
    """Roles in order without repeats, manager parts folded into a combining role where the catalog has one."""
    unique = list(dict.fromkeys(roles))
    parts = [r for r in unique if catalog.roles[r].manager and not catalog.roles[r].combines]
    combined = _combined_role(catalog, set(parts)) if len(parts) > 1 else None
    if combined is None:
        return tuple(unique)
    return tuple([combined] + [r for r in unique if r not in parts and r != combined])


def _title_for(catalog: Catalog, person: Person, roles: tuple[str, ...]) -> str:
    """A title that follows the roles when the person's title was just their old role's name."""
    role_titles = {catalog.roles[role].title for role in person.roles}
    return catalog.roles[roles[0]].title if roles and person.title in role_titles else person.title


def _contributor_role(catalog: Catalog, function: str) -> str | None:
    """A non-manager role of the function (the first by id), for a manager who becomes a contributor."""
    return next((role.id for role in sorted(catalog.roles.values(), key=lambda r: r.id)
                 if not role.manager and not role.combines and role.function == function), None)


def _target(plan: Plan, scenario: str, into: str | None) -> tuple[list[Edit], str]:
    """The edit that creates the new scenario (if any), and the scenario the what-if edits."""
    if into is None:
        return [], scenario
    _check_new_name(plan, into)
    return [AddScenario(into, scenario)], into


def merge_roles(plan: Plan, scenario: str, keeper_id: str, other_id: str, fate: str, into: str | None = None) -> Batch:
    """One edit: the keeper takes the other's roles and reports; the other leaves, becomes a vacancy, or an IC."""
    if fate not in FATES:
        raise BoundsError(f"unknown fate {fate!r}", f"use one of: {', '.join(FATES)}")
    org = plan.scenario(scenario)
    for person_id in (keeper_id, other_id):
        if person_id not in org:
            raise UnknownIdError(f"no person with id {person_id!r}", "pick someone in this scenario")
    if keeper_id == other_id:
        raise BoundsError("pick two different people to merge", "choose a second person")
    keeper, other = org.person(keeper_id), org.person(other_id)
    edits, target = _target(plan, scenario, into)
    if other_id in org.chain_of_command(keeper_id):
        edits.append(MovePerson(target, keeper_id, org.manager_of(other_id)))
    catalog = plan.catalog
    taken = [role for role in other.roles if catalog.roles[role].manager]
    roles = _roles_for(catalog, [*keeper.roles, *taken])
    merged = replace(
        keeper,
        roles=roles,
        title=_title_for(catalog, keeper, roles),
        extra_responsibilities=tuple(dict.fromkeys([*keeper.extra_responsibilities, *other.extra_responsibilities])),
    )
    edits.append(UpdatePerson(target, merged, "merge roles into"))
    edits += [MovePerson(target, report, keeper_id) for report in org.reports(other_id) if report != keeper_id]
    edits += _fate_edits(plan, target, other, keeper_id, taken, fate)
    return Batch(tuple(edits), f"merge {other.name} into {keeper.name}")


def _fate_edits(plan: Plan, scenario: str, other: Person, keeper_id: str, taken: list[str], fate: str) -> list[Edit]:
    if fate == "leave":
        return [RemovePerson(scenario, other.id)]
    catalog = plan.catalog
    kept = [role for role in other.roles if role not in taken]
    functions = sorted({part.function for role in taken for part in catalog.parts(role)})
    if not kept:
        kept = [role for function in functions if (role := _contributor_role(catalog, function)) is not None][:1]
    changed = replace(other, roles=tuple(kept), title=_title_for(catalog, other, tuple(kept)),
                      extra_responsibilities=(), dropped_responsibilities=(),
                      vacant=fate == "vacancy", dotted_managers=tuple(m for m in other.dotted_managers if m != keeper_id))
    return [UpdatePerson(scenario, changed, "change role of"), MovePerson(scenario, other.id, keeper_id)]


def split_parts(catalog: Catalog, person: Person) -> list[Role]:
    """The manager roles a split could hand over, or InvariantError when the person holds no merged role."""
    if len(catalog.managed_functions(person.roles)) < 2:
        raise InvariantError(f"{person.name} does not hold manager roles of two functions: nothing to split",
                             "split a merged role, such as a sales and marketing manager")
    return catalog.manager_parts(person.roles)


def split_role(plan: Plan, scenario: str, person_id: str, part_id: str, new_name: str = "",
               into: str | None = None) -> Batch:
    """One edit: a new person (a vacancy when unnamed) takes one of the person's manager roles and its reports."""
    org = plan.scenario(scenario)
    if person_id not in org:
        raise UnknownIdError(f"no person with id {person_id!r}", "pick someone in this scenario")
    person = org.person(person_id)
    catalog = plan.catalog
    parts = split_parts(catalog, person)
    handed = next((part for part in parts if part.id == part_id), None)
    if handed is None:
        raise UnknownIdError(f"{person.name} does not hold the role {part_id!r}",
                             f"use one of: {', '.join(part.id for part in parts)}")
    edits, target = _target(plan, scenario, into)
    kept_parts = [part.id for part in parts if part.id != part_id]
    plain = [role for role in person.roles if not catalog.roles[role].manager]
    roles = _roles_for(catalog, [*kept_parts, *plain])
    staying = replace(person, roles=roles, title=_title_for(catalog, person, roles))
    newcomer = Person(
        id=slugify(handed.title, set(org) | {person_id}), name=new_name.strip() or f"Open: {handed.title}",
        title=handed.title, roles=(handed.id,), vacant=not new_name.strip(),
    )
    edits.append(UpdatePerson(target, staying, "split role of"))
    edits.append(AddPerson(target, newcomer, org.manager_of(person_id)))
    for report in org.reports(person_id):
        functions = {f for role in org.person(report).roles for f in catalog.role_functions(role)}
        if handed.function in functions:
            edits.append(MovePerson(target, report, newcomer.id))
    return Batch(tuple(edits), f"split {handed.title} from {person.name}")
