"""Demand, capacity and load band of one person, each figure with its reason and source."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from planner.analysis import sources
from planner.model.catalog import SHARED_FUNCTION
from planner.model.org import Person
from planner.model.plan import Plan
from planner.model.settings import Settings


class Band(str, Enum):
    """How a person's demand sits against their capacity."""

    OK = "ok"
    STRETCHED = "stretched"
    OVERLOADED = "overloaded"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """0 for ok up to 3 for critical."""
        return list(Band).index(self)


@dataclass(frozen=True)
class Factor:
    """One term of a person's demand: its hours, how they were reached, and their source."""

    name: str
    hours: float
    detail: str
    source: str
    assumption: bool


@dataclass(frozen=True)
class HeldResponsibility:
    """A responsibility a person holds, with the figures that count towards their load."""

    id: str
    title: str
    function: str
    hours: float


@dataclass(frozen=True)
class Load:
    """A person's weekly demand against their capacity, explained factor by factor."""

    responsibilities: tuple[HeldResponsibility, ...]
    functions: tuple[str, ...]
    factors: tuple[Factor, ...]
    demand_hours: float
    capacity_hours: float
    capacity_is_default: bool
    utilisation: float
    band: Band
    band_reason: str

    @property
    def responsibility_hours(self) -> float:
        """Hours of the distinct responsibilities held."""
        return self.factors[0].hours


def band_for(utilisation: float, settings: Settings) -> Band:
    """The band of a demand/capacity ratio under the plan's thresholds."""
    if utilisation >= settings.critical_from:
        return Band.CRITICAL
    if utilisation >= settings.overloaded_from:
        return Band.OVERLOADED
    if utilisation > settings.stretched_from:
        return Band.STRETCHED
    return Band.OK


def band_reason(band: Band, capacity: float, settings: Settings) -> str:
    """Why a band applies: its threshold in this person's hours and where it comes from."""
    if band is Band.CRITICAL:
        return f"critical from {capacity * settings.critical_from:g} h ({settings.critical_from:.0%}): {sources.CRITICAL}"
    if band is Band.OVERLOADED:
        return (f"overloaded from {capacity * settings.overloaded_from:g} h ({settings.overloaded_from:.0%}): "
                f"{sources.OVERLOADED}")
    if band is Band.STRETCHED:
        return f"stretched above {capacity * settings.stretched_from:g} h ({settings.stretched_from:.0%} of capacity)"
    return f"ok up to {capacity * settings.stretched_from:g} h ({settings.stretched_from:.0%} of capacity)"


def held_responsibilities(plan: Plan, person: Person) -> tuple[HeldResponsibility, ...]:
    """The distinct responsibilities a person holds, sorted by function and id."""
    items = (plan.catalog.responsibilities[item_id] for item_id in plan.responsibilities_of(person))
    return tuple(sorted(
        (HeldResponsibility(item.id, item.title, item.function, item.hours) for item in items),
        key=lambda held: (held.function, held.id),
    ))


def working_functions(held: tuple[HeldResponsibility, ...]) -> tuple[str, ...]:
    """The functions a person works across; management is part of every function, not one more."""
    return tuple(sorted({item.function for item in held} - {SHARED_FUNCTION}))


def person_load(plan: Plan, person: Person, span: int, held: tuple[HeldResponsibility, ...] | None = None) -> Load:
    """The person's demand (responsibilities + management + switching) against their capacity."""
    settings = plan.settings
    held = held_responsibilities(plan, person) if held is None else held
    functions = working_functions(held)
    factors = (
        _responsibility_factor(held, functions),
        _management_factor(span, settings),
        _switching_factor(held, functions, settings),
    )
    demand = sum(factor.hours for factor in factors)
    capacity = plan.capacity_of(person)
    utilisation = demand / capacity
    band = band_for(utilisation, settings)
    return Load(
        held, functions, factors, demand, capacity, person.capacity_hours is None,
        utilisation, band, band_reason(band, capacity, settings),
    )


def _responsibility_factor(held: tuple[HeldResponsibility, ...], functions: tuple[str, ...]) -> Factor:
    hours = sum(item.hours for item in held)
    across = f" in {functions[0]}" if len(functions) == 1 else f" across {' and '.join(functions)}" if functions else ""
    detail = f"{len(held)} responsibilit{'y' if len(held) == 1 else 'ies'}{across}, {hours:g} h"
    return Factor("responsibilities", hours, detail, sources.CATALOG_HOURS, assumption=True)


def _management_factor(span: int, settings: Settings) -> Factor:
    hours = span * settings.hours_per_report
    detail = f"{span} direct report{'' if span == 1 else 's'} x {settings.hours_per_report:g} h = {hours:g} h"
    return Factor("management", hours, detail, sources.MANAGEMENT, assumption=True)


def _switching_factor(held: tuple[HeldResponsibility, ...], functions: tuple[str, ...], settings: Settings) -> Factor:
    extra = max(len(functions) - 1, 0)
    base = sum(item.hours for item in held)
    hours = settings.switching_rate * base * extra
    if extra:
        detail = (f"switching between {len(functions)} functions: {settings.switching_rate:.0%} x {base:g} h"
                  f"{f' x {extra}' if extra > 1 else ''} = +{hours:.1f} h")
    else:
        detail = "no switching cost: works in one function or none"
    return Factor("switching", hours, detail, sources.SWITCHING, assumption=False)
