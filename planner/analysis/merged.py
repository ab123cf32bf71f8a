"""The merged role: one person holding manager roles of two functions, set against the split."""

from __future__ import annotations

from dataclasses import dataclass

from planner.analysis import sources
from planner.analysis.load import Band, HeldResponsibility, Load, band_for
from planner.model.catalog import Role
from planner.model.org import Org, Person
from planner.model.plan import Plan


@dataclass(frozen=True)
class PartLoad:
    """What one of the merged roles would carry if someone held it alone."""

    role_id: str
    role_title: str
    function: str
    responsibilities: int
    responsibility_hours: float
    reports: int
    management_hours: float
    demand_hours: float
    utilisation: float
    band: Band


@dataclass(frozen=True)
class MergedRole:
    """A merged role's load against what each separate role would carry, and what a split changes."""

    person_id: str
    name: str
    functions: tuple[str, ...]
    parts: tuple[PartLoad, ...]
    demand_hours: float
    band: Band
    span: int
    shared_responsibilities: tuple[str, ...]
    shared_hours: float
    switching_hours: float
    verdict: str
    source: str = sources.MERGED


def manager_parts(plan: Plan, person: Person) -> list[Role]:
    """The plain manager roles a person holds, combined roles expanded."""
    parts: dict[str, Role] = {}
    for role_id in person.roles:
        if plan.catalog.roles[role_id].manager:
            for part in plan.catalog.parts(role_id):
                parts.setdefault(part.id, part)
    return list(parts.values())


def merged_functions(plan: Plan, person: Person) -> tuple[str, ...]:
    """The distinct functions of a person's manager roles (two or more make a merged role)."""
    return tuple(sorted({part.function for part in manager_parts(plan, person)}))


def merged_role(plan: Plan, org: Org, person: Person, load: Load) -> MergedRole | None:
    """The merged-role comparison for a person, or None if they do not hold a merged role."""
    parts = manager_parts(plan, person)
    if len({part.function for part in parts}) < 2:
        return None
    split = _split_responsibilities(plan, parts, load.responsibilities)
    reports_by_part = _split_reports(plan, org, person.id, parts)
    capacity = load.capacity_hours
    part_loads = []
    for part in parts:
        held = split[part.id]
        hours = sum(item.hours for item in held)
        management = len(reports_by_part[part.id]) * plan.settings.hours_per_report
        demand = hours + management
        part_loads.append(PartLoad(
            part.id, part.title, part.function, len(held), hours, len(reports_by_part[part.id]), management,
            demand, demand / capacity, band_for(demand / capacity, plan.settings),
        ))
    shared = sorted(set.intersection(*({item.id for item in split[part.id]} for part in parts)))
    shared_hours = sum(plan.catalog.responsibilities[item].hours for item in shared) * (len(parts) - 1)
    switching = load.factors[2].hours
    return MergedRole(
        person.id, person.name, tuple(sorted({part.function for part in parts})), tuple(part_loads),
        load.demand_hours, load.band, org.span(person.id), tuple(shared), shared_hours, switching,
        _verdict(person, load, part_loads, shared_hours, switching),
    )


def _split_responsibilities(
    plan: Plan, parts: list[Role], held: tuple[HeldResponsibility, ...],
) -> dict[str, list[HeldResponsibility]]:
    """Give each held responsibility to the parts whose role bundles it, else by function, else the first."""
    split: dict[str, list[HeldResponsibility]] = {part.id: [] for part in parts}
    for item in held:
        owners = [part for part in parts if item.id in part.responsibilities]
        owners = owners or [part for part in parts if part.function == item.function] or parts[:1]
        for part in owners:
            split[part.id].append(item)
    return split


def _split_reports(plan: Plan, org: Org, person_id: str, parts: list[Role]) -> dict[str, list[str]]:
    """Give each direct report to the part of their function; others stay with the first part."""
    split: dict[str, list[str]] = {part.id: [] for part in parts}
    for report in org.reports(person_id):
        functions = set().union(*(plan.catalog.role_functions(r) for r in org.person(report).roles))
        owner = next((part for part in parts if part.function in functions), parts[0])
        split[owner.id].append(report)
    return split


def _verdict(person: Person, load: Load, parts: list[PartLoad], shared_hours: float, switching: float) -> str:
    """One sentence a consultant can read out: the merged load, the split loads, and the difference."""
    split = " and ".join(f"{part.role_title.lower()} {part.demand_hours:.1f} h ({part.band.value})" for part in parts)
    return (
        f"{person.name} carries {load.demand_hours:.1f} h as one person ({load.utilisation:.0%}, {load.band.value}). "
        f"Split, the roles would carry {split}: merging adds {switching:.1f} h of switching and "
        f"saves {shared_hours:g} h of duties the roles share."
    )
