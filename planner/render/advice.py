"""The hand-off plan as text (80 columns), Markdown and JSON data, all from one HandOff."""

from __future__ import annotations

import textwrap
from typing import Any

from planner.analysis.handoff import SAME_FUNCTION, SAME_TEAM, HandOff, PersonChange
from planner.render.markdown import escape
from planner.render.text import WIDTH, band_label, fit, wrap

ADVICE_FORMAT = "org-planner-advice"
ADVICE_VERSION = 1
TIER_NAMES = {SAME_FUNCTION: "same function", SAME_TEAM: "giver's team"}
ELSEWHERE_NAME = "elsewhere"


def _title(handoff: HandOff) -> str:
    return f"Hand-off plan: {handoff.plan_name}, scenario {handoff.scenario!r}"


def _change_cells(change: PersonChange) -> tuple[str, str]:
    """Demand and band before and after: "68.9→39.2", "CRITICAL→ok"."""
    hours = f"{change.before_hours:.1f}→{change.after_hours:.1f}"
    bands = band_label(change.before_band)
    if change.after_band is not change.before_band:
        bands += f"→{band_label(change.after_band)}"
    return hours, bands


def _givers_line(handoff: HandOff) -> str:
    changes = {change.id: change for change in handoff.changes}
    over = [changes[giver] for giver in handoff.givers]
    if not over:
        return "nobody to hand off from"
    return "from " + ", ".join(f"{change.name} ({change.before_band.value}, {change.before_hours:.1f} h against "
                               f"{change.capacity_hours:g} h)" for change in over)


def advice_lines(handoff: HandOff, width: int = WIDTH) -> list[str]:
    """The plan as lines of at most `width` characters: moves, who changes, shares, what to do."""
    lines = [fit(_title(handoff), width), *wrap(_givers_line(handoff), indent="", width=width), ""]
    lines += ["RECOMMENDATION", *wrap(handoff.recommendation, indent="  ", width=width), ""]
    lines += ["MOVES" if handoff.moves else "MOVES: none"]
    for number, move in enumerate(handoff.moves, start=1):
        lines += textwrap.wrap(f"{number:>2}. {move.reason}", width, initial_indent="  ", subsequent_indent="      ")
    if handoff.changes:
        lines += ["", "BEFORE AND AFTER", f"  {'Person':<30} {'Demand h':>12}  Band"]
        for change in handoff.changes:
            hours, bands = _change_cells(change)
            lines.append(f"  {fit(change.name, 30):<30} {hours:>12}  {bands}")
    if handoff.shares:
        lines += ["", "ONLY A SHARE WOULD FIT"]
        for note in handoff.shares:
            lines += wrap(f"- {note}", indent="  ", width=width)
    return lines


def advice_text(handoff: HandOff) -> str:
    """The hand-off plan for an 80-column terminal."""
    return "\n".join(advice_lines(handoff)) + "\n"


def advice_markdown(handoff: HandOff) -> str:
    """The hand-off plan as Markdown."""
    givers = escape(_givers_line(handoff))
    lines = [f"# {escape(_title(handoff))}", "", givers[:1].upper() + givers[1:] + ".", "", "## Recommendation", "",
             escape(handoff.recommendation), "", "## Moves", ""]
    lines += [f"{number}. {escape(move.reason)}" for number, move in enumerate(handoff.moves, start=1)] or ["None."]
    if handoff.changes:
        lines += ["", "## Before and after", "", "| Person | Demand h | Band |", "| --- | --- | --- |"]
        lines += [f"| {escape(change.name)} | {' | '.join(_change_cells(change))} |" for change in handoff.changes]
    if handoff.shares:
        lines += ["", "## Only a share would fit", "", *(f"- {escape(note)}" for note in handoff.shares)]
    return "\n".join(lines) + "\n"


def advice_data(handoff: HandOff) -> dict[str, Any]:
    """The hand-off plan as JSON-ready data (documented in docs/report-json.md)."""
    return {
        "format": ADVICE_FORMAT, "version": ADVICE_VERSION, "plan_name": handoff.plan_name,
        "scenario": handoff.scenario, "givers": list(handoff.givers),
        "moves": [{"responsibility": move.responsibility, "title": move.title, "hours": move.hours,
                   "from": move.giver, "to": move.receiver, "tier": TIER_NAMES.get(move.tier, ELSEWHERE_NAME),
                   "switching_hours": round(move.switching_hours, 4), "slack_hours": round(move.slack_hours, 4),
                   "reason": move.reason} for move in handoff.moves],
        "before": {pid: band.value for pid, band in handoff.before.items()},
        "after": {pid: band.value for pid, band in handoff.after.items()},
        "people": [{"id": change.id, "name": change.name, "capacity_hours": change.capacity_hours,
                    "demand_hours": [round(change.before_hours, 4), round(change.after_hours, 4)],
                    "band": [change.before_band.value, change.after_band.value]} for change in handoff.changes],
        "shares": list(handoff.shares),
        "shortfall_hours": round(handoff.shortfall_hours, 4),
        "recommendation": handoff.recommendation,
    }
