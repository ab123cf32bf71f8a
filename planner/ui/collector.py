"""The cyclic garbage collector's full passes, made while the user pauses rather than in the middle of a key press."""

from __future__ import annotations

import gc

IDLE_SECONDS = 1.0
# A full pass walks every object Textual's render caches and the views hold (15 to 25 ms at 10,000
# people; the plan itself is frozen out of it), and the collector starts one by itself in whichever
# key press tips its count. This many young passes never come, so it leaves them to `collect_if_due`.
NEVER = 1_000_000

_holders = 0
_saved_threshold = gc.get_threshold()[2]


def defer_full_passes() -> None:
    """Stop the collector making full passes by itself, until every app that asked lets them go again."""
    global _holders, _saved_threshold
    if _holders == 0:
        young, middle, _saved_threshold = gc.get_threshold()
        gc.set_threshold(young, middle, NEVER)
    _holders += 1


def resume_full_passes() -> None:
    """Give the collector its own full passes back once no running app defers them."""
    global _holders
    _holders -= 1
    if _holders == 0:
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, _saved_threshold)


def collect_if_due() -> bool:
    """Make a full pass if young passes have run since the last one (the collector's own count); True if made."""
    if gc.get_count()[2] == 0:
        return False
    gc.collect()
    return True
