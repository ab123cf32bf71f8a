"""Row tables read with the keys: one that scrolls itself, and one that is part of a scrolling view (which follows
its cursor row)."""

from __future__ import annotations

from textual.binding import Binding
from textual.geometry import Region
from textual.widgets import DataTable


class RowTable(DataTable):
    """A row table that scrolls itself, whose Home/End go to the first and last row (DataTable's go sideways)."""

    BINDINGS = [
        Binding("home", "scroll_top", "First row", show=False, id="table.first"),
        Binding("end", "scroll_bottom", "Last row", show=False, id="table.last"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)


class ViewTable(RowTable):
    """A row table shown at full height inside a scrolling view (its parent).

    The view follows the cursor row; Home/End go to the first/last row; PageUp/PageDown move by the
    view's height; and past the first or last row the keys scroll the view itself, so what is above or
    below the table (a headline, another table) comes back into sight.
    """

    BINDINGS = [
        Binding("home", "first_row", "First row", show=False, id="table.first"),
        Binding("end", "last_row", "Last row", show=False, id="table.last"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="table.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="table.page_down"),
        Binding("up", "step(-1)", "Up", show=False, id="table.up"),
        Binding("down", "step(1)", "Down", show=False, id="table.down"),
    ]

    @property
    def _view(self):
        return self.parent

    def _at_edge(self, step: int) -> bool:
        return self.row_count == 0 or self.cursor_row == (self.row_count - 1 if step > 0 else 0)

    def action_step(self, step: int) -> None:
        """Move the cursor a row, or scroll the view a line past the first or last row."""
        if self._at_edge(step):
            self._view.scroll_relative(y=step, animate=False)
        else:
            self.move_cursor(row=self.cursor_row + step)

    def action_page(self, step: int) -> None:
        """Move the cursor by the view's height, or scroll the view a page past the first or last row."""
        if self._at_edge(step):
            (self._view.scroll_page_down if step > 0 else self._view.scroll_page_up)(animate=False)
        else:
            self.move_cursor(row=max(0, self.cursor_row + step * self._view.scrollable_content_region.height))

    def action_first_row(self) -> None:
        """The first row; at the first row already, the top of the view."""
        if self._at_edge(-1):
            self._view.scroll_home(animate=False)
        else:
            self.move_cursor(row=0)

    def action_last_row(self) -> None:
        """The last row; at the last row already, the end of the view."""
        if self._at_edge(1):
            self._view.scroll_end(animate=False)
        else:
            self.move_cursor(row=self.row_count - 1)

    def on_data_table_row_highlighted(self) -> None:
        self.keep_cursor_in_view()

    def keep_cursor_in_view(self) -> None:
        """Scroll the view so the cursor row (and the header, at the first row) can be seen."""
        if not self.row_count:
            return
        top = self.virtual_region.y
        row = top + self.header_height + self.cursor_row
        region = Region(0, top if self.cursor_row == 0 else row, self.size.width, row + 1 - top if self.cursor_row == 0 else 1)
        self._view.scroll_to_region(region, animate=False, immediate=True)
