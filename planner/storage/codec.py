"""The plan file format: TOML text <-> Plan, with every problem reported at once."""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from itertools import accumulate, islice
from typing import Any, get_type_hints

import tomli_w

from planner.model.bulk import collector_paused
from planner.model.catalog import Catalog, Responsibility, Role, default_catalog
from planner.model.errors import PlanFileError, Problem
from planner.model.org import Org, Person
from planner.model.plan import DEFAULT_SCENARIO, Plan
from planner.model.rules import (
    Violation,
    check_responsibility,
    check_role,
    check_settings,
    check_text,
    cycle_violation,
    find_cycles,
    person_violations,
    plain_own_fields,
    plainly_valid,
)
from planner.model.settings import COST_LABELS, LEGACY_SETTINGS, Settings, from_legacy
from planner.model.text import clean_line, clean_multiline
from planner.storage.locate import LineIndex, Path

SCHEMA_VERSION = 1
MAX_BYTES = 64 * 1024 * 1024
MAX_KEY_PARTS = 8
MAX_NESTING = 16

Checker = Callable[[Any], bool]


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _is_table(value: Any) -> bool:
    return isinstance(value, dict)


def _is_table_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


_TYPE_WORDS: dict[Checker, str] = {
    _is_text: 'a text in quotes, like "Ana"',
    _is_number: "a number, like 40 or 1.5",
    _is_bool: "true or false",
    _is_text_list: 'a list of texts, like ["a", "b"]',
    _is_table: "a table",
    _is_table_list: "an array of tables ([[...]])",
}

TOP_KEYS: dict[str, Checker] = {
    "schema": _is_number, "name": _is_text, "description": _is_text, "settings": _is_table, "catalog": _is_table,
    "people": _is_table_list, "scenarios": _is_table_list,
}
SETTINGS_KEYS: dict[str, Checker] = {name: _is_number for name in (*Settings.names(), *LEGACY_SETTINGS)} | {
    name: _is_text for name in COST_LABELS}
CATALOG_KEYS: dict[str, Checker] = {"responsibilities": _is_table_list, "roles": _is_table_list}
_CHECKER_OF_TYPE: dict[object, Checker] = {
    str: _is_text, str | None: _is_text, float: _is_number, float | None: _is_number, bool: _is_bool,
    tuple[str, ...]: _is_text_list,
}


def _keys_of(model: type, **more: Checker) -> dict[str, Checker]:
    """The keys of a table that holds a model dataclass: its fields with their types' checkers, and `more`."""
    hints = get_type_hints(model)
    return {each.name: _CHECKER_OF_TYPE[hints[each.name]] for each in fields(model)} | more


RESPONSIBILITY_KEYS = _keys_of(Responsibility)
ROLE_KEYS = _keys_of(Role)
SCENARIO_KEYS: dict[str, Checker] = {"name": _is_text, "people": _is_table_list}
# A person's manager is an edge of the org graph, not a field of Person.
PERSON_KEYS = _keys_of(Person, manager=_is_text)

SYNTAX_HINT_FALLBACK = "fix the TOML syntax at this spot (see toml.io for the rules)"
# How to fix each of tomllib's messages, matched by the start of the message (the first match wins).
_SYNTAX_HINTS = (
    ("Illegal character '\\n'", "a string runs to the end of the line: add its closing quote"),
    ("Illegal character", "remove control characters; write them as escapes like \\t inside strings"),
    ("Unterminated string", 'add the closing quote of the string ("..." on one line)'),
    ("Expected \"'''\"", "close the multi-line string with '''"),
    ("Expected \"'\"", "close the 'literal string' with ' on the line where it starts"),
    ("Unclosed array", "close the list with ] after its last item, with commas between its items"),
    ("Unclosed inline table", "close the { ... } table with } on the line where it starts"),
    ("Expected ']]'", "close the header with ]], as in [[people]]: two brackets on each side"),
    ("Expected ']'", "close the header with ], as in [settings]"),
    ("Expected '='", 'put = between the key and its value, as in name = "Ana Lee"'),
    ("Expected newline", "put each key = value on a line of its own; a # comment may end the line"),
    ("Invalid initial character for a key part", 'a key is letters, digits, _ and -, or "quoted"; '
     "a line holds a key = value, a [header] or a # comment"),
    ("Invalid statement", "a line holds a key = value, a [table] or [[list of tables]] header, or a # comment"),
    ("Invalid value", 'check the value: texts need "quotes", lists need [brackets] and commas, true/false in lower case'),
    ("Invalid date", "write dates as 2026-11-29, or put the value in quotes"),
    ("Invalid hex value", "a \\u escape needs 4 hex digits and \\U 8, as in \\u00e9"),
    ("Escaped character", "a \\u or \\U escape must name a Unicode character"),
    ("Unescaped '\\'", "write a backslash in a string as \\\\, or use a 'literal string'"),
    ("Found invalid character", "remove the character, or put it inside a quoted string"),
    ("Cannot overwrite", "a key or table appears twice: keep one of them"),
    ("Cannot declare", "a table is declared twice or clashes with a key: keep one"),
    ("Cannot redefine", "a table is declared twice or clashes with a key: keep one"),
    ("Cannot mutate", "a table given inline { ... } or as a list cannot get more keys later: move them into it"),
    ("Duplicate inline table key", "a key appears twice inside { ... }: keep one of them"),
)


def _syntax_hint(message: str) -> str:
    """How to fix a TOML syntax error tomllib reported with this message."""
    for start, hint in _SYNTAX_HINTS:
        if message.startswith(start):
            return hint
    return SYNTAX_HINT_FALLBACK


class _Decoder:
    """Turns parsed TOML into a Plan, collecting every problem with its path."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, path: Path, message: str, hint: str = "") -> None:
        self.problems.append(Problem(message, hint, path))

    def table(self, data: dict[str, Any], path: Path, keys: dict[str, Checker], what: str, required: tuple[str, ...] = ()) -> dict[str, Any]:
        """The known keys of a table with the right types; unknown and mistyped ones become problems."""
        result = {}
        for key, value in data.items():
            checker = keys.get(key)
            if checker is None:
                near = difflib.get_close_matches(key, keys, n=1)
                hint = f"did you mean {near[0]!r}?" if near else f"known keys here: {', '.join(keys)}"
                self.problem((*path, key), f"unknown key {key!r} in {what}", hint)
            elif not checker(value):
                self.problem((*path, key), f"{key!r} in {what} should be {_TYPE_WORDS[checker]}",
                             f"got {_describe(value)}")
            elif isinstance(value, float) and not math.isfinite(value):
                self.problem((*path, key), f"{key!r} in {what} is {value}", "use a finite number")
            else:
                result[key] = value
        for key in required:
            if key not in data:
                self.problem(path, f"{what} has no {key!r}", f"add {key} = ... to it")
        return result

    def violations(self, path: Path, found: Iterable[Violation]) -> None:
        """Record rule violations as problems at their keys."""
        for violation in found:
            key_path = (*path, violation.key) if violation.key else path
            self.problem(key_path, violation.message, violation.hint)

    def decode(self, data: dict[str, Any]) -> Plan:
        top = self.table(data, (), TOP_KEYS, "the plan", ("name",))
        settings = self.settings(top.get("settings", {}), builtin_catalog="catalog" not in top)
        catalog = self.catalog(top["catalog"]) if "catalog" in top else default_catalog()
        plan = Plan(clean_line(top.get("name", "")), clean_multiline(top.get("description", "")), settings, catalog, {})
        self.violations((), check_text(plan.name, "the plan's name", "name", required=True))
        self.scenarios(plan, top)
        return plan

    def settings(self, data: dict[str, Any], builtin_catalog: bool) -> Settings:
        values = self.table(data, ("settings",), SETTINGS_KEYS, "[settings]")
        labels = {name: clean_line(values.pop(name, "")) for name in COST_LABELS}
        figures, untranslated = from_legacy({key: float(value) for key, value in values.items()}, builtin_catalog)
        for key, message, hint in untranslated:
            self.problem(("settings", key), message, hint)
        settings = Settings(**figures, currency=labels["currency"], cost_note=labels["cost_note"])
        self.violations(("settings",), check_settings(settings))
        return settings

    def catalog(self, data: dict[str, Any]) -> Catalog:
        values = self.table(data, ("catalog",), CATALOG_KEYS, "[catalog]")
        catalog = Catalog()
        for index, raw in enumerate(values.get("responsibilities", [])):
            path = ("catalog", "responsibilities", index)
            required = ("id", "title", "function", "hours")
            item = self.table(raw, path, RESPONSIBILITY_KEYS, "a catalog responsibility", required)
            if not all(key in item for key in required):
                continue
            responsibility = Responsibility(
                item["id"], clean_line(item["title"]), item["function"], float(item["hours"]),
                clean_line(item.get("source", "")), float(item.get("hours_per_report", 0.0)),
            )
            if self.unique(catalog.responsibilities, responsibility.id, path, "responsibility"):
                catalog.responsibilities[responsibility.id] = responsibility
                self.violations(path, check_responsibility(responsibility))
        role_paths = {}
        for index, raw in enumerate(values.get("roles", [])):
            path = ("catalog", "roles", index)
            item = self.table(raw, path, ROLE_KEYS, "a catalog role", ("id", "title"))
            if "id" not in item or "title" not in item:
                continue
            role = Role(
                item["id"], clean_line(item["title"]), item.get("function", ""),
                tuple(item.get("responsibilities", ())), item.get("manager", False), tuple(item.get("combines", ())),
                clean_line(item.get("note", "")), clean_line(item.get("purpose", "")), _optional(item.get("cost")),
            )
            if self.unique(catalog.roles, role.id, path, "role"):
                catalog.roles[role.id] = role
                role_paths[role.id] = path
        for role_id, path in role_paths.items():
            self.violations(path, check_role(catalog, catalog.roles[role_id]))
        return catalog

    def unique(self, known: dict[str, Any], item_id: str, path: Path, what: str) -> bool:
        if item_id in known:
            self.problem((*path, "id"), f"{what} id {item_id!r} is used twice", "give each one its own id")
            return False
        return True

    def scenarios(self, plan: Plan, top: dict[str, Any]) -> None:
        if "people" in top and "scenarios" in top:
            self.problem(("scenarios",), "the plan has both [[people]] and [[scenarios]]",
                         "put the people inside their scenarios, or keep one scenario as [[people]]")
        if "scenarios" not in top:
            plan.scenarios[DEFAULT_SCENARIO] = self.org(plan, top.get("people", []), ("people",))
            return
        if not top["scenarios"]:
            self.problem(("scenarios",), "the plan has no scenario", "add one [[scenarios]] with a name")
        for index, raw in enumerate(top["scenarios"]):
            path = ("scenarios", index)
            item = self.table(raw, path, SCENARIO_KEYS, "a scenario", ("name",))
            name = clean_line(item.get("name", ""))
            if not name.strip():
                if "name" in item:
                    self.problem((*path, "name"), "a scenario's name is empty", "give it a name")
                continue
            if name in plan.scenarios:
                self.problem((*path, "name"), f"scenario name {name!r} is used twice", "rename one of them")
            else:
                plan.scenarios[name] = self.org(plan, item.get("people", []), (*path, "people"))

    def org(self, plan: Plan, tables: list[dict[str, Any]], path: Path) -> Org:
        """The org of a scenario's person tables, which it empties as it reads them (see `people`)."""
        read = _ScenarioRead()
        # Org.build takes every person before the first line, so the lines see everyone read.
        org = Org.build(self.people(plan.catalog, tables, path, read), self.reporting_lines(read, path))
        for cycle in find_cycles(org):
            self.violations((*path, read.rows[min(cycle)], "manager"), [cycle_violation(cycle)])
        for person in read.unchecked:
            if not plainly_valid(plan, org, person):
                self.violations((*path, read.rows[person.id]), person_violations(plan, org, person))
        return org

    def people(self, catalog: Catalog, tables: list[dict[str, Any]], path: Path, read: _ScenarioRead) -> Iterator[Person]:
        """The person of each table, the first of each id, noting in `read` what the checks after the graph need.

        It takes each table out of `tables` as it reads it, so the memory the table held goes to the
        people read next: letting every table go at the end made opening 10,000 people 2% slower.
        """
        tables.reverse()  # popped from the end, they come in file order
        rows, managers, unchecked = read.rows, read.managers, read.unchecked
        for index in range(len(tables)):
            raw = item = tables.pop()
            person = _plain_person(raw)
            if person is None:
                item = self.table(raw, (*path, index), PERSON_KEYS, "a person", ("id",))
                person = _plain_person(item)
                if person is None:  # a checked table is plain: it has no id
                    continue
            person_id = person.id
            if person_id in rows:
                self.unique(rows, person_id, (*path, index), "person")
                continue
            rows[person_id] = index
            if "manager" in item:
                managers[person_id] = item["manager"]
            if person.dotted_managers or not plain_own_fields(catalog, person):
                unchecked.append(person)
            yield person

    def reporting_lines(self, read: _ScenarioRead, path: Path) -> Iterator[tuple[str, str]]:
        """Each (manager, report) line between the people read; a line to someone unknown is a problem instead."""
        for person_id, manager in read.managers.items():
            if manager in read.rows:
                yield manager, person_id
            else:
                self.problem((*path, read.rows[person_id], "manager"), f"person {person_id!r} reports to unknown "
                             f"person {manager!r}", "use the id of someone in this scenario, or remove the manager line")


@dataclass
class _ScenarioRead:
    """What reading a scenario's people notes for the checks after its graph is built."""

    rows: dict[str, int] = field(default_factory=dict)  # each person's index among the tables
    managers: dict[str, str] = field(default_factory=dict)  # each person's manager as the file names them
    unchecked: list[Person] = field(default_factory=list)  # people the quick check of their own fields did not clear


# For each key of a person's table: the type of its value in a well-formed file, and how a text of it is cleaned.
_EXACT_TYPES: dict[Checker, type] = {_is_text: str, _is_number: float, _is_bool: bool, _is_text_list: list}
_CLEANERS: dict[str, Callable[[str], str]] = {"name": clean_line, "title": clean_line, "notes": clean_multiline}
_PERSON_KEY_RULES: dict[str, tuple[type | None, Callable[[str], str] | None]] = {
    key: (_EXACT_TYPES[checker], _CLEANERS.get(key)) for key, checker in PERSON_KEYS.items()}
_UNKNOWN_KEY: tuple[type | None, None] = (None, None)
_is_str = str.__instancecheck__  # isinstance(value, str), called by map without a Python frame
# A person's fields as a table that leaves them out means them (a table always has an id; no name reads as empty).
_PERSON_DEFAULTS: dict[str, Any] = {each.name: each.default for each in fields(Person)} | {"id": "", "name": ""}


def _plain_person(raw: dict[str, Any]) -> Person | None:
    """The person of a table with an id and only known keys of the right types; None means "check it key by key"."""
    values = _PERSON_DEFAULTS | raw
    for key, value in raw.items():
        expected, clean = _PERSON_KEY_RULES.get(key, _UNKNOWN_KEY)
        kind = type(value)
        if kind is str:
            if expected is not str:
                return None
            if clean is not None and not value.isprintable():  # a printable text is clean as it is
                values[key] = clean(value)
        elif kind is list:
            if expected is not list or not all(map(_is_str, value)):
                return None
            values[key] = tuple(value)
        elif kind is float or kind is int:
            if expected is not float or (kind is float and not math.isfinite(value)):
                return None
            if kind is int:
                values[key] = float(value)
        elif kind is not expected:
            return None
    if "id" not in raw:
        return None
    values.pop("manager", None)
    return Person.from_fields(values)


def _optional(number: float | None) -> float | None:
    """An optional number of the file as a float."""
    return None if number is None else float(number)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"[:80]


def _decode_text(raw: bytes, source: str) -> str:
    """The file's text, or a PlanFileError for oversize files and invalid UTF-8."""
    if len(raw) > MAX_BYTES:
        raise PlanFileError(source, [Problem(
            f"the file is {len(raw) / 1e6:.1f} MB, more than the {MAX_BYTES / 1e6:.0f} MB a plan may be",
            "split it into smaller plans, or check this is the right file")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise PlanFileError(source, [Problem(
            f"the file is not valid UTF-8 (byte 0x{raw[error.start]:02x})",
            "save the file as UTF-8 in your editor", line=line, column=column)]) from None


def _without_bom(text: str, source: str) -> str:
    """The text without its byte-order mark; a second one is refused like any other encoding problem."""
    text = text.removeprefix("\ufeff")
    if text.startswith("\ufeff"):
        raise PlanFileError(source, [Problem(
            "the file starts with two byte-order marks (U+FEFF), which is not valid UTF-8 text",
            "save the file as UTF-8 in your editor", line=1, column=1)])
    return text


# Strings and comments, so the scan below sees only the structure around them.
_STRING_OR_COMMENT = re.compile(
    r'"""(?:[^"\\]|\\[\s\S]|"(?!""))*"{3,5}|\'\'\'[\s\S]*?\'{3,5}|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*')
_LONG_KEY = re.compile(rf"\.[ \t]*+[A-Za-z0-9_-]++(?:[ \t]*+\.[ \t]*+[A-Za-z0-9_-]++){{{MAX_KEY_PARTS - 1},}}+")
_BRACKET = re.compile(r"[\[\]{}]")
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_TOO_DEEP_HINT = "a plan needs only a few levels: remove the deep nesting"


def _blank(match: re.Match[str]) -> str:
    """A string becomes one bare character (a comment nothing), keeping its line breaks."""
    found = match.group()
    return "" if found.startswith("#") else "_" + "\n" * found.count("\n")


def _depths(brackets: str) -> Iterator[int]:
    """The nesting depth after each bracket of a text made only of brackets."""
    return accumulate(map(_DEPTH_STEP.__getitem__, brackets))


# A key of more than MAX_KEY_PARTS parts has that many dots, outside strings, on one line.
_MANY_DOTS = re.compile(r"\.(?:[^.\n]*+\.){%d}" % (MAX_KEY_PARTS - 1))
_OTHER_BYTES = bytes(byte for byte in range(256) if byte not in b"\"'#[]{}")
_SQUARE = bytes.maketrans(b"{}", b"[]")
_APOSTROPHES_ONLY = re.compile(rb"\"'+\"")


def _plainly_shaped(text: str) -> bool:
    """A quick proof, for files like those the planner writes, that no key is long and nothing nests deeply.

    With no comment, multi-line or literal string, once escaped quotes and the strings that hold no
    bracket (or only apostrophes) are gone, every bracket left is structure: pairs are taken out a
    level at a time. False means "scan it properly".
    """
    if '"""' in text or _MANY_DOTS.search(text):
        return False
    if "\\" in text:
        text = text.replace("\\\\", "").replace('\\"', "")
    marks = text.encode().translate(_SQUARE, _OTHER_BYTES)
    # Three apostrophes in a row stay in a row among the marks: a tenth of the text to search.
    if b"'''" in marks:
        return False
    skeleton = marks.replace(b'""', b"")
    if b"'" in skeleton:
        skeleton = _APOSTROPHES_ONLY.sub(b"", skeleton)
    if any(mark in skeleton for mark in (b'"', b"'", b"#")):
        return False
    for _ in range(MAX_NESTING):
        skeleton = skeleton.replace(b"[]", b"")
    return not skeleton


def _refuse_absurd_shapes(text: str, source: str) -> None:
    """Refuse keys of many parts and deep nesting before parsing, which costs the parser time and memory."""
    if not _plainly_shaped(text):
        _scan_shapes(text, source)


def _scan_shapes(text: str, source: str) -> None:
    """The full scan of _refuse_absurd_shapes: strings and comments blanked, every dotted key and bracket looked at."""
    skeleton = _STRING_OR_COMMENT.sub(_blank, text)
    if long_key := _LONG_KEY.search(skeleton):
        parts = long_key.group().count(".") + 1
        raise PlanFileError(source, [Problem(
            f"a dotted key has {parts} parts; a plan's keys have at most {MAX_KEY_PARTS}",
            "shorten the key (like settings.capacity_hours), or check this is a plan file",
            line=skeleton.count("\n", 0, long_key.start()) + 1)])
    brackets = _NOT_BRACKETS.sub("", skeleton)
    if max(_depths(brackets), default=0) > MAX_NESTING:
        too_deep = next(index for index, depth in enumerate(_depths(brackets)) if depth > MAX_NESTING)
        bracket = next(islice(_BRACKET.finditer(skeleton), too_deep, None))
        raise PlanFileError(source, [Problem(
            f"arrays or tables are nested more than {MAX_NESTING} levels deep", _TOO_DEEP_HINT,
            line=skeleton.count("\n", 0, bracket.start()) + 1)])


def _parse(text: str, source: str) -> dict[str, Any]:
    _refuse_absurd_shapes(text, source)
    try:
        with collector_paused():
            return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        where = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line, column = (int(where.group(1)), int(where.group(2))) if where else (None, None)
        text_message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
        if "(at end of document)" in message:  # something opened earlier is still open: point at the last line
            line, text_message = text.rstrip("\n").count("\n") + 1, f"{text_message} (the file ends before it is closed)"
        raise PlanFileError(source, [Problem(
            f"not valid TOML: {text_message}", _syntax_hint(text_message), line=line, column=column)]) from None
    except RecursionError:
        raise PlanFileError(source, [Problem(
            "the file nests arrays or tables too deeply to read", _TOO_DEEP_HINT)]) from None


def _check_schema(data: dict[str, Any], text: str, source: str) -> None:
    schema = data.get("schema")
    if isinstance(schema, int) and not isinstance(schema, bool) and 1 <= schema <= SCHEMA_VERSION:
        return
    line = LineIndex(text).line_of(("schema",))
    if schema is None:
        raise PlanFileError(source, [Problem(
            "the file has no schema version", f"add schema = {SCHEMA_VERSION} as the first line", line=1)])
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise PlanFileError(source, [Problem(
            f"schema should be a whole number like {SCHEMA_VERSION}", f"got {_describe(schema)}", line=line)])
    if schema > SCHEMA_VERSION:
        raise PlanFileError(source, [Problem(
            f"the plan uses schema version {schema}, newer than this program reads ({SCHEMA_VERSION})",
            f"upgrade Org Planner to a version that reads schema {schema}", line=line)])


def loads(text: str, source: str = "<plan>") -> Plan:
    """Read a plan from TOML text, or raise PlanFileError listing every problem."""
    text = _without_bom(text, source)
    data = _parse(text, source)
    _check_schema(data, text, source)
    decoder = _Decoder()
    with collector_paused():
        plan = decoder.decode(data)
    if decoder.problems:
        index = LineIndex(text)
        located = [
            Problem(p.message, p.hint, p.path, index.line_of(p.path) if p.path else p.line, p.column)
            for p in decoder.problems
        ]
        raise PlanFileError(source, located)
    return plan


def loads_bytes(raw: bytes, source: str = "<plan>") -> Plan:
    """Read a plan from the bytes of a file."""
    return loads(_decode_text(raw, source), source)


def to_data(plan: Plan) -> dict[str, Any]:
    """The plan as TOML-ready data, in a stable order."""
    data: dict[str, Any] = {"schema": SCHEMA_VERSION, "name": plan.name}
    if plan.description:
        data["description"] = plan.description
    data["settings"] = {name: float(getattr(plan.settings, name)) for name in Settings.names()}
    data["settings"] |= {name: getattr(plan.settings, name) for name in COST_LABELS if getattr(plan.settings, name)}
    data["catalog"] = {
        "responsibilities": [
            _responsibility_data(item)
            for item in sorted(plan.catalog.responsibilities.values(), key=lambda r: (r.function, r.id))
        ],
        "roles": [_role_data(role) for role in sorted(plan.catalog.roles.values(), key=lambda r: r.id)],
    }
    if list(plan.scenarios) == [DEFAULT_SCENARIO]:
        data["people"] = _people_data(plan.scenarios[DEFAULT_SCENARIO])
    else:
        data["scenarios"] = [{"name": name, "people": _people_data(org)} for name, org in plan.scenarios.items()]
    return data


def _responsibility_data(item: Responsibility) -> dict[str, Any]:
    data = {"id": item.id, "title": item.title, "function": item.function, "hours": float(item.hours)}
    if item.hours_per_report:
        data["hours_per_report"] = float(item.hours_per_report)
    if item.source:
        data["source"] = item.source
    return data


def _role_data(role: Role) -> dict[str, Any]:
    data: dict[str, Any] = {"id": role.id, "title": role.title}
    if role.function:
        data["function"] = role.function
    if role.combines:
        data["combines"] = list(role.combines)
    data["manager"] = role.manager
    data["responsibilities"] = list(role.responsibilities)
    if role.note:
        data["note"] = role.note
    if role.purpose:
        data["purpose"] = role.purpose
    if role.cost is not None:
        data["cost"] = float(role.cost)
    return data


def _people_data(org: Org) -> list[dict[str, Any]]:
    return [_person_data(org, person_id) for person_id in org.tree_order()]


def _person_data(org: Org, person_id: str) -> dict[str, Any]:
    person = org.person(person_id)
    data: dict[str, Any] = {"id": person.id, "name": person.name}
    if person.title:
        data["title"] = person.title
    if (manager := org.manager_of(person_id)) is not None:
        data["manager"] = manager
    for key in ("roles", "extra_responsibilities", "dropped_responsibilities", "dotted_managers"):
        if value := getattr(person, key):
            data[key] = list(value)
    if person.capacity_hours is not None:
        data["capacity_hours"] = float(person.capacity_hours)
    if person.vacant:
        data["vacant"] = True
    if person.archetype:
        data["archetype"] = person.archetype
    if person.notes:
        data["notes"] = person.notes
    if person.cost is not None:
        data["cost"] = float(person.cost)
    return data


def dumps(plan: Plan) -> str:
    """The plan as TOML text; the same plan always gives the same text."""
    return tomli_w.dumps(to_data(plan))
