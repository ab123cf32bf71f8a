"""Recovery journals: a session's unsaved edits, appended to its recovery file by a writer thread.

A journal is a comment line, a header naming its base, then one edit a line, as JSON
(`planner.model.edit_codec`, which rooms relay edits with too):

    # Org Planner recovery file: unsaved changes of acme.toml, written 2026-11-27 10:02:11.
    {"recovery": 2, "base": "file", "signature": "<SHA-256 of the saved file>", "scenario": ..., "session": ...}
    {"edit": {"type": "MovePerson", "scenario": "current", "person_id": "ana", "manager": "lee"}}

The base is either the saved plan file, named by the SHA-256 of its bytes, or a snapshot of the plan
(the TOML text on the line after the header), for a plan in no file. Undo and redo are written as the
edits they applied, so replaying the lines in order on the base gives the plan the session had.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from planner.model.bulk import collector_paused
from planner.model.edit_codec import decode_edit, encode_edit
from planner.model.edits import Edit
from planner.model.errors import PlanError
from planner.model.plan import Plan, PlanSnapshot
from planner.storage.codec import loads, to_data
from planner.storage.files import release_data, write_atomic

JOURNAL_VERSION = 2
COMMENT = "# Org Planner recovery file: unsaved changes of {source}, written {when}.\n"


def journal_line(edit: Edit) -> str:
    """One journal line for an edit, with its newline (TypeError for an edit with no plain form)."""
    return json.dumps({"edit": encode_edit(edit)}, separators=(",", ":")) + "\n"


def edit_of_line(line: str) -> Edit:
    """The edit a journal line holds (PlanError when it holds none)."""
    try:
        data = json.loads(line)["edit"]
    except (ValueError, KeyError, TypeError) as error:
        raise PlanError(f"a line of the recovery file holds no edit ({error})") from None
    return decode_edit(data)


@dataclass(frozen=True)
class FileBase:
    """The journal's edits apply to the saved plan file with this signature."""

    signature: str | None
    scenario: str


@dataclass(frozen=True)
class SnapshotBase:
    """The journal's edits apply to this snapshot of the plan, written out in full after the header."""

    snapshot: PlanSnapshot
    scenario: str


Base = FileBase | SnapshotBase


@dataclass(frozen=True)
class JournalFile:
    """A journal as read back: its header, the snapshot it starts from (if any), and its edit lines."""

    header: dict[str, Any]
    snapshot: Plan | None
    lines: tuple[str, ...]

    @property
    def signature(self) -> str | None:
        """The signature of the plan file the edits apply to (None for a snapshot base)."""
        return self.header.get("signature") if self.snapshot is None else None

    def replay(self, base: Plan) -> Plan:
        """Apply the edits to `base` (the saved plan, or a copy of it) in order; PlanError if one no longer fits."""
        for edit in [edit_of_line(line) for line in self.lines]:
            edit.apply(base)
        return base


def is_journal(raw: bytes) -> bool:
    """Whether a recovery file is a journal (an older version wrote the whole plan as TOML instead)."""
    body = raw.split(b"\n", 2)
    return len(body) > 1 and body[0].startswith(b"#") and body[1].startswith(b"{")


def read_journal(raw: bytes, source: str) -> JournalFile:
    """Parse a journal; a last line cut short by a crash is left out. PlanError when it cannot be read."""
    text = raw.decode("utf-8", errors="replace")
    lines = text.split("\n")[1:]
    complete = text.endswith("\n")
    try:
        header = json.loads(lines[0])
        if header.get("recovery") != JOURNAL_VERSION:
            raise ValueError(f"journal version {header.get('recovery')!r}")
        snapshot = loads(json.loads(lines[1])["plan"], source) if header.get("base") == "snapshot" else None
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise PlanError(f"{source} is not a recovery journal this version reads ({error})") from None
    edits = lines[2 if snapshot is not None else 1:]
    if edits and not complete:
        edits = edits[:-1]
    return JournalFile(header, snapshot, tuple(line + "\n" for line in edits if line))


def _snapshot_text(snapshot: PlanSnapshot) -> str:
    """A snapshot as plan TOML, the copies it takes freed piece by piece (see `release_data`)."""
    plan = snapshot.plan()
    data = to_data(plan)
    for org in plan.scenarios.values():
        org.clear()
    text = tomli_w.dumps(data)
    release_data(data)
    return text


class RecoveryJournal:
    """One session's recovery file, kept in line by a writer thread with what the session says it holds.

    The session (on the UI thread) sets a base and adds a line per edit; the writer appends the new
    lines, or rewrites the file whole (atomically) when the base changed, and removes it when there is
    no base. Only `flush` waits; a failed write is kept in `error` and retried at the next `nudge`.
    """

    def __init__(self, path: Path, source: str, session_id: str, mode: int,
                 prepare: Callable[[Path], object] = lambda folder: None) -> None:
        """`prepare` makes the folder before a file is first written there."""
        self.path = path
        self.source = source
        self.session_id = session_id
        self.mode = mode
        self._prepare = prepare
        self._changed = threading.Condition()
        self._base: Base | None = None
        self._lines: list[str] = []
        self._generation = 0
        self._on_disk: tuple[int, int] | None = (0, 0)
        self._retire: list[Path] = []
        self._writing = False
        self._kept = False
        self.error: OSError | None = None

    @property
    def base(self) -> Base | None:
        """What the edits apply to (None: the file is to be absent)."""
        return self._base

    @property
    def length(self) -> int:
        """How many edit lines follow the base."""
        return len(self._lines)

    @property
    def generation(self) -> int:
        """A token that changes with every new base."""
        return self._generation

    def start(self, base: Base, lines: list[str] | None = None) -> None:
        """Start the file afresh: this base and these lines (none by default)."""
        with self._changed:
            self._base, self._lines = base, list(lines or ())
            self._generation += 1
        self.nudge()

    def add(self, line: str) -> None:
        """Append one edit line."""
        with self._changed:
            self._lines.append(line)
        self.nudge()

    def clear(self) -> None:
        """Nothing to recover: the file goes."""
        with self._changed:
            self._base, self._lines = None, []
            self._generation += 1
        self.nudge()

    def adopt(self, found: Path, base: Base) -> bool:
        """Take over another session's file as this one's, holding `base`; False (nothing done) if it cannot move."""
        try:
            os.replace(found, self.path)
        except OSError:
            return False
        with self._changed:
            self._base, self._lines = base, []
            self._generation += 1
            self._on_disk = (self._generation, 0)
        return True

    def retire_after_write(self, other: Path) -> None:
        """Remove another file once this one has been written whole (it then holds what that file held)."""
        with self._changed:
            self._retire.append(other)

    def lines_after(self, count: int) -> list[str]:
        """The edit lines added after the first `count`."""
        with self._changed:
            return self._lines[count:]

    def keep(self) -> None:
        """Write the file from now on (until now, the base and lines were only remembered), and retry a failure."""
        with self._changed:
            self._kept = True
            self.error = None
        self.nudge()

    def nudge(self) -> None:
        """Have the writer bring the file in line, once it is kept."""
        with self._changed:
            behind = self._on_disk != (self._generation, len(self._lines))
            if self._kept and behind and not self._writing and self.error is None:
                self._writing = True
                threading.Thread(target=self._write_until_current, name="recovery-journal", daemon=True).start()

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until the file holds what was set (or a write failed); False if `timeout` ran out first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._changed:
            while self._writing:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._changed.wait(remaining)
        return True

    def _write_until_current(self) -> None:
        """The writer thread: write until the file holds the latest state, then stop."""
        while True:
            with self._changed:
                wanted = (self._generation, len(self._lines))
                if self._on_disk == wanted or self.error is not None:
                    self._writing = False
                    self._changed.notify_all()
                    return
                base, lines, on_disk = self._base, self._lines[:], self._on_disk
            try:
                self._write(base, lines, on_disk, wanted)
            except OSError as error:
                with self._changed:
                    self.error, self._on_disk = error, None

    def _write(self, base: Base | None, lines: list[str], on_disk: tuple[int, int] | None,
               wanted: tuple[int, int]) -> None:
        if base is None:
            self.path.unlink(missing_ok=True)
        elif on_disk is not None and on_disk[0] == wanted[0] and on_disk[1] <= wanted[1]:
            self._append(lines[on_disk[1]:])
        else:
            body = self._whole(base, lines)
            if body is None:
                return
            self._prepare(self.path.parent)
            write_atomic(self.path, body, mode=self.mode)
        with self._changed:
            self._on_disk = wanted
            retired, self._retire = self._retire, []
        for other in retired:
            other.unlink(missing_ok=True)

    def _append(self, lines: list[str]) -> None:
        """Append lines to the file as written; it must exist (a lost file is rewritten whole instead)."""
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        try:
            os.write(fd, "".join(lines).encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)

    def _whole(self, base: Base, lines: list[str]) -> bytes | None:
        """The whole file for a base and lines (None if the base changed while a snapshot was being written out)."""
        generation = self._generation
        header: dict[str, Any] = {"recovery": JOURNAL_VERSION, "base": "file", "scenario": base.scenario,
                                  "session": self.session_id}
        body = ""
        if isinstance(base, SnapshotBase):
            header["base"] = "snapshot"
            with collector_paused():
                body = json.dumps({"plan": _snapshot_text(base.snapshot)}) + "\n"
            if generation != self._generation:
                return None
        else:
            header["signature"] = base.signature
        comment = COMMENT.format(source=self.source.replace("\n", " "), when=time.strftime("%Y-%m-%d %H:%M:%S"))
        return (comment + json.dumps(header) + "\n" + body + "".join(lines)).encode("utf-8")
