"""A scrollable view for reading with the keys a pager user expects."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import VerticalScroll


class ReadingScroll(VerticalScroll):
    """Scrolls with the arrows, j/k, PageUp/PageDown, space/b, Home/End (VerticalScroll's own keys and a pager's)."""

    BINDINGS = [
        Binding("j", "scroll_down", "Down", show=False, id="reading.down"),
        Binding("k", "scroll_up", "Up", show=False, id="reading.up"),
        Binding("space", "page_down", "Page down", show=False, id="reading.page_down"),
        Binding("b", "page_up", "Page up", show=False, id="reading.page_up"),
    ]
