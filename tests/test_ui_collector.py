"""The collector's full passes wait for a pause in the typing, and the collector is put back as it was."""

from __future__ import annotations

import gc
import threading
import time

from planner.ui import app as app_module
from planner.ui import collector

from .ui_apps import burst_handled, layout_app, send_burst, wait_until


def test_full_passes_are_deferred_while_any_holder_remains_and_then_restored():
    before = gc.get_threshold()
    collector.defer_full_passes()
    collector.defer_full_passes()  # a second app in the same process
    try:
        assert gc.get_threshold()[:2] == before[:2] and gc.get_threshold()[2] == collector.NEVER
        collector.resume_full_passes()
        assert gc.get_threshold()[2] == collector.NEVER, "the other app still defers them"
    finally:
        collector.resume_full_passes()
    assert gc.get_threshold() == before


def test_collect_if_due_makes_a_full_pass_only_after_young_passes():
    gc.collect()
    assert gc.get_count()[2] == 0 and not collector.collect_if_due()
    gc.collect(1)
    assert gc.get_count()[2] > 0 and collector.collect_if_due()
    assert gc.get_count()[2] == 0


async def test_the_app_makes_the_full_pass_in_a_pause_and_gives_the_collector_back(tmp_path):
    before = gc.get_threshold()
    full_passes: list[float] = []  # when each full pass ended

    def record(phase: str, info: dict) -> None:
        if phase == "stop" and info["generation"] == 2:
            full_passes.append(time.monotonic())

    app = layout_app(tmp_path)
    gc.callbacks.append(record)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            assert gc.get_threshold()[2] == collector.NEVER
            send_burst(app, "down", "down", "v", "ctrl+z")
            await burst_handled(pilot, app)
            full_passes.clear()
            gc.collect(1)  # young passes since the last full one: one is due
            await wait_until(pilot, lambda: full_passes, "a full pass once the keys have paused")
            assert full_passes[0] - app.last_key_at >= collector.IDLE_SECONDS, "made in a pause, not after a key"
    finally:
        gc.callbacks.remove(record)
    assert gc.get_threshold() == before


async def test_no_full_pass_while_a_worker_holds_its_new_objects(tmp_path, monkeypatch):
    """A save or a hand-off plan in a worker: the pass waits until it is done (it would walk all it has made)."""
    passes, ticks = [], []
    make_pass = app_module.PlannerApp._collect_when_idle
    monkeypatch.setattr(app_module, "collect_if_due", lambda: passes.append(time.monotonic()) or True)
    monkeypatch.setattr(app_module.PlannerApp, "_collect_when_idle", lambda self: (ticks.append(1), make_pass(self)))
    gate = threading.Event()
    app = layout_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        worker = app.run_worker(lambda: gate.wait(timeout=60), thread=True)
        try:
            await wait_until(pilot, lambda: worker.is_running, "the worker running")
            passes.clear()
            seen = len(ticks)
            await wait_until(pilot, lambda: len(ticks) >= seen + 2 and time.monotonic() - app.last_key_at >= 1,
                             "two idle ticks while the worker runs")
            assert passes == []
        finally:
            gate.set()
        await wait_until(pilot, lambda: passes, "the pass once the worker is done")
