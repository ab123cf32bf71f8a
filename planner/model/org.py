"""An Org: the people of one scenario in a networkx.DiGraph, edge manager -> report."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter
from typing import Any

import networkx as nx

# McKinsey manager archetypes and their recommended number of direct reports.
ARCHETYPES: dict[str, tuple[int, int | None]] = {
    "player-coach": (3, 5),
    "coach": (6, 7),
    "supervisor": (8, 10),
    "facilitator": (11, 15),
    "coordinator": (15, None),
}


@dataclass(frozen=True)
class Person:
    """Someone in the org, or an open position when `vacant`; `cost`, when set, is their yearly cost (over their role's)."""

    id: str
    name: str
    title: str = ""
    roles: tuple[str, ...] = ()
    extra_responsibilities: tuple[str, ...] = ()
    dropped_responsibilities: tuple[str, ...] = ()
    capacity_hours: float | None = None
    vacant: bool = False
    dotted_managers: tuple[str, ...] = ()
    archetype: str | None = None
    notes: str = ""
    cost: float | None = None

    @classmethod
    def from_fields(cls, fields: dict[str, Any]) -> Person:
        """The person holding `fields`, which must map every field, in order, to a value of its type (bulk loading).

        It takes the dict as the person's own, without `__init__`: a frozen dataclass sets each field
        through `object.__setattr__`, which costs as much as the rest of reading a person from a file.
        """
        person = object.__new__(cls)
        object.__setattr__(person, "__dict__", fields)
        return person


class Org:
    """The people of a scenario and who reports to whom.

    The mutators here do not check the plan's rules: change an Org through
    the edits in planner.model.edits, which do. The readers use the graph's
    adjacency dicts (`_node`, `_succ`, `_pred`) directly: networkx's views
    cost more than the analysis of a 100,000-person org can afford.
    """

    def __init__(self) -> None:
        self.graph = nx.DiGraph()
        self.shape_version = 0
        self._journal: list[str] = []
        self._journal_start = 0

    @classmethod
    def build(cls, people: Iterable[Person], lines: Iterable[tuple[str, str]]) -> Org:
        """An org of people with distinct ids and (manager, report) lines between them, made in bulk (loading a file).

        It fills the graph's dicts as networkx's own add_nodes_from and add_edges_from do, without
        their per-item checks, which cost more than reading the file.
        """
        org = cls()
        graph = org.graph
        nodes, succ, pred = graph._node, graph._succ, graph._pred
        for person in people:
            person_id = person.id
            nodes[person_id] = {"person": person}
            succ[person_id] = {}
            pred[person_id] = {}
        for manager, report in lines:
            succ[manager][report] = pred[report][manager] = {}
        return org

    def __contains__(self, person_id: object) -> bool:
        return person_id in self.graph

    def __len__(self) -> int:
        return len(self.graph)

    def __iter__(self) -> Iterator[str]:
        return iter(self.graph)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Org):
            return NotImplemented
        return self._people_map() == other._people_map() and set(self.graph.edges) == set(other.graph.edges)

    def __repr__(self) -> str:
        return f"Org({len(self)} people)"

    def _people_map(self) -> dict[str, Person]:
        return {node: data["person"] for node, data in self.graph.nodes(data=True)}

    def person(self, person_id: str) -> Person:
        """The person with this id (KeyError if there is none)."""
        person: Person = self.graph._node[person_id]["person"]
        return person

    def people(self) -> Iterator[Person]:
        """Every person, in insertion order."""
        for data in self.graph._node.values():
            yield data["person"]

    def manager_of(self, person_id: str) -> str | None:
        """The id of the person's solid-line manager, or None at the top."""
        manager: str | None = next(iter(self.graph._pred[person_id]), None)
        return manager

    def report_ids(self, person_id: str) -> Iterable[str]:
        """The ids of the person's direct reports, unsorted (a live view: do not change the org while reading)."""
        reports: Iterable[str] = self.graph._succ[person_id]
        return reports

    def reports(self, person_id: str) -> list[str]:
        """The ids of the person's direct reports, sorted."""
        return sorted(self.graph._succ[person_id])

    def span(self, person_id: str) -> int:
        """How many people report directly to this person."""
        return len(self.graph._succ[person_id])

    def team(self, person_id: str) -> set[str]:
        """Everyone below a person, at any depth."""
        team: set[str] = nx.descendants(self.graph, person_id)
        return team

    def roots(self) -> list[str]:
        """The ids of people with no manager, sorted."""
        return sorted(node for node, managers in self.graph._pred.items() if not managers)

    def chain_of_command(self, person_id: str) -> list[str]:
        """The person's managers from the direct one up to the top."""
        chain: list[str] = []
        seen = {person_id}
        manager = self.manager_of(person_id)
        while manager is not None and manager not in seen:
            chain.append(manager)
            seen.add(manager)
            manager = self.manager_of(manager)
        return chain

    def below_roots(self) -> list[str]:
        """The ids of everyone with a top of the org above them (or at the top), once each: all but those under a loop."""
        succ = self.graph._succ
        placed = [node for node, managers in self.graph._pred.items() if not managers]
        for person_id in placed:
            placed.extend(succ[person_id])
        return placed

    def tree_order(self) -> list[str]:
        """Every id, depth first from the roots, siblings sorted by id."""
        order: list[str] = []
        stack = list(reversed(self.roots()))
        while stack:
            person_id = stack.pop()
            order.append(person_id)
            stack.extend(reversed(self.reports(person_id)))
        return order

    def snapshot(self) -> OrgSnapshot:
        """The people and reporting lines as they are now, taken in C-speed passes that leave the collector idle."""
        graph = self.graph
        return OrgSnapshot(list(map(itemgetter("person"), graph._node.values())), list(graph._pred),
                           list(map(next, map(iter, graph._pred.values()), repeat(None))))

    def copy(self) -> Org:
        """An independent copy (people are immutable, so they are shared)."""
        twin = Org()
        twin.graph = self.graph.copy()
        return twin

    @property
    def version(self) -> int:
        """A counter that grows with every change to the org."""
        return self._journal_start + len(self._journal)

    def changed_since(self, version: int) -> set[str] | None:
        """The ids of the people changed since `version` (their fields, manager or reports), or None if unknown."""
        if version < self._journal_start or version > self.version:
            return None
        return set(self._journal[version - self._journal_start:])

    def _touch(self, *person_ids: str | None) -> None:
        """Record a change to these people; the journal is dropped once it outgrows the org."""
        if len(self._journal) > 64 + 2 * len(self.graph):
            self._journal_start += len(self._journal)
            self._journal = []
        self._journal.extend(person_id for person_id in person_ids if person_id is not None)

    def _touch_everyone(self) -> None:
        """Record a change too large to list: readers start afresh."""
        self._journal_start += len(self._journal) + 1
        self._journal = []

    def put(self, person: Person) -> None:
        """Add or replace a person, keeping their reporting lines."""
        if person.id not in self.graph:
            self.shape_version += 1
        self.graph.add_node(person.id, person=person)
        self._touch(person.id)

    def set_manager(self, person_id: str, manager_id: str | None) -> None:
        """Make `manager_id` the person's only solid-line manager (None: no manager)."""
        self._touch(person_id, self.manager_of(person_id), manager_id)
        self.graph.remove_edges_from(list(self.graph.in_edges(person_id)))
        if manager_id is not None:
            self.graph.add_edge(manager_id, person_id)
        self.shape_version += 1

    def add_reporting_lines(self, lines: Iterable[tuple[str, str]]) -> None:
        """Add (manager, report) lines in bulk, for people who have no manager yet (loading a file)."""
        self.graph.add_edges_from(lines)
        self.shape_version += 1
        self._touch_everyone()

    def clear(self) -> None:
        """Remove everyone, one person at a time: a thread dropping a big org at once would hold the interpreter."""
        self.graph.remove_nodes_from(list(self.graph))
        self.shape_version += 1
        self._touch_everyone()

    def discard(self, person_id: str) -> None:
        """Remove a person and every reporting line that touches them."""
        self._touch(person_id, self.manager_of(person_id), *self.graph._succ[person_id])
        self.graph.remove_node(person_id)
        self.shape_version += 1


@dataclass(frozen=True)
class OrgSnapshot:
    """An org as it was when `Org.snapshot` took it: its people, and each id with its manager."""

    people: list[Person]
    ids: list[str]
    managers: list[str | None]

    def org(self) -> Org:
        """The org again, built afresh (it shares only the immutable people)."""
        return Org.build(self.people, ((manager, person_id) for person_id, manager in zip(self.ids, self.managers)
                                       if manager is not None))
