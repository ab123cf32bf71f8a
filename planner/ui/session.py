"""The open plan: its file, undo history, chosen scenario and cached analysis (no Textual here)."""

from __future__ import annotations

from pathlib import Path

from planner.analysis import Analysis
from planner.analysis.report import Analyser
from planner.model.edits import Edit, History
from planner.model.org import Org
from planner.model.plan import Plan
from planner.storage import save


class Session:
    """One plan being edited: every change goes through `apply`, `undo` or `redo`."""

    def __init__(self, plan: Plan, path: Path | None = None, origin: str = "") -> None:
        self.plan = plan
        self.path = path
        self.origin = origin
        self.history = History(plan)
        self.scenario = next(iter(plan.scenarios))
        self._analyser = Analyser()
        self._analysis: Analysis | None = None
        self._analysed_at: tuple[int, str] | None = None
        if path is None:
            self.history.mark_unsaved()

    @property
    def org(self) -> Org:
        """The scenario being viewed."""
        return self.plan.scenario(self.scenario)

    @property
    def analysis(self) -> Analysis:
        """The analysis of the current scenario, recomputed only after a change."""
        key = (self.history.state, self.scenario)
        if self._analysis is None or self._analysed_at != key:
            self._analysis = self._analyser.analyse(self.plan, self.scenario)
            self._analysed_at = key
        return self._analysis

    def analysis_of(self, scenario: str) -> Analysis:
        """The analysis of any scenario of the plan (the current one comes from the cache)."""
        if scenario == self.scenario:
            return self.analysis
        return self._analyser.analyse(self.plan, scenario)

    def keep_scenario_valid(self) -> None:
        """Fall back to the first scenario when the one shown is gone (after an undo, say)."""
        if self.scenario not in self.plan.scenarios:
            self.scenario = next(iter(self.plan.scenarios))

    @property
    def dirty(self) -> bool:
        """Whether there are changes not saved to the file."""
        return self.history.dirty

    @property
    def file_label(self) -> str:
        """The file name, or what the unsaved plan came from."""
        if self.path is not None:
            return self.path.name
        return f"untitled (from {self.origin})" if self.origin else "untitled"

    def apply(self, edit: Edit) -> str:
        """Apply an edit (raising PlanError if it breaks a rule); returns its label."""
        self.history.apply(edit)
        return edit.label

    def undo(self) -> str | None:
        """Undo the last edit; its label, or None."""
        return self.history.undo()

    def redo(self) -> str | None:
        """Redo the last undone edit; its label, or None."""
        return self.history.redo()

    def save(self, path: Path | None = None) -> Path:
        """Save to `path` (or the open file) atomically and mark the plan saved."""
        target = path or self.path
        if target is None:
            raise ValueError("no file to save to: use save as")
        target.parent.mkdir(parents=True, exist_ok=True)
        save(self.plan, target)
        self.path = target
        self.history.mark_saved()
        return target
