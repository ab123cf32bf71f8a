"""Health checks: what a scenario leaves undone or overloaded, with the people concerned."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from planner.analysis.load import Band, Load
from planner.analysis.span import SpanCheck
from planner.model.org import Org
from planner.model.plan import Plan


@dataclass(frozen=True)
class HealthCheck:
    """One finding: its kind, a headline, the people and responsibilities it concerns."""

    kind: str
    title: str
    detail: str
    people: tuple[str, ...] = ()
    responsibilities: tuple[str, ...] = ()


def health_checks(
    plan: Plan, org: Org, loads: dict[str, Load], spans: dict[str, SpanCheck | None],
) -> tuple[HealthCheck, ...]:
    """Every finding that applies, most urgent first; a kind with nothing to report is left out."""
    filled, vacant = _holders(org, loads)
    checks = [
        _over_capacity(loads, org),
        _reports_to_vacancy(org, spans),
        _spans_out_of_range(spans, org),
        _no_team_duty(org, loads, spans),
        _unowned(plan, filled | vacant),
        _only_vacancies_hold(plan, vacant - filled),
        _no_responsibilities(org, loads),
        _single_report(spans),
        _vacancies(org),
    ]
    return tuple(check for check in checks if check is not None)


def _name(org: Org, person_id: str) -> str:
    """A person's name, marked when the position is open."""
    person = org.person(person_id)
    return f"{person.name} (open position)" if person.vacant else person.name


def _names(org: Org, ids: Iterable[str]) -> str:
    names = [org.person(person_id).name for person_id in ids]
    return ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")


def _over_capacity(loads: dict[str, Load], org: Org) -> HealthCheck | None:
    over = sorted((pid for pid, load in loads.items() if load.band is not Band.OK),
                  key=lambda p: (-loads[p].band.rank, -loads[p].utilisation))
    if not over:
        return None
    worst = ", ".join(f"{_name(org, p)} {loads[p].demand_hours:.1f} h, {loads[p].utilisation:.0%} of their week "
                      f"({loads[p].band.value})" for p in over[:4])
    return HealthCheck("over-capacity", f"{len(over)} above capacity", worst, tuple(over))


def _reports_to_vacancy(org: Org, spans: dict[str, SpanCheck | None]) -> HealthCheck | None:
    open_spans = {pid: check.span for pid, check in sorted(spans.items())
                  if check is not None and org.person(pid).vacant}
    if not open_spans:
        return None
    open_managers = tuple(open_spans)
    reports = sum(open_spans.values())
    positions = "an open position" if len(open_managers) == 1 else f"{len(open_managers)} open positions"
    detail = "; ".join(f"{open_spans[pid]} to {_name(org, pid)}" for pid in open_managers[:4])
    who = "1 person reports" if reports == 1 else f"{reports} people report"
    return HealthCheck("reports-to-vacancy", f"{who} to {positions}",
                       f"who manages them until it is filled? {detail}", open_managers)


def _no_team_duty(org: Org, loads: dict[str, Load], spans: dict[str, SpanCheck | None]) -> HealthCheck | None:
    bare = sorted(pid for pid, check in spans.items()
                  if check is not None and not any(item.hours_per_report > 0 for item in loads[pid].responsibilities))
    if not bare:
        return None
    return HealthCheck("no-team-duty", f"{len(bare)} manager(s) hold no team duty",
                       f"managing their reports counts 0 h: give {_names(org, bare)} a duty with hours per report, "
                       "such as manage-team", tuple(bare))


def _spans_out_of_range(spans: dict[str, SpanCheck | None], org: Org) -> HealthCheck | None:
    out = sorted((pid, check) for pid, check in spans.items() if check is not None and check.status != "within")
    if not out:
        return None
    detail = "; ".join(f"{org.person(pid).name}: {check.reason}" for pid, check in out[:4])
    return HealthCheck("span", f"{len(out)} span(s) outside the archetype's range", detail, tuple(pid for pid, _ in out))


def _holders(org: Org, loads: dict[str, Load]) -> tuple[set[str], set[str]]:
    """The responsibilities held by filled positions, and those held by open ones."""
    filled: set[str] = set()
    vacant: set[str] = set()
    seen: set[tuple[int, bool]] = set()
    for person in org.people():
        # People with the same roles share one tuple of responsibilities: read each tuple once.
        held = loads[person.id].responsibilities
        if (id(held), person.vacant) not in seen:
            seen.add((id(held), person.vacant))
            (vacant if person.vacant else filled).update(item.id for item in held)
    return filled, vacant


def _unowned(plan: Plan, held: set[str]) -> HealthCheck | None:
    unowned = sorted(set(plan.catalog.responsibilities) - held)
    if not unowned:
        return None
    titles = ", ".join(plan.catalog.responsibilities[item].title for item in unowned[:5])
    more = f" and {len(unowned) - 5} more" if len(unowned) > 5 else ""
    return HealthCheck("unowned", f"{len(unowned)} responsibilities nobody holds",
                       f"who does this now? {titles}{more}", responsibilities=tuple(unowned))


def _only_vacancies_hold(plan: Plan, waiting_ids: set[str]) -> HealthCheck | None:
    waiting = sorted(waiting_ids)
    if not waiting:
        return None
    titles = ", ".join(plan.catalog.responsibilities[item].title for item in waiting[:5])
    return HealthCheck("vacancy-only", f"{len(waiting)} responsibilities held only by open positions",
                       f"undone until someone is hired: {titles}", responsibilities=tuple(waiting))


def _no_responsibilities(org: Org, loads: dict[str, Load]) -> HealthCheck | None:
    idle = sorted(pid for pid, load in loads.items() if not load.responsibilities)
    if not idle:
        return None
    return HealthCheck("no-responsibilities", f"{len(idle)} with no responsibilities",
                       f"assign a role or responsibilities to {_names(org, idle)}", tuple(idle))


def _single_report(spans: dict[str, SpanCheck | None]) -> HealthCheck | None:
    single = sorted(pid for pid, check in spans.items() if check is not None and check.span == 1)
    if not single:
        return None
    return HealthCheck("single-report", f"{len(single)} manager(s) with a single report",
                       "a layer for one person: consider merging the layer or widening the team", tuple(single))


def _vacancies(org: Org) -> HealthCheck | None:
    vacant = sorted(person.id for person in org.people() if person.vacant)
    if not vacant:
        return None
    return HealthCheck("vacancy", f"{len(vacant)} open position(s)", _names(org, vacant), tuple(vacant))
