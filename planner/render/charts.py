"""Org charts: Mermaid and Graphviz DOT, with vacancies and overloaded people marked, every name kept literal."""

from __future__ import annotations

import re
import shutil
import subprocess
from html import escape

from rich.cells import cell_len, chop_cells

from planner.analysis import Analysis, Band

_MERMAID_SAFE = re.compile(r"[A-Za-z0-9 ,]")


def mermaid_text(text: str) -> str:
    """Text for a Mermaid label: every character that could mean something becomes an entity code."""
    return "".join(char if _MERMAID_SAFE.fullmatch(char) else f"#{ord(char)};" for char in text)


def _node_class(analysis: Analysis, person_id: str) -> str:
    person = analysis.people[person_id]
    if person.vacant:
        return "vacant"
    return {Band.CRITICAL: "critical", Band.OVERLOADED: "overloaded"}.get(person.load.band, "")


def mermaid(analysis: Analysis) -> str:
    """A top-down Mermaid flowchart: solid lines for managers, dotted lines as dashed links."""
    ids = {person_id: f"n{index}" for index, person_id in enumerate(analysis.people)}
    lines = ["flowchart TD"]
    for person_id, person in analysis.people.items():
        label = mermaid_text(person.name) + (f"<br/>{mermaid_text(person.title)}" if person.title else "")
        label += f"<br/>{person.load.utilisation:.0%} {person.load.band.value}".replace("%", "#37;")
        kind = _node_class(analysis, person_id)
        lines.append(f'    {ids[person_id]}["{label}"]' + (f":::{kind}" if kind else ""))
    for person_id, person in analysis.people.items():
        if person.manager is not None:
            lines.append(f"    {ids[person.manager]} --> {ids[person_id]}")
        lines += [f"    {ids[m]} -.-> {ids[person_id]}" for m in person.dotted_managers if m in ids]
    lines += [
        "    classDef vacant stroke-dasharray: 5 5,fill:#fff8dc",
        "    classDef overloaded fill:#ffd8a8,stroke:#e8590c",
        "    classDef critical fill:#ffc9c9,stroke:#c92a2a,stroke-width:2px",
    ]
    return "\n".join(lines) + "\n"


def dot_text(text: str) -> str:
    """Text for a double-quoted DOT string: backslashes, quotes and `&` (Graphviz reads entities) escaped."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")


_DOT_STYLE = {
    "vacant": 'style="dashed"',
    "overloaded": 'style="filled", fillcolor="#ffd8a8"',
    "critical": 'style="filled,bold", fillcolor="#ffc9c9"',
}


def dot(analysis: Analysis) -> str:
    """A Graphviz digraph that `dot -Tsvg` renders: boxes, solid reporting lines, dashed dotted lines."""
    lines = [f'digraph "{dot_text(analysis.plan_name)}" {{', "    rankdir=TB;", '    node [shape=box, fontname="Helvetica"];']
    for person_id, person in analysis.people.items():
        label = person.name + (f"\n{person.title}" if person.title else "")
        label += f"\n{person.load.utilisation:.0%} {person.load.band.value}"
        style = _DOT_STYLE.get(_node_class(analysis, person_id), "")
        escaped = dot_text(label).replace("\n", "\\n")
        lines.append(f'    "{dot_text(person_id)}" [label="{escaped}"' + (f", {style}" if style else "") + "];")
    for person_id, person in analysis.people.items():
        if person.manager is not None:
            lines.append(f'    "{dot_text(person.manager)}" -> "{dot_text(person_id)}";')
        lines += [f'    "{dot_text(m)}" -> "{dot_text(person_id)}" [style=dashed, constraint=false];'
                  for m in person.dotted_managers]
    lines.append("}")
    return "\n".join(lines) + "\n"


DOT_TIMEOUT_SECONDS = 30
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_NAMESPACE = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')


def org_svg(analysis: Analysis) -> str:
    """The org chart as SVG to inline in HTML: Graphviz's drawing of the DOT chart if it can, else a tree layout."""
    return graphviz_svg(dot(analysis)) or tree_svg(analysis)


def graphviz_svg(source: str) -> str | None:
    """`dot -Tsvg` of a DOT source without prolog, comments or namespaces; None without Graphviz or if it fails."""
    executable = shutil.which("dot")
    if executable is None:
        return None
    try:
        result = subprocess.run([executable, "-Tsvg"], input=source.encode("utf-8"), capture_output=True,
                                timeout=DOT_TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    svg = result.stdout.decode("utf-8", "replace")
    opening = re.search(r"<svg\b[^>]*>", svg)
    if result.returncode != 0 or opening is None or "</svg>" not in svg:
        return None
    return _NAMESPACE.sub("", opening[0]) + _COMMENT.sub("", svg[opening.end():svg.rindex("</svg>")]) + "</svg>"


BOX_WIDTH, BOX_HEIGHT, GAP_X, GAP_Y, MARGIN = 160, 52, 16, 40, 8
LABEL_CELLS = 24
_WEIGHT = (' font-weight="bold"', "", "")
_BOX_STYLE = {
    "vacant": 'fill="#fff8dc" stroke="#495057" stroke-dasharray="5 4"',
    "overloaded": 'fill="#ffd8a8" stroke="#e8590c"',
    "critical": 'fill="#ffc9c9" stroke="#c92a2a" stroke-width="2"',
    "": 'fill="#ffffff" stroke="#495057"',
}


def _clip(text: str, cells: int = LABEL_CELLS) -> str:
    return text if cell_len(text) <= cells else chop_cells(text, cells - 1)[0] + "…"


def tree_positions(analysis: Analysis) -> dict[str, tuple[float, int]]:
    """Each person's column (a manager centred over their reports) and layer, leaves left to right in order."""
    layer: dict[str, int] = {}
    reports: dict[str, list[str]] = {}
    column: dict[str, float] = {}
    for person_id, person in analysis.people.items():
        layer[person_id] = layer[person.manager] + 1 if person.manager is not None else 0
        reports.setdefault(person_id, [])
        if person.manager is not None:
            reports[person.manager].append(person_id)
    leaves = 0
    for person_id in analysis.people:
        if not reports[person_id]:
            column[person_id], leaves = leaves, leaves + 1
    for person_id in reversed(analysis.people):
        below = reports[person_id]
        if below:
            column[person_id] = (column[below[0]] + column[below[-1]]) / 2
    return {person_id: (column[person_id], layer[person_id]) for person_id in analysis.people}


def tree_svg(analysis: Analysis) -> str:
    """A layered org chart drawn without Graphviz: a box per person (name, title, load), lines to their reports."""
    positions = tree_positions(analysis)
    centre = {pid: (MARGIN + col * (BOX_WIDTH + GAP_X) + BOX_WIDTH / 2, MARGIN + row * (BOX_HEIGHT + GAP_Y))
              for pid, (col, row) in positions.items()}
    columns = max((col for col, _ in positions.values()), default=-1) + 1
    rows = max((row for _, row in positions.values()), default=-1) + 1
    width = 2 * MARGIN + max(columns * (BOX_WIDTH + GAP_X) - GAP_X, 0)
    height = 2 * MARGIN + max(rows * (BOX_HEIGHT + GAP_Y) - GAP_Y, 0)
    lines = [f'<svg width="{width:g}" height="{height:g}" viewBox="0 0 {width:g} {height:g}" role="img" '
             f'font-family="Helvetica, Arial, sans-serif" font-size="12">']
    for person_id, person in analysis.people.items():
        x, y = centre[person_id]
        if person.manager is not None:
            top_x, top_y = centre[person.manager]
            middle = y - GAP_Y / 2
            lines.append(f'<path d="M{top_x:g} {top_y + BOX_HEIGHT:g}V{middle:g}H{x:g}V{y:g}" fill="none" '
                         'stroke="#868e96"/>')
        lines += [f'<line x1="{centre[m][0]:g}" y1="{centre[m][1] + BOX_HEIGHT:g}" x2="{x:g}" y2="{y:g}" '
                  'stroke="#868e96" stroke-dasharray="4 4"/>' for m in person.dotted_managers if m in centre]
    for person_id, person in analysis.people.items():
        x, y = centre[person_id]
        texts = (person.name, person.title, f"{person.load.utilisation:.0%} {person.load.band.value}")
        lines.append(f'<g class="node"><rect x="{x - BOX_WIDTH / 2:g}" y="{y:g}" width="{BOX_WIDTH}" '
                     f'height="{BOX_HEIGHT}" rx="4" {_BOX_STYLE[_node_class(analysis, person_id)]}/>')
        lines += [f'<text x="{x:g}" y="{y + 15 + 15 * index:g}" text-anchor="middle"{_WEIGHT[index]}>'
                  f"{escape(_clip(text))}</text>" for index, text in enumerate(texts) if text]
        lines.append("</g>")
    return "\n".join([*lines, "</svg>"])
