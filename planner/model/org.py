"""An Org: the people of one scenario in a networkx.DiGraph, edge manager -> report."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter

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
    """Someone in the org, or an open position when `vacant`."""

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
        chain = []
        manager = self.manager_of(person_id)
        while manager is not None and manager not in chain:
            chain.append(manager)
            manager = self.manager_of(manager)
        return chain

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

    def put(self, person: Person) -> None:
        """Add or replace a person, keeping their reporting lines."""
        if person.id not in self.graph:
            self.shape_version += 1
        self.graph.add_node(person.id, person=person)

    def set_manager(self, person_id: str, manager_id: str | None) -> None:
        """Make `manager_id` the person's only solid-line manager (None: no manager)."""
        self.graph.remove_edges_from(list(self.graph.in_edges(person_id)))
        if manager_id is not None:
            self.graph.add_edge(manager_id, person_id)
        self.shape_version += 1

    def add_reporting_lines(self, lines: Iterable[tuple[str, str]]) -> None:
        """Add (manager, report) lines in bulk, for people who have no manager yet (loading a file)."""
        self.graph.add_edges_from(lines)
        self.shape_version += 1

    def clear(self) -> None:
        """Remove everyone, one person at a time: a thread dropping a big org at once would hold the interpreter."""
        self.graph.remove_nodes_from(list(self.graph))
        self.shape_version += 1

    def discard(self, person_id: str) -> None:
        """Remove a person and every reporting line that touches them."""
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
        org = Org()
        org.graph.add_nodes_from((person.id, {"person": person}) for person in self.people)
        org.add_reporting_lines((manager, person_id) for person_id, manager in zip(self.ids, self.managers)
                                if manager is not None)
        return org
