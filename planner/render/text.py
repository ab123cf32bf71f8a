"""Plain-text reports that fit an 80-column terminal."""

from __future__ import annotations

import textwrap

from planner.analysis.compare import Comparison, PersonDiff, Side
from planner.analysis.load import Band
from planner.analysis.merged import MergedRole
from planner.analysis.report import Analysis, Assumption, PersonResult

WIDTH = 80


def fit(text: str, width: int) -> str:
    """Cut a text to `width` characters, marking the cut with an ellipsis."""
    return text if len(text) <= width else text[: width - 1] + "…"


def wrap(text: str, indent: str = "  ", width: int = WIDTH) -> list[str]:
    """A paragraph wrapped to the width, every line indented."""
    return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent + "  ") or [indent]


def band_label(band: Band) -> str:
    """The band as a word that reads without colour."""
    return band.value.upper() if band.rank >= 2 else band.value


def _heading(title: str) -> list[str]:
    return ["", title.upper(), "-" * len(title)]


def _shape(analysis: Analysis) -> list[str]:
    shape = analysis.shape
    spans = ", ".join(f"{span}: {count}" for span, count in shape.span_distribution) or "none"
    return [
        f"{shape.headcount} people ({shape.filled} filled, {shape.vacancies} open) on {shape.layers} layers; "
        f"{shape.managers} managers, mean span {shape.mean_span:.1f}",
        *wrap(f"managers by span (span: managers): {spans}", indent=""),
    ]


def _teams(analysis: Analysis) -> list[str]:
    lines = _heading("Team sizes")
    lines.append(f"  {'Manager':<40} {'Span':>5} {'Team':>6} {'Layers':>7} {'Range':>8}")
    for person in analysis.people.values():
        if person.team.span:
            span = person.span
            mark = {"above": "above", "below": "below"}.get(span.status, "")
            lines.append(f"  {fit(_who(person), 40):<40} {person.team.span:>5} {person.team.team_size:>6} "
                         f"{person.team.layers_below:>7} {span.range_text:>8} {mark}".rstrip())
    functions = analysis.functions
    lines += ["", *wrap(f"Sales vs marketing: {functions.summary}.", indent="  ")]
    for team in (functions.sales, functions.marketing):
        managers = ", ".join(analysis.people[m].name for m in team.managers) or "no manager"
        lines += wrap(f"{team.function}: {team.members} in the function ({team.team_members} team members); "
                      f"managed by {managers}; {team.under_managers} people under them", indent="    ")
    lines += wrap(f"Context: {functions.context}.", indent="  ")
    return lines


def _who(person: PersonResult) -> str:
    vacant = " [open]" if person.vacant else ""
    return f"{person.name}{vacant}" + (f" ({person.title})" if person.title else "")


def _merged(role: MergedRole) -> list[str]:
    lines = wrap(role.verdict, indent="  ")
    for part in role.parts:
        lines.append(
            f"    {fit(part.role_title + ' alone', 30):<30} {part.responsibility_hours:>5.1f} h work + "
            f"{part.reports} reports {part.management_hours:>4.1f} h = {part.demand_hours:>5.1f} h  {band_label(part.band)}"
        )
    teams = " + ".join(str(part.reports) for part in role.parts)
    lines.append(f"    combined team: {role.span} direct reports, against {teams} in the separate teams")
    lines += wrap(f"Source: {role.source}.", indent="    ")
    return lines


def _loads(analysis: Analysis) -> list[str]:
    lines = _heading("Load")
    lines.append(f"  {'Person':<36} {'Demand':>8} {'Capacity':>9} {'Use':>6}  Band")
    for person in sorted(analysis.people.values(), key=lambda p: -p.load.utilisation):
        load = person.load
        lines.append(f"  {fit(_who(person), 36):<36} {load.demand_hours:>6.1f} h {load.capacity_hours:>7g} h "
                     f"{load.utilisation:>6.0%}  {band_label(load.band)}")
        if load.band is not Band.OK or (person.span and person.span.status != "within"):
            for reason in person.reasons:
                lines += wrap(f"- {reason}", indent="      ")
    return lines


def _health(analysis: Analysis) -> list[str]:
    lines = _heading("Health checks")
    if not analysis.health:
        return [*lines, "  nothing to report"]
    for check in analysis.health:
        lines += wrap(f"! {check.title}: {check.detail}", indent="  ")
    return lines


def _assumptions(analysis: Analysis) -> list[str]:
    lines = _heading("Assumptions and sources")
    for item in analysis.assumptions:
        lines += wrap(assumption_line(item), indent="  ")
    return lines


def assumption_line(item: Assumption) -> str:
    """One setting as a sentence: label, value, whether assumed, source."""
    value = f" = {item.shown}" if item.shown else ""
    kind = "assumption" if item.assumption else "published"
    return f"{item.label}{value} ({kind}): {item.source}"


def analysis_text(analysis: Analysis) -> str:
    """The full report of one scenario."""
    lines = [fit(f"{analysis.plan_name}: scenario {analysis.scenario!r}", WIDTH), *_shape(analysis)]
    lines += _teams(analysis)
    if analysis.merged_roles:
        lines += _heading("Merged role")
        for role in analysis.merged_roles:
            lines += _merged(role)
    lines += _loads(analysis) + _health(analysis) + _assumptions(analysis)
    return "\n".join(lines) + "\n"


def change_text(before: Side | None, after: Side | None, value, fmt: str = "{}") -> str:
    """One figure before and after: "4→6", or one value where it is unchanged or one side is absent."""
    old = fmt.format(value(before)) if before else None
    new = fmt.format(value(after)) if after else None
    if old is None or new is None or old == new:
        return old or new or ""
    return f"{old}→{new}"


def _diff_row(diff: PersonDiff) -> str:
    before, after = diff.before, diff.after
    team = change_text(before, after, lambda s: s.team_size)
    span = change_text(before, after, lambda s: s.span)
    demand = change_text(before, after, lambda s: s.demand_hours, "{:.1f}")
    band = change_text(before, after, lambda s: s.band.value)
    status = "" if diff.status == "same" else diff.status
    return f"  {fit(diff.name, 20):<20} {team:>7} {span:>6} {demand:>11} {band:<21} {status}".rstrip()


def comparison_text(comparison: Comparison) -> str:
    """Two scenarios side by side, person by person, in 80 columns."""
    a, b = comparison.before_label, comparison.after_label
    lines = [fit(f"Compare {a!r} (before) with {b!r} (after)", WIDTH)]
    (h1, h2), (v1, v2) = comparison.headcount, comparison.vacancies
    lines.append(f"headcount {h1}→{h2} ({h2 - h1:+d}); open positions {v1}→{v2} ({v2 - v1:+d})")
    for status in ("added", "removed", "moved"):
        names = [diff.name for diff in comparison.with_status(status)]
        if names:
            lines += wrap(f"{status}: {', '.join(names)}", indent="")
    lines += ["", f"  {'Person':<20} {'Team':>7} {'Span':>6} {'Demand h':>11} {'Band':<21} Change"]
    lines += [_diff_row(diff) for diff in comparison.people]
    for label, items in (("gained", comparison.responsibilities_gained), ("lost", comparison.responsibilities_lost)):
        if items:
            lines += wrap(f"responsibilities {label}: {', '.join(items)}", indent="")
    for label, items in zip((a, b), comparison.unowned):
        if items:
            lines += wrap(f"unowned in {label}: {', '.join(items)}", indent="")
    for label, roles in zip((a, b), comparison.merged_roles):
        for role in roles:
            lines += wrap(f"merged role in {label}: {role.verdict}", indent="")
    return "\n".join(lines) + "\n"
