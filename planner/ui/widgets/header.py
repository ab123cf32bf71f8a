"""The header of every screen: Textual's, with a title that follows the app's and the screen's safely."""

from __future__ import annotations

from textual.events import Mount
from textual.widgets import Header, Static


class PlannerHeader(Header):
    """Textual's header, minus its crash: a title that changes while the screen is closing is not shown.

    Textual's header looks up its title widget whenever the app's or screen's title changes; a change
    made while its screen is being taken down (applying the hand-off plan renames the app as the
    advice screen closes) reaches it after the title widget is gone, and the lookup fails.
    """

    def _on_mount(self, event: Mount) -> None:
        event.prevent_default()  # Header's own handler sets up the watchers that fail: these replace them
        super(Header, self)._on_mount(event)
        for owner in (self.app, self.screen):
            self.watch(owner, "title", self._show_title)
            self.watch(owner, "sub_title", self._show_title)

    def _show_title(self) -> None:
        """Show the title and sub-title, if the title widget is still there."""
        for title in self.query("HeaderTitle").results(Static):
            title.update(self.format_title())
