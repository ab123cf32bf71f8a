"""Markdown reports: the same content as the text report, as headings and tables."""

from __future__ import annotations

import re

from planner.analysis.compare import Comparison
from planner.analysis.report import Analysis
from planner.render.text import assumption_line, band_label, change_text

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def escape(text: str) -> str:
    """Text as literal Markdown: characters that format mid-line are escaped, newlines become spaces."""
    return _SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(" --- " for _ in header) + "|",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def _outline(analysis: Analysis) -> list[str]:
    """The org as a nested list, managers before their reports."""
    depth: dict[str, int] = {}
    lines = []
    for person_id, person in analysis.people.items():
        depth[person_id] = depth[person.manager] + 1 if person.manager is not None else 0
        title = f" · {escape(person.title)}" if person.title else ""
        vacant = " (open position)" if person.vacant else ""
        lines.append(f"{'  ' * depth[person_id]}- **{escape(person.name)}**{title}{vacant}: {person.load.band.value}")
    return lines


def analysis_markdown(analysis: Analysis) -> str:
    """The full report of one scenario as Markdown."""
    shape = analysis.shape
    lines = [
        f"# {escape(analysis.plan_name)}: scenario {escape(analysis.scenario)}", "",
        f"{shape.headcount} people ({shape.filled} filled, {shape.vacancies} open) on {shape.layers} layers; "
        f"{shape.managers} managers, mean span {shape.mean_span:.1f}.", "", "## Organisation", "",
        *_outline(analysis), "", "## Team sizes", "",
    ]
    lines += _table(["Manager", "Span", "Team", "Layers", "Archetype range", "Span check"], [
        [escape(p.name), str(p.team.span), str(p.team.team_size), str(p.team.layers_below), p.span.range_text,
         p.span.status]
        for p in analysis.people.values() if p.span is not None
    ])
    functions = analysis.functions
    lines += ["", f"**Sales vs marketing:** {escape(functions.summary)}.", ""]
    for team in (functions.sales, functions.marketing):
        managers = ", ".join(escape(analysis.people[m].name) for m in team.managers) or "no manager"
        lines.append(f"- {team.function}: {team.members} in the function ({team.team_members} team members), "
                     f"managed by {managers}, {team.under_managers} people under them")
    lines += ["", f"*Context: {escape(functions.context)}.*"]
    for role in analysis.merged_roles:
        lines += ["", f"## Merged role: {escape(role.name)}", "", escape(role.verdict), ""]
        lines += _table(["Role held alone", "Work h", "Reports", "Management h", "Demand h", "Band"], [
            [escape(part.role_title), f"{part.responsibility_hours:.1f}", str(part.reports),
             f"{part.management_hours:.1f}", f"{part.demand_hours:.1f}", band_label(part.band)]
            for part in role.parts
        ])
    lines += ["", "## Load", ""]
    ranked = sorted(analysis.people.values(), key=lambda p: -p.load.utilisation)
    lines += _table(["Person", "Title", "Demand h", "Capacity h", "Use", "Band"], [
        [escape(p.name) + (" (open)" if p.vacant else ""), escape(p.title), f"{p.load.demand_hours:.1f}",
         f"{p.load.capacity_hours:g}", f"{p.load.utilisation:.0%}", band_label(p.load.band)]
        for p in ranked
    ])
    for person in ranked:
        if person.load.band.rank or (person.span and person.span.status != "within"):
            lines += ["", f"### {escape(person.name)}", "", *(f"- {escape(reason)}" for reason in person.reasons)]
    lines += ["", "## Health checks", ""]
    lines += [f"- **{escape(check.title)}**: {escape(check.detail)}" for check in analysis.health] or ["Nothing to report."]
    lines += ["", "## Assumptions and sources", ""]
    lines += [f"- {escape(assumption_line(item))}" for item in analysis.assumptions]
    return "\n".join(lines) + "\n"


def comparison_markdown(comparison: Comparison) -> str:
    """Two scenarios side by side as Markdown."""
    a, b = escape(comparison.before_label), escape(comparison.after_label)
    (h1, h2), (v1, v2) = comparison.headcount, comparison.vacancies
    lines = [f"# Compare {a} with {b}", "", f"Headcount {h1} → {h2} ({h2 - h1:+d}); open positions {v1} → {v2}.", ""]
    lines += _table(["Person", "Team", "Span", "Demand h", "Band", "Change"], [
        [escape(d.name), change_text(d.before, d.after, lambda s: s.team_size), change_text(d.before, d.after, lambda s: s.span),
         change_text(d.before, d.after, lambda s: s.demand_hours, "{:.1f}"),
         change_text(d.before, d.after, lambda s: s.band.value), d.status]
        for d in comparison.people
    ])
    for label, items in (("gained", comparison.responsibilities_gained), ("lost", comparison.responsibilities_lost)):
        if items:
            lines += ["", f"Responsibilities {label}: {escape(', '.join(items))}"]
    for label, roles in zip((a, b), comparison.merged_roles):
        lines += [f"\nMerged role in {label}: {escape(role.verdict)}" for role in roles]
    return "\n".join(lines) + "\n"
