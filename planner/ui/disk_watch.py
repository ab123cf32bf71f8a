"""A plan file changed on disk (another terminal saved it, git checked it out): a clean session reloads by itself."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from planner.model.errors import PlanFileError
from planner.model.plan import Plan
from planner.storage.codec import loads_bytes
from planner.storage.safety import file_stamp
from planner.ui.screens.main import MainScreen
from planner.ui.session import Session

if TYPE_CHECKING:
    from planner.ui.app import PlannerApp

CHECK_SECONDS = 2.0


@dataclass(frozen=True)
class OnDisk:
    """What a plan file holds now: its signature, and the plan (None when it cannot be read, with the error)."""

    path: Path
    signature: str
    plan: Plan | None
    error: PlanFileError | None


def read_on_disk(path: Path, known: str | None) -> OnDisk | None:
    """Read and parse the file (in a worker thread); None when it is gone, no plan when its signature is `known`."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    signature = hashlib.sha256(raw).hexdigest()
    if signature == known:
        return OnDisk(path, signature, None, None)
    try:
        return OnDisk(path, signature, loads_bytes(raw, str(path)), None)
    except PlanFileError as error:
        return OnDisk(path, signature, None, error)


class DiskWatch:
    """Looks at the open plan file every few seconds; a stamp that moved sends a worker to read it.

    A session with no unsaved changes then takes the file's plan in place of its own (same screen,
    scenario and person) and says so. One with unsaved changes is left alone: saving asks what to do.
    Sessions in a room of `planner serve --ssh` follow the room instead.
    """

    def __init__(self, app: PlannerApp) -> None:
        self.app = app
        self._stamp: tuple[Path | None, tuple[int, int, int] | None] = (None, None)
        self._told: str | None = None

    def start(self) -> None:
        """Check on a timer, off the key path."""
        self.app.set_interval(CHECK_SECONDS, self.check)

    def _watched(self) -> Session | None:
        """The session to keep in line with its file, if any."""
        session = self.app.session
        room = self.app.room
        if session is None or session.path is None or session.dirty or self.app.saving or (
                room is not None and room.in_room):
            return None
        return session

    def check(self) -> None:
        """Send a worker to read the file when its stamp moved since the last look."""
        session = self._watched()
        if session is None:
            return
        stamp = (session.path, file_stamp(session.path))
        if stamp == self._stamp:
            return
        self._stamp = stamp
        self.app.run_worker(partial(self._read_in_thread, session.path, session.disk_signature), thread=True,
                            group="disk-watch")

    def _read_in_thread(self, path: Path, known: str | None) -> None:
        self.app.call_from_thread(self.read, read_on_disk(path, known))

    def read(self, found: OnDisk | None) -> None:
        """A worker read the file: reload a clean session from it, or tell once why it cannot."""
        session = self._watched()
        if found is None or session is None or found.path != session.path or found.signature == session.disk_signature:
            return
        if found.error is not None:
            if self._told != found.signature:
                self._told = found.signature
                self.app.notify(f"{found.path.name} changed on disk but cannot be read ({found.error}); "
                                "the plan shown is the one opened before.", severity="warning", timeout=10,
                                markup=False)
            return
        if not isinstance(self.app.screen, MainScreen):
            self._stamp = (None, None)  # a dialog is open: look again after it closes
            return
        self.app.replace_session(self.app.new_session(found.plan, found.path))
        self.app.notify(f"{found.path.name} changed on disk and had no unsaved changes here: reloaded.",
                        title="Reloaded", timeout=6, markup=False)
