"""Text put in a Static only when it differs from what the Static shows."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


def show_text(static: Static, text: Text) -> None:
    """Show `text` unless it is there already: an update lays the screen out and draws it again."""
    if text != static.content:
        static.update(text)
