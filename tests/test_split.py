"""When to split: the team size at which a merged role, and each of its roles held alone, enters each band."""

from __future__ import annotations

from planner.analysis import Band, analyse
from planner.analysis.load import counterpart, person_load
from planner.analysis.split import MAX_REPORTS, Crossing, crossings, split_at, split_summary
from planner.model.scenarios import merge_roles
from planner.render.data import analysis_data
from planner.render.text import analysis_text
from planner.ui.screens.help import method_markdown
from planner.ui.widgets.team_view import findings_text

JORDAN = "sales-marketing-manager"


def jordan_split(plan, person_id: str = JORDAN):
    """The split_at of a merged role, each part holding its own role's responsibilities."""
    analysis = analyse(plan)
    person, load = plan.scenario().person(person_id), analysis.people[person_id].load
    parts = plan.catalog.manager_parts(person.roles)
    functions = frozenset(part.function for part in parts)
    held = [(part, tuple(item for item in load.responsibilities if item.id in part.responsibilities),
             counterpart(frozenset({part.function}), functions)) for part in parts]
    return split_at(plan, person, load.responsibilities, None, held)


def figures(found) -> dict[str, list]:
    """band -> [merged (as assumed, hours less, hours more), then each part the same]."""
    return {limit.band.value: [tuple(vars(limit.merged).values()),
                               *(tuple(vars(part.crossing).values()) for part in limit.parts)]
            for limit in found}


def test_split_at_on_the_merged_layout(merged):
    found = jordan_split(merged)
    # merged role: 53.9 h with no reports + 1.5 h a report; sales manager alone 29 h + 1.5 h a report (with 2 h of
    # coordination), marketing manager alone 27 h + 1.5 h a report; 40, 48 and 55 h; the hours 25% off either way.
    assert figures(found) == {
        "stretched": [(0, 0, 0), (8, 17, 3), (9, 18, 4)],
        "overloaded": [(0, 7, 0), (13, 24, 7), (14, 25, 8)],
        "critical": [(1, 13, 0), (18, 30, 10), (19, 31, 12)],
    }
    assert [(limit.band, limit.from_hours) for limit in found] == [
        (Band.STRETCHED, 40.0), (Band.OVERLOADED, 48.0), (Band.CRITICAL, 55.0)]
    assert [part.role_id for part in found[0].parts] == ["sales-manager", "marketing-manager"]
    assert split_summary(found, merged.settings.assumption_spread) == (
        "the merged role is at 48 h or more even with no reports (none to 6 with the hours 25% off); "
        "the separate roles stay ok up to 7 and 8 reports (2-16 and 3-17 with the hours 25% off)")


def test_the_other_shipped_layouts_hold_no_merged_role_so_no_split_at(separate, growing):
    for plan in (separate, growing):
        assert analysis_data(analyse(plan))["merged_roles"] == []


def test_separate_after_a_merge_crosses_where_the_merged_layout_does(separate, merged):
    merge_roles(separate, "current", "sales-manager", "marketing-manager", "leave").apply(separate)
    assert figures(jordan_split(separate, "sales-manager")) == figures(jordan_split(merged))


def test_each_crossing_is_where_the_real_load_changes_band(merged):
    """At the team size given the role is in the band or worse; one report fewer, it is not."""
    analysis = analyse(merged)
    person, load = merged.scenario().person(JORDAN), analysis.people[JORDAN].load
    sales = tuple(item for item in load.responsibilities if item.function in ("sales", "management"))
    for band, crossing in crossings(merged, person, sales, "marketing").items():
        at = person_load(merged, person, crossing.reports, sales, "marketing")
        before = person_load(merged, person, crossing.reports - 1, sales, "marketing")
        assert at.band.rank >= band.rank > before.band.rank
        less = person_load(merged, person, crossing.with_hours_less, sales, "marketing").range.low_band
        assert less.rank >= band.rank


def test_without_team_duties_a_role_never_crosses_by_growing(merged):
    """A sales rep's 36 h do not grow with a team: ok whatever its size, stretched only with the hours 25% more."""
    load = analyse(merged).people["sales-rep-1"].load
    found = crossings(merged, merged.scenario().person("sales-rep-1"), load.responsibilities, None)
    assert found[Band.STRETCHED] == Crossing(None, None, 0)
    assert found[Band.OVERLOADED] == found[Band.CRITICAL] == Crossing(None, None, None)
    assert MAX_REPORTS == 1000


def test_the_report_gives_split_at_one_entry_per_band_and_the_sentence(merged):
    role = analyse(merged).merged_roles[0]
    assert figures(role.split_at) == figures(jordan_split(merged))
    data = analysis_data(analyse(merged))["merged_roles"][0]
    assert [entry["band"] for entry in data["split_at"]] == ["stretched", "overloaded", "critical"]
    overloaded = data["split_at"][1]
    assert overloaded["from_hours"] == 48.0
    assert overloaded["merged"] == {"reports": 0, "with_hours_less": 7, "with_hours_more": 0}
    assert overloaded["parts"][0] == {"role_id": "sales-manager", "role_title": "Sales manager",
                                      "crossing": {"reports": 13, "with_hours_less": 24, "with_hours_more": 7}}
    assert data["split_summary"] == role.split_summary
    text = analysis_text(analyse(merged))
    assert f"When to split: {role.split_summary}." in " ".join(text.split())
    assert "overloaded from 48 h             0 (0-7)          13 (7-24)          14 (8-25)" in text


def test_the_team_view_and_the_help_say_when_to_split(merged):
    role = analyse(merged).merged_roles[0]
    assert f"When to split: {role.split_summary}" in str(findings_text(analyse(merged))).splitlines()
    method = method_markdown(merged.settings)
    assert "**When to split**" in method and "reaches\n48 h (overloaded) and 55 h (critical)" in method
