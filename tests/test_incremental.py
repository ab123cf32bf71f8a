"""The Analyser patches its last analysis after an edit instead of redoing it, and gets what a fresh one gets."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.analysis import analyse, report
from planner.analysis.report import Analyser, Analysis
from planner.model import Org, Person, Plan
from planner.model.edits import (
    AddPerson,
    History,
    MovePerson,
    PutRole,
    RemovePerson,
    change_setting,
    update_person,
)
from planner.model.errors import PlanError

from .strategies import edits, plans

S = "current"


def assert_same(patched: Analysis, fresh: Analysis) -> None:
    """Equal analyses, people in the same reporting order."""
    assert patched == fresh
    assert list(patched.people) == list(fresh.people)


@given(plan=plans(max_people=10), data=st.data())
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_analysis_patched_after_random_edits_is_a_fresh_analysis(plan, data):
    analyser, history = Analyser(), History(plan)
    for name in plan.scenarios:
        assert_same(analyser.analyse(plan, name), analyse(plan, name))
    for _ in range(data.draw(st.integers(1, 20), label="steps")):
        scenario = data.draw(st.sampled_from(list(plan.scenarios)), label="scenario edited")
        step = data.draw(st.sampled_from(["edit"] * 6 + ["undo", "redo", "setting", "catalog"]), label="step")
        try:
            if step == "undo":
                history.undo()
            elif step == "redo":
                history.redo()
            elif step == "setting":
                history.apply(change_setting(plan, "coordination_hours", data.draw(st.sampled_from([0.0, 2.0, 4.0]))))
            elif step == "catalog":
                role = plan.catalog.roles["sales-rep"]
                history.apply(PutRole(replace(role, manager=not role.manager)))
            else:
                history.apply(data.draw(edits(plan, scenario), label="edit"))
        except PlanError:
            pass
        shown = data.draw(st.sampled_from(list(plan.scenarios)), label="scenario analysed")
        assert_same(analyser.analyse(plan, shown), analyse(plan, shown))



def changed_results(earlier: Analysis, later: Analysis) -> set[str]:
    """The ids whose result object differs between two analyses (an id in one only counts)."""
    ids = set(earlier.people) | set(later.people)
    return {pid for pid in ids if earlier.people.get(pid) is not later.people.get(pid)}


@given(plan=plans(max_people=10), data=st.data())
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_an_analysis_names_every_person_whose_result_changed_since_an_earlier_one(plan, data):
    analyser, history = Analyser(), History(plan)
    name = next(iter(plan.scenarios))
    seen = [analyser.analyse(plan, name)]
    for _ in range(data.draw(st.integers(1, 12), label="steps")):
        step = data.draw(st.sampled_from(["edit"] * 4 + ["undo", "redo"]), label="step")
        try:
            if step == "edit":
                history.apply(data.draw(edits(plan, name), label="edit"))
            else:
                (history.undo if step == "undo" else history.redo)()
        except PlanError:
            pass
        later = analyser.analyse(plan, name)
        for earlier in seen:
            changed = later.changed_since(earlier)
            assert changed is None or changed >= changed_results(earlier, later), "someone changed back counts too"
        seen.append(later)
    assert seen[-1].changed_since(analyse(plan, name)) is None, "an analysis by another analyser is unknown"

def wide_plan(people: int = 2_000, span: int = 8) -> Plan:
    """A tree of `people` with `span` reports each, a manager role every other layer."""
    org = Org()
    for index in range(people):
        roles = ("sales-manager",) if index % 3 == 0 else ("sales-rep",)
        org.put(Person(f"p{index:05d}", f"Person {index}", roles=roles, vacant=index % 50 == 7))
        if index:
            org.set_manager(f"p{index:05d}", f"p{(index - 1) // span:05d}")
    return Plan("Wide", scenarios={S: org})


def chain_plan(depth: int) -> Plan:
    """One line of `depth` people, each the only report of the one above."""
    org = Org()
    for index in range(depth):
        org.put(Person(f"c{index}", f"Chain {index}", roles=("sales-manager",)))
        if index:
            org.set_manager(f"c{index}", f"c{index - 1}")
    return Plan("Chain", scenarios={S: org})


def no_walk_over_the_org(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make any walk over the whole org fail, and list the people whose result the Analyser looks at."""
    looked_at: list[str] = []
    original = Analyser._person

    def person(self, plan, state, person_id):
        looked_at.append(person_id)
        return original(self, plan, state, person_id)

    def walk(*args, **kwargs):
        raise AssertionError("the whole org was walked again")

    monkeypatch.setattr(Analyser, "_person", person)
    monkeypatch.setattr(Org, "tree_order", walk)
    monkeypatch.setattr(report, "team_sizes", walk)
    return looked_at


@pytest.mark.parametrize("edit", [
    lambda plan: update_person(plan, S, "p01234", name="Renamed"),
    lambda plan: MovePerson(S, "p01234", "p00003"),
    lambda plan: MovePerson(S, "p00020", "p00150"),
    lambda plan: MovePerson(S, "p00500", None),
    lambda plan: AddPerson(S, Person("new", "New", roles=("sales-rep",)), "p00100"),
    lambda plan: RemovePerson(S, "p01999"),
    lambda plan: update_person(plan, S, "p00001", roles=("sales-manager",)),
], ids=["rename", "move", "move a team", "move to the top", "add", "remove a leaf", "change roles"])
def test_an_edit_costs_what_it_changes_not_the_size_of_the_org(edit, monkeypatch):
    plan = wide_plan()
    analyser = Analyser()
    analyser.analyse(plan)
    with monkeypatch.context() as patched:
        looked_at = no_walk_over_the_org(patched)
        edit(plan).apply(plan)
        after = analyser.analyse(plan)
    assert len(looked_at) <= 20
    assert_same(after, analyse(plan))


def test_a_move_in_a_deep_chain_redoes_only_the_teams_between_the_two_managers(monkeypatch):
    plan = chain_plan(3_000)
    AddPerson(S, Person("x", "Side"), "c10").apply(plan)
    analyser = Analyser()
    analyser.analyse(plan)
    with monkeypatch.context() as patched:
        looked_at = no_walk_over_the_org(patched)
        MovePerson(S, "x", "c2000").apply(plan)
        after = analyser.analyse(plan)
    assert set(looked_at) == {"x"} | {f"c{index}" for index in range(10, 2_001)}
    assert_same(after, analyse(plan))


def test_unchanged_people_keep_their_result_and_the_previous_analysis_stays_as_it_was():
    plan = wide_plan(300)
    analyser = Analyser()
    before = analyser.analyse(plan)
    snapshot = (list(before.people), dict(before.people.items()), before.health, before.shape)
    MovePerson(S, "p00250", "p00001").apply(plan)
    after = analyser.analyse(plan)
    assert after.people["p00299"] is before.people["p00299"]
    assert after.people["p00250"] is not before.people["p00250"]
    assert after.changed_since(before) == changed_results(before, after) and "p00250" in changed_results(before, after)
    assert (list(before.people), dict(before.people.items()), before.health, before.shape) == snapshot


def test_an_unchanged_scenario_gives_back_the_same_analysis_for_the_team_view_and_compare():
    plan = wide_plan(300)
    analyser = Analyser()
    first = analyser.analyse(plan)
    assert analyser.analyse(plan) is first
    update_person(plan, S, "p00010", name="Renamed").apply(plan)
    second = analyser.analyse(plan)
    assert second is not first and analyser.analyse(plan) is second


def test_after_more_changes_than_the_journal_keeps_the_analysis_starts_afresh():
    plan = wide_plan(40)
    org = plan.scenario()
    analyser = Analyser()
    analyser.analyse(plan)
    version = org.version
    for index in range(200):
        update_person(plan, S, f"p{index % 40:05d}", name=f"Name {index}").apply(plan)
    assert org.changed_since(version) is None
    assert org.changed_since(org.version) == set()
    assert_same(analyser.analyse(plan), analyse(plan))


def test_an_org_emptied_at_once_is_analysed_afresh():
    plan = wide_plan(50)
    analyser = Analyser()
    analyser.analyse(plan)
    plan.scenario().clear()
    assert_same(analyser.analyse(plan), analyse(plan))
    assert analyser.analyse(plan).shape.headcount == 0
