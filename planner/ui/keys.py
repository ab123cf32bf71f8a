"""Keys in a burst land where they would land if typed slowly: each waits until the last one has settled."""

from __future__ import annotations

import time
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

    @property
    def cancel_key(self) -> str:
        """The key that closes the screen at once, without waiting; the keys held for the screen are dropped."""


class KeysInOrder(App[None]):
    """An app that handles a key only after the screen, focus and callbacks of the key before it have settled.

    Textual dispatches a key to whatever has focus when the key is read; a dialog opened by the key
    before mounts, and takes focus, a few messages later, and a field the key before showed joins
    the Tab order only once the screen is laid out again. Over SSH fast typing arrives at once, so
    without this the text meant for the dialog would reach the screen below it. A screen that is still
    working out what it shows (`WaitsBeforeKeys`) holds the keys too, in the same queue, so they keep
    their order; its cancel key (esc) closes it at once, dropping the keys that were waiting for it.
    """

    def __init__(self) -> None:
        super().__init__()
        self._held_keys: list[events.Key] | None = None
        self._waiting_for_screen = False
        self.last_key_at = time.monotonic()

    @property
    def keys_settling(self) -> bool:
        """Whether a key is still settling or waiting for the screen (the keys that came after it wait too)."""
        return self._held_keys is not None

    @property
    def held_keys(self) -> tuple[str, ...]:
        """The keys waiting their turn, in the order they came."""
        return tuple(key.key for key in self._held_keys or ())

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key):
            await super().on_event(event)
            return
        if not self.screen_stack:
            return  # the app is closing with keys still on their way: no screen is left to take them
        self.last_key_at = time.monotonic()
        if event.is_forwarded:
            await super().on_event(event)
        elif self._waiting_for_screen and event.key == self._cancel_key():
            self._held_keys, self._waiting_for_screen = None, False  # the keys held for the screen go with it
            await self._dispatch(event)
        elif self._held_keys is not None:
            self._held_keys.append(event)
        elif self._cancel_key() in (None, event.key):  # the screen takes keys, or this one closes it
            await self._dispatch(event)
        else:
            self._held_keys, self._waiting_for_screen = [event], True

    async def _dispatch(self, key: events.Key) -> None:
        """Handle a key now; the keys that come while it settles wait."""
        self._held_keys = []
        await super().on_event(key)
        self._settle(0)

    def _cancel_key(self) -> str | None:
        """None if the screen takes keys now, else the key that closes it at once (esc on the hand-off plan)."""
        screen = self.screen
        return screen.cancel_key if isinstance(screen, WaitsBeforeKeys) and not screen.ready_for_keys else None

    def recheck_screen(self) -> None:
        """Let the keys held for the screen go if it takes them now (it is ready, or another screen is on top)."""
        if self._waiting_for_screen:
            self._waiting_for_screen = False
            self._release_keys()

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
        held, self._held_keys = self._held_keys or [], None
        cancel = self._cancel_key() if held and self.screen_stack else None
        if cancel is not None:
            typed = [key.key for key in held]
            if cancel not in typed:
                self._held_keys, self._waiting_for_screen = held, True
                return
            held = held[typed.index(cancel):]  # the cancel goes first; the keys before it go with the screen
        for key in held:
            replayed = events.Key(key.key, key.character)
            # As if from the terminal: a key made while a screen's callback runs names that screen as its
            # sender, and Textual stops a key's bubbling at its sender, short of the app's bindings.
            replayed.set_sender(self)
            self.post_message(replayed)
