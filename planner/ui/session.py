"""The open plan: its file, undo history, chosen scenario, cached analysis and safety net (no Textual here)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from planner.analysis import Analysis
from planner.analysis.report import Analyser
from planner.model.bulk import collector_paused
from planner.model.edits import Edit, History
from planner.model.errors import PlanError
from planner.model.org import Org
from planner.model.plan import Plan, PlanSnapshot
from planner.storage import save
from planner.storage.journal import FileBase, RecoveryJournal, SnapshotBase, journal_line
from planner.storage.safety import (
    LockHolder,
    PlanLock,
    file_signature,
    file_stamp,
    new_session_id,
    recovery_journal,
    recovery_path,
    state_dir,
    untitled_recovery_path,
)


@dataclass
class SaveTicket:
    """A save under way: the plan as it was when asked for, where it goes, and its outcome once written."""

    session: Session
    snapshot: PlanSnapshot
    target: Path
    state: int
    journal_mark: tuple[int, int]
    stage: str = "copying"
    signature: str | None = None
    stamp: tuple[int, int, int] | None = None
    error: PlanError | None = None
    done: threading.Event = field(default_factory=threading.Event)

    def write(self, progress: Callable[[str], object] = lambda stage: None) -> None:
        """Rebuild the plan and save it, verified and atomic (in any thread); the outcome is kept here.

        `progress` hears of each stage: "copying", then those of `planner.storage.save`.
        """

        def reached(stage: str) -> None:
            self.stage = stage
            progress(stage)

        try:
            reached("copying")
            with collector_paused():
                self._save_copy(reached)
            self.signature, self.stamp = file_signature(self.target), file_stamp(self.target)
        except PlanError as error:
            self.error = error
        except OSError as error:
            self.error = PlanError(f"could not save {self.target}: {error.strerror or error}",
                                   "check the folder exists, has space, and that you may write there")
        finally:
            self.done.set()

    def _save_copy(self, progress: Callable[[str], object]) -> None:
        """Save a plan rebuilt from the snapshot, then empty the copy (before the collector runs again)."""
        self.target.parent.mkdir(parents=True, exist_ok=True)
        plan = self.snapshot.plan()
        save(plan, self.target, progress)
        for org in plan.scenarios.values():
            org.clear()


class Session:
    """One plan being edited: every change goes through `apply`, `undo` or `redo`.

    Every edit is added to this session's recovery journal as it is made; the file is written by a
    thread once `keep_recovery` was first called (the app calls it every few seconds). A clean save or a
    deliberate discard removes it. A read-only (viewer's) session has no journal and writes nothing.
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
        self.history = History(plan, applied=self._journal_edit)
        self._scenario = next(iter(plan.scenarios))
        self._shown_org = plan.scenario(self._scenario)
        self._analyser = Analyser()
        self._analyses: dict[str, tuple[int, Analysis]] = {}
        self.id = new_session_id()
        self._state_folder = state or state_dir()
        self.journal = None if read_only else self._new_journal(path)
        self._discarded = False
        self.disk_signature = file_signature(path) if path is not None else None
        self._disk_stamp = file_stamp(path) if path is not None else None
        self.lock = PlanLock(path) if path is not None and not read_only else None
        if path is None and not from_layout:
            self.history.mark_unsaved()

    def _new_journal(self, path: Path | None) -> RecoveryJournal:
        """This session's journal: beside the plan, or in the state folder for an untitled plan."""
        if path is None:
            where = untitled_recovery_path(self._state_folder, self.id)
        else:
            where = recovery_path(path, self.id)
        return recovery_journal(where, str(path or self.file_label), self.id, path)

    @property
    def recovery(self) -> Path | None:
        """This session's recovery file (None for a viewer's session)."""
        return self.journal.path if self.journal is not None else None

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
        return self.analysis_of(self.scenario)

    def analysis_of(self, scenario: str) -> Analysis:
        """The analysis of any scenario of the plan, kept until the plan changes (the views share it)."""
        cached = self._analyses.get(scenario)
        if cached is None or cached[0] != self.history.state:
            cached = (self.history.state, self._analyser.analyse(self.plan, scenario))
            self._analyses[scenario] = cached
        return cached[1]

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
        self.keep_scenario_valid()
        if edit is not None:
            self._show_changed(edit)
        return label

    def _show_changed(self, edit: Edit) -> None:
        """Show the scenario an edit changed, if it changed one that still exists."""
        if edit.scenario_changed in self.plan.scenarios:
            self.scenario = edit.scenario_changed

    @property
    def _in_no_file(self) -> bool:
        """Whether the plan exists in no file (new, from a layout, or recovered): its recovery is a snapshot."""
        return self.path is None or self.history.in_no_file

    def _journal_edit(self, edit: Edit) -> None:
        """Add an edit just made to the journal: a line, or a snapshot when the edit cannot be one."""
        journal = self.journal
        if journal is None or self._discarded:
            return
        if not self.dirty:
            journal.clear()
            return
        if journal.base is None and not self._in_no_file:
            journal.start(FileBase(self.disk_signature, self.scenario))
        try:
            line = journal_line(edit) if journal.base is not None else None
        except TypeError:
            line = None
        if line is None:
            self._snapshot()
        else:
            journal.add(line)

    def _snapshot(self) -> None:
        """Start the journal from the plan as it is now, written out whole by the journal's thread."""
        if self.journal is not None:
            self.journal.start(SnapshotBase(self.plan.snapshot(), self.scenario))

    def open_lock(self) -> LockHolder | None:
        """Mark the plan as open here; returns another live session that has it open too."""
        return self.lock.acquire() if self.lock is not None else None

    def changed_on_disk(self) -> bool:
        """Whether the file was changed by someone else since it was opened or last saved here.

        Its bytes are read only when its stamp (time, size, inode) moved: a big plan costs nothing to check.
        """
        if self.path is None or file_stamp(self.path) == self._disk_stamp:
            return False
        return file_signature(self.path) != self.disk_signature

    def saved_elsewhere(self, state: int | None, signature: str | None) -> None:
        """Another session (a room's pen holder) saved this plan to the file as it was at history `state` here.

        None: before this session's time. Changes made since are kept afresh in the recovery file.
        """
        if state is not None:
            self.history.mark_saved(state)
        self.disk_signature = signature
        self._disk_stamp = file_stamp(self.path) if self.path is not None else None
        if self.journal is None or self._discarded:
            return
        if self.dirty:
            self._snapshot()
        else:
            self.journal.clear()

    def begin_save(self, path: Path | None = None) -> SaveTicket:
        """Take the plan as it is now for a save to `path` (or the open file); `SaveTicket.write` does the work."""
        if self.read_only:
            raise PlanError("this session is read-only (viewer)", "ask the consultant for an editor key to save")
        target = path or self.path
        if target is None:
            raise ValueError("no file to save to: use save as")
        mark = (self.journal.generation, self.journal.length) if self.journal is not None else (0, 0)
        return SaveTicket(self, self.plan.snapshot(), target, self.history.state, mark)

    def finish_save(self, ticket: SaveTicket) -> Path:
        """Mark the plan saved as it was when the save began (raising the save's PlanError); the file saved."""
        if ticket.error is not None:
            raise ticket.error
        if ticket.target != self.path:
            self._move_to(ticket.target)
        self.disk_signature, self._disk_stamp = ticket.signature, ticket.stamp
        self.history.mark_saved(ticket.state)
        self._rebase_journal(ticket)
        if self.journal is not None:
            self.journal.keep()
        return ticket.target

    def _rebase_journal(self, ticket: SaveTicket) -> None:
        """After a save the journal holds only the edits made since it began, on the file just written."""
        journal = self.journal
        if journal is None or self._discarded:
            return
        if not self.dirty:
            journal.clear()
        elif journal.generation == ticket.journal_mark[0]:
            journal.start(FileBase(self.disk_signature, self.scenario), journal.lines_after(ticket.journal_mark[1]))
        else:
            self._snapshot()

    def save(self, path: Path | None = None) -> Path:
        """Save to `path` (or the open file) here and now, mark the plan saved and drop the recovery file."""
        ticket = self.begin_save(path)
        ticket.write()
        target = self.finish_save(ticket)
        self.keep_recovery()
        return target

    def _move_to(self, target: Path) -> None:
        if self.journal is not None:
            self.journal.clear()
            kept = self.journal
            self.journal = self._new_journal(target)
            kept.keep()
        if self.lock is not None:
            self.lock.release()
        self.path = target
        self.lock = PlanLock(target)
        self.lock.acquire()

    def keep_recovery(self, wait: bool = True, timeout: float | None = None) -> None:
        """Keep unsaved changes in the recovery file (or remove it when there are none); OSError if writing failed.

        The journal's thread writes; `wait` waits for it (up to `timeout` seconds).
        """
        journal = self.journal
        if journal is None or self._discarded:
            return
        failed = journal.error
        if not self.dirty:
            if journal.base is not None:
                journal.clear()
        elif not self._journal_fits(journal.base):
            self._snapshot()
        journal.keep()
        if wait:
            journal.flush(timeout)
        failed = failed or journal.error
        if failed is not None:
            raise failed

    def _journal_fits(self, base: FileBase | SnapshotBase | None) -> bool:
        """Whether the unsaved edits apply to the journal's base: its snapshot, or the file as last saved.

        Not so when the plan was marked as in no file, or saved elsewhere at an earlier edit (a room's holder).
        """
        if isinstance(base, SnapshotBase):
            return True
        return base is not None and not self._in_no_file and base.signature == self.disk_signature

    def take_over(self, recovered: Path, adoptable: bool) -> None:
        """Hold the changes recovered from an ended session's file as this session's unsaved changes.

        An `adoptable` file becomes this session's own as it is; another is replaced by a snapshot,
        and removed once that is written.
        """
        self.history.mark_unsaved()
        journal = self.journal
        if journal is None:
            return
        base = SnapshotBase(self.plan.snapshot(), self.scenario)
        if not (adoptable and journal.adopt(recovered, base)):
            journal.start(base)
            journal.retire_after_write(recovered)
        journal.keep()

    def discard(self) -> None:
        """Drop the unsaved changes for good: the recovery file goes and is not written again."""
        if self.journal is not None:
            self.journal.clear()
            self.journal.keep()
        self._discarded = True

    def close(self) -> None:
        """Let go of the plan: release the lock (the recovery file stays if unsaved; its thread goes on writing)."""
        if self.lock is not None:
            self.lock.release()
