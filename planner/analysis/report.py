"""The whole analysis of one scenario: every person's load and span, team sizes, merged roles, health."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from planner.analysis import sources
from planner.analysis.health import Findings, HealthCheck
from planner.analysis.load import (
    HeldResponsibility,
    Load,
    counterpart,
    held_responsibilities,
    person_load,
)
from planner.analysis.merged import MergedRole, merged_role
from planner.analysis.payroll import Payroll, PayrollTally
from planner.analysis.span import SpanCheck, relationships_text, span_check
from planner.analysis.teams import (
    COMPARED_FUNCTIONS,
    FunctionComparison,
    FunctionTeamTracker,
    OrgShape,
    TeamSize,
    compare_functions,
    reorder,
    team_sizes,
    update_team_sizes,
)
from planner.model.bulk import collector_paused
from planner.model.catalog import PAIRED_FUNCTIONS
from planner.model.org import Org
from planner.model.plan import Plan
from planner.model.settings import SPECS, Settings


@dataclass(frozen=True, slots=True)
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


class ResultLog:
    """The ids whose result changed, patch after patch, so a reader can ask what changed between two analyses."""

    __slots__ = ("_ids", "_start")

    def __init__(self) -> None:
        self._ids: list[str] = []
        self._start = 0

    @property
    def mark(self) -> int:
        """A position that grows with every id logged."""
        return self._start + len(self._ids)

    def add(self, person_ids: Iterable[str], keep: int) -> None:
        """Log these ids; what was logged is dropped first once it is longer than `keep`."""
        if len(self._ids) > keep:
            self._start += len(self._ids)
            self._ids = []
        self._ids.extend(person_ids)

    def between(self, start: int, end: int) -> set[str] | None:
        """The ids logged from mark `start` to mark `end`, or None if that stretch is no longer kept."""
        if not self._start <= start <= end <= self.mark:
            return None
        return set(self._ids[start - self._start:end - self._start])


class People(Mapping[str, PersonResult]):
    """Everyone's result by id, iterated in reporting order (depth first from the top, managers first)."""

    __slots__ = ("_log", "_mark", "_order", "_results")

    def __init__(self, results: dict[str, PersonResult], order: list[str], log: ResultLog | None = None) -> None:
        """`results` and `order` belong to this mapping from now on: nobody changes them.

        `log` is the log of the ids whose result changed that `results` came from, patch after patch.
        """
        self._results = results
        self._order = order
        self._log = log
        self._mark = log.mark if log is not None else 0

    def changed_since(self, earlier: People) -> set[str] | None:
        """The ids whose result was redone since `earlier` (all that differ, an id gone too), or None if unknown."""
        if self._log is None or earlier._log is not self._log:
            return None
        return self._log.between(earlier._mark, self._mark)

    def __getitem__(self, person_id: str) -> PersonResult:
        return self._results[person_id]

    def __contains__(self, person_id: object) -> bool:
        return person_id in self._results

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __reversed__(self) -> Iterator[str]:
        return reversed(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def __repr__(self) -> str:
        return f"People({len(self)} people)"


@dataclass(frozen=True)
class Analysis:
    """The analysis of one scenario of a plan."""

    plan_name: str
    scenario: str
    people: People
    shape: OrgShape
    functions: FunctionComparison
    merged_roles: tuple[MergedRole, ...]
    health: tuple[HealthCheck, ...]
    assumptions: tuple[Assumption, ...]
    payroll: Payroll | None = None

    def changed_since(self, earlier: Analysis) -> set[str] | None:
        """The ids whose result was redone since `earlier` (all that differ, an id gone too), or None if unknown."""
        return self.people.changed_since(earlier.people)

    def top_risks(self, limit: int = 5) -> list[PersonResult]:
        """The people above ok, worst band first, then most over their capacity, then in reporting order."""
        over = next((check.people for check in self.health if check.kind == "over-capacity"), ())
        return [self.people[person_id] for person_id in over[:limit]]


Change = tuple[str, PersonResult | None, PersonResult | None]  # id, result before, result after (None: absent)
CacheKey = tuple[object, ...]


class _Scenario:
    """What the Analyser keeps of one scenario between analyses, to patch rather than redo."""

    def __init__(self, plan: Plan, org: Org) -> None:
        self.org = org
        self.version = org.version
        self.cache: dict[str, tuple[CacheKey, PersonResult]] = {}
        self.results: dict[str, PersonResult] = {}
        self.order: list[str] = []
        self.sizes: dict[str, TeamSize] = {}
        self.spans: Counter[int] = Counter()
        self.root_layers: Counter[int] = Counter()
        self.mixes: Counter[tuple[str, ...]] = Counter()
        self.managed: frozenset[str] = frozenset()
        self.teams = tuple(FunctionTeamTracker(plan, function) for function in COMPARED_FUNCTIONS)
        self.findings = Findings()
        self.merged: dict[str, MergedRole] = {}
        self.merged_order: tuple[str, ...] = ()
        self.payroll = PayrollTally(plan.catalog)
        self.analysis: Analysis | None = None
        self.log = ResultLog()

    def count(self, result: PersonResult, step: int) -> None:
        """Add (+1) or take away (-1) a person's result from the shape's tallies."""
        _tally(self.spans, result.team.span, step)
        if result.manager is None:
            _tally(self.root_layers, result.team.layers_below, step)

    def shape(self, single_report: tuple[str, ...]) -> OrgShape:
        """Headcount, layers and the distribution of spans, from the tallies."""
        spans = sorted((span, count) for span, count in self.spans.items() if span)
        managers = sum(count for _, count in spans)
        headcount = len(self.results)
        vacancies = len(self.findings.members("vacancy"))
        return OrgShape(
            headcount, headcount - vacancies, vacancies, max(self.root_layers, default=-1) + 1, managers, tuple(spans),
            sum(span * count for span, count in spans) / managers if managers else 0.0, single_report,
        )


def _tally(counter: Counter[Any], key: object, step: int) -> None:
    """Count `key` up or down, dropping it at zero."""
    counter[key] += step
    if not counter[key]:
        del counter[key]


# What a cached result depends on: ids, counts and numbers, compared by value.
class Analyser:
    """Analyses scenarios again and again, redoing only what changed since the last time.

    The catalog and settings apply to everyone, so a change there starts afresh. Otherwise the org's
    journal names the people changed: team sizes are recomputed up their chains, the reporting order
    is patched for a move, and results are rebuilt only for people whose person, manager, team size or
    counterpart changed; the findings, merged roles, function teams and shape follow those results.
    People with the same work, span and capacity share one Load (and span check).
    """

    def __init__(self) -> None:
        self._context: CacheKey | None = None
        self._held: dict[CacheKey, tuple[HeldResponsibility, ...]] = {}
        self._loads: dict[CacheKey, Load] = {}
        self._spans: dict[CacheKey, SpanCheck | None] = {}
        self._manages: dict[tuple[str, ...], frozenset[str]] = {}
        self._scenarios: dict[str, _Scenario] = {}

    def _start(self, plan: Plan) -> None:
        context = (plan.settings, tuple(plan.catalog.responsibilities.items()), tuple(plan.catalog.roles.items()))
        if context != self._context:
            self._context = context
            self._held.clear()
            self._loads.clear()
            self._spans.clear()
            self._manages.clear()
            self._scenarios.clear()

    def analyse(self, plan: Plan, scenario: str | None = None) -> Analysis:
        """Analyse a scenario (the first one when none is named)."""
        with collector_paused():
            self._start(plan)
            name = scenario if scenario is not None else next(iter(plan.scenarios))
            org = plan.scenario(name)
            state = self._scenarios.get(name)
            touched = org.changed_since(state.version) if state is not None and state.org is org else None
            if state is None or touched is None:
                state = self._scenarios[name] = self._build(plan, org, state)
            elif touched:
                self._patch(plan, state, touched)
            if state.analysis is None or state.analysis.plan_name != plan.name:
                state.analysis = self._assemble(plan, name, state)
            return state.analysis

    def _build(self, plan: Plan, org: Org, previous: _Scenario | None) -> _Scenario:
        """Everything afresh, reusing a previous state's results where their inputs are the same."""
        state = _Scenario(plan, org)
        if previous is not None and previous.org is org:
            state.cache = previous.cache
        state.order = org.tree_order()
        state.sizes = team_sizes(org, state.order)
        state.mixes = Counter(person.roles for person in org.people())
        state.managed = self._managed(plan, state.mixes)
        state.results = {person_id: self._person(plan, state, person_id) for person_id in state.order}
        for person_id in state.cache.keys() - state.results.keys():
            del state.cache[person_id]
        state.spans = Counter(result.team.span for result in state.results.values())
        state.root_layers = Counter(result.team.layers_below for result in state.results.values()
                                    if result.manager is None)
        for team in state.teams:
            team.rebuild((person_id, result.manager, result.roles) for person_id, result in state.results.items())
        state.findings.add_everyone(state.results)
        state.merged = {person_id: role for person_id in org
                        if (role := self._merged_role(plan, state, person_id)) is not None}
        state.merged_order = tuple(state.merged)
        for person in org.people():
            state.payroll.put(person)
        return state

    def _patch(self, plan: Plan, state: _Scenario, touched: set[str]) -> None:
        """Bring a state up to date with the people the org's journal names."""
        org, old = state.org, state.results
        present = {person_id for person_id in touched if person_id in org}
        gone = {person_id for person_id in touched if person_id not in org and person_id in old}
        placed = {person_id for person_id in present if person_id not in old
                  or old[person_id].manager != org.manager_of(person_id)}
        resized = self._resize(state, placed, gone)
        moved = self._reorder(state, placed, gone)
        for person_id in touched:
            if person_id in old:
                _tally(state.mixes, old[person_id].roles, -1)
            if person_id in present:
                _tally(state.mixes, org.person(person_id).roles, 1)
                state.payroll.put(org.person(person_id))
            else:
                state.payroll.remove(person_id)
        managed = self._managed(plan, state.mixes)
        everyone = managed != state.managed
        state.managed = managed
        state.results = results = old.copy()
        changes: list[Change] = [(person_id, old[person_id], None) for person_id in gone]
        for person_id in gone:
            del results[person_id], state.cache[person_id]
        for person_id in state.order if everyone else present | resized:
            result = self._person(plan, state, person_id)
            if result is not old.get(person_id):
                results[person_id] = result
                changes.append((person_id, old.get(person_id), result))
        self._follow(plan, state, changes, placed, touched, everyone)
        state.log.add((person_id for person_id, _, _ in changes), keep=64 + 2 * len(results))
        state.findings.reordered(moved)
        state.version = org.version
        state.analysis = None

    def _resize(self, state: _Scenario, placed: set[str], gone: set[str]) -> set[str]:
        """Team sizes after people were placed anew or left; the ids whose size changed."""
        org, old = state.org, state.results
        dirty = {person_id for person_id in placed if person_id not in old}
        for person_id in placed | gone:
            managers = (old[person_id].manager if person_id in old else None,
                        org.manager_of(person_id) if person_id in org else None)
            dirty.update(manager for manager in managers if manager is not None and manager in org)
        for person_id in gone:
            del state.sizes[person_id]
        return update_team_sizes(org, state.sizes, dirty)

    def _reorder(self, state: _Scenario, placed: set[str], gone: set[str]) -> list[str] | None:
        """Patch the reporting order for one person placed anew or one leaf gone, else make it afresh.

        Returns who changed places (None: anyone may have).
        """
        repositioned = placed | gone
        if not repositioned:
            return []
        (person_id, *others) = repositioned
        before = state.results.get(person_id)
        block = before.team.team_size + 1 if before is not None else 0
        if others or (person_id in gone and block > 1):
            state.order = state.org.tree_order()
            return None
        state.order, moved = reorder(state.org, state.order, state.sizes, person_id, block)
        return moved

    def _follow(self, plan: Plan, state: _Scenario, changes: list[Change], placed: set[str], touched: set[str],
                everyone: bool) -> None:
        """Bring the tallies, function teams, findings and merged roles in line with the changed results."""
        roles = []
        for person_id, before, after in changes:
            for result, step in ((before, -1), (after, 1)):
                if result is not None:
                    state.count(result, step)
            state.findings.change(person_id, before, after)
            roles.append((person_id, before.roles if before else None, after.roles if after else None))
        for team in state.teams:
            team.update(state.org, roles, placed)
        self._follow_merged(plan, state, changes, touched, everyone)

    def _follow_merged(self, plan: Plan, state: _Scenario, changes: list[Change], touched: set[str],
                       everyone: bool) -> None:
        """Redo the merged roles of the people changed and of their managers (whose reports changed)."""
        candidates = set(state.merged) if everyone else set()
        for person_id, before, after in changes:
            candidates.add(person_id)
            candidates.update(result.manager for result in (before, after) if result and result.manager)
        members = set(state.merged)
        for person_id in candidates:
            role = self._merged_role(plan, state, person_id) if person_id in state.org else None
            if role is None:
                state.merged.pop(person_id, None)
            else:
                state.merged[person_id] = role
        if members != state.merged.keys() or not touched.isdisjoint(members):
            state.merged_order = tuple(person_id for person_id in state.org if person_id in state.merged)

    def _assemble(self, plan: Plan, name: str, state: _Scenario) -> Analysis:
        """The analysis as it stands in a state."""
        people = People(state.results, state.order, state.log)
        health = state.findings.checks(plan, people)
        single = next((check.people for check in health if check.kind == "single-report"), ())
        sales, marketing = (team.team for team in state.teams)
        return Analysis(
            plan.name, name, people, state.shape(single), compare_functions(sales, marketing),
            tuple(state.merged[person_id] for person_id in state.merged_order), health, assumptions(plan.settings),
            state.payroll.payroll(plan.settings),
        )

    def _person(self, plan: Plan, state: _Scenario, person_id: str) -> PersonResult:
        """A person's result, reused while their person, manager, team and counterpart are the same."""
        org = state.org
        person = org.person(person_id)
        manager = org.manager_of(person_id)
        team = state.sizes[person_id]
        partner = counterpart(self._manager_functions(plan, person.roles), state.managed)
        key = (person, manager, team, partner)
        cached = state.cache.get(person_id)
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
            person.id, person.name, person.title, manager, person.vacant, person.roles, person.dotted_managers,
            team, load, self._spans[span_key],
        )
        state.cache[person_id] = (key, result)
        return result

    def _merged_role(self, plan: Plan, state: _Scenario, person_id: str) -> MergedRole | None:
        """The merged-role comparison of someone holding manager roles of two functions, else None."""
        result = state.results[person_id]
        if len(self._manager_functions(plan, result.roles)) < 2:
            return None
        return merged_role(plan, state.org, state.org.person(person_id), result.load, state.managed)

    def _manager_functions(self, plan: Plan, roles: tuple[str, ...]) -> frozenset[str]:
        """The functions of the manager roles among `roles` (two or more make a merged role)."""
        if roles not in self._manages:
            self._manages[roles] = frozenset(plan.catalog.managed_functions(roles))
        return self._manages[roles]

    def _managed(self, plan: Plan, mixes: Counter[tuple[str, ...]]) -> frozenset[str]:
        """The paired functions (sales, marketing) that someone in the scenario manages."""
        managed = set().union(*(self._manager_functions(plan, roles) for roles in mixes))
        return frozenset(managed & set(PAIRED_FUNCTIONS))


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
                       f"{relationships_text(span.relationships)} possible relationships with the reports, singly, "
                       "in groups and between them (Graicunas' count: context, not a limit)")
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

