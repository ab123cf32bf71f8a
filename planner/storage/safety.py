"""Never lose a plan: recovery files, locks against a second session, and change detection on disk."""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import socket
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from planner.model.errors import PlanError
from planner.model.plan import Plan
from planner.storage.codec import dumps, loads_bytes
from planner.storage.files import process_alive, write_atomic

RECOVERY_HEADER = "# Org Planner recovery file: unsaved changes of {source}, written {when}.\n"


def state_dir() -> Path:
    """The planner's own folder for recovery of untitled plans and crash logs."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "org-planner"


def recovery_path(plan_path: Path | None, untitled: str = "untitled") -> Path:
    """Where unsaved changes are kept: `.NAME.toml.recovery` beside the plan, or the state folder."""
    if plan_path is not None:
        return plan_path.with_name(f".{plan_path.name}.recovery")
    return state_dir() / "recovery" / f"{untitled}.toml"


def write_recovery(plan: Plan, path: Path, source: str) -> None:
    """Write the plan as it is now to a recovery file (atomically)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    header = RECOVERY_HEADER.format(source=source.replace("\n", " "), when=time.strftime("%Y-%m-%d %H:%M:%S"))
    write_atomic(path, (header + dumps(plan)).encode("utf-8"))


def remove_recovery(path: Path) -> None:
    """Forget a recovery file (after a clean save or a deliberate discard)."""
    path.unlink(missing_ok=True)


@dataclass(frozen=True)
class Recovery:
    """A recovery file newer than its plan: the recovered plan and what differs."""

    path: Path
    plan: Plan
    written: float
    changes: tuple[str, ...]


def pending_recovery(plan_path: Path, on_disk: Plan) -> Recovery | None:
    """The recovery file of a plan if it is newer than the plan and holds other content, else None."""
    path = recovery_path(plan_path)
    try:
        written = path.stat().st_mtime
        if plan_path.is_file() and written < plan_path.stat().st_mtime:
            return None
        recovered = loads_bytes(path.read_bytes(), str(path))
    except (OSError, PlanError):
        return None
    if recovered == on_disk:
        return None
    return Recovery(path, recovered, written, tuple(describe_changes(on_disk, recovered)))


def untitled_recoveries() -> list[Path]:
    """Recovery files of plans that were never saved, newest first."""
    folder = state_dir() / "recovery"
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.toml"), key=lambda p: p.stat().st_mtime, reverse=True)


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
        self.path = plan_path.with_name(f".{plan_path.name}.lock")
        self.held = False

    def acquire(self) -> LockHolder | None:
        """Take the lock; returns the other live holder when someone else has the plan open (the lock is shared then)."""
        other = self.holder()
        if other is not None and other.pid != os.getpid() and self._alive(other):
            return other
        me = {"pid": os.getpid(), "user": getpass.getuser(), "host": socket.gethostname(), "since": time.time()}
        try:
            write_atomic(self.path, json.dumps(me).encode())
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


def write_crash_log(error: BaseException | None) -> Path:
    """Write an internal error's traceback (without local variables) to the state folder; returns the file."""
    folder = state_dir() / "crashes"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.txt"
    lines = traceback.format_exception(error) if error is not None else ["no exception recorded\n"]
    path.write_text("".join(lines))
    return path
