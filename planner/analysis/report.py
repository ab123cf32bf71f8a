"""The whole analysis of one scenario: every person's load and span, team sizes, merged roles, health."""

from __future__ import annotations

from dataclasses import dataclass

from planner.analysis import sources
from planner.analysis.health import HealthCheck, health_checks
from planner.analysis.load import Band, HeldResponsibility, Load, held_responsibilities, person_load
from planner.analysis.merged import MergedRole, merged_role
from planner.analysis.span import SpanCheck, relationships_text, span_check
from planner.analysis.teams import FunctionComparison, OrgShape, TeamSize, function_comparison, org_shape, team_sizes
from planner.model.org import Org, Person
from planner.model.plan import Plan
from planner.model.settings import SPECS, Settings


@dataclass(frozen=True)
class PersonResult:
    """Everything the analysis says about one person, with the reasons to read out."""

    id: str
    name: str
    title: str
    manager: str | None
    vacant: bool
    roles: tuple[str, ...]
    dotted_managers: tuple[str, ...]
    team: TeamSize
    load: Load
    span: SpanCheck | None
    reasons: tuple[str, ...]
    summary: str


@dataclass(frozen=True)
class Assumption:
    """A setting the figures rest on, its value, and whether it is an assumption or published."""

    name: str
    label: str
    value: float
    shown: str
    source: str
    assumption: bool


@dataclass(frozen=True)
class Analysis:
    """The analysis of one scenario of a plan."""

    plan_name: str
    scenario: str
    people: dict[str, PersonResult]
    shape: OrgShape
    functions: FunctionComparison
    merged_roles: tuple[MergedRole, ...]
    health: tuple[HealthCheck, ...]
    assumptions: tuple[Assumption, ...]

    def top_risks(self, limit: int = 5) -> list[PersonResult]:
        """The people most over their capacity, worst first (only those above ok)."""
        over = [person for person in self.people.values() if person.load.band is not Band.OK]
        return sorted(over, key=lambda person: -person.load.utilisation)[:limit]


def analyse(plan: Plan, scenario: str | None = None) -> Analysis:
    """Analyse a scenario (the first one when none is named)."""
    name = scenario if scenario is not None else next(iter(plan.scenarios))
    org = plan.scenario(name)
    sizes = team_sizes(org)
    held_cache: dict[tuple, tuple[HeldResponsibility, ...]] = {}
    people: dict[str, PersonResult] = {}
    merged: list[MergedRole] = []
    for person_id in org.tree_order():
        person = org.person(person_id)
        key = (person.roles, person.extra_responsibilities, person.dropped_responsibilities)
        if key not in held_cache:
            held_cache[key] = held_responsibilities(plan, person)
        load = person_load(plan, person, sizes[person_id].span, held_cache[key])
        span = span_check(person, set(load.functions), sizes[person_id].span)
        people[person_id] = _result(org, person, sizes[person_id], load, span)
        if (role := merged_role(plan, org, person, load)) is not None:
            merged.append(role)
    loads = {pid: result.load for pid, result in people.items()}
    spans = {pid: result.span for pid, result in people.items()}
    return Analysis(
        plan.name, name, people, org_shape(org, sizes), function_comparison(plan, org, sizes),
        tuple(merged), health_checks(plan, org, loads, spans), assumptions(plan.settings),
    )


def _result(org: Org, person: Person, team: TeamSize, load: Load, span: SpanCheck | None) -> PersonResult:
    terms = [factor.detail for factor in load.factors if factor.hours or factor.name == "responsibilities"]
    verdict = (f"demand {load.demand_hours:.1f} h against {load.capacity_hours:g} h = {load.utilisation:.0%}: "
               f"{load.band.value}")
    summary = f"{person.title or person.name}: {'; '.join([*terms, verdict])}."
    reasons = [*terms, verdict, load.band_reason]
    if span is not None:
        reasons.append(f"{_sentence(span.reason)} ({span.archetype_reason}); "
                       f"{relationships_text(span.relationships)} relationships (Graicunas)")
        if span.status != "within":
            summary += f" {_sentence(span.reason)}."
    return PersonResult(
        person.id, person.name, person.title, org.manager_of(person.id), person.vacant, person.roles,
        person.dotted_managers, team, load, span, tuple(reasons), summary,
    )


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def assumptions(settings: Settings) -> tuple[Assumption, ...]:
    """Each setting with its value and source, for the assumptions section of a report."""
    return tuple(
        Assumption(name, spec.label, getattr(settings, name), spec.display(getattr(settings, name)), spec.source,
                   spec.assumption)
        for name, spec in SPECS.items()
    ) + (Assumption("catalog_hours", "Hours per responsibility", 0.0, "", sources.CATALOG_HOURS, True),)

