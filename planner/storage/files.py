"""Reading plan files, and saving them so a failed save never damages the old file."""

from __future__ import annotations

import glob
import os
import re
import tempfile
import tomllib
from typing import Any
from collections.abc import Callable
from pathlib import Path

import tomli_w

from planner.model.errors import PlanError, PlanFileError, Problem
from planner.model.plan import Plan
from planner.storage.codec import MAX_BYTES, loads_bytes, to_data


def load(path: str | os.PathLike[str]) -> Plan:
    """Read a plan file, or raise PlanFileError saying what is wrong and where."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise PlanFileError(str(path), [Problem("no such file", "check the path, or create it with `planner new`")]) from None
    except IsADirectoryError:
        raise PlanFileError(str(path), [Problem("this is a folder, not a plan file", "name a .toml file")]) from None
    except OSError as error:
        raise PlanFileError(str(path), [Problem(f"cannot read the file: {error.strerror}", "check its permissions")]) from None
    return loads_bytes(raw, str(path))


def too_large(size: int) -> str:
    """A size over the plan limit, worded for an error: `N MB, more than the 64 MB a plan may be`."""
    return f"{size / 2**20:.1f} MB, more than the {MAX_BYTES / 2**20:.0f} MB a plan may be"


# A plan's first key after blank and comment lines is its schema version.
_SCHEMA_HEADER = re.compile(rb"(?:\xef\xbb\xbf)?(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*schema[ \t]*=")


def file_exists(path: Path) -> bool:
    """Whether something is at `path`; a path the system cannot use (a name too long, say) raises PlanError."""
    try:
        return path.exists()
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise PlanError(f"cannot use the file name {path}: {reason}",
                        "choose a shorter file name in a folder that exists") from None


def is_plan_file(path: Path) -> bool:
    """Whether a file holds a plan: it starts with the plan's schema line, or reads as a plan."""
    try:
        with path.open("rb") as handle:
            start = handle.read(64 * 1024)
    except OSError:
        return False
    if _SCHEMA_HEADER.match(start):
        return True
    try:
        load(path)
    except PlanFileError:
        return False
    return True


def export_target_exists(path: Path) -> bool:
    """Whether writing an export to `path` replaces a file; a plan there is never replaced (PlanError)."""
    if not file_exists(path):
        return False
    if is_plan_file(path):
        raise PlanError(f"{path} holds a plan: an export never replaces a plan file",
                        "choose another file name for the export")
    return True


def backup_path(path: Path) -> Path:
    """Where the previous version of a plan file is kept: `NAME.toml.bak` beside it."""
    return path.with_name(path.name + ".bak")


def save(plan: Plan, path: str | os.PathLike[str], progress: Callable[[str], object] = lambda stage: None) -> None:
    """Save a plan: keep the old file as NAME.bak, then write the new one atomically, checked by reading it back.

    `progress` hears of each stage as it starts: "serialising", "writing", "checking".
    """
    path = Path(path)
    progress("serialising")
    expected = to_data(plan)
    data = tomli_w.dumps(expected).encode("utf-8")
    if len(data) > MAX_BYTES:
        raise PlanError(f"the plan is {too_large(len(data))}; {path} was not written",
                        "split it into smaller plans (for an import, split the CSV into smaller files)")
    progress("writing")
    try:
        old = path.read_bytes() if path.is_file() else None
        _remove_stale_temp_files(backup_path(path))
        if old is not None and old != data:
            write_atomic(backup_path(path), old, mode=_mode_for(path))
        write_atomic(path, data, lambda written: _verify(written, expected, progress))
    except OSError as error:
        raise PlanError(f"could not save {path}: {error.strerror or error}",
                        "check the folder exists, has space, and that you may write there") from None
    finally:
        release_data(expected)


def write_atomic(path: Path, data: bytes, verify: Callable[[Path], None] | None = None, mode: int | None = None) -> None:
    """Write bytes so the target is always either the old file or the new one, never a mix.

    Temp file in the same folder, fsync, optional check of the temp file, rename over the target,
    fsync of the folder. Temp files left by killed processes are removed on the next write.
    """
    _remove_stale_temp_files(path)
    temp_name: str | None
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(temp_name, _mode_for(path) if mode is None else mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if verify is not None:
            verify(Path(temp_name))
        os.replace(temp_name, path)
        temp_name = None
        _sync_folder(path.parent)
    finally:
        if temp_name is not None:
            Path(temp_name).unlink(missing_ok=True)


def _remove_stale_temp_files(path: Path) -> None:
    """Delete temp files of this target whose writing process is gone."""
    for temp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        pid = temp.name[len(path.name) + 2:].split(".", 1)[0]
        if pid.isdigit() and not process_alive(int(pid)):
            temp.unlink(missing_ok=True)


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _mode_for(path: Path) -> int:
    """The target's permissions if it exists, else what a new file gets under the umask."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _verify(written: Path, expected: dict[str, Any], progress: Callable[[str], object]) -> None:
    """Refuse to replace the target unless the written file parses back to exactly the data meant.

    The data is a pure function of the plan and reading it builds that plan again (a property
    test checks load(save(plan)) == plan), so equal data means the same plan.
    """
    progress("checking")
    parsed = tomllib.loads(written.read_text(encoding="utf-8"))
    same = _same_data(parsed, expected)
    release_data(parsed)
    if not same:
        raise PlanError("the saved file did not read back as the same plan; the old file is kept",
                        "report this as a bug, with the plan file")


# Plan data is compared and freed this many people at a time: a thread doing either in one C call would
# hold the interpreter for its whole length (a tenth of a second at 100,000 people), stalling the UI.
PEOPLE_AT_A_TIME = 1000


def _people_lists(data: dict[str, Any]) -> list[list[Any]]:
    """The people lists of plan data: the single scenario's, or each scenario's."""
    return [data.get("people", []), *(scenario.get("people", []) for scenario in data.get("scenarios", []))]


def _same_data(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """`a == b` for plan data, the people compared a slice at a time."""
    if a.keys() != b.keys():
        return False
    for key in a:
        if key == "scenarios":
            same = len(a[key]) == len(b[key]) and all(_same_data(x, y) for x, y in zip(a[key], b[key]))
        elif key == "people":
            same = len(a[key]) == len(b[key]) and all(
                a[key][start:start + PEOPLE_AT_A_TIME] == b[key][start:start + PEOPLE_AT_A_TIME]
                for start in range(0, len(a[key]), PEOPLE_AT_A_TIME))
        else:
            same = a[key] == b[key]
        if not same:
            return False
    return True


def release_data(data: dict[str, Any]) -> None:
    """Empty the people lists of plan data a slice at a time, so freeing them never holds the interpreter long."""
    for people in _people_lists(data):
        while people:
            del people[-PEOPLE_AT_A_TIME:]


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
