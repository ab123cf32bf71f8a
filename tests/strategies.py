"""Hypothesis strategies: random valid plans built through the model's own rules."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import strategies as st

from planner.model import (
    ARCHETYPES,
    Org,
    Person,
    Plan,
    Responsibility,
    Settings,
    default_catalog,
)
from planner.model.edits import AddPerson, MovePerson, RemovePerson, UpdatePerson
from planner.model.text import clean_line, clean_multiline

ids = st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True)
one_line = st.text(max_size=40).map(clean_line).filter(lambda text: text.strip())
free_text = st.text(max_size=80).map(clean_multiline)
hours = st.floats(min_value=0, max_value=60, allow_nan=False).map(lambda value: round(value, 2))
costs = st.one_of(st.none(), st.floats(min_value=0, max_value=250_000, allow_nan=False).map(lambda value: round(value, 2)))


@st.composite
def settings(draw) -> Settings:
    """Settings within bounds, thresholds in rising order."""
    bands = sorted(draw(st.lists(st.floats(20, 100).map(lambda v: round(v, 1)), min_size=2, max_size=2)))
    return Settings(
        capacity_hours=draw(st.sampled_from([40.0, 37.5, 20.0, 45.0])),
        switching_rate=draw(st.floats(0, 1).map(lambda v: round(v, 3))),
        overloaded_hours=bands[0], critical_hours=bands[1],
        coordination_hours=draw(st.floats(0, 5).map(lambda v: round(v, 2))),
        assumption_spread=draw(st.floats(0, 0.9).map(lambda v: round(v, 2))),
        currency=draw(st.sampled_from(["", "GBP", "€"])),
        cost_note=draw(st.sampled_from(["", "illustrative", "2027 budget: [bold]draft[/]"])),
    )


@st.composite
def orgs(draw, plan: Plan, max_people: int = 12) -> Org:
    """A forest of people with roles, responsibilities and dotted lines that keep every rule."""
    org = Org()
    people_ids = draw(st.lists(ids, unique=True, max_size=max_people))
    roles = sorted(plan.catalog.roles)
    items = sorted(plan.catalog.responsibilities)
    for index, person_id in enumerate(people_ids):
        person = Person(
            id=person_id,
            name=draw(one_line),
            title=draw(st.one_of(st.just(""), one_line)),
            roles=tuple(draw(st.lists(st.sampled_from(roles), unique=True, max_size=2))),
            extra_responsibilities=tuple(draw(st.lists(st.sampled_from(items), unique=True, max_size=2))),
            dropped_responsibilities=tuple(draw(st.lists(st.sampled_from(items), unique=True, max_size=2))),
            capacity_hours=draw(st.one_of(st.none(), st.sampled_from([20.0, 32.5, 40.0, 60.0]))),
            vacant=draw(st.booleans()),
            archetype=draw(st.one_of(st.none(), st.sampled_from(sorted(ARCHETYPES)))),
            notes=draw(free_text),
            cost=draw(costs),
        )
        org.put(person)
        if index and draw(st.booleans()):
            org.set_manager(person_id, draw(st.sampled_from(people_ids[:index])))
    for person_id in people_ids:
        solid = org.manager_of(person_id)
        others = [other for other in people_ids if other not in (person_id, solid)]
        if others and draw(st.integers(0, 3)) == 0:
            org.put(replace(org.person(person_id), dotted_managers=(draw(st.sampled_from(others)),)))
    return org


@st.composite
def plans(draw, max_people: int = 12) -> Plan:
    """A valid plan: random settings, an extra catalog item, one to three scenarios."""
    catalog = default_catalog()
    extra = Responsibility("custom-" + draw(ids), draw(one_line), draw(st.sampled_from(["sales", "legal"])), draw(hours),
                           hours_per_report=draw(st.sampled_from([0.0, 0.25, 2.0])))
    catalog.responsibilities[extra.id] = extra
    for role_id in draw(st.lists(st.sampled_from(sorted(catalog.roles)), unique=True, max_size=3)):
        catalog.roles[role_id] = replace(catalog.roles[role_id], cost=draw(costs))
    plan = Plan(draw(one_line), draw(free_text), draw(settings()), catalog, {})
    for name in draw(st.lists(one_line, min_size=1, max_size=3, unique=True)):
        plan.scenarios[name] = draw(orgs(plan, max_people))
    return plan


@st.composite
def edits(draw, plan: Plan, scenario: str):
    """An edit of the plan as it stands: add, remove, move, rename, change roles, hours, vacancy or dotted lines.

    Some of them break a rule (a loop, an unknown id): applying those raises and changes nothing.
    """
    org = plan.scenario(scenario)
    people = sorted(org)
    managers = st.one_of(st.none(), st.sampled_from(people)) if people else st.none()
    if not people or draw(st.integers(0, 5)) == 0:
        roles = tuple(draw(st.lists(st.sampled_from(sorted(plan.catalog.roles)), unique=True, max_size=2)))
        person = Person(draw(ids.filter(lambda new: new not in org)), draw(one_line), roles=roles,
                        vacant=draw(st.booleans()))
        return AddPerson(scenario, person, draw(managers))
    person_id = draw(st.sampled_from(people))
    person = org.person(person_id)
    kind = draw(st.sampled_from(["remove", "move", "move", "rename", "roles", "capacity", "vacancy", "dotted"]))
    if kind == "remove":
        return RemovePerson(scenario, person_id)
    if kind == "move":
        return MovePerson(scenario, person_id, draw(managers))
    changes = {
        "rename": lambda: {"name": draw(one_line)},
        "roles": lambda: {"roles": tuple(draw(st.lists(st.sampled_from(sorted(plan.catalog.roles)), unique=True,
                                                       max_size=2)))},
        "capacity": lambda: {"capacity_hours": draw(st.one_of(st.none(), st.sampled_from([10.0, 30.0, 60.0])))},
        "vacancy": lambda: {"vacant": not person.vacant},
        "dotted": lambda: {"dotted_managers": tuple(draw(st.lists(st.sampled_from(people), unique=True, max_size=1)))},
    }[kind]()
    return UpdatePerson(scenario, replace(person, **changes), kind)
