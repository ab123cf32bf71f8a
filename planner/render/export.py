"""Every export format behind one function, for `planner export` and the UI."""

from __future__ import annotations

from planner.analysis import analyse
from planner.analysis.compare import compare
from planner.model.errors import PlanError
from planner.model.plan import Plan
from planner.render.charts import dot, mermaid
from planner.render.data import analysis_data, comparison_data, to_json
from planner.render.html import report_html
from planner.render.markdown import analysis_markdown, comparison_markdown
from planner.render.tables import people_csv

FORMATS = {"markdown": "md", "html": "html", "mermaid": "mmd", "dot": "dot", "csv": "csv", "json": "json"}


def export(plan: Plan, fmt: str, scenario: str | None = None, other: str | None = None, raw: bool = False) -> str:
    """The plan's scenario in a format; `other` adds a comparison with another scenario (markdown, html, json).

    `raw` writes CSV cells exactly, without the `'` that keeps spreadsheets from running them as formulas.
    """
    if fmt not in FORMATS:
        raise PlanError(f"unknown format {fmt!r}", f"use one of: {', '.join(FORMATS)}")
    if raw and fmt != "csv":
        raise PlanError(f"--raw applies to csv only, not {fmt}", "drop --raw or export as csv")
    if other and fmt not in ("markdown", "html", "json"):
        raise PlanError(f"a comparison can be exported as markdown, html or json, not {fmt} (--compare)",
                        "drop the comparison or change the format")
    analysis = analyse(plan, scenario)
    comparison = compare(analyse(plan, other), analysis, other, analysis.scenario) if other else None
    if fmt == "markdown":
        return analysis_markdown(analysis) + ("\n" + comparison_markdown(comparison) if comparison else "")
    if fmt == "html":
        return report_html(analysis, comparison)
    if fmt == "json":
        data = analysis_data(analysis)
        return to_json({**data, "comparison": comparison_data(comparison)} if comparison else data)
    if fmt == "csv":
        return people_csv(plan, analysis, raw)
    return mermaid(analysis) if fmt == "mermaid" else dot(analysis)
