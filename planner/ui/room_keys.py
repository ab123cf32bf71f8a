"""The keys of a live session (`planner serve --ssh`): the pen, presenting and following, on the main screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from planner.ui.screens.plan_screen import PlanScreen

if TYPE_CHECKING:
    from planner.ui.room import RoomLink

ROOM_BINDINGS = [
    Binding("P", "pen", "Pen", key_display="P", show=False, id="room.pen",
            tooltip="Live session: ask for the pen, or pass it to whoever asked"),
    Binding("p", "present", "Present", show=False, id="room.present",
            tooltip="Live session: show what you look at to everyone who follows; again to stop"),
    Binding("F", "follow", "Follow", key_display="F", show=False, id="room.follow",
            tooltip="Live session: follow the presenter's screen and selection, or stop following"),
]
EDIT_ACTIONS = frozenset({
    "add_report", "add_sibling", "edit", "assign", "move", "delete", "toggle_vacancy", "dotted",
    "new_responsibility", "settings", "merge", "split", "apply", "undo", "redo", "save", "save_as",
})
# A viewer's save keys stay live: the app answers them by saying the session is read-only.
SAVE_ACTIONS = frozenset({"save", "save_as"})
OUTSIDE_A_ROOM = "The pen, presenting and following work in a live session: `planner serve --ssh`."


class RoomKeys(PlanScreen):
    """The actions behind ROOM_BINDINGS: each one hands over to the app's room link."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dim the editing keys in the footer of a session in a room without the pen (pressed, they say why)."""
        room = self.planner.room
        if room is not None and room.forbids(action):
            return None
        return super().check_action(action, parameters)

    def _room(self) -> RoomLink | None:
        room = self.planner.room
        if room is None or not room.in_room:
            self.app.notify(OUTSIDE_A_ROOM, severity="warning", markup=False)
            return None
        return room

    def action_pen(self) -> None:
        """Ask for the pen, or pass it on."""
        if room := self._room():
            room.pen()

    def action_present(self) -> None:
        """Start or stop presenting."""
        if room := self._room():
            room.toggle_presenting()

    def action_follow(self) -> None:
        """Start or stop following the presenter."""
        if room := self._room():
            room.toggle_following()
