"""Every edit as plain data (JSON and TOML can hold it) and back: what a room relays and a journal keeps.

An edit becomes a table tagged with its class name, `{"type": "MovePerson", "scenario": ..., ...}`; the
people, catalog items and settings it holds become tagged tables too, tuples become lists, and a whole
scenario (which only the undo of a removed scenario holds) becomes its people in order and its reporting
lines. A field that is None is left out, since TOML has no null; reading it back gives None again.
"""

from __future__ import annotations

from dataclasses import MISSING, fields, is_dataclass
from typing import Any

from planner.model.catalog import Responsibility, Role
from planner.model.edits import (
    AddPerson,
    Batch,
    Edit,
    MovePerson,
    PutResponsibility,
    PutRole,
    RemovePerson,
    RemoveResponsibility,
    RemoveRole,
    SetSettings,
    UpdatePerson,
)
from planner.model.errors import PlanError
from planner.model.org import Org, Person
from planner.model.scenarios import AddScenario, RemoveScenario, RenameScenario, RestoreScenario
from planner.model.settings import Settings

EDIT_TYPES: tuple[type[Edit], ...] = (
    AddPerson, RemovePerson, MovePerson, UpdatePerson, PutResponsibility, RemoveResponsibility, PutRole, RemoveRole,
    SetSettings, Batch, AddScenario, RemoveScenario, RestoreScenario, RenameScenario,
)
_RECORDS: tuple[type, ...] = (Person, Responsibility, Role, Settings)
_KNOWN: dict[str, type] = {kind.__name__: kind for kind in (*EDIT_TYPES, *_RECORDS)}
_ORG = "Org"


class UnreadableEdit(PlanError):
    """Data that does not describe an edit this version knows."""


def encode_edit(edit: Edit) -> dict[str, Any]:
    """The edit as plain data: tables, lists, text, numbers and true/false only."""
    data = _plain(edit)
    assert isinstance(data, dict)
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Org):
        return _org_data(value)
    if is_dataclass(value) and isinstance(value, (Edit, *_RECORDS)):
        data = {"type": type(value).__name__}
        for item in fields(value):
            field_value = getattr(value, item.name)
            if field_value is not None:
                data[item.name] = _plain(field_value)
        return data
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"an edit holds a {type(value).__name__}, which has no plain form")


def _org_data(org: Org) -> dict[str, Any]:
    """A scenario: its people in the order they were added, and its reporting lines as [manager, report]."""
    return {"type": _ORG, "people": [_plain(person) for person in org.people()],
            "lines": [[manager, report] for manager, report in org.graph.edges]}


def decode_edit(data: Any) -> Edit:
    """The edit `encode_edit` made `data` from; UnreadableEdit when `data` describes none."""
    try:
        edit = _record(data)
    except (TypeError, ValueError, KeyError) as error:
        raise UnreadableEdit(f"not an edit: {error}") from None
    if not isinstance(edit, Edit):
        raise UnreadableEdit("not an edit: the data holds no edit")
    return edit


def _record(data: Any) -> Any:
    if isinstance(data, list):
        return tuple(_record(item) for item in data)
    if not isinstance(data, dict):
        return data
    name = data.get("type")
    if name == _ORG:
        return _org(data)
    kind = _KNOWN.get(name) if isinstance(name, str) else None
    if kind is None:
        raise ValueError(f"unknown type {name!r}")
    values = {key: _record(value) for key, value in data.items() if key != "type"}
    for item in fields(kind):
        if item.name not in values and item.default is MISSING and item.default_factory is MISSING:
            values[item.name] = None
    return kind(**values)


def _org(data: dict[str, Any]) -> Org:
    org = Org()
    for person in _record(data["people"]):
        if not isinstance(person, Person):
            raise ValueError("a scenario holds something other than people")
        org.put(person)
    lines = [(manager, report) for manager, report in data["lines"]]
    if any(manager not in org or report not in org for manager, report in lines):
        raise ValueError("a reporting line names someone not in the scenario")
    org.add_reporting_lines(lines)
    return org
