"""The README's picture and keys table are the app as it is."""

from __future__ import annotations

import re

from planner.analysis import analyse
from planner.storage.layouts import load_layout
from planner.ui.app import PlannerApp
from planner.ui.screens.main import MainScreen
from planner.ui.screenshot import README_SCREENSHOT, screenshot_svg

from .conftest import REPO


NUMBERS = {"three": 3, "four": 4, "five": 5}


def keys_table() -> set[str]:
    """Every key named in the first column of the README's keys table."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## In the terminal"):readme.index("## The command line")]
    first_cells = re.findall(r"^\| ([^|]+) \|", section, re.MULTILINE)
    return {key.strip("` ") for cell in first_cells for key in re.split(r" / | or |, ", cell)}


def test_the_readme_screenshot_is_the_app_as_it_is():
    assert screenshot_svg() == (REPO / README_SCREENSHOT).read_text(encoding="utf-8"), \
        "docs/screenshot.svg is stale: run `python -m planner.ui.screenshot` and look at the result"


def test_the_readme_keys_table_names_every_key_of_the_plan_screen():
    named = keys_table()
    for binding in [*MainScreen.BINDINGS, *PlannerApp.BINDINGS]:
        key = binding.key_display or binding.key.split(",")[0]
        assert key in named, f"the README's keys table does not name {key} ({binding.description})"


def test_the_readme_counts_the_growing_layout_as_it_opens():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    row = re.search(r"^\| `growing` \| (\d+) people \((\d+) filled, (\d+) open\) on (\w+) levels", readme, re.MULTILINE)
    assert row, "the README's starter layouts table has no row for growing in the expected words"
    shape = analyse(load_layout("growing")).shape
    assert (int(row[1]), int(row[2]), int(row[3]), NUMBERS[row[4]]) == (
        shape.headcount, shape.filled, shape.vacancies, shape.layers)
