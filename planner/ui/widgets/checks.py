"""Check boxes that read without colour: ▐X▌ when checked, ▐ ▌ when not (Textual draws an X in both)."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList


class TickBox(Checkbox):
    """A checkbox whose box is empty when unchecked."""

    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 (Textual's name)
        return Checkbox.BUTTON_INNER if self.value else " "


class Checklist(SelectionList[str]):
    """A selection list whose boxes are empty when unchecked."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        index = self.scroll_offset.y + y
        if index >= self.option_count or len(segments) < 2 or segments[1].text != Checkbox.BUTTON_INNER:
            return strip
        if self.get_option_at_index(index).value not in self.selected:
            segments[1] = Segment(" ", segments[1].style)
        return Strip(segments, strip.cell_length)
