"""Keys in a burst land where they would land if typed slowly: each waits until the last one has settled."""

from __future__ import annotations

from textual import events
from textual.app import App

# Rounds of "every widget on screen has handled what was queued before it"; a key that opens a dialog
# settles in a few (the dialog mounts, then takes focus); the cap only guards against a busy loop.
MAX_ROUNDS = 50


class KeysInOrder(App[None]):
    """An app that handles a key only after the screen, focus and callbacks of the key before it have settled.

    Textual dispatches a key to whatever has focus when the key is read; a dialog opened by the key
    before mounts, and takes focus, a few messages later, and a field the key before showed joins
    the Tab order only once the screen is laid out again. Over SSH fast typing arrives at once, so
    without this the text meant for the dialog would reach the screen below it.
    """

    def __init__(self) -> None:
        super().__init__()
        self._held_keys: list[events.Key] | None = None

    @property
    def keys_settling(self) -> bool:
        """Whether a key is still settling (the keys that came after it wait until it has)."""
        return self._held_keys is not None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not self.screen_stack:
            return  # the app is closing with keys still on their way: no screen is left to take them
        if not isinstance(event, events.Key) or event.is_forwarded:
            await super().on_event(event)
        elif self._held_keys is not None:
            self._held_keys.append(event)
        else:
            self._held_keys = []
            await super().on_event(event)
            self._settle(0)

    def _settle(self, rounds: int) -> None:
        """Go round every widget on screen until nothing is left queued anywhere, then let the held keys go."""
        if not self.screen_stack:
            self._held_keys = None
            return
        nodes = [self, *self.screen.walk_children(with_self=True)]
        if rounds >= MAX_ROUNDS or (rounds and self.screen.is_mounted and not any(
                node.message_queue_size for node in nodes)):
            # Focus order follows the layout (Tab goes by position), and the layout catches up with
            # widgets shown or moved only on the next refresh: release the keys after it.
            self.call_after_refresh(self._release_keys)
            return
        waiting = len(nodes)

        def handled() -> None:
            nonlocal waiting
            waiting -= 1
            if waiting == 0:
                self._settle(rounds + 1)

        waiting -= sum(not node.call_later(handled) for node in nodes)
        if waiting == 0:
            self.call_later(self._settle, rounds + 1)

    def _release_keys(self) -> None:
        """Queue the held keys again, in the order they came."""
        held, self._held_keys = self._held_keys or [], None
        for key in held:
            self.post_message(events.Key(key.key, key.character))
