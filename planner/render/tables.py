"""CSV: one row per person, the same columns `planner import` reads back."""

from __future__ import annotations

import csv
import io

from planner.analysis import Analysis
from planner.model.plan import Plan

CSV_COLUMNS = ("id", "name", "title", "manager_id", "roles", "responsibilities", "capacity", "demand", "band",
               "vacant", "dotted_managers")
LIST_SEPARATOR = ";"


def people_csv(plan: Plan, analysis: Analysis) -> str:
    """Every person of the analysed scenario: who, where, what they hold, and their load."""
    org = plan.scenario(analysis.scenario)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for person_id, result in analysis.people.items():
        person = org.person(person_id)
        writer.writerow([
            person_id, result.name, result.title, result.manager or "", LIST_SEPARATOR.join(person.roles),
            LIST_SEPARATOR.join(item.id for item in result.load.responsibilities),
            f"{result.load.capacity_hours:g}", f"{result.load.demand_hours:.1f}", result.load.band.value,
            "yes" if person.vacant else "", LIST_SEPARATOR.join(person.dotted_managers),
        ])
    return buffer.getvalue()
