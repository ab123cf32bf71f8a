"""A footer that fits the terminal: keys that do not fit are left out whole, never cut to a stray character."""

from __future__ import annotations

from rich.cells import cell_len
from textual.events import Resize
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

ALWAYS_SHOWN = ("help", "app.help", "back")  # help lists every key; esc is the way back from a view


def key_width(key: FooterKey) -> int:
    """The cells a compact footer key takes, with the gap after it."""
    return cell_len(key.key_display) + (1 + cell_len(key.description) if key.description else 0) + 1


class FittingFooter(Footer):
    """Shows the keys in order while they fit beside the palette key; help (which lists all) and back always."""

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._fitted_width = 0

    def compose(self):
        widgets = list(super().compose())
        self._fitted_width = width = self.app.size.width
        keys = [widget for widget in widgets if isinstance(widget, FooterKey)]
        room = width - sum(key_width(key) for key in keys if key.has_class("-command-palette") or key.action in ALWAYS_SHOWN)
        for widget in widgets:
            if not isinstance(widget, FooterKey) or widget.has_class("-command-palette") or widget.action in ALWAYS_SHOWN:
                yield widget
            elif key_width(widget) <= room:
                room -= key_width(widget)
                yield widget
            else:
                room = 0

    def on_resize(self, event: Resize) -> None:
        if self.app.size.width != self._fitted_width:
            self.call_after_refresh(self.recompose)
