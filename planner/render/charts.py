"""Org charts: Mermaid and Graphviz DOT, with vacancies and overloaded people marked, every name kept literal."""

from __future__ import annotations

import re

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
