"""The report as plain text that fits an 80-column terminal, every width measured in terminal cells."""

from __future__ import annotations

from rich.cells import cell_len, chop_cells

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
    Section,
    Table,
    band_label,
    comparison_document,
    report_document,
)

WIDTH = 80
GAP = "  "
NARROWEST_COLUMN = 6
DEEPEST_INDENT = 12
BODY_INDENT = {1: "", 2: "  ", 3: "    "}


def wrap(text: str, indent: str = "", hang: str | None = None, width: int = WIDTH) -> list[str]:
    """Words laid into lines of at most `width` cells, the first line after `indent`, the rest after `hang`."""
    hang = indent + "  " if hang is None else hang
    room = max(width - max(cell_len(indent), cell_len(hang)), 1)
    lines: list[str] = []
    prefix, line = indent, ""
    for word in text.split():
        for piece in chop_cells(word, room):
            joined = f"{line} {piece}" if line else piece
            if line and cell_len(prefix + joined) > width:
                lines.append(prefix + line)
                prefix, joined = hang, piece
            line = joined
    return [*lines, prefix + line]


def _heading(section: Section) -> list[str]:
    if section.level >= 3:
        return ["", *wrap(section.heading, BODY_INDENT[2])]
    lines = wrap(section.heading, hang="")
    rule = "=" if section.level == 1 else "-"
    underline = rule * min(max(cell_len(line) for line in lines), WIDTH)
    return [*lines, underline] if section.level == 1 else ["", *lines, underline]


def _cell(cell: Cell) -> str:
    return band_label(cell) if isinstance(cell, Band) else cell


def _widths(cells: list[list[str]], room: int, right: frozenset[int]) -> list[int]:
    """Each column's width: its widest cell, then the widest column narrowed, round by round, until the table fits.

    Headings of figures wrap first, then text between words, then anything down to a few cells (a column of
    figures never below its widest figure).
    """
    count = len(cells[0])
    widest = [max(cell_len(row[column]) for row in cells) for column in range(count)]
    figures = [max((cell_len(row[column]) for row in cells[1:]), default=1) for column in range(count)]
    words = [max(cell_len(word) for row in cells for word in row[column].split() or [""]) for column in range(count)]
    rounds = (
        [max(words[c], figures[c]) if c in right else widest[c] for c in range(count)],
        [max(words[c], figures[c]) if c in right else words[c] for c in range(count)],
        [figures[c] if c in right else min(NARROWEST_COLUMN, words[c]) for c in range(count)],
    )
    widths = list(widest)
    room -= cell_len(GAP) * (count - 1)
    for floors in rounds:
        while sum(widths) > room:
            narrowable = [column for column in range(count) if widths[column] > floors[column]]
            if not narrowable:
                break
            widths[max(narrowable, key=lambda column: widths[column])] -= 1
    return widths


def _row(cells: list[str], widths: list[int], right: frozenset[int], indent: str) -> list[str]:
    """One row, its cells wrapped within their columns, as as many lines as its tallest cell."""
    wrapped = [wrap(cell, hang="", width=width) for cell, width in zip(cells, widths)]
    lines = []
    for index in range(max(len(column) for column in wrapped)):
        parts = []
        for column, (pieces, width) in enumerate(zip(wrapped, widths)):
            piece = pieces[index] if index < len(pieces) else ""
            padding = " " * (width - cell_len(piece))
            parts.append(padding + piece if column in right else piece + padding)
        lines.append((indent + GAP.join(parts)).rstrip())
    return lines


def _table(table: Table, indent: str) -> list[str]:
    cells = [list(table.header), *([_cell(cell) for cell in row] for row in table.rows)]
    widths = _widths(cells, WIDTH - cell_len(indent), table.right)
    lines = _row(cells[0], widths, table.right, indent)
    lines.append(indent + GAP.join("-" * width for width in widths))
    for row in cells[1:]:
        lines += _row(row, widths, table.right, indent)
    return lines


def _outline(outline: Outline, indent: str) -> list[str]:
    """The org, each layer indented one step more up to a limit, deeper layers numbered instead."""
    lines = []
    for entry in outline.entries:
        step = indent + "  " * min(entry.depth, DEEPEST_INDENT)
        layer = f"[layer {entry.depth + 1}] " if entry.depth > DEEPEST_INDENT else ""
        title = f" · {entry.title}" if entry.title else ""
        vacant = " (open position)" if entry.vacant else ""
        lines += wrap(f"{layer}{entry.name}{title}{vacant}: {band_label(entry.band)}", step, step + "    ")
    return lines


def _block(block: Block, indent: str) -> list[str]:
    if isinstance(block, Paragraph):
        return wrap(f"{block.lead}: {block.text}" if block.lead else block.text, indent, indent)
    if isinstance(block, Items):
        return [line for lead, text in block.items
                for line in wrap(f"- {lead}: {text}" if lead else f"- {text}", indent, indent + "  ")]
    if isinstance(block, Table):
        return _table(block, indent)
    if isinstance(block, Outline):
        return _outline(block, indent)
    assert isinstance(block, Chart)
    return []


def render_text(document: Document) -> str:
    """A document laid out in 80 columns: underlined headings, wrapped paragraphs, aligned tables."""
    lines: list[str] = []
    for section in document.sections:
        lines += _heading(section)
        for block in section.blocks:
            laid = _block(block, BODY_INDENT[min(section.level, 3)])
            lines += [""] + laid if laid else []
    return "\n".join(lines) + "\n"


def analysis_text(analysis: Analysis) -> str:
    """The full report of one scenario."""
    return render_text(report_document(analysis))


def comparison_text(comparison: Comparison) -> str:
    """Two scenarios side by side, person by person, in 80 columns."""
    return render_text(comparison_document(comparison))
