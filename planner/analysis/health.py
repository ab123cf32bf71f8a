"""Health checks: what a scenario leaves undone or overloaded, with the people concerned."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner.analysis.load import Band
from planner.model.plan import Plan

if TYPE_CHECKING:
    from planner.analysis.report import PersonResult


@dataclass(frozen=True)
class HealthCheck:
    """One finding: its kind, a headline, the people and responsibilities it concerns."""

    kind: str
    title: str
    detail: str
    people: tuple[str, ...] = ()
    responsibilities: tuple[str, ...] = ()


People = Mapping[str, "PersonResult"]


def _over(result: PersonResult) -> bool:
    return result.load.band is not Band.OK


def _open_manager(result: PersonResult) -> bool:
    return result.span is not None and result.vacant


def _span_out(result: PersonResult) -> bool:
    return result.span is not None and result.span.status != "within"


def _bare_manager(result: PersonResult) -> bool:
    return result.span is not None and not any(item.hours_per_report > 0 for item in result.load.responsibilities)


def _idle(result: PersonResult) -> bool:
    return not result.load.responsibilities


def _single(result: PersonResult) -> bool:
    return result.span is not None and result.span.span == 1


def _vacant(result: PersonResult) -> bool:
    return result.vacant


# The kinds found person by person, with who belongs to each; "unowned" and "vacancy-only" come from holders.
MEMBERSHIP: dict[str, Callable[[PersonResult], bool]] = {
    "over-capacity": _over, "reports-to-vacancy": _open_manager, "span": _span_out, "no-team-duty": _bare_manager,
    "no-responsibilities": _idle, "single-report": _single, "vacancy": _vacant,
}
ORDER = ("over-capacity", "reports-to-vacancy", "span", "no-team-duty", "unowned", "vacancy-only",
         "no-responsibilities", "single-report", "vacancy")
HOLDING = ("unowned", "vacancy-only")  # rebuilt every time: they cost the size of the catalog


class Findings:
    """The health checks of a scenario, each rebuilt only when someone it concerns changed.

    Feed it every person's result once (`add_everyone`), then each change (`change`); `checks` gives the findings.
    """

    def __init__(self) -> None:
        self._members: dict[str, set[str]] = {kind: set() for kind in MEMBERSHIP}
        self._sorted: dict[str, list[str]] = {kind: [] for kind in MEMBERSHIP}
        self._filled: Counter[str] = Counter()
        self._vacant: Counter[str] = Counter()
        self._checks: dict[str, HealthCheck | None] = {}
        self._dirty = set(MEMBERSHIP)
        # The kinds of each (load, span, vacancy); the load and span are kept so their ids stay theirs.
        self._kinds: dict[tuple[int, int, bool], tuple[object, object, tuple[str, ...]]] = {}

    def members(self, kind: str) -> set[str]:
        """The ids of the people a kind of finding concerns."""
        return self._members[kind]

    def add_everyone(self, people: People) -> None:
        """Start from everyone's results."""
        for person_id, result in people.items():
            for kind in self._kinds_of(result):
                self._members[kind].add(person_id)
        self._sorted = {kind: sorted(members) for kind, members in self._members.items()}
        # People with the same work share one tuple of responsibilities: count each tuple once.
        holders: Counter[tuple[int, bool]] = Counter()
        held_by: dict[int, tuple[str, ...]] = {}
        for result in people.values():
            held = result.load.responsibilities
            holders[id(held), result.vacant] += 1
            held_by.setdefault(id(held), tuple(item.id for item in held))
        for (key, vacant), count in holders.items():
            tally = self._vacant if vacant else self._filled
            for item_id in held_by[key]:
                tally[item_id] += count
        self._dirty = set(MEMBERSHIP)

    def change(self, person_id: str, old: PersonResult | None, new: PersonResult | None) -> None:
        """Follow one person's result from `old` to `new` (None: absent)."""
        before, after = self._kinds_of(old) if old else (), self._kinds_of(new) if new else ()
        self._dirty.update(before, after)
        for kind in set(before) - set(after):
            self._members[kind].discard(person_id)
            ranked = self._sorted[kind]
            del ranked[bisect.bisect_left(ranked, person_id)]
        for kind in set(after) - set(before):
            self._members[kind].add(person_id)
            bisect.insort(self._sorted[kind], person_id)
        for result, step in ((old, -1), (new, 1)):
            if result is not None:
                self._count_holder(result, step)

    def _kinds_of(self, result: PersonResult) -> tuple[str, ...]:
        """The kinds of finding a result belongs to; they depend only on its load, span and vacancy."""
        key = (id(result.load), id(result.span), result.vacant)
        known = self._kinds.get(key)
        if known is None:
            kinds = tuple(kind for kind, test in MEMBERSHIP.items() if test(result))
            known = self._kinds[key] = (result.load, result.span, kinds)
        return known[2]

    def _count_holder(self, result: PersonResult, step: int) -> None:
        """Add (+1) or take away (-1) a person as holder of their responsibilities."""
        tally = self._vacant if result.vacant else self._filled
        for item in result.load.responsibilities:
            tally[item.id] += step
            if not tally[item.id]:
                del tally[item.id]

    def reordered(self, moved: Iterable[str] | None) -> None:
        """Note that people moved in the reporting order (None: anyone may have), which orders ties above capacity."""
        over = self._members["over-capacity"]
        if moved is None or not over.isdisjoint(moved):
            self._dirty.add("over-capacity")

    def checks(self, plan: Plan, people: People) -> tuple[HealthCheck, ...]:
        """Every finding that applies, most urgent first; a kind with nothing to report is left out."""
        for kind in (*self._dirty, *HOLDING):
            self._checks[kind] = self._build(kind, plan, people)
        self._dirty.clear()
        return tuple(check for kind in ORDER if (check := self._checks[kind]) is not None)

    def _build(self, kind: str, plan: Plan, people: People) -> HealthCheck | None:
        if kind == "unowned":
            return _unowned(plan, self._filled.keys() | self._vacant.keys())
        if kind == "vacancy-only":
            return _only_vacancies_hold(plan, self._vacant.keys() - self._filled.keys())
        members = self._members[kind]
        if not members:
            return None
        if kind == "over-capacity":
            return _over_capacity([person_id for person_id in people if person_id in members], people)
        return BUILDERS[kind](self._sorted[kind], people)


def _name(result: PersonResult) -> str:
    """A person's name, marked when the position is open."""
    return f"{result.name} (open position)" if result.vacant else result.name


def _names(people: People, ids: list[str]) -> str:
    names = [people[person_id].name for person_id in ids[:6]]
    return ", ".join(names) + (f" and {len(ids) - 6} more" if len(ids) > 6 else "")


def _over_capacity(over: list[str], people: People) -> HealthCheck:
    """`over` in reporting order; the worst band first, then the most over their week."""
    loads = {person_id: people[person_id].load for person_id in over}
    over.sort(key=lambda p: (-loads[p].band.rank, -loads[p].utilisation))
    worst = ", ".join(f"{_name(people[p])} {loads[p].demand_hours:.1f} h, {loads[p].utilisation:.0%} of their week "
                      f"({loads[p].band.value})" for p in over[:4])
    return HealthCheck("over-capacity", f"{len(over)} above capacity", worst, tuple(over))


def _reports_to_vacancy(open_managers: list[str], people: People) -> HealthCheck:
    spans = {person_id: people[person_id].team.span for person_id in open_managers}
    reports = sum(spans.values())
    positions = "an open position" if len(open_managers) == 1 else f"{len(open_managers)} open positions"
    detail = "; ".join(f"{spans[pid]} to {_name(people[pid])}" for pid in open_managers[:4])
    who = "1 person reports" if reports == 1 else f"{reports} people report"
    return HealthCheck("reports-to-vacancy", f"{who} to {positions}",
                       f"who manages them until it is filled? {detail}", tuple(open_managers))


def _no_team_duty(bare: list[str], people: People) -> HealthCheck:
    return HealthCheck("no-team-duty", f"{len(bare)} manager(s) hold no team duty",
                       f"managing their reports counts 0 h: give {_names(people, bare)} a duty with hours per report, "
                       "such as manage-team", tuple(bare))


def _spans_out_of_range(out: list[str], people: People) -> HealthCheck:
    detail = "; ".join(f"{people[pid].name}: {_span_reason(people[pid])}" for pid in out[:4])
    return HealthCheck("span", f"{len(out)} span(s) outside the archetype's range", detail, tuple(out))


def _span_reason(result: PersonResult) -> str:
    assert result.span is not None, "only managers have a span outside their range"
    return result.span.reason


def _unowned(plan: Plan, held: Iterable[str]) -> HealthCheck | None:
    unowned = sorted(set(plan.catalog.responsibilities) - set(held))
    if not unowned:
        return None
    titles = ", ".join(plan.catalog.responsibilities[item].title for item in unowned[:5])
    more = f" and {len(unowned) - 5} more" if len(unowned) > 5 else ""
    return HealthCheck("unowned", f"{len(unowned)} responsibilities nobody holds",
                       f"who does this now? {titles}{more}", responsibilities=tuple(unowned))


def _only_vacancies_hold(plan: Plan, waiting_ids: Iterable[str]) -> HealthCheck | None:
    waiting = sorted(waiting_ids)
    if not waiting:
        return None
    titles = ", ".join(plan.catalog.responsibilities[item].title for item in waiting[:5])
    return HealthCheck("vacancy-only", f"{len(waiting)} responsibilities held only by open positions",
                       f"undone until someone is hired: {titles}", responsibilities=tuple(waiting))


def _no_responsibilities(idle: list[str], people: People) -> HealthCheck:
    return HealthCheck("no-responsibilities", f"{len(idle)} with no responsibilities",
                       f"assign a role or responsibilities to {_names(people, idle)}", tuple(idle))


def _single_report(single: list[str], people: People) -> HealthCheck:
    return HealthCheck("single-report", f"{len(single)} manager(s) with a single report",
                       "a layer for one person: consider merging the layer or widening the team", tuple(single))


def _vacancies(vacant: list[str], people: People) -> HealthCheck:
    return HealthCheck("vacancy", f"{len(vacant)} open position(s)", _names(people, vacant), tuple(vacant))


BUILDERS: dict[str, Callable[[list[str], People], HealthCheck]] = {
    "reports-to-vacancy": _reports_to_vacancy, "span": _spans_out_of_range, "no-team-duty": _no_team_duty,
    "no-responsibilities": _no_responsibilities, "single-report": _single_report, "vacancy": _vacancies,
}
