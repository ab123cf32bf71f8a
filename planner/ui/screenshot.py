"""The README's picture of the planner, made by the app itself: `python -m planner.ui.screenshot [FILE]`."""

from __future__ import annotations

import sys
from pathlib import Path

from textual.pilot import Pilot

from planner.ui.app import make_app
from planner.ui.widgets.org_tree import OrgTree

README_SCREENSHOT = Path("docs/screenshot.svg")
SIZE = (128, 32)
SELECTED = "sales-marketing-manager"  # the merged manager: the panel shows why they are critical


def screenshot_svg() -> str:
    """The merged starter layout with its merged manager selected, as an SVG of the terminal."""
    app = make_app(layout="merged", saves=Path("saves"))

    async def take(pilot: Pilot) -> None:
        await pilot.pause()
        app.screen.query_one(OrgTree).select_person(SELECTED)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        app.exit(app.export_screenshot(title="Org Planner"))

    svg = app.run(headless=True, size=SIZE, auto_pilot=take)
    assert isinstance(svg, str), "the app ended before taking the picture"
    return svg


def main(argv: list[str]) -> int:
    """Write the picture to the file named (default: docs/screenshot.svg)."""
    target = Path(argv[0]) if argv else README_SCREENSHOT
    target.write_text(screenshot_svg(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
