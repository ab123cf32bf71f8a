"""Role cards: one Markdown card per role in use, with its purpose, responsibilities, holders and, merged, advice."""

from __future__ import annotations

import re
from dataclasses import replace

from planner.analysis import analyse
from planner.cli import main
from planner.model.edits import UpdatePerson
from planner.render.export import FORMATS, export
from planner.storage import save
from planner.ui.screens.forms import ExportForm

from .ui_apps import file_app, screen_lines, wait_until

JORDAN = "sales-marketing-manager"


def cards(text: str) -> dict[str, str]:
    """Each card's text by the role id in its heading."""
    found = re.split(r"^## .*\(([a-z0-9-]+)\)$", text, flags=re.MULTILINE)
    return dict(zip(found[1::2], found[2::2]))


def test_a_card_per_role_in_use_naming_every_responsibility_of_its_role(merged, growing):
    for plan in (merged, growing):
        text = export(plan, "roles")
        in_use = {role for person in plan.scenario().people() for role in person.roles}
        assert set(cards(text)) == in_use
        for role_id, card in cards(text).items():
            for item_id in plan.catalog.role_responsibilities(role_id):
                item = plan.catalog.responsibilities[item_id]
                assert f"| {item.title} | {item_id} | {item.function} |" in card.replace("\\", "")


def test_a_card_gives_purpose_functions_hours_holders_with_verdicts_and_cost(merged):
    card = cards(export(merged, "roles"))["sales-rep"]
    assert "**Purpose:** Close the leads marketing creates, take orders and look after existing accounts." in card
    assert "**Functions:** sales." in card
    assert "| Follow up and close the leads marketing creates; take orders | closing-deals | sales | 26.0 |" in card
    assert "**In all:** 36.0 h a week." in card
    assert "**Held by:** 4 people in this scenario" in card
    verdict = analyse(merged).people["sales-rep-1"].load.verdict
    assert f"- **Priya Shah**: {verdict}" in card
    assert ("**Cost:** 34,000 GBP a year (yearly costs entered in the plan: illustrative figures of the example "
            "layout, not market rates)." in card)
    assert "What to tell candidates" not in card


def test_the_merged_roles_card_says_what_the_article_advises_telling_candidates(merged):
    card = cards(export(merged, "roles"))[JORDAN]
    assert "**Functions:** marketing, sales: a merged role, the work of the Sales manager and Marketing manager" in card
    assert "**In all:** 50.0 h a week, plus 1.5 h for each direct report." in card
    assert "| Manage the team and keep its work on schedule | manage-team | management | 1 per direct report |" in card
    advice = card.split("**What to tell candidates:** ")[1]
    assert advice.startswith('The article ("What is the difference between a sales manager and a marketing manager?") '
                             "advises an employer who merges the roles to make sure the tasks and responsibilities are "
                             "not too much for one person, and, when interviewing candidates, to make it "
                             '"exceptionally clear what the role entails".')
    assert "As Jordan Blake holds it, with 10 direct reports, it comes to 68.9 h a week (critical; 52-86 h" in advice
    assert f"When to split: {analyse(merged).merged_roles[0].split_summary}." in advice
    assert "**Note:** the sales manager's job may require working overtime or weekends (the article)" in card


def test_without_costs_a_card_has_no_cost_line(growing):
    assert "**Cost:**" not in export(growing, "roles")


def test_names_in_cards_stay_literal(merged):
    UpdatePerson("current", replace(merged.scenario().person("sales-rep-1"), name="[b]Pri|ya*")).apply(merged)
    assert "- **\\[b\\]Pri\\|ya\\***:" in cards(export(merged, "roles"))["sales-rep"]


def test_planner_export_roles_writes_the_cards(merged, tmp_path, capsys):
    plan_file, target = tmp_path / "plan.toml", tmp_path / "out" / "roles.md"
    save(merged, plan_file)
    assert main(["export", str(plan_file), "--format", "roles", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == export(merged, "roles")
    assert FORMATS["roles"] == "md"


async def test_the_export_dialog_offers_role_cards(tmp_path):
    app, _ = file_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("E")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportForm), "the export dialog")
        dialog = app.screen
        await pilot.press("enter", "end", "enter")  # open the formats, the last is role cards, pick it
        await wait_until(pilot, lambda: dialog.query_one("#path").value.endswith("-roles.md"), "the cards' own file")
        await wait_until(pilot, lambda: any("roles (role cards, Markdown)" in line for line in screen_lines(app)),
                         "the format drawn in the dialog")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: list((tmp_path / "saves").glob("*.md")), "the role cards written")
    (written,) = (tmp_path / "saves").glob("*.md")
    assert written.read_text(encoding="utf-8").startswith("# Role cards: Merged sales and marketing, scenario current")
