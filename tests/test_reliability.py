"""Never lose a plan: crash-safe saves under SIGKILL, backups, recovery files, locks, property tests of edits."""

from __future__ import annotations

import itertools
import os
import random
import select
import signal
import subprocess
import sys
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.model import Person, PlanError
from planner.model.edits import (
    AddPerson,
    History,
    MovePerson,
    RemovePerson,
    add_dotted_line,
    assign_role,
    toggle_vacancy,
    update_person,
)
from planner.model.scenarios import AddScenario, merge_roles
from planner.storage import dumps, load, loads, save
from planner.storage.files import backup_path, write_atomic
from planner.storage.layouts import load_layout
from planner.storage.safety import (
    PlanLock,
    describe_changes,
    file_signature,
    new_session_id,
    pending_recoveries,
    recovery_path,
    write_crash_log,
    write_recovery,
)

from .strategies import plans

KILLS = 200
REPORT_TIMEOUT = 120  # seconds without a word from the saving process before giving up: a safety net only
STARTED, DONE = b"s", b"d"


def _save_in_turn_forever(versions: tuple, path, report: int) -> None:
    """Save each version in turn, writing STARTED before and DONE after every save to the `report` pipe."""
    for plan in itertools.cycle(versions):
        os.write(report, STARTED)
        save(plan, path)
        os.write(report, DONE)


def _read_report(reader: int) -> bytes:
    """The next bytes the saving process wrote, waiting for them."""
    ready, _, _ = select.select([reader], [], [], REPORT_TIMEOUT)
    assert ready, f"the saving process reported nothing for {REPORT_TIMEOUT} s"
    return os.read(reader, 4096)


def _kill_during_save(versions: tuple, path, save_number: int, delay: float) -> tuple[int, int]:
    """Start a process saving `versions` in turn, kill it `delay` seconds after save `save_number` starts.

    Returns how many saves it had started and finished, as it reported them.
    """
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:
        try:
            os.close(reader)
            _save_in_turn_forever(versions, path, writer)
        finally:
            os._exit(0)
    os.close(writer)
    report = b""
    while report.count(STARTED) <= save_number:
        report += _read_report(reader)
    time.sleep(delay)
    os.kill(child, signal.SIGKILL)
    os.waitpid(child, 0)
    while chunk := _read_report(reader):
        report += chunk
    os.close(reader)
    return report.count(STARTED), report.count(DONE)


def _seconds_per_save(versions: tuple, path) -> float:
    """How long one save takes on this machine now, saving each version in turn (the last stays on disk)."""
    start = time.perf_counter()
    for plan in versions:
        save(plan, path)
    return (time.perf_counter() - start) / len(versions)


def test_a_save_killed_at_random_points_leaves_the_old_or_the_new_plan(tmp_path, growing):
    path = tmp_path / "plan.toml"
    old = growing
    new = load_layout("growing")
    for index in range(200):
        update_person(new, "current", "owner", name=f"Owner {index}").apply(new)
        AddPerson("current", Person(f"extra-{index}", f"Extra {index}"), "owner").apply(new)
    versions, names = (new, old), ("new", "old")
    saved_bytes = (dumps(new).encode(), dumps(old).encode())
    seconds_per_save = _seconds_per_save(versions, path)
    on_disk = saved_bytes[1]
    rng = random.Random(7)
    cut_short = {"new": 0, "old": 0}
    kills = 0
    # Kills land at random points of the first or the second save; which save each one cut short is read from
    # the child's own report, so a slow machine changes where they land but never what the test can check.
    while kills < KILLS or not all(cut_short.values()):
        assert kills < 10 * KILLS, f"{kills} kills cut short these saves only: {cut_short}"
        started, done = _kill_during_save(versions, path, rng.randint(0, 1), rng.uniform(0, seconds_per_save))
        kills += 1
        last_saved = saved_bytes[(done - 1) % 2] if done else on_disk
        on_disk = path.read_bytes()
        if started > done:
            cut_short[names[done % 2]] += 1
            assert on_disk in (last_saved, saved_bytes[done % 2]), "the file is the plan before or after that save"
        else:
            assert on_disk == last_saved
        assert loads(on_disk.decode()) in versions
    save(old, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.toml", "plan.toml.bak"]


def test_the_previous_version_is_kept_as_a_backup(tmp_path, separate):
    path = tmp_path / "plan.toml"
    save(separate, path)
    first = path.read_bytes()
    separate.name = "Changed"
    save(separate, path)
    assert backup_path(path).read_bytes() == first
    assert load(path).name == "Changed"


def test_temp_files_of_dead_writers_are_cleaned_up(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".plan.toml.{dead.pid}.abc.tmp"
    stale.write_text("half a plan")
    mine = tmp_path / f".plan.toml.{os.getpid()}.xyz.tmp"
    mine.write_text("being written")
    write_atomic(tmp_path / "plan.toml", b"x = 1\n")
    assert not stale.exists() and mine.exists()


def test_a_save_that_changes_nothing_still_removes_the_backup_temp_file_of_a_dead_writer(tmp_path, separate):
    path = tmp_path / "plan.toml"
    save(separate, path)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".plan.toml.bak.{dead.pid}.abc.tmp"
    stale.write_text("half a backup")
    save(separate, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.toml"]


def test_recovery_is_offered_only_when_different_and_marked_when_older_than_the_plan(tmp_path, separate):
    path = tmp_path / "plan.toml"
    save(separate, path)
    write_recovery(separate, recovery_path(path, new_session_id()), str(path))
    assert pending_recoveries(path, separate) == [], "a recovery holding the plan as saved is not offered"
    changed = separate.copy()
    toggle_vacancy(changed, "current", "sales-rep-1").apply(changed)
    RemovePerson("current", "sales-rep-2").apply(changed)
    recovery_file = recovery_path(path, new_session_id())
    write_recovery(changed, recovery_file, str(path))
    [recovery] = pending_recoveries(path, separate)
    assert recovery.plan == changed and not recovery.before_last_save
    assert recovery.changes == ("scenario 'current': people 1 removed, 1 changed",)
    old = time.time() - 3600
    os.utime(recovery_file, (old, old))
    [recovery] = pending_recoveries(path, separate)
    assert recovery.before_last_save, "a recovery older than the plan (another session saved since) is marked"


def test_describe_changes_names_each_kind_of_change(separate):
    changed = separate.copy()
    changed.name = "Acme"
    AddScenario("split", "current").apply(changed)
    assert describe_changes(separate, changed) == ["plan renamed to 'Acme'", "scenario 'split' added"]
    assert describe_changes(separate, separate.copy()) == ["the same plan"]


def test_a_lock_warns_a_second_session_and_a_dead_holders_lock_is_taken_over(tmp_path):
    path = tmp_path / "plan.toml"
    path.write_text("")
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        lock = PlanLock(path)
        lock.path.write_text(f'{{"pid": {other.pid}, "user": "ana", "host": "{os.uname().nodename}", "since": 0}}')
        holder = lock.acquire()
        assert holder is not None and holder.pid == other.pid and "ana" in holder.describe()
    finally:
        other.kill()
        other.wait()
    assert PlanLock(path).acquire() is None, "the holder is gone, so its lock is stale"
    assert PlanLock(path).holder().pid == os.getpid()


def test_a_crash_log_holds_the_traceback_but_no_local_values(tmp_path):
    secret = "Confidential salary plan"
    try:
        raise RuntimeError("boom")
    except RuntimeError as error:
        log = write_crash_log(error)
    text = log.read_text()
    assert "RuntimeError: boom" in text and secret not in text


def test_file_signature_notices_changes(tmp_path):
    path = tmp_path / "plan.toml"
    assert file_signature(path) is None
    path.write_text("a")
    first = file_signature(path)
    path.write_text("b")
    assert file_signature(path) != first


EDITS = st.lists(st.tuples(st.sampled_from(["add", "remove", "move", "rename", "vacancy", "dotted", "role",
                                            "merge", "scenario"]),
                           st.integers(0, 1000), st.integers(0, 1000)), max_size=25)


def _random_edit(plan, kind, a, b):
    org = plan.scenario()
    ids = sorted(org)
    first = ids[a % len(ids)] if ids else None
    second = ids[b % len(ids)] if ids else None
    name = next(iter(plan.scenarios))
    if kind == "add" or first is None:
        return AddPerson(name, Person(f"new-{a}-{b}", f"New {a}"), first)
    return {
        "remove": lambda: RemovePerson(name, first),
        "move": lambda: MovePerson(name, first, second),
        "rename": lambda: update_person(plan, name, first, name=f"[b]Name {b}"),
        "vacancy": lambda: toggle_vacancy(plan, name, first),
        "dotted": lambda: add_dotted_line(plan, name, first, second),
        "role": lambda: assign_role(plan, name, first, sorted(plan.catalog.roles)[b % len(plan.catalog.roles)]),
        "merge": lambda: merge_roles(plan, name, first, second, ("leave", "vacancy", "ic")[a % 3]),
        "scenario": lambda: AddScenario(f"s{a}", name),
    }[kind]()


@given(plans(max_people=8), EDITS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_edits_keep_every_rule_and_undo_all_the_way_back(plan, edits):
    start = plan.copy()
    history = History(plan)
    for kind, a, b in edits:
        try:
            history.apply(_random_edit(plan, kind, a, b))
        except PlanError:
            pass
        assert loads(dumps(plan)) == plan, "every rule holds: the file loads back as the same plan"
    while history.undo() is not None:
        pass
    assert plan == start
    assert list(plan.scenarios) == list(start.scenarios)
