"""The whole analysis of one scenario: every person's load and span, team sizes, merged roles, health."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from planner.analysis import sources
from planner.analysis.health import HealthCheck, health_checks
from planner.analysis.load import (
    Band,
    HeldResponsibility,
    Load,
    counterpart,
    held_responsibilities,
    person_load,
)
from planner.analysis.merged import MergedRole, merged_role
from planner.analysis.span import SpanCheck, relationships_text, span_check
from planner.analysis.teams import (
    FunctionComparison,
    OrgShape,
    TeamSize,
    function_comparison,
    org_shape,
    team_sizes,
)
from planner.model.bulk import collector_paused
from planner.model.catalog import PAIRED_FUNCTIONS
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

    @property
    def reasons(self) -> tuple[str, ...]:
        """The explanation, a line per factor, the verdict, its threshold and the span."""
        return explain(self.load, self.span)

    @property
    def summary(self) -> str:
        """The explanation as one paragraph a consultant can read out."""
        load, span = self.load, self.span
        terms = [factor.detail for factor in load.factors if factor.applies]
        text = f"{self.title or self.name}: {'; '.join([*terms, load.verdict])}."
        if span is not None and span.status != "within":
            text += f" {_sentence(span.reason)}."
        return text


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
        """The people above ok, worst band first, then most over their capacity."""
        over = [person for person in self.people.values() if person.load.band is not Band.OK]
        return sorted(over, key=lambda person: (-person.load.band.rank, -person.load.utilisation))[:limit]


# What a cached result depends on: ids, counts and numbers, compared by value.
CacheKey = tuple[object, ...]


class Analyser:
    """Analyses scenarios again and again, reusing each person's result while their inputs are unchanged.

    A person's result depends on the person, their manager and their team's size; the catalog and
    settings apply to everyone, so a change there starts afresh. People with the same work, span
    and capacity share one Load (and span check), so a large org costs little more than its roles.
    """

    def __init__(self) -> None:
        self._context: CacheKey | None = None
        self._held: dict[CacheKey, tuple[HeldResponsibility, ...]] = {}
        self._loads: dict[CacheKey, Load] = {}
        self._spans: dict[CacheKey, SpanCheck | None] = {}
        self._manages: dict[tuple[str, ...], frozenset[str]] = {}
        self._people: dict[tuple[str, str], tuple[CacheKey, PersonResult]] = {}
        self._shapes: dict[str, tuple[Org, int, list[str], dict[str, TeamSize]]] = {}
        self._functions: dict[str, tuple[CacheKey, FunctionComparison]] = {}

    def _start(self, plan: Plan) -> None:
        context = (plan.settings, tuple(plan.catalog.responsibilities.items()), tuple(plan.catalog.roles.items()))
        if context != self._context:
            self._context = context
            self._held.clear()
            self._loads.clear()
            self._spans.clear()
            self._manages.clear()
            self._people.clear()
            self._functions.clear()

    def _person(
        self, plan: Plan, org: Org, scenario: str, person: Person, team: TeamSize, managed: frozenset[str],
    ) -> PersonResult:
        partner = counterpart(self._manager_functions(plan, person), managed)
        key = (person, org.manager_of(person.id), team, partner)
        cached = self._people.get((scenario, person.id))
        if cached is not None and cached[0] == key:
            return cached[1]
        held_key = (person.roles, person.extra_responsibilities, person.dropped_responsibilities)
        if held_key not in self._held:
            self._held[held_key] = held_responsibilities(plan, person)
        load_key = (held_key, team.span, person.capacity_hours, partner)
        if load_key not in self._loads:
            self._loads[load_key] = person_load(plan, person, team.span, self._held[held_key], partner)
        load = self._loads[load_key]
        span_key = (person.archetype, load.functions, team.span)
        if span_key not in self._spans:
            self._spans[span_key] = span_check(person, set(load.functions), team.span)
        result = PersonResult(
            person.id, person.name, person.title, key[1], person.vacant, person.roles, person.dotted_managers,
            team, load, self._spans[span_key],
        )
        self._people[(scenario, person.id)] = (key, result)
        return result

    def _order_and_sizes(self, org: Org, scenario: str) -> tuple[list[str], dict[str, TeamSize]]:
        """Reporting order and team sizes, recomputed only when reporting lines changed."""
        cached = self._shapes.get(scenario)
        if cached is None or cached[0] is not org or cached[1] != org.shape_version:
            order = org.tree_order()
            cached = (org, org.shape_version, order, team_sizes(org, order))
            self._shapes[scenario] = cached
        return cached[2], cached[3]

    def _function_comparison(self, plan: Plan, org: Org, scenario: str, order: list[str]) -> FunctionComparison:
        """Sales against marketing, recomputed only when reporting lines or anyone's roles changed."""
        key = (org, org.shape_version, tuple(person.roles for person in org.people()))
        cached = self._functions.get(scenario)
        if cached is None or cached[0] != key:
            cached = (key, function_comparison(plan, org, order))
            self._functions[scenario] = cached
        return cached[1]

    def _manager_functions(self, plan: Plan, person: Person) -> frozenset[str]:
        """The functions of the manager roles a person holds (two or more make a merged role)."""
        if person.roles not in self._manages:
            self._manages[person.roles] = frozenset(plan.catalog.managed_functions(person.roles))
        return self._manages[person.roles]

    def _managed(self, plan: Plan, org: Org) -> frozenset[str]:
        """The paired functions (sales, marketing) that someone in the scenario manages."""
        mixes = {person.roles: person for person in org.people()}
        managed = set().union(*(self._manager_functions(plan, person) for person in mixes.values()))
        return frozenset(managed & set(PAIRED_FUNCTIONS))

    def analyse(self, plan: Plan, scenario: str | None = None) -> Analysis:
        """Analyse a scenario (the first one when none is named)."""
        with collector_paused():
            return self._analyse(plan, scenario)

    def _analyse(self, plan: Plan, scenario: str | None) -> Analysis:
        self._start(plan)
        name = scenario if scenario is not None else next(iter(plan.scenarios))
        org = plan.scenario(name)
        order, sizes = self._order_and_sizes(org, name)
        managed = self._managed(plan, org)
        people = {pid: self._person(plan, org, name, org.person(pid), sizes[pid], managed) for pid in order}
        merged = tuple(
            role for person in org.people() if len(self._manager_functions(plan, person)) > 1
            if (role := merged_role(plan, org, person, people[person.id].load, managed)) is not None
        )
        loads = {pid: result.load for pid, result in people.items()}
        spans = {pid: result.span for pid, result in people.items()}
        return Analysis(
            plan.name, name, people, org_shape(org, sizes), self._function_comparison(plan, org, name, order),
            merged, health_checks(plan, org, loads, spans), assumptions(plan.settings),
        )


def analyse(plan: Plan, scenario: str | None = None) -> Analysis:
    """Analyse a scenario (the first one when none is named)."""
    return Analyser().analyse(plan, scenario)


@functools.lru_cache(maxsize=4096)
def explain(load: Load, span: SpanCheck | None) -> tuple[str, ...]:
    """The reasons behind a load and a span check, a line each (shared by everyone with the same)."""
    terms = [factor.detail for factor in load.factors if factor.applies]
    notes = [f"note: {note}" for note in load.notes]
    reasons = [*terms, *notes, load.verdict, load.band_reason]
    if span is not None:
        reasons.append(f"{_sentence(span.reason)} ({span.archetype_reason}); "
                       f"{relationships_text(span.relationships)} relationships (Graicunas)")
    return tuple(reasons)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def assumptions(settings: Settings) -> tuple[Assumption, ...]:
    """Each setting with its value and source, for the assumptions section of a report."""
    return tuple(
        Assumption(name, spec.label, getattr(settings, name), spec.display(getattr(settings, name)), spec.source,
                   spec.assumption)
        for name, spec in SPECS.items()
    ) + (
        Assumption("catalog_hours", "Hours per responsibility", 0.0, "", sources.CATALOG_HOURS, True),
        Assumption("hours_per_report", "Team duties per direct report", 0.0, "", sources.MANAGEMENT, True),
    )

