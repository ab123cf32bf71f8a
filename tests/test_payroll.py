"""What a split costs: yearly costs of roles and people, the payroll of a scenario, and its difference in a comparison."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from textual.widgets import Input

from planner.analysis import analyse
from planner.analysis.compare import compare
from planner.analysis.payroll import Payroll, person_cost, role_cost
from planner.analysis.report import Analyser
from planner.cli import main
from planner.model import Org, Person, Plan
from planner.model.catalog import default_catalog
from planner.model.edits import PutRole, SetSettings, UpdatePerson
from planner.model.errors import PlanFileError
from planner.model.scenarios import split_role
from planner.render.data import comparison_data
from planner.render.export import export
from planner.render.text import analysis_text, comparison_text
from planner.storage import dumps, loads
from planner.ui.screens.compare import comparison_summary
from planner.ui.screens.forms import SettingsForm

from .conftest import REPO
from .ui_apps import file_app, replace_input, wait_until

JORDAN = "sales-marketing-manager"
# The layouts' illustrative costs (GBP a year): owner 70,000, sales manager 52,000, marketing manager 50,000,
# sales and marketing manager 58,000, sales rep 34,000, marketing executive 32,000, operations assistant 26,000.
MERGED_PAYROLL = 70_000 + 58_000 + 26_000 + 4 * 34_000 + 6 * 32_000
SEPARATE_PAYROLL = 70_000 + 52_000 + 50_000 + 26_000 + 4 * 34_000 + 6 * 32_000
ILLUSTRATIVE = "illustrative figures of the example layout, not market rates"
ORIGIN = f"yearly costs entered in the plan: {ILLUSTRATIVE}"


def split_jordan(plan: Plan) -> Plan:
    """The merged layout with a scenario "split": an open position takes the marketing manager role."""
    split_role(plan, "current", JORDAN, "marketing-manager", into="split").apply(plan)
    return plan


def test_the_shipped_layouts_carry_illustrative_costs(merged, separate):
    assert analyse(merged).payroll == Payroll(MERGED_PAYROLL, "GBP", 13, 0.0, (), ILLUSTRATIVE)
    assert analyse(separate).payroll == Payroll(SEPARATE_PAYROLL, "GBP", 14, 0.0, (), ILLUSTRATIVE)
    assert "costs illustrative" in merged.description and "costs illustrative" in separate.description
    for layout in ("merged", "separate"):
        assert "are illustrative round figures" in (REPO / "layouts" / f"{layout}.toml").read_text(encoding="utf-8")


def test_the_layouts_catalog_is_the_default_one_with_costs_added(merged, separate):
    """A file's [catalog] replaces the built-in one: the layouts carry it whole only to give roles their costs."""
    built_in = default_catalog()
    for plan in (merged, separate):
        assert plan.catalog.responsibilities == built_in.responsibilities
        assert {role_id: replace(role, cost=None) for role_id, role in plan.catalog.roles.items()} == built_in.roles
        assert all(role.cost for role in plan.catalog.roles.values())


def test_a_split_costs_the_payroll_difference_beside_what_it_does_to_load(merged):
    split_jordan(merged)
    comparison = compare(analyse(merged, "current"), analyse(merged, "split"))
    before, after = comparison.payroll
    assert before.total == MERGED_PAYROLL and after.total == MERGED_PAYROLL - 58_000 + 52_000 + 50_000
    assert after.open_positions == 50_000
    assert comparison.cost == (f"split: +44,000 GBP a year ({ORIGIN}); removes 20.9 h a week above 48 h from "
                               "Jordan Blake; Sam Patel, Jordan Blake and Open: Marketing manager all ok")
    data = comparison_data(comparison)
    assert [side["total"] for side in data["payroll"]] == [MERGED_PAYROLL, MERGED_PAYROLL + 44_000]
    assert data["cost"] == comparison.cost
    assert f"Cost: {comparison.cost}." in " ".join(comparison_text(comparison).split())
    titles = {item.id: item.title for item in merged.catalog.responsibilities.values()}
    assert f"cost: {comparison.cost}\n" in str(comparison_summary(comparison, titles))


def test_the_report_gives_the_payroll(merged, capsys):
    analysis = analyse(merged)
    assert f"Payroll: {MERGED_PAYROLL:,} GBP a year for 13 people ({ORIGIN})." in " ".join(analysis_text(analysis).split())
    assert main(["report", "layouts/merged.toml", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["payroll"] == {
        "total": MERGED_PAYROLL, "currency": "GBP", "people": 13, "open_positions": 0.0, "without_cost": [],
        "note": ILLUSTRATIVE}


def test_a_scenario_compared_with_itself_says_the_payroll_is_unchanged(merged):
    analysis = analyse(merged)
    assert compare(analysis, analysis).cost == f"current: payroll unchanged at {MERGED_PAYROLL:,} GBP a year ({ORIGIN})"


def test_without_costs_anywhere_the_cost_lines_are_absent(growing, capsys):
    analysis = analyse(growing)
    assert analysis.payroll is None
    assert "Payroll" not in analysis_text(analysis) and "Cost:" not in export(growing, "roles")
    comparison = compare(analysis, analysis)
    assert comparison.payroll == (None, None) and comparison.cost is None
    assert "Cost" not in comparison_text(comparison)
    assert main(["report", "layouts/growing.toml", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["payroll"] is None


def test_a_persons_cost_overrides_their_roles_and_a_merged_role_costs_its_dearest_part(merged):
    catalog = merged.catalog
    PutRole(replace(catalog.roles[JORDAN], cost=None)).apply(merged)
    assert role_cost(catalog, JORDAN) == 52_000  # the sales manager's, the dearer of its two parts
    jordan = merged.scenario().person(JORDAN)
    assert person_cost(catalog, jordan) == 52_000
    assert person_cost(catalog, replace(jordan, cost=61_500.0)) == 61_500
    assert person_cost(catalog, replace(jordan, roles=("sales-rep", "operations-assistant"))) == 34_000


def test_open_positions_are_counted_and_people_without_a_cost_are_named():
    plan = Plan("Costs", scenarios={"current": Org()})
    plan.catalog.roles["sales-rep"] = replace(plan.catalog.roles["sales-rep"], cost=30_000.0)
    org = plan.scenario()
    org.put(Person("a", "Ana", roles=("sales-rep",)))
    org.put(Person("b", "Open: rep", roles=("sales-rep",), vacant=True))
    org.put(Person("c", "Cy", roles=("owner",)))
    org.put(Person("d", "Di", roles=("owner",), cost=80_000.0))
    assert analyse(plan).payroll == Payroll(140_000, "", 3, 30_000, ("c",))
    assert ("Payroll: 140,000 a year for 3 people, 30,000 of it for open positions; 1 person has no cost set "
            "(yearly costs entered in the plan).") in " ".join(analysis_text(analyse(plan)).split())


def test_the_payroll_follows_each_edit_as_a_fresh_analysis_would(merged):
    analyser = Analyser()
    analyser.analyse(merged)
    UpdatePerson("current", replace(merged.scenario().person("sales-rep-1"), cost=40_000.0)).apply(merged)
    assert analyser.analyse(merged).payroll == analyse(merged).payroll
    assert analyser.analyse(merged).payroll.total == MERGED_PAYROLL + 6_000
    SetSettings(replace(merged.settings, currency="EUR")).apply(merged)
    assert analyser.analyse(merged).payroll.currency == "EUR"


def test_costs_and_currency_keep_through_the_file_and_bad_ones_are_refused(merged):
    UpdatePerson("current", replace(merged.scenario().person("owner"), cost=81_250.5)).apply(merged)
    text = dumps(merged)
    assert 'currency = "GBP"' in text and "cost = 81250.5" in text and "cost = 58000.0" in text
    assert loads(text) == merged
    with pytest.raises(PlanFileError) as error:
        loads(text.replace("cost = 81250.5", "cost = -1.0"))
    assert "the cost of person 'owner'" in error.value.render()
    with pytest.raises(PlanFileError) as error:
        loads(text.replace('currency = "GBP"', "currency = 3"))
    assert "'currency' in [settings] should be a text" in error.value.render()


async def test_the_currency_is_set_in_the_settings_form_and_named_with_the_payroll(tmp_path):
    app, _ = file_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("comma")
        await wait_until(pilot, lambda: isinstance(app.screen, SettingsForm), "the settings")
        assert app.screen.query_one("#currency", Input).value == "GBP"
        assert app.screen.query_one("#cost_note", Input).value == ILLUSTRATIVE
        await replace_input(pilot, app, "#currency", "EUR")
        await replace_input(pilot, app, "#cost_note", "2027 budget")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.session.plan.settings.currency == "EUR", "the currency applied")
        assert app.session.analysis.payroll.currency == "EUR"
        assert app.session.plan.settings.cost_note == app.session.analysis.payroll.note == "2027 budget"
        assert app.session.plan.settings.capacity_hours == 40.0
