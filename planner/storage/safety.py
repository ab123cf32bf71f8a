"""Never lose a plan: recovery files, locks against a second session, and change detection on disk."""

from __future__ import annotations

import contextlib
import getpass
import glob
import hashlib
import json
import os
import re
import secrets
import socket
import time
import traceback
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from planner.model.errors import PlanError
from planner.model.plan import Plan
from planner.storage.codec import loads_bytes
from planner.storage.files import backup_path, load, process_alive, write_atomic
from planner.storage.journal import JournalFile, RecoveryJournal, SnapshotBase, is_journal, read_journal


STATE_FOLDER = "org-planner"
CONFINED_STATE_FOLDER = ".org-planner"
PRIVATE_FOLDER_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
_SESSION_ID = r"(?P<pid>\d+)-[0-9a-f]+"
_UNTITLED_NAME = re.compile(r"untitled-\d{8}-\d{6}-(?P<pid>\d+)(?:-[0-9a-f]+)?\.(?:recovery|toml)")
_PLAN_OF_RECOVERY = re.compile(rf"\.(?P<plan>.+?)\.(?:{_SESSION_ID}\.)?recovery")


def state_dir(confined_to: Path | None = None) -> Path:
    """The folder for recovery of untitled plans and crash logs: the user's own, or one inside a confined plans folder."""
    if confined_to is not None:
        return confined_to / CONFINED_STATE_FOLDER
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / STATE_FOLDER


def private_folder(folder: Path) -> Path:
    """Create `folder` and any missing parents readable by the owner only (existing parents keep their mode)."""
    chain = [folder, *folder.parents]
    for missing in reversed([path for path in chain if not path.exists()]):
        missing.mkdir(mode=PRIVATE_FOLDER_MODE, exist_ok=True)
    _narrow_state_folders(chain)
    return folder


def _narrow_state_folders(chain: list[Path]) -> None:
    """Make the planner's own state folder and those below it owner-only, as older versions left them 0755."""
    names = [path.name for path in chain]
    for own in (STATE_FOLDER, CONFINED_STATE_FOLDER):
        if own in names:
            for path in chain[: names.index(own) + 1]:
                if path.stat().st_mode & 0o077:
                    path.chmod(PRIVATE_FOLDER_MODE)
            return


def companion_mode(plan_path: Path | None) -> int:
    """The mode of a plan's recovery and lock files: the plan's own, never wider and never executable (0600 if none)."""
    try:
        return plan_path.stat().st_mode & 0o666 if plan_path is not None else PRIVATE_FILE_MODE
    except OSError:
        return PRIVATE_FILE_MODE


def new_session_id() -> str:
    """An id for one session's recovery file: the process id, and a random part for sessions sharing a process."""
    return f"{os.getpid()}-{secrets.token_hex(3)}"


def recovery_path(plan_path: Path, session_id: str) -> Path:
    """Where one session keeps the unsaved changes of a plan: `.NAME.toml.SESSION.recovery` beside it."""
    return plan_path.with_name(f".{plan_path.name}.{session_id}.recovery")


def untitled_recovery_path(state: Path, session_id: str) -> Path:
    """Where one session keeps a plan never saved to a file: in the state folder."""
    return state / "recovery" / f"untitled-{time.strftime('%Y%m%d-%H%M%S')}-{session_id}.recovery"


def recovery_journal(path: Path, source: str, session_id: str, plan_path: Path | None) -> RecoveryJournal:
    """A session's recovery journal at `path`, with the plan's mode (private folders for untitled plans)."""
    return RecoveryJournal(path, source, session_id, companion_mode(plan_path), private_folder)


def write_recovery(plan: Plan, path: Path, source: str, mode: int = PRIVATE_FILE_MODE) -> None:
    """Write a recovery file holding the plan as it is now, whole, and wait until it is on disk."""
    journal = RecoveryJournal(path, source, "", mode, private_folder)
    journal.start(SnapshotBase(plan.snapshot(), next(iter(plan.scenarios))))
    journal.keep()
    journal.flush()
    if journal.error is not None:
        raise journal.error


def remove_recovery(path: Path) -> None:
    """Forget a recovery file (after a clean save or a deliberate discard)."""
    path.unlink(missing_ok=True)


@dataclass(frozen=True)
class Recovery:
    """A recovery file left by a session that is gone: the recovered plan and what differs from the file.

    `plan` is None when the changes cannot be replayed (`problem` says why). `adoptable` recoveries can
    become a new session's own file as they are; the others are written afresh.
    """

    path: Path
    plan: Plan | None
    written: float
    changes: tuple[str, ...]
    before_last_save: bool
    adoptable: bool = False
    problem: str = ""


class _PlanOnDisk:
    """A plan file as it is now (its signature read once), and the plan each journal's edits apply to."""

    def __init__(self, path: Path | None, plan: Plan | None = None) -> None:
        self.path = path
        self._plan = plan

    @cached_property
    def signature(self) -> str | None:
        """The signature of the plan file as it is now."""
        return file_signature(self.path) if self.path is not None else None

    def base_for(self, journal: JournalFile) -> tuple[Plan, bool]:
        """The plan a journal's edits apply to, and whether the file was saved since (its backup is that plan)."""
        if journal.snapshot is not None:
            return journal.snapshot, False
        if self.path is None:
            raise PlanError("the recovery file names no plan file")
        if journal.signature == self.signature:
            return (self._plan.copy() if self._plan is not None else load(self.path)), False
        backup = backup_path(self.path)
        if journal.signature == file_signature(backup):
            return load(backup), True
        raise PlanError(f"these changes were made to a version of {self.path.name} that is no longer on disk "
                        "nor in its backup (it was changed elsewhere since), so they cannot be replayed")


def plan_of_recovery(path: Path) -> Path | None:
    """The plan file a recovery file beside it belongs to (`.NAME.toml.SESSION.recovery` -> NAME.toml)."""
    found = _PLAN_OF_RECOVERY.fullmatch(path.name)
    return path.with_name(found["plan"]) if found else None


def _recover(path: Path, raw: bytes, on_disk: _PlanOnDisk) -> tuple[Plan, bool, bool]:
    """The plan a recovery file holds, whether it was made before the plan was last saved, and if adoptable."""
    if not is_journal(raw):
        return loads_bytes(raw, str(path)), False, False
    journal = read_journal(raw, str(path))
    base, saved_since = on_disk.base_for(journal)
    return journal.replay(base), saved_since, not saved_since


def read_recovery(path: Path, plan_path: Path | None = None) -> Plan:
    """The plan a recovery file holds: its snapshot, or the plan file it was made on, with its edits replayed."""
    raw = path.read_bytes()
    plan, _, _ = _recover(path, raw, _PlanOnDisk(plan_path or plan_of_recovery(path)))
    return plan


def open_recovery(path: Path) -> Recovery:
    """An untitled plan's recovery file, ready to restore (PlanError or OSError when it cannot be read)."""
    plan, _, adoptable = _recover(path, path.read_bytes(), _PlanOnDisk(None))
    return Recovery(path, plan, path.stat().st_mtime, (), False, adoptable)


def _recovery_name(plan_path: Path) -> re.Pattern[str]:
    """The names of a plan's recovery files: one per session, or the older shared `.NAME.toml.recovery`."""
    return re.compile(rf"\.{re.escape(plan_path.name)}\.(?:{_SESSION_ID}\.)?recovery")


def recovery_files(plan_path: Path) -> list[Path]:
    """Every session's recovery file of a plan."""
    pattern = _recovery_name(plan_path)
    return sorted(path for path in plan_path.parent.glob(f".{glob.escape(plan_path.name)}.*recovery")
                  if pattern.fullmatch(path.name))


def _written_by_a_live_session(found: re.Match[str] | None) -> bool:
    """Whether the session named in a recovery file's name still runs, in another process of this machine.

    Sessions of this process are over by the time recoveries are looked for: the app holds one at a time.
    """
    pid = int(found["pid"]) if found is not None and found["pid"] else None
    return pid is not None and pid != os.getpid() and process_alive(pid)


def pending_recoveries(plan_path: Path, on_disk: Plan) -> list[Recovery]:
    """The recovery files of a plan left by sessions that have ended and holding other content, newest first.

    A journal made on a version of the plan no longer on disk (nor in its backup) is listed with
    no plan and the reason, so it can be discarded or kept, never silently dropped.
    """
    found = []
    pattern = _recovery_name(plan_path)
    disk = _PlanOnDisk(plan_path, on_disk)
    for path in recovery_files(plan_path):
        if _written_by_a_live_session(pattern.fullmatch(path.name)):
            continue
        try:
            written = path.stat().st_mtime
            raw = path.read_bytes()
            saved = plan_path.stat().st_mtime if plan_path.is_file() else 0.0
        except OSError:
            continue
        try:
            recovered, saved_since, adoptable = _recover(path, raw, disk)
        except PlanError as error:
            if is_journal(raw):
                found.append(Recovery(path, None, written, (), True, problem=str(error)))
            continue
        if recovered != on_disk:
            changes = tuple(describe_changes(on_disk, recovered))
            found.append(Recovery(path, recovered, written, changes, saved_since or written < saved, adoptable))
    return sorted(found, key=lambda recovery: recovery.written, reverse=True)


def untitled_recoveries(state: Path) -> list[tuple[Path, float]]:
    """Recovery files of plans never saved, left by sessions that have ended, with when they were written, newest first."""
    dated = []
    for path in (state / "recovery").glob("untitled-*"):
        name = _UNTITLED_NAME.fullmatch(path.name)
        if name is None or _written_by_a_live_session(name):
            continue
        with contextlib.suppress(OSError):
            dated.append((path, path.stat().st_mtime))
    return sorted(dated, key=lambda found: found[1], reverse=True)


def describe_changes(old: Plan, new: Plan) -> list[str]:
    """What differs between two versions of a plan, in a few lines."""
    lines = []
    if old.name != new.name:
        lines.append(f"plan renamed to {new.name!r}")
    if old.settings != new.settings:
        lines.append("settings changed")
    if old.catalog != new.catalog:
        lines.append("catalog changed")
    for name in new.scenarios:
        if name not in old.scenarios:
            lines.append(f"scenario {name!r} added")
            continue
        before, after = old.scenarios[name], new.scenarios[name]
        added = set(after) - set(before)
        removed = set(before) - set(after)
        changed = {pid for pid in set(after) & set(before)
                   if after.person(pid) != before.person(pid) or after.manager_of(pid) != before.manager_of(pid)}
        parts = [f"{len(items)} {word}" for items, word in ((added, "added"), (removed, "removed"),
                                                           (changed, "changed")) if items]
        if parts:
            lines.append(f"scenario {name!r}: people " + ", ".join(parts))
    lines += [f"scenario {name!r} removed" for name in old.scenarios if name not in new.scenarios]
    return lines or ["the same plan"]


def file_stamp(path: Path) -> tuple[int, int, int] | None:
    """A file's modification time, size and inode (None when it cannot be looked at): a cheap look for changes."""
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_mtime_ns, found.st_size, found.st_ino


def file_signature(path: Path) -> str | None:
    """A fingerprint of a file's bytes (None when it does not exist), to notice changes made elsewhere."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


@dataclass(frozen=True)
class LockHolder:
    """Who holds a plan open: process, user, machine, since when."""

    pid: int
    user: str
    host: str
    since: float

    def describe(self) -> str:
        """The holder in words."""
        return f"{self.user} on {self.host} (process {self.pid}) since {time.strftime('%H:%M', time.localtime(self.since))}"


class PlanLock:
    """A lock file `.NAME.toml.lock` that tells other sessions a plan is open; a dead holder's lock is taken over."""

    def __init__(self, plan_path: Path) -> None:
        self.plan_path = plan_path
        self.path = plan_path.with_name(f".{plan_path.name}.lock")
        self.held = False

    def acquire(self) -> LockHolder | None:
        """Take the lock; returns the other live holder when someone else has the plan open (the lock is shared then)."""
        other = self.holder()
        if other is not None and other.pid != os.getpid() and self._alive(other):
            return other
        me = {"pid": os.getpid(), "user": getpass.getuser(), "host": socket.gethostname(), "since": time.time()}
        try:
            write_atomic(self.path, json.dumps(me).encode(), mode=companion_mode(self.plan_path))
            self.held = True
        except OSError:
            pass
        return None

    def holder(self) -> LockHolder | None:
        """The lock's holder as written in the file, or None."""
        try:
            data = json.loads(self.path.read_text())
            return LockHolder(int(data["pid"]), str(data["user"]), str(data["host"]), float(data["since"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    @staticmethod
    def _alive(holder: LockHolder) -> bool:
        return holder.host != socket.gethostname() or process_alive(holder.pid)

    def release(self) -> None:
        """Remove the lock if this process holds it."""
        holder = self.holder()
        if self.held and holder is not None and holder.pid == os.getpid():
            self.path.unlink(missing_ok=True)
        self.held = False


def write_crash_log(error: BaseException | None, state: Path | None = None) -> Path:
    """Write an internal error's traceback (without local variables) to the state folder; returns the file."""
    folder = private_folder((state or state_dir()) / "crashes")
    path = folder / f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.txt"
    lines = traceback.format_exception(error) if error is not None else ["no exception recorded\n"]
    write_atomic(path, "".join(lines).encode("utf-8"), mode=PRIVATE_FILE_MODE)
    return path
