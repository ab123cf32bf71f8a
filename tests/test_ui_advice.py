"""The hand-off plan in the terminal UI at 80x24, driven with Pilot: H, scrolling, p, applying, compare and undo."""

from __future__ import annotations

import threading

import pytest
from rich.cells import cell_len
from textual.command import CommandList, CommandPalette
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from planner.analysis import Band
from planner.ui.app import PlannerApp
from planner.ui.screens import advice
from planner.ui.screens.advice import AdviceScreen
from planner.ui.screens.compare import CompareScreen
from planner.ui.screens.main import MainScreen
from planner.ui.screens.whatif import NameForm

from .ui_apps import (
    burst_handled,
    file_app,
    messages,
    screen_lines,
    select,
    send_burst,
    wait_for_saves,
    wait_until,
)

SMALL = (80, 24)
JORDAN = "sales-marketing-manager"


async def open_advice(pilot, app: PlannerApp, key: str = "H") -> AdviceScreen:
    """Press the key on the main screen and wait for the plan to be worked out."""
    await pilot.press(key)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, AdviceScreen)
    await until_ready(pilot, screen)
    return screen


async def until_ready(pilot, screen: AdviceScreen) -> None:
    await screen.workers.wait_for_complete()
    await pilot.pause()
    assert screen.handoff is not None


def body(screen: AdviceScreen) -> str:
    return str(screen.query_one("#advice-body", Static).content)


async def test_h_lists_the_moves_scrolls_applies_in_one_step_and_undo_restores_the_file(tmp_path):
    app, path = file_app(tmp_path)
    original = path.read_bytes()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_advice(pilot, app)
        text = body(screen)
        assert text.startswith("Hand-off plan: Merged sales and marketing, scenario current")
        assert "Recommendation: hand off 9 responsibilities (27 h)" in text
        assert "- lead-strategy (3 h) from Jordan Blake to Chloe Martin: same function" in text
        scroll = screen.query_one("#advice-scroll", VerticalScroll)
        assert all(cell_len(line) <= scroll.size.width for line in text.splitlines())
        assert app.focused is scroll and scroll.max_scroll_y > 0
        await pilot.press("end")
        await pilot.wait_for_scheduled_animations()
        assert scroll.scroll_y == scroll.max_scroll_y
        await pilot.press("home")
        await pilot.wait_for_scheduled_animations()
        assert scroll.scroll_y == 0

        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NameForm)
        assert form.query_one("#name", Input).value == "handoff"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        session = app.session
        assert list(session.plan.scenarios) == ["current", "handoff"] and session.scenario == "handoff"
        assert session.analysis.people[JORDAN].load.band is Band.OK
        assert session.plan.scenario("current").person(JORDAN).dropped_responsibilities == ()
        await pilot.press("ctrl+s")
        await wait_for_saves(pilot, app)
        assert path.read_bytes() != original and b'name = "handoff"' in path.read_bytes()

        await pilot.press("c")
        await pilot.pause()
        compare = app.screen
        assert isinstance(compare, CompareScreen) and (compare.before, compare.after) == ("current", "handoff")
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("ctrl+z")
        await pilot.pause()
        assert list(session.plan.scenarios) == ["current"] and session.scenario == "current"
        assert session.analysis.people[JORDAN].load.band is Band.CRITICAL
        await pilot.press("ctrl+s")
        await wait_for_saves(pilot, app)
    assert path.read_bytes() == original


async def test_p_advises_on_the_selected_person_and_back_and_nothing_to_apply_says_so(tmp_path):
    app, _ = file_app(tmp_path)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        before = app.session.plan.copy()
        await select(pilot, app, "owner")
        screen = await open_advice(pilot, app)
        assert screen.person_id is None and "From Jordan Blake" in body(screen)
        await pilot.press("p")
        await until_ready(pilot, screen)
        assert screen.person_id == "owner" and "Sam Patel is ok: nothing to hand off" in body(screen)
        await pilot.press("a")
        await pilot.pause()
        assert app.screen is screen
        assert "No moves to apply." in messages(app)
        await pilot.press("p")
        await until_ready(pilot, screen)
        assert screen.person_id is None and "lead-strategy" in body(screen)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("escape")  # the name form: nothing applied
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.session.plan == before and not app.session.dirty


async def test_the_palette_offers_the_hand_off_plan(tmp_path):
    app, _ = file_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"hand-off")
        await app.workers.wait_for_complete()
        await pilot.pause()
        commands = app.screen.query_one(CommandList)
        prompts = [str(commands.get_option_at_index(i).prompt).split("\n")[0] for i in range(commands.option_count)]
        assert prompts[0] == "Hand-off plan"
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AdviceScreen)
        await until_ready(pilot, screen)
        assert "lead-strategy" in body(screen)


def hold_back_the_plan(monkeypatch) -> tuple[threading.Event, threading.Event]:
    """Make the hand-off plan wait for the returned gate; the other event says its working out has started."""
    gate, started = threading.Event(), threading.Event()
    real = advice.hand_off

    def held_back(*args):
        started.set()
        assert gate.wait(timeout=60)
        return real(*args)

    monkeypatch.setattr(advice, "hand_off", held_back)
    return gate, started


async def test_keys_typed_while_the_plan_is_worked_out_land_in_order(tmp_path, monkeypatch):
    gate, _ = hold_back_the_plan(monkeypatch)
    app, _ = file_app(tmp_path)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        send_burst(app, "H")
        await wait_until(pilot, lambda: isinstance(app.screen, AdviceScreen), "the hand-off screen")
        screen = app.screen
        send_burst(app, "end", "a")  # while the plan is still being worked out

        def reached() -> bool:
            """Both keys held for the screen, or (without holding) a refused apply."""
            warned = any("Still working" in message for message in messages(app))
            return app.held_keys == ("end", "a") or warned

        await wait_until(pilot, reached, "the keys reaching the screen")
        assert screen.handoff is None and isinstance(app.screen, AdviceScreen), "nothing acted on yet"
        gate.set()
        await wait_until(pilot, lambda: isinstance(app.screen, NameForm), "a, typed before the plan was ready",
                         timeout=30)
        await pilot.wait_for_scheduled_animations()
        scroll = screen.query_one("#advice-scroll", VerticalScroll)
        assert scroll.max_scroll_y > 0 and scroll.scroll_y == scroll.max_scroll_y, "end, typed before a, scrolled"


async def test_a_burst_waits_in_one_queue_for_the_plan_and_lands_in_order(tmp_path, monkeypatch):
    """H, a, enter, c at once, the plan slow to work out: the keys wait in order, then apply, name and compare."""
    gate, _ = hold_back_the_plan(monkeypatch)
    app, _ = file_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        send_burst(app, "H", "a", "enter", "c")
        await wait_until(pilot, lambda: isinstance(app.screen, AdviceScreen) and app.held_keys == ("a", "enter", "c"),
                         "the keys after H waiting for the plan")
        gate.set()  # the keys now go from the screen's callback, not from the terminal: they must still reach the app
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen), "the comparison", timeout=60)
        assert list(app.session.plan.scenarios) == ["current", "handoff"]
        assert (app.screen.before, app.screen.after) == ("current", "handoff")


@pytest.mark.parametrize("esc_later", [False, True], ids=["in the burst", "after the keys began waiting"])
async def test_esc_while_the_plan_is_worked_out_goes_back_at_once_and_drops_the_keys_waiting(tmp_path, monkeypatch,
                                                                                             esc_later):
    """H, a, esc on a plan slow to work out: back on the plan straight away, and a adds nobody there."""
    gate, started = hold_back_the_plan(monkeypatch)
    app, _ = file_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        people = len(app.session.plan.scenario())
        send_burst(app, "H", "a", *([] if esc_later else ["escape"]))
        try:
            if esc_later:
                await wait_until(pilot, lambda: app.held_keys == ("a",), "a waiting for the plan")
                send_burst(app, "escape")
            await wait_until(pilot, lambda: started.is_set() and isinstance(app.screen, MainScreen), "back on the plan")
            await burst_handled(pilot, app)
            assert isinstance(app.screen, MainScreen), "a reached no dialog"
            assert not gate.is_set(), "esc did not wait for the plan"
            assert len(app.session.plan.scenario()) == people and list(app.session.plan.scenarios) == ["current"]
        finally:
            gate.set()


async def test_the_loop_typed_in_one_burst_advises_applies_and_compares_with_the_payroll(tmp_path):
    """H, a, enter, c sent at once over SSH: the plan is worked out, applied into handoff, and compared."""
    app, _ = file_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        send_burst(app, "H", "a", "enter", "c")
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen) and app.screen.query("#compare-summary")
                         and str(app.screen.query_one("#compare-summary", Static).content),
                         "the comparison, filled", timeout=90)
        compare = app.screen
        assert (compare.before, compare.after) == ("current", "handoff")
        assert list(app.session.plan.scenarios) == ["current", "handoff"]
        summary_widget = compare.query_one("#compare-summary", Static)
        summary = " ".join(str(summary_widget.content).split())
        assert ("cost: handoff: payroll unchanged at 482,000 GBP a year (yearly costs entered in the plan: "
                "illustrative figures of the example layout, not market rates); removes 20.9 h a week above 48 h "
                "from Jordan Blake;") in summary
        await wait_until(pilot, lambda: any(line.startswith("cost: handoff: payroll unchanged")
                                            for line in screen_lines(app)), "the payroll line drawn on the screen")
