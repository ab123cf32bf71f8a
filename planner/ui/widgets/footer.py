"""A footer that fits the terminal: keys that do not fit are left out whole, never cut to a stray character."""

from __future__ import annotations

from rich.cells import cell_len
from textual.events import Resize
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

ALWAYS_SHOWN = ("help", "app.help", "back")  # help lists every key; esc is the way back from a view


def key_width(key: FooterKey) -> int:
    """The cells a compact footer key takes, with the gap after it."""
    return cell_len(key.key_display) + (1 + cell_len(key.description) if key.description else 0) + 1


def look(widget: Widget) -> tuple[object, ...]:
    """What a footer widget shows: two that look the same give the same tuple."""
    if not isinstance(widget, FooterKey):
        return (type(widget), id(widget))
    return (widget.key, widget.key_display, widget.description, widget.action, widget.has_class("-disabled"),
            widget.has_class("-command-palette"))


def looks(widgets: list[Widget]) -> tuple[tuple[object, ...], ...]:
    """What a row of footer widgets shows."""
    return tuple(look(widget) for widget in widgets)


class FittingFooter(Footer):
    """Shows the keys in order while they fit beside the palette key; help (which lists all) and back always.

    A key press that changes focus or closes a dialog tells the footer that the bindings changed;
    mounting every key again then cost more than the rest of the key press, so the footer changes
    only the keys that differ, and nothing when it would look the same.
    """

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._fitted_width = 0
        self._looks: tuple[tuple[object, ...], ...] | None = None  # what it shows, or will once a change lands

    def compose(self):
        widgets = self._fitted()
        self._looks = looks(widgets)
        yield from widgets

    def _fitted(self) -> list[Widget]:
        """Footer's widgets for the current bindings, less the keys that do not fit the terminal's width."""
        widgets = list(super().compose())
        self._fitted_width = width = self.app.size.width
        keys = [widget for widget in widgets if isinstance(widget, FooterKey)]
        room = width - sum(key_width(key) for key in keys if key.has_class("-command-palette") or key.action in ALWAYS_SHOWN)
        fitted: list[Widget] = []
        for widget in widgets:
            if not isinstance(widget, FooterKey) or widget.has_class("-command-palette") or widget.action in ALWAYS_SHOWN:
                fitted.append(widget)
            elif key_width(widget) <= room:
                room -= key_width(widget)
                fitted.append(widget)
            else:
                room = 0
        return fitted

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        wanted = self._fitted()
        wanted_looks = looks(wanted)
        if wanted_looks != self._looks:
            self._looks = wanted_looks
            self.call_later(self._show_only, wanted)

    def _show_only(self, wanted: list[Widget]) -> None:
        """Keep the keys that look as wanted, remove the others and mount the new ones in their places."""
        shown = {look(widget): widget for widget in self.children}
        placed = [shown.pop(look(widget), widget) for widget in wanted]
        kept = [widget for widget in placed if widget.is_attached]
        in_order = kept == [widget for widget in self.children if widget in kept]
        if not in_order or not all(isinstance(widget, FooterKey) for widget in placed):
            self.call_later(self.recompose)  # keys moved, or a group of keys: mount them all again
            return
        self.remove_children(list(shown.values()))
        for index, widget in enumerate(placed):
            if not widget.is_attached:
                self.mount(widget, before=next((later for later in placed[index + 1:] if later.is_attached), None))

    def on_resize(self, event: Resize) -> None:
        if self.app.size.width != self._fitted_width:
            self.call_after_refresh(self.recompose)
