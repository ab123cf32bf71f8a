"""The report as Markdown: headings, lists and tables, every piece of text escaped to read literally."""

from __future__ import annotations

import re

from planner.analysis.compare import Comparison
from planner.analysis.load import Band
from planner.analysis.report import Analysis
from planner.render.document import (
    Block,
    Cell,
    Chart,
    Document,
    Items,
    Outline,
    Paragraph,
    Table,
    band_label,
    comparison_document,
    report_document,
)

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def escape(text: str) -> str:
    """Text as literal Markdown: characters that format mid-line are escaped, newlines become spaces."""
    return _SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def _cell(cell: Cell) -> str:
    return band_label(cell) if isinstance(cell, Band) else escape(cell)


def _table(table: Table) -> list[str]:
    return [
        "| " + " | ".join(escape(cell) for cell in table.header) + " |",
        "|" + "|".join(" --- " for _ in table.header) + "|",
        *("| " + " | ".join(_cell(cell) for cell in row) + " |" for row in table.rows),
    ]


def _outline(outline: Outline) -> list[str]:
    """The org as a nested list, managers before their reports."""
    return [
        f"{'  ' * entry.depth}- **{escape(entry.name)}**" + (f" · {escape(entry.title)}" if entry.title else "")
        + (" (open position)" if entry.vacant else "") + f": {band_label(entry.band)}"
        for entry in outline.entries
    ]


def _item(lead: str, text: str) -> str:
    return f"- **{escape(lead)}**: {escape(text)}" if lead else f"- {escape(text)}"


def _block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        text = f"**{escape(block.lead)}:** {escape(block.text)}" if block.lead else escape(block.text)
        return [f"*{text}*" if block.note else text]
    if isinstance(block, Items):
        return [_item(lead, text) for lead, text in block.items]
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Outline):
        return _outline(block)
    assert isinstance(block, Chart)
    return []


def render_markdown(document: Document) -> str:
    """A document as Markdown, blocks apart by a blank line."""
    lines: list[str] = []
    for section in document.sections:
        lines += [*([""] if lines else []), f"{'#' * section.level} {escape(section.heading)}"]
        for block in section.blocks:
            laid = _block(block)
            lines += ["", *laid] if laid else []
    return "\n".join(lines) + "\n"


def analysis_markdown(analysis: Analysis) -> str:
    """The full report of one scenario as Markdown."""
    return render_markdown(report_document(analysis))


def comparison_markdown(comparison: Comparison) -> str:
    """Two scenarios side by side as Markdown."""
    return render_markdown(comparison_document(comparison))
