"""A client-ready HTML report: one self-contained file that prints well, its org chart inline; every text escaped."""

from __future__ import annotations

from html import escape

from planner.analysis import Band
from planner.render.charts import org_svg
from planner.render.document import (
    Block,
    Cell,
    Chart,
    Document,
    Items,
    Outline,
    OutlineEntry,
    Paragraph,
    Table,
)

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.05rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f1f3f5; } td.number { text-align: right; }
.band-ok { color: #2b8a3e; } .band-stretched { color: #e67700; }
.band-overloaded { color: #c92a2a; font-weight: bold; } .band-critical { background: #c92a2a; color: #fff; font-weight: bold; }
.note { color: #555; font-style: italic; }
figure.chart { margin: 1rem 0; overflow: auto; } figure.chart svg { max-width: 100%; height: auto; }
ul.outline, ul.outline ul { list-style: none; padding-left: 1.2rem; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
"""


def _band(band: Band) -> str:
    return f'<span class="band-{band.value}">{band.value}</span>'


def _cell(cell: Cell, number: bool) -> str:
    text = _band(cell) if isinstance(cell, Band) else escape(cell)
    return f'<td class="number">{text}</td>' if number else f"<td>{text}</td>"


def _table(table: Table) -> list[str]:
    lines = ["<table>", "<tr>" + "".join(f"<th>{escape(cell)}</th>" for cell in table.header) + "</tr>"]
    lines += ["<tr>" + "".join(_cell(cell, column in table.right) for column, cell in enumerate(row)) + "</tr>"
              for row in table.rows]
    return [*lines, "</table>"]


def _entry(entry: OutlineEntry) -> str:
    title = f" · {escape(entry.title)}" if entry.title else ""
    vacant = " (open position)" if entry.vacant else ""
    return f"<li><strong>{escape(entry.name)}</strong>{title}{vacant} {_band(entry.band)}"


def _outline(outline: Outline) -> list[str]:
    """The org as nested lists, built in one pass over the reporting order (no recursion, any depth)."""
    lines = ['<ul class="outline">']
    depth = None
    for entry in outline.entries:
        if depth is not None and entry.depth > depth:
            lines.append("<ul>")
        elif depth is not None:
            lines.append("</li>" + "</ul></li>" * (depth - entry.depth))
        lines.append(_entry(entry))
        depth = entry.depth
    if depth is not None:
        lines.append("</li>" + "</ul></li>" * depth)
    return [*lines, "</ul>"]


def _paragraph(paragraph: Paragraph) -> str:
    lead = f"<strong>{escape(paragraph.lead)}:</strong> " if paragraph.lead else ""
    opening = '<p class="note">' if paragraph.note else "<p>"
    return f"{opening}{lead}{escape(paragraph.text)}</p>"


def _items(items: Items) -> list[str]:
    return ["<ul>", *(f"<li><strong>{escape(lead)}</strong>: {escape(text)}</li>" if lead
                      else f"<li>{escape(text)}</li>" for lead, text in items.items), "</ul>"]


def _block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [_paragraph(block)]
    if isinstance(block, Items):
        return _items(block)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Outline):
        return _outline(block)
    assert isinstance(block, Chart)
    return ['<figure class="chart">', org_svg(block.analysis), "</figure>"]


def render_html(document: Document) -> str:
    """A document as one HTML page with its style inline."""
    body = []
    for section in document.sections:
        body.append(f"<h{section.level}>{escape(section.heading)}</h{section.level}>")
        for block in section.blocks:
            body += _block(block)
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f"<title>{escape(document.title)}</title>", f"<style>{STYLE}</style>", "</head>", "<body>",
        *body, "</body>", "</html>",
    ]) + "\n"

