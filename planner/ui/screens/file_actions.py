"""The main screen's file actions: save, save as, export, import a staff list, and a picture of the screen."""

from __future__ import annotations

import time

from planner.model.errors import PlanError
from planner.model.text import slugify
from planner.render.export import FORMATS, export
from planner.storage.files import export_target_exists, write_atomic
from planner.ui.screens.dialogs import Notice
from planner.ui.screens.forms import ExportChoice, ExportForm, ImportForm
from planner.ui.screens.plan_screen import PlanScreen


class FileActions(PlanScreen):
    """Save through the app, export the scenario shown, import a CSV, save an SVG of the screen."""

    def action_save(self) -> None:
        """Save to the open file (or ask where, for a new plan)."""
        self.planner.save_session()

    def action_save_as(self) -> None:
        """Save to a file chosen now."""
        self.planner.save_session_as()

    def action_export(self) -> None:
        """Export the scenario shown to a file."""
        planner = self.planner
        if planner.refuse_writing():
            return
        session = self.session
        stem = slugify(f"{session.plan.name} {session.scenario}")
        others = [name for name in session.plan.scenarios if name != session.scenario]

        def write(choice: ExportChoice) -> None:
            try:
                text = export(session.plan, choice.fmt, session.scenario, choice.compare)
                choice.path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(choice.path, text.encode("utf-8"))
            except (PlanError, OSError) as error:
                planner.push_screen(Notice("Could not export", str(error)))
                return
            planner.notify(f"Exported {choice.path}", timeout=3, markup=False)

        def chosen(choice: ExportChoice | None) -> None:
            if choice is not None:
                planner.write_file(choice.path, "this export", lambda: write(choice), export_target_exists)

        planner.push_screen(ExportForm(planner.saves, stem, FORMATS, others), chosen)

    def action_import_csv(self) -> None:
        """Make a new plan from a staff CSV (asking first about unsaved changes)."""
        planner = self.planner
        if planner.confine:
            planner.push_screen(Notice("Not available", "Importing reads files on the server: not offered here."))
            return
        planner.push_screen(ImportForm(), lambda path: path and planner.import_staff(path))

    def action_screenshot_svg(self) -> None:
        """Save an SVG of the screen to the saves folder."""
        planner = self.planner
        if planner.refuse_writing():
            return
        name = f"{slugify(self.session.plan.name)}-{time.strftime('%Y%m%d-%H%M%S')}.svg"
        try:
            planner.saves.mkdir(parents=True, exist_ok=True)
            path = planner.save_screenshot(filename=name, path=str(planner.saves))
        except OSError as error:
            planner.push_screen(Notice("Could not save the screenshot", str(error)))
            return
        planner.notify(f"Saved {path}", timeout=3, markup=False)
