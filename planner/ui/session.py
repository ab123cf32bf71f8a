"""The open plan: its file, undo history, chosen scenario, cached analysis and safety net (no Textual here)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from planner.analysis import Analysis
from planner.analysis.report import Analyser
from planner.model.edits import Edit, History
from planner.model.errors import PlanError
from planner.model.org import Org
from planner.model.plan import Plan
from planner.storage import save
from planner.storage.safety import (
    LockHolder,
    PlanLock,
    companion_mode,
    file_signature,
    new_session_id,
    recovery_path,
    remove_recovery,
    state_dir,
    untitled_recovery_path,
    write_recovery,
)


class Session:
    """One plan being edited: every change goes through `apply`, `undo` or `redo`.

    Unsaved changes are copied to this session's own recovery file by `keep_recovery`; a clean save or
    a deliberate discard removes it. A read-only (viewer's) session has no recovery file and writes nothing.
    """

    def __init__(self, plan: Plan, path: Path | None = None, origin: str = "", read_only: bool = False,
                 state: Path | None = None, from_layout: bool = False) -> None:
        """`state` is the folder for the recovery of an untitled plan (default: the user's state folder).

        A plan with no file counts as unsaved (an import, a recovery), except a starter layout as shipped
        (`from_layout`): closing it unchanged loses nothing, so nobody is asked to save it.
        """
        self.plan = plan
        self.read_only = read_only
        self.path = path
        self.origin = origin
        self.history = History(plan)
        self._scenario = next(iter(plan.scenarios))
        self._shown_org = plan.scenario(self._scenario)
        self._analyser = Analyser()
        self._analysis: Analysis | None = None
        self._analysed_at: tuple[int, str] | None = None
        self.id = new_session_id()
        self.recovery = None if read_only else self._own_recovery(path, state or state_dir())
        self._recovered_state: int | None = None
        self._discarded = False
        self.disk_signature = file_signature(path) if path is not None else None
        self.lock = PlanLock(path) if path is not None and not read_only else None
        if path is None and not from_layout:
            self.history.mark_unsaved()

    def _own_recovery(self, path: Path | None, state: Path) -> Path:
        """This session's recovery file: beside the plan, or in the state folder for an untitled plan."""
        return recovery_path(path, self.id) if path is not None else untitled_recovery_path(state, self.id)

    @property
    def scenario(self) -> str:
        """The name of the scenario being viewed."""
        return self._scenario

    @scenario.setter
    def scenario(self, name: str) -> None:
        self._shown_org = self.plan.scenario(name)
        self._scenario = name

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
        """Follow the scenario shown through a rename; fall back to the first one when it is gone."""
        if self._scenario in self.plan.scenarios:
            return
        renamed = (name for name, org in self.plan.scenarios.items() if org is self._shown_org)
        self.scenario = next(renamed, next(iter(self.plan.scenarios)))

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

    @property
    def unsaved_text(self) -> str:
        """Why closing would lose something: changes not saved to the file, or a plan never saved to one."""
        if self.path is None:
            return f"{self.file_label} has never been saved to a file."
        return f"{self.file_label} has changes that are not saved."

    def apply(self, edit: Edit) -> str:
        """Apply an edit (raising PlanError if it breaks a rule) and show the scenario it changed; returns its label."""
        self.history.apply(edit)
        self._show_changed(edit)
        return edit.label

    def undo(self) -> str | None:
        """Undo the last edit and show the scenario it changed; its label, or None."""
        return self._step(self.history.next_undo, self.history.undo)

    def redo(self) -> str | None:
        """Redo the last undone edit and show the scenario it changed; its label, or None."""
        return self._step(self.history.next_redo, self.history.redo)

    def _step(self, edit: Edit | None, step: Callable[[], str | None]) -> str | None:
        label = step()
        if edit is not None:
            self._show_changed(edit)
        return label

    def _show_changed(self, edit: Edit) -> None:
        """Show the scenario an edit changed, if it changed one that still exists."""
        if edit.scenario_changed in self.plan.scenarios:
            self.scenario = edit.scenario_changed

    def open_lock(self) -> LockHolder | None:
        """Mark the plan as open here; returns another live session that has it open too."""
        return self.lock.acquire() if self.lock is not None else None

    def changed_on_disk(self) -> bool:
        """Whether the file was changed by someone else since it was opened or last saved here."""
        return self.path is not None and file_signature(self.path) != self.disk_signature

    def save(self, path: Path | None = None) -> Path:
        """Save to `path` (or the open file) atomically, mark the plan saved and drop the recovery file."""
        if self.read_only:
            raise PlanError("this session is read-only (viewer)", "ask the consultant for an editor key to save")
        target = path or self.path
        if target is None:
            raise ValueError("no file to save to: use save as")
        target.parent.mkdir(parents=True, exist_ok=True)
        save(self.plan, target)
        if target != self.path:
            self._move_to(target)
        self.disk_signature = file_signature(target)
        self.history.mark_saved()
        self.keep_recovery()
        return target

    def _move_to(self, target: Path) -> None:
        remove_recovery(self.recovery)
        if self.lock is not None:
            self.lock.release()
        self.path = target
        self.recovery = recovery_path(target, self.id)
        self.lock = PlanLock(target)
        self.lock.acquire()

    def keep_recovery(self) -> None:
        """Copy unsaved changes to the recovery file when they changed; remove it when nothing is unsaved."""
        if self._discarded or self.read_only:
            return
        if not self.dirty:
            remove_recovery(self.recovery)
            self._recovered_state = None
        elif self._recovered_state != self.history.state:
            write_recovery(self.plan, self.recovery, str(self.path or self.file_label), companion_mode(self.path))
            self._recovered_state = self.history.state

    def take_over(self, recovered: Path) -> None:
        """Hold the changes recovered from an ended session's file as unsaved changes of this one, then drop that file."""
        self.history.mark_unsaved()
        if self.recovery is not None:
            self.keep_recovery()
            remove_recovery(recovered)

    def discard(self) -> None:
        """Drop the unsaved changes for good: the recovery file goes and is not written again."""
        self._discarded = True
        if self.recovery is not None:
            remove_recovery(self.recovery)

    def close(self) -> None:
        """Let go of the plan: release the lock (the recovery file stays if changes are unsaved)."""
        if self.lock is not None:
            self.lock.release()
