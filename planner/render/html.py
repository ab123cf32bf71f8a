"""A client-ready HTML report: one self-contained file that prints well; every text escaped."""

from __future__ import annotations

from html import escape

from planner.analysis import Analysis, Band
from planner.analysis.compare import Comparison
from planner.render.text import assumption_line, change_text

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f1f3f5; }
.band-ok { color: #2b8a3e; } .band-stretched { color: #e67700; }
.band-overloaded { color: #c92a2a; font-weight: bold; } .band-critical { background: #c92a2a; color: #fff; font-weight: bold; }
.note { color: #555; font-style: italic; }
ul.outline, ul.outline ul { list-style: none; padding-left: 1.2rem; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
"""


def _band(band: Band) -> str:
    return f'<span class="band-{band.value}">{band.value}</span>'


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A table; cells are HTML already (escape text before passing it)."""
    lines = ["<table>", "<tr>" + "".join(f"<th>{escape(cell)}</th>" for cell in header) + "</tr>"]
    lines += ["<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows]
    return [*lines, "</table>"]


def _outline(analysis: Analysis) -> list[str]:
    children: dict[str | None, list[str]] = {}
    for person_id, person in analysis.people.items():
        children.setdefault(person.manager, []).append(person_id)

    def branch(person_id: str) -> str:
        person = analysis.people[person_id]
        open_tag = " (open position)" if person.vacant else ""
        title = f" · {escape(person.title)}" if person.title else ""
        below = "".join(branch(child) for child in children.get(person_id, []))
        nested = f"<ul>{below}</ul>" if below else ""
        return f"<li><strong>{escape(person.name)}</strong>{title}{open_tag} {_band(person.load.band)}{nested}</li>"

    return ['<ul class="outline">', *(branch(root) for root in children.get(None, [])), "</ul>"]


def analysis_html_body(analysis: Analysis) -> list[str]:
    """The report of one scenario as HTML elements."""
    shape, functions = analysis.shape, analysis.functions
    lines = [f"<h1>{escape(analysis.plan_name)}: scenario {escape(analysis.scenario)}</h1>",
             f"<p>{shape.headcount} people ({shape.filled} filled, {shape.vacancies} open) on {shape.layers} layers; "
             f"{shape.managers} managers, mean span {shape.mean_span:.1f}.</p>", "<h2>Organisation</h2>",
             *_outline(analysis), "<h2>Team sizes</h2>"]
    lines += _table(["Manager", "Span", "Team", "Layers", "Archetype range", "Span check"], [
        [escape(p.name), str(p.team.span), str(p.team.team_size), str(p.team.layers_below), p.span.range_text,
         p.span.status] for p in analysis.people.values() if p.span is not None])
    lines += [f"<p><strong>Sales vs marketing:</strong> {escape(functions.summary)}.</p>",
              f'<p class="note">Context: {escape(functions.context)}.</p>']
    for role in analysis.merged_roles:
        lines += [f"<h2>Merged role: {escape(role.name)}</h2>", f"<p>{escape(role.verdict)}</p>"]
        lines += _table(["Role held alone", "Work h", "Reports", "Management h", "Demand h", "Band"], [
            [escape(p.role_title), f"{p.responsibility_hours:.1f}", str(p.reports), f"{p.management_hours:.1f}",
             f"{p.demand_hours:.1f}", _band(p.band)] for p in role.parts])
    lines.append("<h2>Load</h2>")
    ranked = sorted(analysis.people.values(), key=lambda p: -p.load.utilisation)
    lines += _table(["Person", "Title", "Demand h", "Capacity h", "Use", "Band", "Why"], [
        [escape(p.name) + (" (open)" if p.vacant else ""), escape(p.title), f"{p.load.demand_hours:.1f}",
         f"{p.load.capacity_hours:g}", f"{p.load.utilisation:.0%}", _band(p.load.band),
         "<br>".join(escape(reason) for reason in p.reasons) if p.load.band.rank or p.span else ""]
        for p in ranked])
    lines.append("<h2>Health checks</h2>")
    lines += ["<ul>", *(f"<li><strong>{escape(c.title)}</strong>: {escape(c.detail)}</li>" for c in analysis.health),
              "</ul>"] if analysis.health else ["<p>Nothing to report.</p>"]
    lines += ["<h2>Assumptions and sources</h2>", "<ul>",
              *(f"<li>{escape(assumption_line(item))}</li>" for item in analysis.assumptions), "</ul>"]
    return lines


def comparison_html_body(comparison: Comparison) -> list[str]:
    """Two scenarios side by side as HTML elements."""
    (h1, h2), (v1, v2) = comparison.headcount, comparison.vacancies
    lines = [f"<h2>Compare {escape(comparison.before_label)} with {escape(comparison.after_label)}</h2>",
             f"<p>Headcount {h1} → {h2} ({h2 - h1:+d}); open positions {v1} → {v2}.</p>"]
    lines += _table(["Person", "Team", "Span", "Demand h", "Band", "Change"], [
        [escape(d.name), change_text(d.before, d.after, lambda s: s.team_size),
         change_text(d.before, d.after, lambda s: s.span),
         change_text(d.before, d.after, lambda s: s.demand_hours, "{:.1f}"),
         escape(change_text(d.before, d.after, lambda s: s.band.value)), d.status] for d in comparison.people])
    for label, roles in zip((comparison.before_label, comparison.after_label), comparison.merged_roles):
        lines += [f"<p><strong>Merged role in {escape(label)}:</strong> {escape(role.verdict)}</p>" for role in roles]
    return lines


def report_html(analysis: Analysis, comparison: Comparison | None = None) -> str:
    """The whole report as one HTML document with its style inline."""
    body = analysis_html_body(analysis) + (comparison_html_body(comparison) if comparison else [])
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f"<title>{escape(analysis.plan_name)}</title>", f"<style>{STYLE}</style>", "</head>", "<body>",
        *body, '<p class="note">Made with Org Planner.</p>', "</body>", "</html>",
    ]) + "\n"
