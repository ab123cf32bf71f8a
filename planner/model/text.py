"""Cleaning of user-typed text: no control characters ever reach a terminal."""

from __future__ import annotations

import re

_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def clean_line(text: str) -> str:
    """Drop control characters (C0, DEL, C1) from a one-line text; tabs become spaces."""
    if text.isprintable():
        return text
    return _CONTROL_ONE_LINE.sub("", text.replace("\t", " "))


def clean_multiline(text: str) -> str:
    """Drop control characters from free text, keeping tabs and newlines."""
    if text.isprintable():
        return text
    return _CONTROL_MULTILINE.sub("", text.replace("\r\n", "\n"))


def has_control_characters(text: str, multiline: bool = False) -> bool:
    """Whether cleaning would change the text (multiline texts may keep tabs and newlines)."""
    return (clean_multiline(text) if multiline else clean_line(text)) != text


def is_valid_id(value: str) -> bool:
    """Whether `value` is a usable id: letters, digits, `_ . -`, at most 64 long."""
    return _ID_PATTERN.fullmatch(value) is not None


def slugify(text: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A readable id made from `text` that is not in `taken`."""
    base = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:56] or "person"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(cell: str) -> str:
    """A CSV cell no spreadsheet runs as a formula: `'` before a leading = + - @ tab or CR (OWASP), or `'`.

    Quoting a leading `'` too makes the rule reversible: `restore_formula` drops exactly the `'` added here.
    """
    return "'" + cell if cell.startswith((*FORMULA_STARTS, "'")) else cell


def restore_formula(cell: str) -> str:
    """The cell before `neutralise_formula`: one leading `'` dropped when = + - @ tab CR or `'` follows it."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith((*FORMULA_STARTS, "'")) else cell
