"""The analysis as JSON: stable keys, documented in docs/report-json.md, written piece by piece.

The text is exactly what `json.dumps(data, indent=2, ensure_ascii=False)` gives for the plain data
(`_plain`), but it is made a person at a time, and each object that many people share (a load, a
span check, a team size, the reasons) is encoded once: a large report never exists as one value.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Mapping
from enum import Enum
from json.encoder import encode_basestring
from typing import Any

from planner.analysis.compare import Comparison
from planner.analysis.report import Analysis, PersonResult

REPORT_FORMAT = "org-planner-report"
COMPARE_FORMAT = "org-planner-compare"
JSON_VERSION = 2
PERSON_FIELDS = tuple(field.name for field in dataclasses.fields(PersonResult))
_PERSON_LEVEL = 2  # a person's object sits in the report's "people" list


def _plain(value: Any) -> Any:
    """Dataclasses, enums, tuples and dicts as JSON values."""
    if dataclasses.is_dataclass(value):
        return {field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, float):
        return round(value, 4)
    return value


def analysis_data(analysis: Analysis) -> dict[str, Any]:
    """The analysis as plain data, people as a list in reporting order: what analysis_json writes."""
    data = _plain(analysis)
    data["people"] = [
        {**item, "reasons": list(person.reasons), "summary": person.summary}
        for item, person in zip(data["people"].values(), analysis.people.values())
    ]
    return {"format": REPORT_FORMAT, "version": JSON_VERSION, **data}


def _text(value: Any, level: int) -> str:
    """A value's indented JSON as it reads `level` levels deep in a document."""
    return json.dumps(_plain(value), indent=2, ensure_ascii=False).replace("\n", "\n" + "  " * level)


def _leaf(value: Any, level: int) -> str:
    """_text, quicker for the texts, flags and lists of ids a person holds."""
    if isinstance(value, str) and not isinstance(value, Enum):
        return encode_basestring(value)
    if value is None or isinstance(value, bool):
        return "null" if value is None else "true" if value else "false"
    if isinstance(value, tuple) and all(isinstance(item, str) for item in value):
        return _layout([encode_basestring(item) for item in value], "[]", level)
    return _text(value, level)


def _layout(items: list[str], brackets: str, level: int) -> str:
    """Items' JSON in brackets at `level`, one a line, as json.dumps lays them out."""
    if not items:
        return brackets
    inner = "\n" + "  " * (level + 1)
    return brackets[0] + inner + ("," + inner).join(items) + "\n" + "  " * level + brackets[1]


def _members(pairs: list[tuple[str, str]]) -> list[str]:
    """Object members from keys and the JSON text of their values."""
    return [f"{encode_basestring(key)}: {text}" for key, text in pairs]


class _Shared:
    """The JSON text of each shared object, made once; it keeps the objects so their ids stay theirs."""

    def __init__(self) -> None:
        self._texts: dict[tuple[int, int], tuple[object, str]] = {}

    def text(self, value: object, level: int) -> str:
        key = (id(value), level)
        known = self._texts.get(key)
        if known is None:
            known = self._texts[key] = (value, _text(value, level))
        return known[1]


def _person(person: PersonResult, shared: _Shared, reasons: dict[tuple[int, int], tuple[str, ...]]) -> str:
    """One person's object in the report."""
    level = _PERSON_LEVEL + 1
    values = [(name, getattr(person, name)) for name in PERSON_FIELDS]
    pairs = [(name, shared.text(value, level) if dataclasses.is_dataclass(value) else _leaf(value, level))
             for name, value in values]
    because = (id(person.load), id(person.span))
    if because not in reasons:
        reasons[because] = person.reasons
    pairs += [("reasons", shared.text(reasons[because], level)), ("summary", _leaf(person.summary, level))]
    return _layout(_members(pairs), "{}", _PERSON_LEVEL)


def _people(analysis: Analysis) -> Iterator[str]:
    """The "people" list, a person at a time."""
    if not analysis.people:
        yield "[]"
        return
    shared = _Shared()
    reasons: dict[tuple[int, int], tuple[str, ...]] = {}
    separator = "[\n" + "  " * _PERSON_LEVEL
    for person in analysis.people.values():
        yield separator + _person(person, shared, reasons)
        separator = ",\n" + "  " * _PERSON_LEVEL
    yield "\n" + "  " * (_PERSON_LEVEL - 1) + "]"


def analysis_json(analysis: Analysis, comparison: Comparison | None = None) -> Iterator[str]:
    """The report's JSON in pieces, with a trailing newline; `comparison` adds the compare JSON as "comparison"."""
    names = [field.name for field in dataclasses.fields(analysis)]
    before, after = names[:names.index("people")], names[names.index("people") + 1:]
    head = [("format", _leaf(REPORT_FORMAT, 1)), ("version", str(JSON_VERSION))]
    head += [(name, _text(getattr(analysis, name), 1)) for name in before]
    tail = [(name, _text(getattr(analysis, name), 1)) for name in after]
    if comparison is not None:
        tail.append(("comparison", _text(comparison_data(comparison), 1)))
    yield "{\n  " + "".join(member + ",\n  " for member in _members(head)) + '"people": '
    yield from _people(analysis)
    yield "".join(",\n  " + member for member in _members(tail)) + "\n}\n"


def comparison_data(comparison: Comparison) -> dict[str, Any]:
    """The comparison as plain data."""
    return {"format": COMPARE_FORMAT, "version": JSON_VERSION, **_plain(comparison)}


def to_json(data: dict[str, Any]) -> str:
    """Indented JSON with a trailing newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
