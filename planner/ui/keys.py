"""Keys in a burst land where they would land if typed slowly: each waits until the last one has settled."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from textual import events
from textual.app import App

# Rounds of "every widget on screen has handled what was queued before it"; a key that opens a dialog
# settles in a few (the dialog mounts, then takes focus); the cap only guards against a busy loop.
MAX_ROUNDS = 50


@runtime_checkable
class WaitsBeforeKeys(Protocol):
    """A screen whose content is still being worked out: keys typed meanwhile wait for it, in order."""

    @property
    def ready_for_keys(self) -> bool:
        """Whether the screen can take keys now (it calls `KeysInOrder.recheck_screen` when that may change)."""


class KeysInOrder(App[None]):
    """An app that handles a key only after the screen, focus and callbacks of the key before it have settled.

    Textual dispatches a key to whatever has focus when the key is read; a dialog opened by the key
    before mounts, and takes focus, a few messages later, and a field the key before showed joins
    the Tab order only once the screen is laid out again. Over SSH fast typing arrives at once, so
    without this the text meant for the dialog would reach the screen below it. A screen that is still
    working out what it shows (`WaitsBeforeKeys`) holds the keys too, in the same queue, so they keep
    their order.
    """

    def __init__(self) -> None:
        super().__init__()
        self._held_keys: list[events.Key] | None = None
        self._waiting_for_screen = False

    @property
    def keys_settling(self) -> bool:
        """Whether a key is still settling or waiting for the screen (the keys that came after it wait too)."""
        return self._held_keys is not None

    @property
    def held_keys(self) -> tuple[str, ...]:
        """The keys waiting their turn, in the order they came."""
        return tuple(key.key for key in self._held_keys or ())

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not self.screen_stack:
            return  # the app is closing with keys still on their way: no screen is left to take them
        if not isinstance(event, events.Key) or event.is_forwarded:
            await super().on_event(event)
        elif self._held_keys is not None:
            self._held_keys.append(event)
        elif not self._screen_takes_keys():
            self._held_keys, self._waiting_for_screen = [event], True
        else:
            self._held_keys = []
            await super().on_event(event)
            self._settle(0)

    def recheck_screen(self) -> None:
        """Let the keys held for the screen go if it takes them now (it is ready, or another screen is on top)."""
        if self._waiting_for_screen:
            self._waiting_for_screen = False
            self._release_keys()

    def _screen_takes_keys(self) -> bool:
        screen = self.screen
        return not isinstance(screen, WaitsBeforeKeys) or screen.ready_for_keys

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
        """Queue the held keys again, in the order they came, unless the screen is not ready for them yet."""
        if self.screen_stack and self._held_keys and not self._screen_takes_keys():
            self._waiting_for_screen = True
            return
        held, self._held_keys = self._held_keys or [], None
        for key in held:
            replayed = events.Key(key.key, key.character)
            # As if from the terminal: a key made while a screen's callback runs names that screen as its
            # sender, and Textual stops a key's bubbling at its sender, short of the app's bindings.
            replayed.set_sender(self)
            self.post_message(replayed)
