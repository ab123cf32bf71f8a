"""The recovery journal: one line per edit, written by its own thread, replayed on the saved plan to the exact plan."""

from __future__ import annotations

import json
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.model import Org, Person, Plan, PlanError
from planner.model.edits import (
    AddPerson,
    MovePerson,
    RemovePerson,
    add_dotted_line,
    assign_role,
    change_setting,
    toggle_vacancy,
    update_person,
)
from planner.model.scenarios import AddScenario, RemoveScenario, merge_roles
from planner.storage import dumps, load, save
from planner.storage import journal as journal_module
from planner.storage.journal import journal_line, read_journal
from planner.storage.safety import file_signature, pending_recoveries, read_recovery, recovery_files
from planner.ui.session import Session

from .strategies import plans

WAIT = 30.0


def editing(path: Path) -> Session:
    """A session on a plan file that keeps its recovery file, as the app's does."""
    session = Session(load(path), path)
    session.keep_recovery()
    return session


def edit_lines(recovery: Path) -> list[dict]:
    """The edits a journal holds, as JSON."""
    return [json.loads(line) for line in read_journal(recovery.read_bytes(), str(recovery)).lines]


def _step(session: Session, kind: str, a: int, b: int) -> None:
    """One thing a user does: an edit (refused ones change nothing), an undo, a redo or a save."""
    plan, scenario = session.plan, session.scenario
    ids = sorted(session.org)
    first, second = (ids[a % len(ids)], ids[b % len(ids)]) if ids else (None, None)
    if kind in ("undo", "redo", "save"):
        {"undo": session.undo, "redo": session.redo, "save": session.save}[kind]()
        return
    builders = {
        "remove": lambda: RemovePerson(scenario, first),
        "move": lambda: MovePerson(scenario, first, second),
        "rename": lambda: update_person(plan, scenario, first, name=f"Name {b}"),
        "vacancy": lambda: toggle_vacancy(plan, scenario, first),
        "dotted": lambda: add_dotted_line(plan, scenario, first, second),
        "role": lambda: assign_role(plan, scenario, first, sorted(plan.catalog.roles)[b % len(plan.catalog.roles)]),
        "merge": lambda: merge_roles(plan, scenario, first, second, ("leave", "vacancy", "ic")[a % 3]),
        "setting": lambda: change_setting(plan, "coordination_hours", float(a % 7)),
        "copy": lambda: AddScenario(f"copy {a}", scenario),
        "drop": lambda: RemoveScenario(scenario),
    }
    try:
        session.apply(builders[kind]() if first is not None and kind != "add" else
                      AddPerson(scenario, Person(f"new-{a}-{b}", f"New {a}"), first))
    except PlanError:
        return
    session.keep_scenario_valid()


STEPS = st.lists(st.tuples(
    st.sampled_from(["add", "remove", "move", "rename", "vacancy", "dotted", "role", "merge", "setting", "copy",
                     "drop", "undo", "undo", "redo", "save"]),
    st.integers(0, 1000), st.integers(0, 1000)), max_size=18)


@given(plans(max_people=8), STEPS)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_replayed_journal_gives_the_exact_plan(plan, steps):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.toml"
        save(plan, path)
        session = editing(path)
        for kind, a, b in steps:
            _step(session, kind, a, b)
        session.keep_recovery()
        if session.dirty:
            assert read_recovery(session.recovery) == session.plan
            offered = pending_recoveries(path, load(path))
            assert [pending.plan for pending in offered] == ([session.plan] if session.plan != load(path) else [])
        else:
            assert not recovery_files(path), "nothing unsaved: no recovery file"
        session.close()


def test_the_recovery_file_grows_by_the_edit_not_by_the_plan(tmp_path):
    org = Org()
    for index in range(400):
        org.put(Person(f"p{index}", f"Person {index}", "Team member"))
        org.set_manager(f"p{index}", f"p{(index - 1) // 8}" if index else None)
    path = tmp_path / "big.toml"
    save(Plan("Big", scenarios={"current": org}), path)
    session = editing(path)
    session.apply(toggle_vacancy(session.plan, "current", "p7"))
    session.keep_recovery()
    first = session.recovery.stat().st_size
    assert first < path.stat().st_size / 50, "one edit costs a line, not the plan"
    session.apply(MovePerson("current", "p300", "p2"))
    session.undo()
    session.keep_recovery()
    assert [line["edit"]["type"] for line in edit_lines(session.recovery)] == ["UpdatePerson", "MovePerson",
                                                                               "MovePerson"]
    assert session.recovery.stat().st_size < 3 * first
    assert read_recovery(session.recovery) == session.plan


def test_the_journal_is_written_by_its_own_thread(plan_file, monkeypatch):
    entered, release = threading.Event(), threading.Event()
    writing = journal_module.write_atomic

    def held(*args, **kwargs):
        entered.set()
        assert release.wait(WAIT)
        writing(*args, **kwargs)

    monkeypatch.setattr(journal_module, "write_atomic", held)
    session = editing(plan_file)
    session.apply(toggle_vacancy(session.plan, "current", "owner"))
    assert entered.wait(WAIT), "the writer started on its own"
    session.apply(update_person(session.plan, "current", "owner", name="Sam P."))
    assert not session.recovery.exists(), "the edits were made while the file was still being written"
    release.set()
    session.keep_recovery()
    assert read_recovery(session.recovery) == session.plan
    assert len(edit_lines(session.recovery)) == 2


def test_a_save_keeps_the_edits_made_while_it_ran_in_a_journal_on_the_new_file(plan_file):
    session = editing(plan_file)
    session.apply(toggle_vacancy(session.plan, "current", "owner"))
    ticket = session.begin_save()
    at_save = session.plan.copy()
    session.apply(update_person(session.plan, "current", "owner", name="Later"))
    ticket.write()
    session.finish_save(ticket)
    session.keep_recovery()
    assert load(plan_file) == at_save and session.dirty
    journal = read_journal(session.recovery.read_bytes(), "recovery")
    assert journal.signature == file_signature(plan_file) and len(journal.lines) == 1
    assert read_recovery(session.recovery) == session.plan
    session.undo()
    session.keep_recovery()
    assert not session.dirty and not recovery_files(plan_file), "back at the saved plan: nothing to recover"


def test_a_journal_made_before_another_session_saved_replays_on_the_backup(plan_file):
    session = editing(plan_file)
    session.apply(toggle_vacancy(session.plan, "current", "owner"))
    session.keep_recovery()
    session.close()
    elsewhere = load(plan_file)
    elsewhere.name = "Saved elsewhere"
    save(elsewhere, plan_file)
    [pending] = pending_recoveries(plan_file, load(plan_file))
    assert pending.plan == session.plan and pending.before_last_save
    assert "plan renamed to 'Merged sales and marketing'" in pending.changes


def test_a_journal_on_a_version_no_longer_on_disk_is_offered_with_the_reason(plan_file):
    session = editing(plan_file)
    session.apply(toggle_vacancy(session.plan, "current", "owner"))
    session.keep_recovery()
    session.close()
    for name in ("Once", "Twice"):
        elsewhere = load(plan_file)
        elsewhere.name = name
        save(elsewhere, plan_file)
    [pending] = pending_recoveries(plan_file, load(plan_file))
    assert pending.plan is None and "no longer on disk" in pending.problem
    assert pending.path == session.recovery and pending.path.exists()


def test_a_last_line_cut_short_by_a_crash_is_left_out(plan_file):
    session = editing(plan_file)
    session.apply(toggle_vacancy(session.plan, "current", "owner"))
    session.keep_recovery()
    expected = session.plan.copy()
    with session.recovery.open("a") as handle:
        handle.write(journal_line(RemovePerson("current", "owner"))[:25])
    assert read_recovery(session.recovery) == expected


def test_a_recovery_file_of_an_older_version_is_still_offered(plan_file):
    changed = load(plan_file)
    toggle_vacancy(changed, "current", "owner").apply(changed)
    older = plan_file.with_name(f".{plan_file.name}.recovery")
    older.write_text("# Org Planner recovery file: unsaved changes of acme.toml, written 2026-01-01 10:00:00.\n"
                     + dumps(changed))
    [pending] = pending_recoveries(plan_file, load(plan_file))
    assert pending.plan == changed and not pending.adoptable
    assert read_recovery(older) == changed


def test_undoing_a_scenario_removal_is_a_line_too(plan_file):
    session = editing(plan_file)
    session.apply(AddScenario("copy", "current"))
    session.apply(toggle_vacancy(session.plan, "copy", "owner"))
    session.apply(RemoveScenario("copy"))
    session.undo()
    session.keep_recovery()
    assert [line["edit"]["type"] for line in edit_lines(session.recovery)] == [
        "AddScenario", "UpdatePerson", "RemoveScenario", "RestoreScenario"]
    assert read_recovery(session.recovery) == session.plan


@dataclass(frozen=True)
class Unwritable:
    """An edit the edit codec has no plain form for (not an Edit subclass, which the codec's tests would count)."""

    scenario: str
    people: frozenset[str]

    @property
    def label(self) -> str:
        return "unwritable"

    @property
    def scenario_changed(self) -> str:
        return self.scenario

    def apply(self, plan: Plan) -> Unwritable:
        for person_id in self.people:
            toggle_vacancy(plan, self.scenario, person_id).apply(plan)
        return self


def test_an_edit_that_cannot_be_a_line_starts_the_journal_from_a_snapshot(plan_file):
    session = editing(plan_file)
    session.apply(toggle_vacancy(session.plan, "current", "sales-rep-1"))
    session.apply(Unwritable("current", frozenset({"owner"})))
    session.keep_recovery()
    journal = read_journal(session.recovery.read_bytes(), "recovery")
    assert journal.snapshot == session.plan and journal.lines == ()
    session.apply(update_person(session.plan, "current", "owner", name="After"))
    session.keep_recovery()
    assert read_recovery(session.recovery) == session.plan


def test_a_save_made_elsewhere_at_an_earlier_edit_starts_the_journal_afresh(plan_file):
    session = editing(plan_file)
    session.apply(toggle_vacancy(session.plan, "current", "owner"))
    at_first, first = session.plan.copy(), session.history.state
    session.apply(update_person(session.plan, "current", "owner", name="Later"))
    session.keep_recovery()
    interim = at_first.copy()
    interim.name = "Interim"
    save(interim, plan_file)
    save(at_first, plan_file)
    session.history.mark_saved(first)
    session.disk_signature = file_signature(plan_file)
    session.keep_recovery()
    assert session.dirty and read_recovery(session.recovery) == session.plan
    session.close()
    [pending] = pending_recoveries(plan_file, load(plan_file))
    assert pending.plan == session.plan and pending.changes == ("scenario 'current': people 1 changed",)
