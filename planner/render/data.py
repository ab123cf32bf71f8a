"""The analysis as JSON-ready data: stable keys, documented in docs/report-json.md."""

from __future__ import annotations

import dataclasses
import json
from enum import Enum
from typing import Any

from planner.analysis.compare import Comparison
from planner.analysis.report import Analysis

REPORT_FORMAT = "org-planner-report"
COMPARE_FORMAT = "org-planner-compare"
JSON_VERSION = 2


def _plain(value: Any) -> Any:
    """Dataclasses, enums, tuples and dicts as JSON values."""
    if dataclasses.is_dataclass(value):
        return {field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, float):
        return round(value, 4)
    return value


def analysis_data(analysis: Analysis) -> dict[str, Any]:
    """The analysis as plain data, people as a list in reporting order."""
    data = _plain(analysis)
    data["people"] = [
        {**item, "reasons": list(person.reasons), "summary": person.summary}
        for item, person in zip(data["people"].values(), analysis.people.values())
    ]
    return {"format": REPORT_FORMAT, "version": JSON_VERSION, **data}


def comparison_data(comparison: Comparison) -> dict[str, Any]:
    """The comparison as plain data."""
    return {"format": COMPARE_FORMAT, "version": JSON_VERSION, **_plain(comparison)}


def to_json(data: dict[str, Any]) -> str:
    """Indented JSON with a trailing newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
