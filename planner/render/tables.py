"""CSV: one row per person, the same columns `planner import` reads back.

Cells a spreadsheet would run as formulas get a leading `'` (OWASP, CSV injection) unless `raw`;
`planner import` drops that `'` again, so an export reads back exactly.
"""

from __future__ import annotations

import csv
import io

from planner.analysis import Analysis
from planner.model.plan import Plan
from planner.model.text import neutralise_formula

CSV_COLUMNS = ("id", "name", "title", "manager_id", "roles", "responsibilities", "capacity", "demand", "band",
               "vacant", "dotted_managers")
LIST_SEPARATOR = ";"


def people_csv(plan: Plan, analysis: Analysis, raw: bool = False) -> str:
    """Every person of the analysed scenario: who, where, what they hold, and their load."""
    org = plan.scenario(analysis.scenario)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for person_id, result in analysis.people.items():
        person = org.person(person_id)
        cells = [
            person_id, result.name, result.title, result.manager or "", LIST_SEPARATOR.join(person.roles),
            LIST_SEPARATOR.join(item.id for item in result.load.responsibilities),
            f"{result.load.capacity_hours:g}", f"{result.load.demand_hours:.1f}", result.load.band.value,
            "yes" if person.vacant else "", LIST_SEPARATOR.join(person.dotted_managers),
        ]
        writer.writerow(cells if raw else [neutralise_formula(cell) for cell in cells])
    return buffer.getvalue()
