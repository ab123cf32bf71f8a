"""Find the line of a key or table in TOML source, so problems can name it."""

from __future__ import annotations

import re

Path = tuple[str | int, ...]

_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.\- ]+?)\s*\]\]")
_TABLE_HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\- ]+?)\s*\]")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")


class LineIndex:
    """Lines of the tables and keys of a TOML document, by their path in the data."""

    def __init__(self, source: str) -> None:
        self._lines: dict[Path, int] = {}
        self._counters: dict[str, int] = {}
        table: Path = ()
        for number, line in enumerate(source.splitlines(), start=1):
            if match := _ARRAY_HEADER.match(line):
                table = self._enter_array(match.group(1).replace(" ", ""))
            elif match := _TABLE_HEADER.match(line):
                table = self._path_of(match.group(1).replace(" ", ""))
            elif match := _KEY.match(line):
                self._lines.setdefault((*table, match.group(1)), number)
                continue
            else:
                continue
            self._lines.setdefault(table, number)

    def _enter_array(self, name: str) -> Path:
        self._counters[name] = self._counters.get(name, -1) + 1
        for other in list(self._counters):
            if other.startswith(name + "."):
                del self._counters[other]
        return self._path_of(name)

    def _path_of(self, name: str) -> Path:
        path: list[str | int] = []
        parts = name.split(".")
        for depth, part in enumerate(parts):
            path.append(part)
            prefix = ".".join(parts[: depth + 1])
            if prefix in self._counters:
                path.append(self._counters[prefix])
        return tuple(path)

    def line_of(self, path: Path) -> int | None:
        """The line of the key or table at `path`, or of its nearest enclosing table."""
        for end in range(len(path), -1, -1):
            if (line := self._lines.get(path[:end])) is not None:
                return line
        return None
