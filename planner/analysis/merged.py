"""The merged role: one person holding manager roles of two functions, set against the split."""

from __future__ import annotations

from dataclasses import dataclass

from planner.analysis import sources
from planner.analysis.load import Band, HeldResponsibility, Load, LoadRange, band_for, counterpart, load_range
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
    coordination_hours: float
    demand_hours: float
    utilisation: float
    band: Band
    range: LoadRange


@dataclass(frozen=True)
class MergedRole:
    """A merged role's load against what each separate role would carry, and what a split changes."""

    person_id: str
    name: str
    vacant: bool
    functions: tuple[str, ...]
    parts: tuple[PartLoad, ...]
    demand_hours: float
    band: Band
    range: LoadRange
    span: int
    shared_responsibilities: tuple[str, ...]
    shared_hours: float
    switching_hours: float
    coordination_hours: float
    verdict: str
    source: str = sources.MERGED


def merged_role(plan: Plan, org: Org, person: Person, load: Load, managed: frozenset[str]) -> MergedRole | None:
    """The merged-role comparison for a person, or None if they do not hold a merged role.

    `managed` holds the paired functions someone in the scenario manages (see load.counterpart).
    """
    parts = plan.catalog.manager_parts(person.roles)
    functions = frozenset(part.function for part in parts)
    if len(functions) < 2:
        return None
    split = _split_responsibilities(plan, parts, load.responsibilities)
    reports_by_part = _split_reports(plan, org, person.id, parts)
    part_loads = [
        _part_load(plan, part, split[part.id], len(reports_by_part[part.id]), load.capacity_hours,
                   counterpart(frozenset({part.function}), managed | functions))
        for part in parts
    ]
    shared = sorted(set.intersection(*({item.id for item in split[part.id]} for part in parts)))
    shared_hours = sum(plan.catalog.responsibilities[item].hours for item in shared) * (len(parts) - 1)
    switching, coordination = load.switching.hours, load.coordination.hours
    saved_coordination = sum(part.coordination_hours for part in part_loads) - coordination
    return MergedRole(
        person.id, person.name, person.vacant, tuple(sorted(functions)), tuple(part_loads),
        load.demand_hours, load.band, load.range, org.span(person.id), tuple(shared), shared_hours, switching,
        saved_coordination, _verdict(person, load, part_loads, shared_hours, switching, saved_coordination),
    )


def _part_load(
    plan: Plan, part: Role, held: list[HeldResponsibility], reports: int, capacity: float, partner: str | None,
) -> PartLoad:
    """One role held alone: its responsibilities, the reports of its function, coordination with the other."""
    settings = plan.settings
    hours = sum(item.hours for item in held)
    management = reports * sum(item.hours_per_report for item in held)
    coordination = settings.coordination_hours if partner is not None else 0.0
    demand = hours + management + coordination
    return PartLoad(
        part.id, part.title, part.function, len(held), hours, reports, management, coordination, demand,
        demand / capacity, band_for(demand, capacity, settings), load_range(demand, capacity, settings),
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


def _part_text(part: PartLoad, spread: bool) -> str:
    """A role held alone in a few words: hours, band, and its range, with the band at an end that differs."""
    if not spread:
        return f"{part.role_title.lower()} {part.demand_hours:.1f} h ({part.band.value})"
    ends = [f"{band.value} at the {end} end" for band, end in ((part.range.low_band, "low"),
                                                                (part.range.high_band, "high")) if band is not part.band]
    return (f"{part.role_title.lower()} {part.demand_hours:.1f} h ({part.band.value}; "
            f"{part.range.low_hours:.0f}-{part.range.high_hours:.0f} h{''.join(', ' + end for end in ends)})")


def _verdict(
    person: Person, load: Load, parts: list[PartLoad], shared_hours: float, switching: float, coordination: float,
) -> str:
    """One sentence a consultant can read out: the merged load and its range, the split loads, the difference."""
    if person.vacant:
        subject = f"The open position {person.name} holds both roles; whoever fills it would be"
    else:
        subject = f"{person.name}, holding both roles, is"
    spread = load.range.low_hours != load.range.high_hours
    split = " and ".join(_part_text(part, spread) for part in parts)
    saves = f"saves {shared_hours:g} h of duties the roles share"
    if coordination:
        saves += f" and {coordination:g} h of coordination between the separate managers"
    return (
        f"{subject} {load.verdict}. "
        f"Split, the roles would carry {split}: merging adds {switching:.1f} h of switching and {saves}."
    )
