"""The starter layouts shipped with the planner."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planner.model.errors import PlanError
from planner.model.plan import Plan
from planner.storage.files import load


@dataclass(frozen=True)
class Layout:
    """A starter plan: its name, what it shows, and where it lives."""

    name: str
    description: str
    people: int
    path: Path


def layouts_dir() -> Path:
    """The folder of starter layouts: inside the installed package, or the source tree's layouts/."""
    packaged = Path(__file__).resolve().parent.parent / "layouts"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "layouts"


def list_layouts() -> list[Layout]:
    """Every starter layout, by name."""
    found = []
    for path in sorted(layouts_dir().glob("*.toml")):
        plan = load(path)
        found.append(Layout(path.stem, plan.description, sum(len(org) for org in plan.scenarios.values()), path))
    return found


def load_layout(name: str) -> Plan:
    """The starter layout with this name, as a new plan."""
    path = layouts_dir() / f"{name}.toml"
    if not path.is_file():
        known = ", ".join(layout.name for layout in list_layouts())
        raise PlanError(f"no starter layout named {name!r}", f"use one of: {known}")
    return load(path)
