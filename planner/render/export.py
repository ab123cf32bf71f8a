"""Every export format behind one function, for `planner export` and the UI."""

from __future__ import annotations

from datetime import date

from planner.analysis import Analysis, analyse
from planner.analysis.compare import Comparison, compare
from planner.model.errors import PlanError
from planner.model.plan import Plan
from planner.render.charts import dot, mermaid
from planner.render.data import analysis_json
from planner.render.document import report_document
from planner.render.html import render_html
from planner.render.markdown import render_markdown
from planner.render.tables import people_csv

FORMATS = {"markdown": "md", "html": "html", "mermaid": "mmd", "dot": "dot", "csv": "csv", "json": "json"}


def today() -> date:
    """The date a client report is dated with."""
    return date.today()


def plan_order_comparison(plan: Plan, first: Analysis, second: Analysis) -> Comparison:
    """Two scenarios compared with the one earlier in the plan (the baseline) before, the other after."""
    names = list(plan.scenarios)
    before, after = sorted((first, second), key=lambda analysis: names.index(analysis.scenario))
    return compare(before, after)


def export(plan: Plan, fmt: str, scenario: str | None = None, other: str | None = None, raw: bool = False,
           *, generated: date | None = None) -> str:
    """The plan's scenario in a format; `other` adds a comparison with another scenario (markdown, html, json).

    `raw` writes CSV cells exactly, without the `'` that keeps spreadsheets from running them as formulas.
    Reports (markdown, html) are dated `generated`, today by default.
    """
    if fmt not in FORMATS:
        raise PlanError(f"unknown format {fmt!r}", f"use one of: {', '.join(FORMATS)}")
    if raw and fmt != "csv":
        raise PlanError(f"--raw applies to csv only, not {fmt}", "drop --raw or export as csv")
    if other and fmt not in ("markdown", "html", "json"):
        raise PlanError(f"a comparison can be exported as markdown, html or json, not {fmt} (--compare)",
                        "drop the comparison or change the format")
    analysis = analyse(plan, scenario)
    comparison = plan_order_comparison(plan, analysis, analyse(plan, other)) if other else None
    if fmt in ("markdown", "html"):
        document = report_document(analysis, comparison, generated or today())
        return render_markdown(document) if fmt == "markdown" else render_html(document)
    if fmt == "json":
        return "".join(analysis_json(analysis, comparison))
    if fmt == "csv":
        return people_csv(plan, analysis, raw)
    return mermaid(analysis) if fmt == "mermaid" else dot(analysis)
