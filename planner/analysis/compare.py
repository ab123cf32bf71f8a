"""Two analyses side by side: per person before and after, who moved, came or went."""

from __future__ import annotations

from dataclasses import dataclass, replace

from planner.analysis.load import Band, LoadRange
from planner.analysis.merged import MergedRole
from planner.analysis.payroll import Payroll, cost_origin, money
from planner.analysis.report import Analysis, PersonResult
from planner.analysis.teams import FunctionComparison


@dataclass(frozen=True)
class Side:
    """One person's figures in one of the two scenarios."""

    manager: str | None
    vacant: bool
    team_size: int
    span: int
    demand_hours: float
    band: Band
    range: LoadRange


CHANGES = ("added", "removed", "vacated", "filled", "moved")  # the statuses worth naming people for


@dataclass(frozen=True)
class PersonDiff:
    """One person in both scenarios; a side is None where they are absent."""

    id: str
    name: str
    before: Side | None
    after: Side | None
    status: str


def change_status(before: Side | None, after: Side | None) -> str:
    """added, removed, vacated (now an open position), filled, moved, changed or same."""
    if before is None:
        return "added"
    if after is None:
        return "removed"
    if before.vacant != after.vacant:
        return "vacated" if after.vacant else "filled"
    if before.manager != after.manager:
        return "moved"
    return "same" if before == after else "changed"


@dataclass(frozen=True)
class Comparison:
    """Scenario A against scenario B."""

    before_label: str
    after_label: str
    people: tuple[PersonDiff, ...]
    headcount: tuple[int, int]
    vacancies: tuple[int, int]
    responsibilities_gained: tuple[str, ...]
    responsibilities_lost: tuple[str, ...]
    unowned: tuple[tuple[str, ...], tuple[str, ...]]
    merged_roles: tuple[tuple[MergedRole, ...], tuple[MergedRole, ...]]
    functions: tuple[FunctionComparison, FunctionComparison]
    payroll: tuple[Payroll | None, Payroll | None]
    cost: str | None

    def with_status(self, status: str) -> list[PersonDiff]:
        """The people whose status is `status`."""
        return [diff for diff in self.people if diff.status == status]


def _side(result: PersonResult) -> Side:
    load = result.load
    spread = replace(load.range, low_hours=round(load.range.low_hours, 2), high_hours=round(load.range.high_hours, 2))
    return Side(result.manager, result.vacant, result.team.team_size, result.team.span, round(load.demand_hours, 2),
                load.band, spread)


def _held(analysis: Analysis) -> set[str]:
    return {item.id for person in analysis.people.values() if not person.vacant for item in person.load.responsibilities}


def _unowned(analysis: Analysis) -> tuple[str, ...]:
    return next((check.responsibilities for check in analysis.health if check.kind == "unowned"), ())


def _diff(person_id: str, before: Analysis, after: Analysis) -> PersonDiff:
    old = _side(before.people[person_id]) if person_id in before.people else None
    new = _side(after.people[person_id]) if person_id in after.people else None
    name = (after.people.get(person_id) or before.people[person_id]).name
    return PersonDiff(person_id, name, old, new, change_status(old, new))


def compare(before: Analysis, after: Analysis, before_label: str = "", after_label: str = "") -> Comparison:
    """Compare two analyses person by person (matched by id)."""
    ids = list(before.people) + [pid for pid in after.people if pid not in before.people]
    people = tuple(_diff(pid, before, after) for pid in ids)
    held_before, held_after = _held(before), _held(after)
    return Comparison(
        before_label or before.scenario, after_label or after.scenario, people,
        (before.shape.headcount, after.shape.headcount), (before.shape.vacancies, after.shape.vacancies),
        tuple(sorted(held_after - held_before)), tuple(sorted(held_before - held_after)),
        (_unowned(before), _unowned(after)), (before.merged_roles, after.merged_roles),
        (before.functions, after.functions), (before.payroll, after.payroll),
        change_cost(after_label or after.scenario, before.payroll, after.payroll, _overloaded_hours(after), people),
    )


def _overloaded_hours(analysis: Analysis) -> float:
    """Where overload starts in the plan analysed."""
    return next(item.value for item in analysis.assumptions if item.name == "overloaded_hours")


def change_cost(label: str, before: Payroll | None, after: Payroll | None, limit: float,
                people: tuple[PersonDiff, ...]) -> str | None:
    """What a change costs beside what it does to load, in one line; None when neither side has costs.

    "split: +50,000 a year; removes 20.9 h a week above 48 h from Jordan Blake; Sam Patel, Jordan Blake and
    Open: Marketing manager all ok": the payroll difference, the hours above the overload limit removed or
    added, and the bands of those whose demand changed or who came.
    """
    known = [payroll for payroll in (before, after) if payroll is not None]
    if not known:
        return None
    difference = (after.total if after else 0.0) - (before.total if before else 0.0)
    latest = known[-1]
    change = (f"{money(difference, latest.currency, sign=True)} a year" if difference
              else f"payroll unchanged at {money(latest.total, latest.currency)} a year")
    parts = [f"{label}: {change} ({cost_origin(latest.note)})"]
    shifts = [(diff.name, _above(diff.after, limit) - _above(diff.before, limit)) for diff in people]
    relieved = [(name, -shift) for name, shift in shifts if shift < 0]
    burdened = [(name, shift) for name, shift in shifts if shift > 0]
    for word, found in (("removes", relieved), ("adds", burdened)):
        if found:
            where = "from" if word == "removes" else "for"
            parts.append(f"{word} {sum(hours for _, hours in found):.1f} h a week above {limit:g} h {where} "
                         f"{', '.join(name for name, _ in found)}")
    touched = [diff for diff in people if diff.after is not None
               and (diff.before is None or diff.before.demand_hours != diff.after.demand_hours)]
    if touched:
        parts.append(_bands(touched))
    return "; ".join(parts)


def _above(side: Side | None, limit: float) -> float:
    """Hours a week above the overload limit (none where the person is absent)."""
    return max(0.0, side.demand_hours - limit) if side is not None else 0.0


def _bands(touched: list[PersonDiff]) -> str:
    """The bands after a change of those it touched: "Jordan Blake and Ana both ok", "all 9 ok", or each one's."""
    bands = [(diff.name, diff.after.band) for diff in touched if diff.after is not None]
    if any(band is not Band.OK for _, band in bands):
        return ", ".join(f"{name} {band.value}" for name, band in bands)
    if len(bands) > 3:
        return f"all {len(bands)} ok"
    names = [name for name, _ in bands]
    together = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    return together + {1: " ok", 2: " both ok", 3: " all ok"}[len(names)]
