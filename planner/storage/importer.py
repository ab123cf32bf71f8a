"""Import a staff list (an HR system's CSV export) as a plan, reporting every row's problem by its line."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import chain, islice
from pathlib import Path

from planner.model.catalog import default_catalog
from planner.model.errors import PlanError, Problem
from planner.model.org import Org, Person
from planner.model.plan import DEFAULT_SCENARIO, Plan
from planner.model.rules import MAX_HOURS, check_person, find_cycles, person_violations
from planner.model.text import clean_line, is_valid_id, restore_formula, slugify
from planner.storage.codec import MAX_BYTES, dumps
from planner.storage.files import too_large

IMPORT_FIELDS = ("id", "name", "title", "manager", "roles", "responsibilities", "capacity", "vacant", "dotted_managers")
ALIASES = {
    "id": {"id", "employeeid", "empid", "employeeno", "employeenumber", "staffid", "personid", "workerid"},
    "name": {"name", "fullname", "employeename", "employee", "displayname", "preferredname"},
    "title": {"title", "jobtitle", "position", "positiontitle", "jobrole", "job"},
    "manager": {"managerid", "manager", "reportsto", "reportstoid", "supervisor", "supervisorid", "linemanager",
                "managername", "reportingto"},
    "roles": {"roles"},
    "responsibilities": {"responsibilities"},
    "capacity": {"capacity", "capacityhours", "weeklyhours", "hoursperweek", "contractedhours"},
    "vacant": {"vacant", "vacancy", "open"},
    "dotted_managers": {"dottedmanagers", "dottedline", "dottedlinemanager"},
}
YES = {"yes", "y", "true", "1", "x", "open", "vacant"}
SEPARATOR = re.compile(r"[;|]")
DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "bars"}
SNIFF_CHARS = 8_192
SAMPLE_ROWS = 200
QUOTE_HINT = ('remove the stray ", or put the whole cell in quotes and double each " inside it '
              '(for example "Ann ""Q"" Lee")')


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.casefold())


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """`--map "Header=field"` pairs as {normalised header: field}; PlanError for a bad pair."""
    mapping = {}
    for pair in pairs:
        header, _, target = pair.partition("=")
        if not header.strip() or target.strip() not in IMPORT_FIELDS:
            raise PlanError(f"cannot read --map {pair!r}", f"write HEADER=FIELD, FIELD one of: {', '.join(IMPORT_FIELDS)}")
        mapping[_key(header)] = target.strip()
    return mapping


@dataclass
class ImportResult:
    """The plan made from the rows that are fine, and a problem for each row that is not."""

    plan: Plan
    problems: list[Problem] = field(default_factory=list)
    left_out: int = 0


@dataclass
class _Row:
    line: int
    person: Person
    manager: str
    dotted: list[str]


def _columns(header: list[str], mapping: dict[str, str]) -> dict[str, int]:
    """Which column holds each field: the --map choices first, then the headers recognised by name."""
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        if _key(name) in mapping:
            columns.setdefault(mapping[_key(name)], index)
    for index, name in enumerate(header):
        target = next((f for f, names in ALIASES.items() if _key(name) in names), None)
        if target is not None and _key(name) not in mapping:
            columns.setdefault(target, index)
    return columns


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PlanError(f"{path} is not UTF-8 (byte {error.start})", "export the CSV as UTF-8") from None
    except OSError as error:
        raise PlanError(f"cannot read {path}: {error.strerror}", "check the path") from None


def import_csv(path: Path, plan_name: str, mapping: dict[str, str] | None = None) -> ImportResult:
    """A plan from a staff CSV: people, titles matched to catalog roles, reporting lines by id or by name."""
    text = _read_text(path)
    delimiter = _delimiter(text)
    records = _records(text, delimiter, path)
    header = next(records, (1, []))[1]
    columns = _columns(header, mapping or {})
    if "name" not in columns:
        raise PlanError(f"{path} has no column of names (headers: {', '.join(header) or 'none'}; "
                        f"read as separated by {DELIMITERS[delimiter]})", "name one with --map 'HEADER=name'")
    sample = list(islice(records, SAMPLE_ROWS))
    _refuse_what_a_plan_cannot_hold(path, text, sample, columns)
    result = ImportResult(_empty_plan(plan_name))
    rows = _rows(result.plan, chain(sample, records), columns, result.problems)
    if not rows and not result.problems:
        raise PlanError(f"{path} has a header but no rows of people", "add a row per person under the header line, "
                        "or check this is the right file")
    result.left_out = len({p.line for p in result.problems})
    _build(result.plan, rows, result.problems)
    result.problems.sort(key=lambda problem: problem.line or 0)
    return result


def _empty_plan(name: str) -> Plan:
    return Plan(clean_line(name) or "Imported plan", catalog=default_catalog(), scenarios={DEFAULT_SCENARIO: Org()})


def _delimiter(text: str) -> str:
    """The separator of the file's cells, sniffed from its first lines; a comma when that is inconclusive."""
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in sample:
        sample = sample[:sample.rindex("\n")]
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        return ","


def _records(text: str, delimiter: str, path: Path) -> Iterator[tuple[int, list[str]]]:
    """Each record (the header first) with the line it starts on; PlanError where a quoted cell runs past its row."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    line, width = 1, None
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise _stray_quote(path, line, reader.line_num) from None
        width = len(values) if width is None else width
        if _holds_rows(values, delimiter, width):
            raise _stray_quote(path, line, reader.line_num)
        yield line, values
        line = reader.line_num + 1


def _holds_rows(values: list[str], delimiter: str, width: int) -> bool:
    """Whether a cell goes on for lines that hold as many separators as a whole row: rows swallowed by a quote."""
    return any(part.count(delimiter) >= width - 1 for value in values for part in value.split("\n")[1:])


def _stray_quote(path: Path, line: int, end: int) -> PlanError:
    runs_on = f": the cell runs on to line {end}, swallowing the rows in between" if end > line else ""
    return PlanError(f"{path}:{line}: a double quote in this row does not close its cell where it should{runs_on}",
                     QUOTE_HINT)


def _refuse_what_a_plan_cannot_hold(path: Path, text: str, sample: list[tuple[int, list[str]]],
                                    columns: dict[str, int]) -> None:
    """Refuse up front a CSV whose plan would pass the plan size limit, estimated from its first rows."""
    plan = _empty_plan(path.stem)
    empty = len(dumps(plan).encode("utf-8"))
    _build(plan, _rows(plan, sample, columns, []), [])
    people = len(plan.scenario())
    if not people:
        return
    per_person = (len(dumps(plan).encode("utf-8")) - empty) / people
    rows = text.count("\n")
    estimate = empty + per_person * rows
    if estimate > MAX_BYTES:
        most = int((MAX_BYTES - empty) / per_person)
        raise PlanError(f"{path} has about {rows:,} rows: their plan would be about {too_large(int(estimate))}; "
                        "nothing was imported", f"split the CSV into files of at most {most:,} rows, each with the "
                        "header line, and import each as its own plan")


def _cell(values: list[str], columns: dict[str, int], name: str) -> str:
    """The cell of a field, trimmed, without the `'` an export put before a would-be formula."""
    index = columns.get(name)
    return restore_formula(values[index]).strip() if index is not None and index < len(values) else ""


def _rows(plan: Plan, records: Iterable[tuple[int, list[str]]], columns: dict[str, int],
          problems: list[Problem]) -> list[_Row]:
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    titles = plan.catalog.roles_by_title()
    for line, values in records:
        if not any(value.strip() for value in values):
            continue
        name = clean_line(_cell(values, columns, "name")).strip()
        if not name:
            problems.append(Problem("the name is empty", "fill in the name or remove the row", line=line))
            continue
        raw_id = clean_line(_cell(values, columns, "id"))
        person_id = raw_id if is_valid_id(raw_id) else slugify(raw_id or name, set(seen))
        if person_id in seen:
            problems.append(Problem(f"id {person_id!r} is also used on line {seen[person_id]}",
                                    "give each person their own id", line=line))
            continue
        try:
            person = _person(plan, values, columns, person_id, name, titles)
        except ValueError as error:
            problems.append(Problem(str(error), "fix the cell or leave it empty", line=line))
            continue
        broken = list(check_person(plan, Org(), person))
        if broken:
            problems += [Problem(violation.message, violation.hint, line=line) for violation in broken]
            continue
        seen[person_id] = line
        rows.append(_Row(line, person, clean_line(_cell(values, columns, "manager")),
                         [v.strip() for v in SEPARATOR.split(_cell(values, columns, "dotted_managers")) if v.strip()]))
    return rows


def _person(plan: Plan, values: list[str], columns: dict[str, int], person_id: str, name: str,
            titles: dict[str, str]) -> Person:
    title = clean_line(_cell(values, columns, "title")).strip()
    roles = tuple(v.strip() for v in SEPARATOR.split(_cell(values, columns, "roles")) if v.strip())
    if "roles" not in columns and title.casefold() in titles:
        roles = (titles[title.casefold()],)
    unknown = [role for role in roles if role not in plan.catalog.roles]
    if unknown:
        raise ValueError(f"unknown role {unknown[0]!r}")
    extra: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    if "responsibilities" in columns:
        held = {v.strip() for v in SEPARATOR.split(_cell(values, columns, "responsibilities")) if v.strip()}
        missing = sorted(held - set(plan.catalog.responsibilities))
        if missing:
            raise ValueError(f"unknown responsibility {missing[0]!r}")
        extra, dropped = plan.catalog.holdings(roles, held)
    return Person(person_id, name, title, roles, extra, dropped, _capacity(plan, _cell(values, columns, "capacity")),
                  _cell(values, columns, "vacant").casefold() in YES)


def _capacity(plan: Plan, text: str) -> float | None:
    if not text:
        return None
    try:
        hours = float(text)
    except ValueError:
        raise ValueError(f"capacity {text!r} is not a number of hours") from None
    if not math.isfinite(hours) or not 0 < hours <= MAX_HOURS:
        raise ValueError(f"capacity {text!r} is outside 0-{MAX_HOURS:g} hours")
    return None if hours == plan.settings.capacity_hours else hours


def _resolve(reference: str, ids: set[str], names: dict[str, list[str]]) -> tuple[str | None, str]:
    """The id a manager cell means (by id, else by name), or None with the reason."""
    if reference in ids:
        return reference, ""
    matches = names.get(reference.casefold(), [])
    if len(matches) == 1:
        return matches[0], ""
    if matches:
        return None, f"manager {reference!r} matches {len(matches)} people by name"
    return None, f"manager {reference!r} is neither an id nor a name in the file"


def _build(plan: Plan, rows: list[_Row], problems: list[Problem]) -> None:
    ids = {row.person.id for row in rows}
    names: dict[str, list[str]] = {}
    for row in rows:
        names.setdefault(row.person.name.casefold(), []).append(row.person.id)
    lines = {row.person.id: row.line for row in rows}
    reporting = []
    for row in rows:
        if row.manager:
            manager, why = _resolve(row.manager, ids, names)
            if manager is None or manager == row.person.id:
                problems.append(Problem(why or "a person cannot manage themselves", "use the manager's id or their "
                                        "exact name; the person is left without a manager", line=row.line))
            else:
                reporting.append((manager, row.person.id))
    org = plan.scenarios[DEFAULT_SCENARIO] = Org.build((row.person for row in rows), reporting)
    for cycle in find_cycles(org):
        first = min(cycle, key=lambda pid: lines[pid])
        problems.append(Problem(f"reporting lines make a loop: {' -> '.join([*cycle, cycle[0]])}",
                                "give one of them a manager outside the loop", line=lines[first]))
        org.set_manager(first, None)
    for row in rows:
        if row.dotted:
            _add_dotted_lines(plan, org, row, ids, names, problems)


def _add_dotted_lines(plan: Plan, org: Org, row: _Row, ids: set[str], names: dict[str, list[str]],
                      problems: list[Problem]) -> None:
    """Give a row's person the dotted lines it names, or none if they break a rule."""
    dotted = []
    for reference in row.dotted:
        manager, why = _resolve(reference, ids, names)
        if manager is None:
            problems.append(Problem(f"dotted line: {why}", "use an id or an exact name; the line is left out",
                                    line=row.line))
        else:
            dotted.append(manager)
    person = replace(org.person(row.person.id), dotted_managers=tuple(dict.fromkeys(dotted)))
    org.put(person)
    for violation in person_violations(plan, org, person):
        problems.append(Problem(violation.message, violation.hint, line=row.line))
        org.put(replace(person, dotted_managers=()))
