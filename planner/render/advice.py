"""The hand-off plan built once as a document (laid out as text and Markdown) and as JSON-ready data."""

from __future__ import annotations

from typing import Any

from planner.analysis import sources
from planner.analysis.handoff import SAME_FUNCTION, SAME_TEAM, HandOff, PersonChange
from planner.render.document import Block, Document, Items, Paragraph, Section, Table, band_label, hours
from planner.render.markdown import render_markdown
from planner.render.text import WIDTH, render_text

ADVICE_FORMAT = "org-planner-advice"
ADVICE_VERSION = 1
TIER_NAMES = {SAME_FUNCTION: "same function", SAME_TEAM: "giver's team"}
ELSEWHERE_NAME = "elsewhere"
BASIS = ("Slack is what a person can take on and stay ok: their own week, never past the overload limit, less "
         "their demand, worked out by the same load function as the report, switching cost included for a "
         f"responsibility outside their functions. Hours are the {sources.CATALOG_HOURS}.")


def _givers(handoff: HandOff) -> str:
    changes = {change.id: change for change in handoff.changes}
    over = [changes[giver] for giver in handoff.givers]
    if not over:
        return "Nobody to hand off from."
    return "From " + ", ".join(f"{change.name} ({change.before_band.value}, {hours(change.before_hours)} h against "
                               f"{change.capacity_hours:g} h)" for change in over) + "."


def _change_row(change: PersonChange) -> tuple[str, str, str]:
    """A giver or receiver: demand and band before→after ("68.9→39.2", "CRITICAL→ok")."""
    bands = band_label(change.before_band)
    if change.after_band is not change.before_band:
        bands += f"→{band_label(change.after_band)}"
    return change.name, f"{hours(change.before_hours)}→{hours(change.after_hours)}", bands


def advice_document(handoff: HandOff) -> Document:
    """The plan: what to do, the moves one line each, who changes, and what would fit only in part."""
    title = f"Hand-off plan: {handoff.plan_name}, scenario {handoff.scenario}"
    moves: Block = (Items(tuple(("", move.reason) for move in handoff.moves)) if handoff.moves
                    else Paragraph("None."))
    sections = [
        Section(title, 1, (Paragraph(_givers(handoff)), Paragraph(f"{handoff.recommendation}.", lead="Recommendation"))),
        Section("Moves", 2, (moves, Paragraph(BASIS, note=True))),
    ]
    if handoff.changes:
        rows = tuple(_change_row(change) for change in handoff.changes)
        sections.append(Section("Before and after", 2, (Table(("Person", "Demand h", "Band"), rows, frozenset({1})),)))
    if handoff.shares:
        sections.append(Section("Only a share would fit", 2, (Items(tuple(("", note) for note in handoff.shares)),)))
    return Document(title, tuple(sections))


def advice_text(handoff: HandOff, width: int = WIDTH) -> str:
    """The hand-off plan laid out in `width` columns."""
    return render_text(advice_document(handoff), width)


def advice_markdown(handoff: HandOff) -> str:
    """The hand-off plan as Markdown."""
    return render_markdown(advice_document(handoff))


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
