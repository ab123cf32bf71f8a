"""Reading plan files, and saving them so a failed save never damages the old file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from planner.model.errors import PlanError, PlanFileError, Problem
from planner.model.plan import Plan
from planner.storage.codec import MAX_BYTES, dumps, loads, loads_bytes


def load(path: str | os.PathLike) -> Plan:
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


def save(plan: Plan, path: str | os.PathLike) -> None:
    """Write the plan atomically: temp file, read-back check, then replace the target."""
    path = Path(path)
    text = dumps(plan)
    temp_name = None
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.chmod(temp_name, _mode_for(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        _verify(Path(temp_name), plan)
        os.replace(temp_name, path)
        temp_name = None
        _sync_folder(path.parent)
    except OSError as error:
        raise PlanError(f"could not save {path}: {error.strerror or error}",
                        "check the folder exists, has space, and that you may write there") from None
    finally:
        if temp_name is not None:
            Path(temp_name).unlink(missing_ok=True)


def _mode_for(path: Path) -> int:
    """The target's permissions if it exists, else what a new file gets under the umask."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _verify(written: Path, plan: Plan) -> None:
    """Refuse to replace the target unless the written file reads back as the same plan."""
    if loads(written.read_text(encoding="utf-8"), str(written)) != plan:
        raise PlanError("the saved file did not read back as the same plan; the old file is kept",
                        "report this as a bug, with the plan file")


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
