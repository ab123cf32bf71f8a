"""The footer changes only the keys that differ: what it shows is always what composing it afresh would show."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from planner.ui.widgets.footer import FittingFooter
from tests.ui_apps import (
    SMALL,
    layout_app,
    main_screen,
    screen_lines,
    send_burst,
    tree,
    wait_until,
)


def footer_of(app) -> FittingFooter:
    return main_screen(app).query_one(FittingFooter)


def shows_what_it_should(footer: FittingFooter) -> bool:
    """The footer's keys are, in order, the screen's shown bindings of now (at 80 columns they all fit)."""
    wanted: dict[str, tuple[str, str, bool]] = {}
    for _, binding, enabled, _ in footer.screen.active_bindings.values():
        if binding.show and binding.action not in wanted:
            wanted[binding.action] = (binding.key, binding.description, not enabled)
    shown = [(key.key, key.description, key.has_class("-disabled")) for key in footer.query(FooterKey)
             if not key.has_class("-command-palette")]
    return shown == list(wanted.values())


async def settled(pilot, app, what: str) -> None:
    """Wait until the main screen is on top and its footer shows the bindings of now."""
    await wait_until(pilot, lambda: app.screen is app.main_screen and shows_what_it_should(footer_of(app)), what)
    await pilot.pause()
    assert shows_what_it_should(footer_of(app)), what


async def test_keys_that_leave_the_footer_alike_keep_its_widgets(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot, app, "the first footer")
        before = list(footer_of(app).query(FooterKey))
        send_burst(app, "down", "down", "m", "escape", "e", "escape", "down")
        await wait_until(pilot, lambda: app.screen is app.main_screen and tree(app).cursor_line == 3,
                         "the dialogs opened and closed, the cursor three down")
        await settled(pilot, app, "the footer after the burst")
        assert list(footer_of(app).query(FooterKey)) == before, "the same key widgets, none mounted again"


async def test_the_way_back_comes_and_goes_in_its_place(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot, app, "the first footer")
        before = list(footer_of(app).query(FooterKey))
        await pilot.press("t")
        await wait_until(pilot, lambda: "back" in {key.action for key in footer_of(app).query(FooterKey)},
                         "esc Back offered in the team view")
        await settled(pilot, app, "the team view's footer")
        line = screen_lines(app)[-1]
        assert line.index("t Team") < line.index("esc Back") < line.index("f1 Help"), line
        kept = [key for key in footer_of(app).query(FooterKey) if key.action != "back"]
        assert kept == before, "the other keys stay as they were"


async def test_a_burst_of_view_changes_ends_with_the_footer_of_the_last_view(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot, app, "the first footer")
        screen = main_screen(app)

        def showing(view: str, one_team: bool):
            return lambda: screen.query_one("#views").current == view and (tree(app).subtree_root is not None) == one_team

        # The last burst ends where none before went (one team shown): it is handled whole when that shows.
        for burst, view, one_team in ((("t", "t", "t"), "team-view", False), (("escape", "t", "t"), "org-view", False),
                                      (("t", "escape", "f"), "org-view", True)):
            send_burst(app, *burst)
            await wait_until(pilot, showing(view, one_team), f"the view after {burst}")
            await settled(pilot, app, f"the footer after {burst}")
            line = screen_lines(app)[-1]
            assert ("esc Back" in line) == (view == "team-view" or one_team), (burst, line)
