"""Demand, capacity and load band of one person, each figure with its reason and source."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from enum import Enum

from planner.analysis import sources
from planner.model.catalog import PAIRED_FUNCTIONS, SHARED_FUNCTION
from planner.model.org import Person
from planner.model.plan import Plan
from planner.model.settings import Settings


class Band(str, Enum):
    """How a person's demand sits against their contract and the health limits."""

    OK = "ok"
    STRETCHED = "stretched"
    OVERLOADED = "overloaded"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """0 for ok up to 3 for critical."""
        return _RANKS[self]


_RANKS = {band: rank for rank, band in enumerate(Band)}


@dataclass(frozen=True)
class Factor:
    """One term of a person's demand: its hours, how they were reached, and their source.

    `applies` is False when the term does not concern the person (no reports, one function, ...).
    """

    name: str
    hours: float
    detail: str
    source: str
    assumption: bool
    applies: bool = True


@dataclass(frozen=True)
class HeldResponsibility:
    """A responsibility a person holds, with the figures that count towards their load."""

    id: str
    title: str
    function: str
    hours: float
    hours_per_report: float = 0.0


@dataclass(frozen=True)
class LoadRange:
    """Demand and band with every assumed hour off by the plan's spread, and how far they may be off.

    `breakeven_share`: the share by which all assumed hours would have to fall for the person to
    leave their band (None when ok); `rise_share`: the share by which they would have to rise for
    the person to reach a worse band (None when critical).
    """

    low_hours: float
    high_hours: float
    low_band: Band
    high_band: Band
    breakeven_share: float | None
    rise_share: float | None

    @property
    def bands_text(self) -> str:
        """The band at each end: "overloaded to critical", or one band when both ends agree."""
        if self.low_band is self.high_band:
            return self.low_band.value
        return f"{self.low_band.value} to {self.high_band.value}"


@dataclass(frozen=True)
class Load:
    """A person's weekly demand against their capacity, explained factor by factor."""

    responsibilities: tuple[HeldResponsibility, ...]
    functions: tuple[str, ...]
    main_function: str | None
    factors: tuple[Factor, ...]
    demand_hours: float
    capacity_hours: float
    capacity_is_default: bool
    utilisation: float
    band: Band
    band_reason: str
    range: LoadRange
    robustness: str
    verdict: str
    notes: tuple[str, ...] = ()

    @property
    def responsibility(self) -> Factor:
        """The fixed hours of the distinct responsibilities held."""
        return self.factors[0]

    @property
    def team_duties(self) -> Factor:
        """The hours of the duties that grow with the team, at this person's span."""
        return self.factors[1]

    @property
    def switching(self) -> Factor:
        """The cost of switching between functions."""
        return self.factors[2]

    @property
    def coordination(self) -> Factor:
        """A split manager's coordination with the manager of the paired function."""
        return self.factors[3]


def band_for(hours: float, capacity: float, settings: Settings) -> Band:
    """The band of a weekly demand: the health limits in absolute hours, stretched above the person's own week."""
    if hours >= settings.critical_hours:
        return Band.CRITICAL
    if hours >= settings.overloaded_hours:
        return Band.OVERLOADED
    if hours > capacity:
        return Band.STRETCHED
    return Band.OK


def band_reason(band: Band, capacity: float, settings: Settings) -> str:
    """What a band means for this person, with its threshold and source."""
    if band is Band.CRITICAL:
        return f"critical from {settings.critical_hours:g} h a week whatever the contract: {sources.CRITICAL}"
    if band is Band.OVERLOADED:
        return f"overloaded from {settings.overloaded_hours:g} h a week whatever the contract: {sources.OVERLOADED}"
    if band is Band.STRETCHED:
        return (f"stretched: {sources.STRETCHED} ({capacity:g} h), below the {settings.overloaded_hours:g} h "
                "where overload starts")
    return f"ok: within the person's own {capacity:g} h week"


def _edge(band: Band, capacity: float, settings: Settings) -> float:
    """The demand at which a band starts."""
    return {Band.STRETCHED: capacity, Band.OVERLOADED: settings.overloaded_hours,
            Band.CRITICAL: settings.critical_hours}[band]


def _next_band(band: Band, capacity: float, settings: Settings) -> Band | None:
    """The worse band that more demand reaches first, or None from critical."""
    worse = [other for other in Band if other.rank > band.rank]
    return min(worse, key=lambda other: (_edge(other, capacity, settings), -other.rank), default=None)


def load_range(demand: float, capacity: float, settings: Settings) -> LoadRange:
    """Demand and band at both ends of the spread, and the break-even shares.

    Every term of demand is proportional to the assumed hours (switching is a share of them), so
    scaling the assumed hours scales demand by the same factor.
    """
    spread = settings.assumption_spread
    low, high = demand * (1 - spread), demand * (1 + spread)
    band = band_for(demand, capacity, settings)
    breakeven = None if band is Band.OK else max(0.0, 1 - _edge(band, capacity, settings) / demand)
    worse = _next_band(band, capacity, settings)
    rise = None if worse is None or demand <= 0 else max(0.0, _edge(worse, capacity, settings) / demand - 1)
    return LoadRange(low, high, band_for(low, capacity, settings), band_for(high, capacity, settings), breakeven, rise)


def percent_beyond(share: float) -> int:
    """The smallest whole per cent strictly above a share: enough to cross the edge it measures."""
    return math.floor(share * 100 + 1e-9) + 1


_FEW_WORDS = {Band.OK: "ok", Band.STRETCHED: "over contract", Band.OVERLOADED: "overloaded",
              Band.CRITICAL: "critical"}


def range_text(low: float, high: float, spread: float) -> str:
    """The spread of a demand as people say it: "52-86 h if the assumed hours are 25% off"."""
    if not spread:
        return "no spread assumed"
    return f"{low:.0f}-{high:.0f} h if the assumed hours are {spread:.0%} off"


def robustness_text(band: Band, demand: float, capacity: float, demand_range: LoadRange, settings: Settings) -> str:
    """How far the assumed hours may be wrong before the band changes, in words."""
    parts = []
    if demand_range.breakeven_share is not None:
        parts.append(f"stays {_FEW_WORDS[band]} unless duties take {percent_beyond(demand_range.breakeven_share)}% "
                     "less time than assumed")
        if band is Band.CRITICAL and settings.overloaded_hours < settings.critical_hours:
            below = percent_beyond(1 - settings.overloaded_hours / demand)
            parts[-1] += f", and at least overloaded unless {below}% less"
    worse = _next_band(band, capacity, settings)
    if demand_range.rise_share is not None and worse is not None:
        subject = "if they take" if parts else "if duties take"
        ending = "" if parts else " time than assumed"
        parts.append(f"{_FEW_WORDS[worse]} {subject} {percent_beyond(demand_range.rise_share)}% more{ending}")
    return "; ".join(parts)


def verdict_text(band: Band, demand: float, capacity: float, demand_range: LoadRange, robustness: str,
                 spread: float) -> str:
    """The verdict in one sentence: band, hours, range and how robust it is."""
    head = (f"{band.value}: {demand:.1f} h a week against {capacity:g} h ({demand / capacity:.0%}; "
            f"{range_text(demand_range.low_hours, demand_range.high_hours, spread)})")
    return f"{head}; {robustness}" if robustness else head


def held_responsibilities(plan: Plan, person: Person) -> tuple[HeldResponsibility, ...]:
    """The distinct responsibilities a person holds, sorted by function and id."""
    items = (plan.catalog.responsibilities[item_id] for item_id in plan.responsibilities_of(person))
    return tuple(sorted(
        (HeldResponsibility(item.id, item.title, item.function, item.hours, item.hours_per_report) for item in items),
        key=lambda held: (held.function, held.id),
    ))


def working_functions(held: tuple[HeldResponsibility, ...]) -> tuple[str, ...]:
    """The functions a person works across; management is part of every function, not one more."""
    return tuple(sorted({item.function for item in held} - {SHARED_FUNCTION}))


def hours_by_function(held: tuple[HeldResponsibility, ...]) -> dict[str, float]:
    """Fixed hours per function, most hours first (ties by name)."""
    totals: dict[str, float] = defaultdict(float)
    for item in held:
        totals[item.function] += item.hours
    return dict(sorted(totals.items(), key=lambda pair: (-pair[1], pair[0])))


def main_function(held: tuple[HeldResponsibility, ...]) -> str | None:
    """The function with the most fixed hours (management aside), or None."""
    return next((function for function in hours_by_function(held) if function != SHARED_FUNCTION), None)


def counterpart(manages: frozenset[str], managed: frozenset[str]) -> str | None:
    """The paired function whose manager someone managing only the other must coordinate with, if any."""
    own = manages & set(PAIRED_FUNCTIONS)
    if len(own) != 1:
        return None
    (other,) = set(PAIRED_FUNCTIONS) - own
    return other if other in managed else None


def person_load(
    plan: Plan, person: Person, span: int, held: tuple[HeldResponsibility, ...] | None = None,
    partner: str | None = None,
) -> Load:
    """The person's demand (responsibilities, team duties, switching, coordination) against their capacity.

    `partner` is the paired function whose manager they coordinate with (see `counterpart`).
    """
    settings = plan.settings
    held = held_responsibilities(plan, person) if held is None else held
    functions = working_functions(held)
    main = main_function(held)
    factors = (
        _responsibility_factor(held),
        _management_factor(held, span),
        _switching_factor(held, functions, main, settings),
        _coordination_factor(partner, settings),
    )
    demand = sum(factor.hours for factor in factors)
    capacity = plan.capacity_of(person)
    band = band_for(demand, capacity, settings)
    demand_range = load_range(demand, capacity, settings)
    robustness = robustness_text(band, demand, capacity, demand_range, settings)
    notes = tuple(dict.fromkeys(note for role in person.roles for note in plan.catalog.role_notes(role)))
    return Load(
        held, functions, main, factors, demand, capacity, person.capacity_hours is None, demand / capacity,
        band, band_reason(band, capacity, settings), demand_range, robustness,
        verdict_text(band, demand, capacity, demand_range, robustness, settings.assumption_spread), notes,
    )


def _plural(count: int, word: str, plural: str) -> str:
    return f"{count} {word if count == 1 else plural}"


def _responsibility_factor(held: tuple[HeldResponsibility, ...]) -> Factor:
    hours = sum(item.hours for item in held)
    by_function = {function: h for function, h in hours_by_function(held).items() if h}
    duties = sum(1 for item in held if item.hours_per_report)
    count = _plural(len(held), "responsibility", "responsibilities")
    if len(by_function) == 1 and not duties:
        detail = f"{count} in {next(iter(by_function))}, {hours:g} h"
    else:
        split = ", ".join(f"{function} {h:g} h" for function, h in by_function.items())
        per_report = f"{', and ' if split else ''}{_plural(duties, 'team duty', 'team duties')} counted per report"
        detail = f"{count}, {hours:g} h{': ' if split or duties else ''}{split}{per_report if duties else ''}"
    return Factor("responsibilities", hours, detail, sources.CATALOG_HOURS, assumption=True)


def _management_factor(held: tuple[HeldResponsibility, ...], span: int) -> Factor:
    duties = [item for item in held if item.hours_per_report]
    per_report = sum(item.hours_per_report for item in duties)
    hours = span * per_report
    names = ", ".join(f"{item.id} {item.hours_per_report:g} h" for item in duties)
    reports = _plural(span, "direct report", "direct reports")
    if span and duties:
        detail = f"{reports} x {per_report:g} h of team duties ({names}) = {hours:g} h"
    elif span:
        detail = f"{reports}, but no team duty held: managing them counts 0 h"
    elif duties:
        detail = f"no direct reports: team duties ({', '.join(item.id for item in duties)}) count 0 h"
    else:
        detail = "no direct reports"
    return Factor("management", hours, detail, sources.MANAGEMENT, assumption=True, applies=bool(span or duties))


def _switching_factor(
    held: tuple[HeldResponsibility, ...], functions: tuple[str, ...], main: str | None, settings: Settings,
) -> Factor:
    if len(functions) < 2:
        return Factor("switching", 0.0, "no switching cost: works in one function or none", sources.SWITCHING,
                      assumption=False, applies=False)
    other = sum(item.hours for item in held if item.function not in (main, SHARED_FUNCTION))
    hours = settings.switching_rate * other
    detail = (f"switching between {len(functions)} functions: {settings.switching_rate:.0%} x {other:g} h "
              f"outside the main one ({main}) = +{hours:.1f} h")
    return Factor("switching", hours, detail, sources.SWITCHING, assumption=False)


def _coordination_factor(partner: str | None, settings: Settings) -> Factor:
    if partner is None:
        return Factor("coordination", 0.0, "no coordination: does not manage sales or marketing apart from the other",
                      sources.COORDINATION, assumption=True, applies=False)
    hours = settings.coordination_hours
    detail = f"coordination with the {partner} manager: {hours:g} h (the article: constant, open communication)"
    return Factor("coordination", hours, detail, sources.COORDINATION, assumption=True)
