"""Span of control against the manager's archetype, with Graicunas' relationship count."""

from __future__ import annotations

from dataclasses import dataclass

from planner.analysis import sources
from planner.model.catalog import SHARED_FUNCTION
from planner.model.org import ARCHETYPES, Person

LABELS = {
    "player-coach": "player/coach", "coach": "coach", "supervisor": "supervisor",
    "facilitator": "facilitator", "coordinator": "coordinator",
}

@dataclass(frozen=True)
class SpanCheck:
    """A manager's direct reports against the range their archetype recommends."""

    span: int
    archetype: str
    archetype_is_default: bool
    archetype_reason: str
    low: int
    high: int | None
    status: str
    relationships: int
    reason: str
    source: str = sources.SPAN

    @property
    def range_text(self) -> str:
        """The archetype's range as people say it: "3-5" or "15+"."""
        return range_text(self.low, self.high)


def range_text(low: int, high: int | None) -> str:
    """A span range as people say it: "3-5" or "15+"."""
    return f"{low}-{high}" if high is not None else f"{low}+"

def graicunas(span: int) -> int:
    """Relationships a manager of `span` reports handles: n(2^(n-1) + n - 1)."""
    return span * (2 ** (span - 1) + span - 1) if span else 0

def relationships_text(count: int) -> str:
    """Graicunas' count, readable even when astronomical."""
    return f"{count:,}" if count < 10**12 else f"about 10^{int(count.bit_length() * 0.30103)}"

def default_archetype(person: Person, functions: set[str], span: int) -> tuple[str, bool, str]:
    """The archetype to judge a span by, whether it was defaulted, and why."""
    if person.archetype:
        return person.archetype, False, "set for this person"
    if functions - {SHARED_FUNCTION}:
        return "player-coach", True, "default: also does hands-on work (" + ", ".join(sorted(functions - {SHARED_FUNCTION})) + ")"
    for name, (_, high) in ARCHETYPES.items():
        if high is None or span <= high:
            return name, True, "default: only manages, so the archetype that fits the span"
    raise AssertionError("the last archetype has no upper bound")

def span_check(person: Person, functions: set[str], span: int) -> SpanCheck | None:
    """How a manager's span sits in their archetype's range (None for people without reports)."""
    if span == 0:
        return None
    archetype, is_default, why = default_archetype(person, functions, span)
    low, high = ARCHETYPES[archetype]
    status = "below" if span < low else "above" if high is not None and span > high else "within"
    within = "the range of " if status == "within" else ""
    reason = f"span {span} is {status} {within}{LABELS[archetype]} ({range_text(low, high)})"
    return SpanCheck(span, archetype, is_default, why, low, high, status, graicunas(span), reason)
