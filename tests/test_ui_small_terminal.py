"""An owner over SSH at 80x24 with no mouse: every view reachable and readable with the keys alone (issue 17).

Keys are sent as an SSH connection delivers them: several at once (`send_burst`), with no pause between them.
"""

from __future__ import annotations

from .ui_apps import SMALL, keys_for, layout_app, main_screen, select, send_burst, wait_until

MANAGER = "sales-marketing-manager"  # Jordan Blake in the merged layout
BURSTS = 12


# --- keys in bursts -----------------------------------------------------------------------------------------------

async def test_text_typed_right_after_tab_lands_in_the_field_tab_moved_to(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await select(pilot, app, MANAGER)
        for attempt in range(BURSTS):
            name, title = f"Ana {attempt}", f"Lead {attempt}"
            # open the form, clear the name and type it, tab, clear the title and type it, save: one burst
            send_burst(app, "e", "end", "ctrl+u", *keys_for(name), "tab", "end", "ctrl+u", *keys_for(title), "ctrl+s")
            await wait_until(pilot, lambda: app.session.history.state == attempt + 1, f"edit {attempt}")
            main_screen(app)
            person = app.session.org.person(MANAGER)
            assert (person.name, person.title) == (name, title)


async def test_text_typed_right_after_the_key_that_opens_a_form_lands_in_it(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await select(pilot, app, MANAGER)
        send_burst(app, "a", *keys_for("Ana Lee"), "ctrl+s")
        await wait_until(pilot, lambda: app.session.history.state == 1, "the person added")
        main_screen(app)
        org = app.session.org
        assert "ana-lee" in org.reports(MANAGER) and org.person("ana-lee").name == "Ana Lee"

