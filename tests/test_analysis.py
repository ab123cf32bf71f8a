"""The analysis: each factor's arithmetic on hand-made orgs, and the calibration on the starter layouts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from planner.analysis import Band, analyse
from planner.analysis.span import graicunas
from planner.model import Catalog, Org, Person, Plan, Responsibility, Role, Settings

S = "current"


def tiny_plan(people: list[tuple[Person, str | None]], settings: Settings = Settings()) -> Plan:
    """A plan over a small hand-made catalog, so every hour is known."""
    catalog = Catalog(
        {item.id: item for item in [
            Responsibility("plan", "Plan", "sales", 5), Responsibility("shared", "Shared", "management", 3),
            Responsibility("sell", "Sell", "sales", 2), Responsibility("brand", "Brand", "marketing", 10),
            Responsibility("books", "Books", "finance", 6), Responsibility("orphan", "Orphan", "operations", 1),
        ]},
        {role.id: role for role in [
            Role("seller", "Seller", "sales", ("plan", "shared"), manager=True),
            Role("helper", "Helper", "sales", ("shared", "sell")),
            Role("marketer", "Marketer", "marketing", ("brand", "shared"), manager=True),
            Role("both", "Both", "", (), manager=True, combines=("seller", "marketer")),
        ]},
    )
    org = Org()
    for person, _ in people:
        org.put(person)
    for person, manager in people:
        org.set_manager(person.id, manager)
    return Plan("Tiny", settings=settings, catalog=catalog, scenarios={S: org})


def factors(plan: Plan, person_id: str) -> dict[str, float]:
    load = analyse(plan).people[person_id].load
    return {factor.name: factor.hours for factor in load.factors}


def test_a_responsibility_held_through_two_roles_counts_once():
    plan = tiny_plan([(Person("a", "A", roles=("seller", "helper")), None)])
    assert factors(plan, "a")["responsibilities"] == 5 + 3 + 2


def test_extra_and_dropped_responsibilities_change_the_hours():
    plan = tiny_plan([(Person("a", "A", roles=("seller",), extra_responsibilities=("sell",),
                              dropped_responsibilities=("plan",)), None)])
    assert factors(plan, "a")["responsibilities"] == 3 + 2


def test_management_hours_are_reports_times_the_setting():
    people = [(Person("m", "M", roles=("seller",)), None)] + [(Person(f"r{i}", "R", roles=("helper",)), "m") for i in range(3)]
    assert factors(tiny_plan(people), "m")["management"] == 3 * 1.5
    assert factors(tiny_plan(people, Settings(hours_per_report=2.0)), "m")["management"] == 6.0
    assert factors(tiny_plan(people), "r0")["management"] == 0


def test_switching_is_the_rate_times_responsibility_hours_per_extra_function():
    two = tiny_plan([(Person("a", "A", roles=("both",)), None)])
    hours = 5 + 3 + 10
    assert factors(two, "a")["switching"] == pytest.approx(0.17 * hours)
    three = tiny_plan([(Person("a", "A", roles=("both",), extra_responsibilities=("books",)), None)])
    assert factors(three, "a")["switching"] == pytest.approx(0.17 * (hours + 6) * 2)
    one = tiny_plan([(Person("a", "A", roles=("seller",)), None)])
    assert factors(one, "a")["switching"] == 0, "management work is not a second function"


def test_demand_is_the_sum_of_the_factors_and_utilisation_uses_the_capacity():
    people = [(Person("a", "A", roles=("both",), capacity_hours=20.0), None), (Person("r", "R"), "a")]
    load = analyse(tiny_plan(people)).people["a"].load
    expected = 18 + 1.5 + 0.17 * 18
    assert load.demand_hours == pytest.approx(expected)
    assert load.utilisation == pytest.approx(expected / 20)
    assert not load.capacity_is_default


@pytest.mark.parametrize(("hours", "capacity", "band"), [
    (40, 40, Band.OK), (40.5, 40, Band.STRETCHED), (47.9, 40, Band.STRETCHED), (48, 40, Band.OVERLOADED),
    (54.9, 40, Band.OVERLOADED), (55, 40, Band.CRITICAL), (20, 20, Band.OK), (24, 20, Band.OVERLOADED),
    (27.5, 20, Band.CRITICAL),
])
def test_bands_follow_the_thresholds_scaled_to_capacity(hours, capacity, band):
    plan = tiny_plan([(Person("a", "A", extra_responsibilities=("orphan",), capacity_hours=float(capacity)), None)])
    plan.catalog.responsibilities["orphan"] = replace(plan.catalog.responsibilities["orphan"], hours=float(hours))
    result = analyse(plan).people["a"].load
    assert result.band is band
    assert result.band_reason.startswith(band.value)


def test_settings_drive_the_bands():
    plan = tiny_plan([(Person("a", "A", extra_responsibilities=("brand",)), None)],
                     Settings(capacity_hours=8.0, stretched_from=1.0, overloaded_from=1.2, critical_from=1.3))
    assert analyse(plan).people["a"].load.band is Band.OVERLOADED


@pytest.mark.parametrize(("span", "relationships"), [(1, 1), (4, 44), (5, 100), (6, 222), (8, 1080), (10, 5210)])
def test_graicunas_matches_the_published_counts(span, relationships):
    assert graicunas(span) == relationships


def test_span_is_judged_by_archetype():
    reports = [(Person(f"r{i}", "R", roles=("helper",)), "m") for i in range(7)]
    hands_on = analyse(tiny_plan([(Person("m", "M", roles=("seller",)), None), *reports])).people["m"].span
    assert (hands_on.archetype, hands_on.archetype_is_default, hands_on.status) == ("player-coach", True, "above")
    set_coach = analyse(tiny_plan([(Person("m", "M", roles=("seller",), archetype="coach"), None), *reports]))
    assert set_coach.people["m"].span.status == "within"
    pure = analyse(tiny_plan([(Person("m", "M", extra_responsibilities=("shared",)), None), *reports]))
    assert (pure.people["m"].span.archetype, pure.people["m"].span.status) == ("coach", "within")
    assert analyse(tiny_plan([(Person("m", "M"), None)])).people["m"].span is None


def test_team_sizes_layers_and_shape():
    people = [(Person("top", "T"), None), (Person("mid", "M"), "top"), (Person("solo", "S"), "top"),
              (Person("low1", "L"), "mid"), (Person("low2", "L"), "mid"), (Person("lone", "X", vacant=True), "solo")]
    analysis = analyse(tiny_plan(people))
    top = analysis.people["top"].team
    assert (top.span, top.team_size, top.layers_below) == (2, 5, 2)
    assert analysis.shape.layers == 3
    assert analysis.shape.span_distribution == ((1, 1), (2, 2))
    assert analysis.shape.single_report_managers == ("solo",)
    assert (analysis.shape.headcount, analysis.shape.vacancies) == (6, 1)


def test_separate_layout_sales_team_is_smaller_than_marketing(separate):
    functions = analyse(separate).functions
    assert (functions.sales.team_members, functions.marketing.team_members) == (4, 6)
    assert functions.difference == -2
    assert functions.difference_percent == pytest.approx(-100 / 3)
    assert "2 smaller" in functions.summary and "33%" in functions.summary
    assert "context, not a rule" in functions.context


def test_calibration_separate_managers_are_ok_or_stretched(separate):
    people = analyse(separate).people
    for manager in ("sales-manager", "marketing-manager"):
        assert people[manager].load.band in (Band.OK, Band.STRETCHED)


def test_calibration_merged_manager_is_overloaded_or_critical_and_says_why(merged):
    analysis = analyse(merged)
    person = analysis.people["sales-marketing-manager"]
    assert person.load.band in (Band.OVERLOADED, Band.CRITICAL)
    text = " ".join(person.reasons)
    assert "switching between 2 functions" in text
    assert "9 direct reports x 1.5 h" in text
    assert "16 responsibilities across marketing and sales" in text
    assert "above player/coach (3-5)" in person.summary
    assert person.summary.startswith("Sales and marketing manager: 16 responsibilities")


def test_merged_role_against_the_separate_roles(merged):
    (role,) = analyse(merged).merged_roles
    assert role.functions == ("marketing", "sales")
    parts = {part.role_id: part for part in role.parts}
    assert (parts["sales-manager"].reports, parts["marketing-manager"].reports) == (4, 5)
    assert all(part.band is Band.OK for part in role.parts)
    assert set(role.shared_responsibilities) == {"manage-team", "train-team", "communicate-teams"}
    assert role.shared_hours == 8
    assert sum(p.demand_hours for p in role.parts) - role.shared_hours + role.switching_hours == pytest.approx(
        role.demand_hours)
    assert "Split" in role.verdict and role.band.value in role.verdict


def test_separate_layout_has_no_merged_role(separate):
    assert analyse(separate).merged_roles == ()


def test_health_checks_name_the_people_concerned():
    people = [(Person("m", "M", roles=("both",)), None), (Person("r", "R"), "m"),
              (Person("v", "V", roles=("helper",), extra_responsibilities=("books",), vacant=True), "m")]
    health = {check.kind: check for check in analyse(tiny_plan(people)).health}
    assert health["unowned"].responsibilities == ("orphan",)
    assert health["vacancy-only"].responsibilities == ("books", "sell")
    assert health["no-responsibilities"].people == ("r",)
    assert health["vacancy"].people == ("v",)
    assert "single-report" not in health
    assert "over-capacity" not in health


def test_the_growing_layout_flags_its_overloaded_lead_and_vacancy(growing):
    health = {check.kind: check for check in analyse(growing).health}
    assert "operations-lead" in health["over-capacity"].people
    assert health["vacancy"].people == ("rep-south-7",)


def test_every_setting_shows_its_source_and_whether_it_is_assumed(merged):
    assumptions = {item.name: item for item in analyse(merged).assumptions}
    assert assumptions["switching_rate"].shown == "17%" and "Tregubov" in assumptions["switching_rate"].source
    assert assumptions["critical_from"].shown == "137.5% of capacity" and "WHO/ILO" in assumptions["critical_from"].source
    assert assumptions["hours_per_report"].assumption and assumptions["catalog_hours"].assumption
