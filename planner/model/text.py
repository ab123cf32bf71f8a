"""Cleaning of user-typed text: no control or invisible formatting characters ever reach a terminal."""

from __future__ import annotations

import re

# Every Unicode format character (category Cf): bidirectional overrides, marks and isolates, zero-width
# spaces and joiners, the byte-order mark, the soft hyphen, tags. They are invisible or reorder the text
# around them, so terminals and rich disagree on where the columns after them fall.
_FORMAT = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
_LINE_BREAKS = re.compile(r"(?:\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029])+")
_CONTROL_ONE_LINE = re.compile(rf"[\x00-\x1f\x7f-\x9f{_FORMAT}]")
_CONTROL_MULTILINE = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f{_FORMAT}]")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029]")
_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def clean_line(text: str) -> str:
    """Make a one-line text: line breaks and tabs become spaces; control and format characters go."""
    if text.isprintable():
        return text
    return _CONTROL_ONE_LINE.sub("", _LINE_BREAKS.sub(" ", text).replace("\t", " "))


def clean_multiline(text: str) -> str:
    """Drop control and format characters from free text, keeping tabs and newlines."""
    if text.isprintable():
        return text
    return _CONTROL_MULTILINE.sub("", _NEWLINES.sub("\n", text))


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
