"""Scenarios and what-ifs: add, rename, remove, merge and split, each one undoable exactly."""

from __future__ import annotations

import pytest

from planner.analysis import Band, analyse
from planner.model.errors import DuplicateIdError, InvariantError, UnknownIdError
from planner.model.scenarios import (
    AddScenario,
    RemoveScenario,
    RenameScenario,
    merge_roles,
    split_role,
)
from planner.storage import dumps, loads

S = "current"


def applied_and_undone(plan, edit):
    """Apply an edit, check undo restores the exact plan (and file), then redo it."""
    before, text = plan.copy(), dumps(plan)
    inverse = edit.apply(plan)
    after = plan.copy()
    inverse.apply(plan)
    assert plan == before and list(plan.scenarios) == list(before.scenarios) and dumps(plan) == text
    edit.apply(plan)
    assert plan == after
    return plan


def test_add_rename_remove_scenarios_keep_order_and_undo(separate):
    plan = applied_and_undone(separate, AddScenario("what-if", S))
    plan = applied_and_undone(plan, AddScenario("blank"))
    assert list(plan.scenarios) == [S, "what-if", "blank"] and len(plan.scenarios["blank"]) == 0
    plan = applied_and_undone(plan, RenameScenario("what-if", "merged"))
    assert list(plan.scenarios) == [S, "merged", "blank"]
    plan = applied_and_undone(plan, RemoveScenario("merged"))
    assert list(plan.scenarios) == [S, "blank"]
    assert loads(dumps(plan)) == plan


def test_scenario_rules(separate):
    with pytest.raises(DuplicateIdError):
        AddScenario(S, S).apply(separate)
    with pytest.raises(InvariantError, match="at least one"):
        RemoveScenario(S).apply(separate)
    with pytest.raises(UnknownIdError):
        RenameScenario("nope", "x").apply(separate)
    with pytest.raises(InvariantError):
        AddScenario("  ").apply(separate)


def test_a_copied_scenario_is_independent(separate):
    AddScenario("copy", S).apply(separate)
    split_copy = separate.scenarios["copy"]
    split_copy.discard("sales-rep-1")
    assert "sales-rep-1" in separate.scenario(S)


def test_merging_the_separate_managers_gives_one_overloaded_manager(separate):
    edit = merge_roles(separate, S, "sales-manager", "marketing-manager", "leave")
    plan = applied_and_undone(separate, edit)
    org = plan.scenario(S)
    assert "marketing-manager" not in org
    assert org.person("sales-manager").roles == ("sales-marketing-manager",)
    assert org.span("sales-manager") == 10
    result = analyse(plan).people["sales-manager"]
    assert (round(result.load.demand_hours, 2), result.load.band) == (68.91, Band.CRITICAL)
    assert analyse(plan).merged_roles[0].person_id == "sales-manager"


def test_the_merged_layout_is_the_separate_layout_after_the_merge(separate, merged):
    plan = applied_and_undone(separate, merge_roles(separate, S, "sales-manager", "marketing-manager", "leave"))
    after, layout = plan.scenario(S), merged.scenario(S)
    renamed = {"sales-manager": "sales-marketing-manager"}
    assert set(renamed.get(pid, pid) for pid in after) == set(layout)
    for person_id in after:
        person, twin = after.person(person_id), layout.person(renamed.get(person_id, person_id))
        assert person.roles == twin.roles
        manager = after.manager_of(person_id)
        assert renamed.get(manager, manager) == layout.manager_of(twin.id)
    assert analyse(plan).people["sales-manager"].load.verdict == analyse(merged).people[
        "sales-marketing-manager"].load.verdict


@pytest.mark.parametrize(("fate", "vacant"), [("vacancy", True), ("ic", False)])
def test_the_other_can_stay_as_a_contributor_or_an_open_position(separate, fate, vacant):
    plan = applied_and_undone(separate, merge_roles(separate, S, "sales-manager", "marketing-manager", fate))
    org = plan.scenario(S)
    other = org.person("marketing-manager")
    assert other.vacant is vacant
    assert other.roles == ("marketing-executive",)
    assert org.manager_of("marketing-manager") == "sales-manager"
    assert org.span("sales-manager") == 11


def test_merge_into_a_new_scenario_leaves_the_current_one(separate):
    before = separate.scenario(S).copy()
    plan = applied_and_undone(separate, merge_roles(separate, S, "sales-manager", "marketing-manager", "leave",
                                                    into="merged"))
    assert plan.scenario(S) == before
    assert "marketing-manager" not in plan.scenario("merged")


def test_merge_into_ones_own_report_moves_them_up_first(separate):
    plan = applied_and_undone(separate, merge_roles(separate, S, "sales-rep-1", "sales-manager", "leave"))
    org = plan.scenario(S)
    assert org.manager_of("sales-rep-1") == "owner"
    assert set(org.reports("sales-rep-1")) == {"sales-rep-2", "sales-rep-3", "sales-rep-4"}


def test_splitting_the_merged_role_gives_two_managers_who_are_not_overloaded(merged):
    edit = split_role(merged, S, "sales-marketing-manager", "marketing-manager", "Lee Morgan")
    plan = applied_and_undone(merged, edit)
    org = plan.scenario(S)
    newcomer = next(p for p in org.people() if p.roles == ("marketing-manager",))
    assert not newcomer.vacant and newcomer.name == "Lee Morgan"
    assert org.person("sales-marketing-manager").roles == ("sales-manager",)
    assert org.span(newcomer.id) == 6 and org.span("sales-marketing-manager") == 4
    people = analyse(plan).people
    sales, marketing = people["sales-marketing-manager"].load, people[newcomer.id].load
    assert (round(sales.demand_hours, 2), sales.band) == (35.0, Band.OK)
    assert (round(marketing.demand_hours, 2), marketing.band) == (36.0, Band.OK)
    assert sales.factors[3].hours == marketing.factors[3].hours == 2.0, "a split pair coordinates"
    assert analyse(plan).merged_roles == ()


def test_split_into_a_vacancy_in_a_new_scenario(merged):
    plan = applied_and_undone(merged, split_role(merged, S, "sales-marketing-manager", "sales-manager", into="split"))
    newcomer = next(p for p in plan.scenario("split").people() if p.roles == ("sales-manager",))
    assert newcomer.vacant and newcomer.name == "Open: Sales manager"
    assert len(plan.scenario(S)) == 13


def test_split_needs_a_merged_role(separate):
    with pytest.raises(InvariantError, match="two functions"):
        split_role(separate, S, "sales-manager", "sales-manager")
