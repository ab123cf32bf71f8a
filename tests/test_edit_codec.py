"""Every edit type survives the trip to plain data (JSON and TOML) and back, and means the same after it."""

from __future__ import annotations

import json
import tomllib
from dataclasses import replace

import pytest
import tomli_w

from planner.model import Person, Plan, Responsibility, Role
from planner.model.edit_codec import EDIT_TYPES, UnreadableEdit, decode_edit, encode_edit
from planner.model.edits import (
    AddPerson,
    Batch,
    Edit,
    MovePerson,
    PutResponsibility,
    PutRole,
    RemovePerson,
    RemoveResponsibility,
    RemoveRole,
    SetSettings,
    UpdatePerson,
    change_setting,
)
from planner.model.scenarios import AddScenario, RemoveScenario, RenameScenario, RestoreScenario, merge_roles
from planner.storage.layouts import load_layout

S = "current"


def _all_edit_classes() -> set[type]:
    """Every kind of edit that is made: the leaves of the class tree (bases such as ScenarioEdit never are)."""
    found, pending = set(), list(Edit.__subclasses__())
    while pending:
        kind = pending.pop()
        if not kind.__subclasses__():
            found.add(kind)
        pending.extend(kind.__subclasses__())
    return found


def samples(plan: Plan) -> list[Edit]:
    """One edit of every type, with empty and None fields, nested batches and a whole scenario among them.

    They apply one after the other to `base()`.
    """
    owner = plan.scenario().person("owner")
    rich = replace(owner, capacity_hours=37.5, archetype="coach", notes="line one\nline two",
                   dotted_managers=("operations-assistant",), extra_responsibilities=("sales-plans",))
    restore = RemoveScenario("spare").apply(plan.copy())
    return [
        merge_roles(plan, S, "owner", "sales-marketing-manager", "leave", into="merged"),
        AddPerson(S, Person("nia", "Nia [bold]Ode", vacant=True), None),
        AddPerson(S, Person("ola", "Ola"), "owner"),
        MovePerson(S, "sales-rep-1", None),
        MovePerson(S, "sales-rep-1", "owner"),
        UpdatePerson(S, rich, "edit"),
        PutResponsibility(Responsibility("pitch", "Pitch", "sales", 2.5, "the team", 0.5)),
        RemoveResponsibility("pitch"),
        PutRole(Role("closer", "Closer", "sales", ("sales-plans",), manager=True, note="hunts")),
        RemoveRole("closer"),
        change_setting(plan, "coordination_hours", 3.0),
        SetSettings(plan.settings),
        Batch((MovePerson(S, "sales-rep-1", "ola"), Batch((RemovePerson(S, "sales-rep-2"),), "inner")), "outer"),
        RemovePerson(S, "sales-rep-1"),
        AddScenario("copy", S),
        AddScenario("blank"),
        RemoveScenario("spare"),
        restore,
        RenameScenario(S, "today"),
    ]


def base() -> Plan:
    """The merged layout with a second scenario, "spare", to remove and restore."""
    plan = load_layout("merged")
    AddScenario("spare", S).apply(plan)
    return plan


def test_the_codec_knows_every_edit_type():
    assert set(EDIT_TYPES) == _all_edit_classes()


def test_the_samples_cover_every_edit_type():
    assert {type(edit) for edit in samples(base())} == set(EDIT_TYPES)


@pytest.mark.parametrize("index", range(len(samples(base()))))
def test_an_edit_comes_back_equal_through_json_and_toml(index):
    edit = samples(base())[index]
    data = encode_edit(edit)
    assert decode_edit(json.loads(json.dumps(data))) == edit
    assert decode_edit(tomllib.loads(tomli_w.dumps({"edit": data}))["edit"]) == edit


def test_a_scenario_comes_back_with_its_people_in_order_and_its_reporting_lines():
    restore = RemoveScenario("spare").apply(base())
    back = decode_edit(json.loads(json.dumps(encode_edit(restore))))
    assert isinstance(back, RestoreScenario)
    assert [p.id for p in back.org.people()] == [p.id for p in restore.org.people()]
    assert back.org.manager_of("sales-rep-1") == restore.org.manager_of("sales-rep-1")


def test_a_decoded_edit_changes_a_plan_exactly_as_the_original():
    by_original, by_decoded = base(), base()
    for edit in samples(base()):
        edit.apply(by_original)
        decode_edit(json.loads(json.dumps(encode_edit(edit)))).apply(by_decoded)
        assert by_decoded == by_original and list(by_decoded.scenarios) == list(by_original.scenarios)


@pytest.mark.parametrize("data", [
    {"type": "Explode"},
    {"type": "MovePerson", "scenario": S, "person_id": "x", "surprise": 1},
    {"type": "Person", "id": "x", "name": "X"},
    {"type": "RestoreScenario", "name": "x", "index": 0,
     "org": {"type": "Org", "people": [], "lines": [["ghost", "nobody"]]}},
    "MovePerson",
    [],
])
def test_data_that_is_not_an_edit_is_refused(data):
    with pytest.raises(UnreadableEdit):
        decode_edit(data)
