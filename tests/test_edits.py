"""Edits keep every invariant, refuse what would break one, and undo exactly."""

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.model import Person, Plan, Responsibility, Role
from planner.model.edits import (
    AddPerson,
    Batch,
    History,
    MovePerson,
    PutResponsibility,
    PutRole,
    RemovePerson,
    RemoveResponsibility,
    RemoveRole,
    SetSettings,
    UpdatePerson,
    add_dotted_line,
    assign_responsibility,
    assign_role,
    change_setting,
    remove_dotted_line,
    toggle_vacancy,
    unassign_responsibility,
    unassign_role,
    update_person,
)
from planner.model.errors import (
    BoundsError,
    CycleError,
    DuplicateIdError,
    InvariantError,
    PlanError,
    UnknownIdError,
)
from planner.model.rules import person_violations, plainly_valid
from planner.storage.layouts import load_layout

S = "current"


def undo_restores(plan: Plan, edit) -> Plan:
    """Apply an edit, check its inverse restores the plan exactly, and return the edited plan."""
    before = plan.copy()
    inverse = edit.apply(plan)
    after = plan.copy()
    assert after != before
    redo = inverse.apply(plan)
    assert plan == before
    redo.apply(plan)
    assert plan == after
    return plan


def test_add_person_under_a_manager(separate):
    plan = undo_restores(separate, AddPerson(S, Person("new", "Nia"), "sales-manager"))
    assert plan.scenario().manager_of("new") == "sales-manager"


def test_remove_person_moves_reports_up_and_undo_puts_them_back(separate):
    plan = undo_restores(separate, RemovePerson(S, "sales-manager"))
    org = plan.scenario()
    assert "sales-manager" not in org
    assert {f"sales-rep-{i}" for i in range(1, 5)} <= set(org.reports("owner"))


def test_remove_drops_dotted_lines_to_the_removed_person(growing):
    assert "head-of-sales" in growing.scenario().person("campaigns-1").dotted_managers
    plan = undo_restores(growing, RemovePerson(S, "head-of-sales"))
    assert plan.scenario().person("campaigns-1").dotted_managers == ()


def test_remove_turns_a_dotted_line_to_the_new_manager_into_the_solid_line(separate):
    edit = add_dotted_line(separate, S, "sales-rep-1", "owner")
    edit.apply(separate)
    plan = undo_restores(separate, RemovePerson(S, "sales-manager"))
    assert plan.scenario().manager_of("sales-rep-1") == "owner"
    assert plan.scenario().person("sales-rep-1").dotted_managers == ()


def test_move_to_another_manager(separate):
    plan = undo_restores(separate, MovePerson(S, "sales-rep-1", "marketing-manager"))
    assert plan.scenario().manager_of("sales-rep-1") == "marketing-manager"


def test_move_into_own_team_is_a_cycle_and_changes_nothing(separate):
    before = separate.copy()
    with pytest.raises(CycleError, match="loop"):
        MovePerson(S, "owner", "sales-rep-1").apply(separate)
    with pytest.raises(CycleError):
        MovePerson(S, "owner", "owner").apply(separate)
    assert separate == before


def test_move_to_unknown_manager_is_refused(separate):
    with pytest.raises(UnknownIdError):
        MovePerson(S, "sales-rep-1", "nobody").apply(separate)


def test_move_to_a_dotted_line_manager_makes_it_solid(separate):
    add_dotted_line(separate, S, "sales-rep-1", "owner").apply(separate)
    plan = undo_restores(separate, MovePerson(S, "sales-rep-1", "owner"))
    assert plan.scenario().person("sales-rep-1").dotted_managers == ()


@pytest.mark.parametrize("changes", [
    {"name": "Dana R."}, {"title": "Head of sales"}, {"capacity_hours": 30.0}, {"notes": "on leave in May"},
    {"archetype": "coach"},
])
def test_update_person_fields(separate, changes):
    plan = undo_restores(separate, update_person(separate, S, "sales-manager", **changes))
    person = plan.scenario().person("sales-manager")
    assert all(getattr(person, key) == value for key, value in changes.items())


@pytest.mark.parametrize(("changes", "error"), [
    ({"name": "  "}, BoundsError), ({"capacity_hours": float("nan")}, BoundsError),
    ({"capacity_hours": 0.0}, BoundsError), ({"capacity_hours": 500.0}, BoundsError),
    ({"roles": ("no-such-role",)}, UnknownIdError), ({"extra_responsibilities": ("nope",)}, UnknownIdError),
    ({"archetype": "boss"}, BoundsError), ({"dotted_managers": ("sales-manager",)}, BoundsError),
    ({"dotted_managers": ("owner",)}, BoundsError), ({"dotted_managers": ("ghost",)}, UnknownIdError),
    ({"roles": ("sales-rep", "sales-rep")}, DuplicateIdError),
])
def test_update_breaking_a_rule_raises_and_changes_nothing(separate, changes, error):
    before = separate.copy()
    with pytest.raises(error) as raised:
        update_person(separate, S, "sales-manager", **changes).apply(separate)
    assert isinstance(raised.value, PlanError) and raised.value.hint
    assert separate == before


def test_duplicate_id_is_refused(separate):
    with pytest.raises(DuplicateIdError):
        AddPerson(S, Person("owner", "Another"), None).apply(separate)


def test_assign_and_unassign_roles(separate):
    plan = undo_restores(separate, assign_role(separate, S, "sales-rep-1", "marketing-executive"))
    assert "campaigns" in plan.responsibilities_of(plan.scenario().person("sales-rep-1"))
    plan = undo_restores(plan, unassign_role(plan, S, "sales-rep-1", "sales-rep"))
    assert "prospecting" not in plan.responsibilities_of(plan.scenario().person("sales-rep-1"))


def test_unassigning_a_role_responsibility_drops_it_and_assigning_restores_it(separate):
    org = separate.scenario()
    plan = undo_restores(separate, unassign_responsibility(separate, S, "sales-manager", "sales-travel"))
    person = org.person("sales-manager")
    assert person.dropped_responsibilities == ("sales-travel",)
    assert "sales-travel" not in plan.responsibilities_of(person)
    assign_responsibility(plan, S, "sales-manager", "sales-travel").apply(plan)
    assert org.person("sales-manager").dropped_responsibilities == ()
    assert org.person("sales-manager").extra_responsibilities == ()


def test_assigning_a_responsibility_outside_the_roles_adds_it_as_extra(separate):
    plan = undo_restores(separate, assign_responsibility(separate, S, "sales-rep-1", "pricing"))
    assert plan.scenario().person("sales-rep-1").extra_responsibilities == ("pricing",)


def test_vacancy_and_dotted_lines_toggle(separate):
    plan = undo_restores(separate, toggle_vacancy(separate, S, "sales-rep-2"))
    assert plan.scenario().person("sales-rep-2").vacant
    plan = undo_restores(plan, add_dotted_line(plan, S, "sales-rep-2", "marketing-manager"))
    assert plan.scenario().person("sales-rep-2").dotted_managers == ("marketing-manager",)
    undo_restores(plan, remove_dotted_line(plan, S, "sales-rep-2", "marketing-manager"))


def test_catalog_edits_and_their_guards(separate):
    plan = undo_restores(separate, PutResponsibility(Responsibility("events", "Run trade shows", "marketing", 5)))
    plan = undo_restores(plan, PutResponsibility(replace(plan.catalog.responsibilities["pricing"], hours=9)))
    plan = undo_restores(plan, PutRole(Role("events-lead", "Events lead", "marketing", ("events",))))
    with pytest.raises(InvariantError, match="still used"):
        RemoveResponsibility("events").apply(plan)
    with pytest.raises(InvariantError, match="still used"):
        RemoveRole("sales-rep").apply(plan)
    with pytest.raises(UnknownIdError):
        PutRole(Role("bad", "Bad", "sales", ("missing",))).apply(plan)
    with pytest.raises(BoundsError):
        PutRole(replace(plan.catalog.roles["sales-manager"], combines=("marketing-manager",), function="")).apply(plan)
    assert plan.catalog.roles["sales-manager"].combines == ()


def test_settings_change_and_bounds(separate):
    plan = undo_restores(separate, change_setting(separate, "coordination_hours", 3.0))
    assert plan.settings.coordination_hours == 3.0
    with pytest.raises(BoundsError):
        change_setting(plan, "critical_hours", 40.0).apply(plan)
    with pytest.raises(BoundsError):
        SetSettings(replace(plan.settings, switching_rate=float("inf"))).apply(plan)
    with pytest.raises(UnknownIdError):
        change_setting(plan, "speed", 1)


def test_a_failing_batch_rolls_back_the_steps_before_it(separate):
    before = separate.copy()
    batch = Batch((MovePerson(S, "sales-rep-1", "owner"), MovePerson(S, "owner", "sales-rep-2")))
    with pytest.raises(CycleError):
        batch.apply(separate)
    assert separate == before


def test_history_undo_redo_and_dirty_flag(separate):
    history = History(separate)
    before = separate.copy()
    assert not history.dirty and history.undo() is None
    history.apply(MovePerson(S, "sales-rep-1", "owner"))
    history.apply(UpdatePerson(S, replace(separate.scenario().person("owner"), name="Sam P.")))
    middle = separate.copy()
    history.mark_saved()
    assert history.undo() == "edit Sam P."
    assert history.dirty
    assert history.undo() == "move sales-rep-1"
    assert separate == before and history.dirty and not history.can_undo
    assert history.redo() and history.redo()
    assert separate == middle and not history.dirty
    history.undo()
    history.apply(toggle_vacancy(separate, S, "owner"))
    assert not history.can_redo


@given(st.builds(
    Person,
    id=st.sampled_from(["a", "b c", "", "x" * 70, "ok-1", "owner"]),
    name=st.text(max_size=5) | st.sampled_from(["Ana", " ", "x" * 201]),
    title=st.text(max_size=5),
    roles=st.lists(st.sampled_from(["sales-rep", "nope", "owner"]), max_size=3).map(tuple),
    notes=st.text(max_size=5),
    capacity_hours=st.none() | st.sampled_from([0.0, -1.0, 20.0, 168.0, 169.0, float("nan"), float("inf")]),
    archetype=st.none() | st.sampled_from(["coach", "nope"]),
    dotted_managers=st.lists(st.sampled_from(["owner", "sales-manager", "a", "nobody"]), max_size=3).map(tuple),
))
def test_the_quick_check_never_passes_a_person_the_full_check_refuses(person):
    plan = load_layout("separate")
    if plainly_valid(plan, plan.scenario(), person):
        assert list(person_violations(plan, plan.scenario(), person)) == []
