"""When to split: the team size at which a role enters each band, for a merged role and for its roles held alone.

Each figure comes from the analysis' own load function (`person_load`) at growing team sizes, so
whatever counts towards a person's load (team duties per report, switching, coordination) counts
here too; the range is the same load with every assumed hour off by the plan's spread.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from planner.analysis.load import Band, HeldResponsibility, Load, person_load
from planner.model.catalog import Role
from planner.model.org import Person
from planner.model.plan import Plan
from planner.model.settings import Settings

LIMIT_BANDS = (Band.STRETCHED, Band.OVERLOADED, Band.CRITICAL)
MAX_REPORTS = 1000  # team sizes beyond this are not searched: "not within 1,000 reports"


@dataclass(frozen=True)
class Crossing:
    """The team size (direct reports) at which a role enters a band or a worse one; None: not within MAX_REPORTS.

    `with_hours_less` and `with_hours_more`: the same with every assumed hour the plan's spread lower
    (the band comes later) or higher (it comes sooner).
    """

    reports: int | None
    with_hours_less: int | None
    with_hours_more: int | None


@dataclass(frozen=True)
class PartCrossing:
    """A role held alone and the team size at which it enters a band."""

    role_id: str
    role_title: str
    crossing: Crossing


@dataclass(frozen=True)
class BandLimit:
    """One band: where it starts, and the team size at which the merged role and each role alone enter it."""

    band: Band
    from_hours: float
    merged: Crossing
    parts: tuple[PartCrossing, ...]


def crossings(plan: Plan, person: Person, held: tuple[HeldResponsibility, ...], partner: str | None,
              ) -> dict[Band, Crossing]:
    """For each band from stretched up, the team size at which someone with the person's week holding `held` enters it."""
    return _crossings(plan.settings, plan.capacity_of(person), held, partner)


@functools.lru_cache(maxsize=1024)
def _crossings(settings: Settings, capacity: float, held: tuple[HeldResponsibility, ...], partner: str | None,
               ) -> dict[Band, Crossing]:
    """The crossings of a role, which depend only on these (roles held the same way share them)."""
    plan, holder = Plan("", settings=settings, scenarios={}), Person("holder", "holder", capacity_hours=capacity)
    loads: dict[int, Load] = {}

    def load_at(reports: int) -> Load:
        if reports not in loads:
            loads[reports] = person_load(plan, holder, reports, held, partner)
        return loads[reports]

    return {band: Crossing(
        _first(lambda n: load_at(n).band.rank >= band.rank),
        _first(lambda n: load_at(n).range.low_band.rank >= band.rank),
        _first(lambda n: load_at(n).range.high_band.rank >= band.rank),
    ) for band in LIMIT_BANDS}


def _first(reached: Callable[[int], bool]) -> int | None:
    """The smallest team size at which `reached` holds (it holds for every larger one too), or None.

    Doubling from one report, then halving the last gap: teams are small, so few loads are worked out.
    """
    if reached(0):
        return 0
    low, high = 0, 1
    while not reached(high):
        if high >= MAX_REPORTS:
            return None
        low, high = high, min(2 * high, MAX_REPORTS)
    return low + 1 + bisect.bisect_left(range(low + 1, high), True, key=reached)


def split_at(
    plan: Plan, person: Person, held: tuple[HeldResponsibility, ...], partner: str | None,
    parts: Sequence[tuple[Role, tuple[HeldResponsibility, ...], str | None]],
) -> tuple[BandLimit, ...]:
    """One entry per band: where the merged role (holding `held`) and each part alone (role, share, partner) enter it."""
    merged = crossings(plan, person, held, partner)
    alone = [(role, crossings(plan, person, part_held, part_partner)) for role, part_held, part_partner in parts]
    capacity = plan.capacity_of(person)
    edges = {Band.STRETCHED: capacity, Band.OVERLOADED: plan.settings.overloaded_hours,
             Band.CRITICAL: plan.settings.critical_hours}
    return tuple(
        BandLimit(band, edges[band], merged[band],
                  tuple(PartCrossing(role.id, role.title, found[band]) for role, found in alone))
        for band in LIMIT_BANDS
    )


def _count(reaches: int | None) -> str:
    """The largest team that stays below a band: "3", "none" (not even with no reports) or "any"."""
    if reaches is None:
        return "any"
    return "none" if reaches == 0 else str(reaches - 1)


def _ends(crossing: Crossing) -> str | None:
    """The range of the largest team below a band across the spread ("2-5"), or None when it is one figure."""
    more, less = _count(crossing.with_hours_more), _count(crossing.with_hours_less)
    if more == less == _count(crossing.reports):
        return None
    return f"{more}-{less}" if more.isdigit() and less.isdigit() else f"{more} to {less}"


def _merged_text(limit: BandLimit, spread: float) -> str:
    crossing, edge = limit.merged, f"{limit.from_hours:g} h"
    if crossing.reports is None:
        text = f"the merged role stays below {edge} whatever the team size"
    elif crossing.reports == 0:
        text = f"the merged role is at {edge} or more even with no reports"
    else:
        text = f"the merged role stays below {edge} up to {_count(crossing.reports)} reports"
    ends = _ends(crossing)
    return text + (f" ({ends} with the hours {spread:.0%} off)" if ends else "")


def _parts_text(limit: BandLimit, spread: float) -> str:
    counts = [_count(part.crossing.reports) for part in limit.parts]
    ends = [_ends(part.crossing) for part in limit.parts]
    text = f"the separate roles stay ok up to {' and '.join(counts)} reports"
    if any(ends):
        text += f" ({' and '.join(end or count for end, count in zip(ends, counts))} with the hours {spread:.0%} off)"
    return text


def split_summary(limits: tuple[BandLimit, ...], spread: float) -> str:
    """The sentence to read out: how big a team the merged role carries below the health limit, and the roles alone ok."""
    by_band = {limit.band: limit for limit in limits}
    return f"{_merged_text(by_band[Band.OVERLOADED], spread)}; {_parts_text(by_band[Band.STRETCHED], spread)}"
