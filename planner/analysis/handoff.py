"""The hand-off plan: which whole responsibilities to move from overloaded people to people with slack.

It is a min-cost flow on a networkx graph: each giver's hours above their own week flow through
their responsibilities to the slack of people who are ok, cheapest where the receiver works in the
responsibility's function, then inside the giver's team, then anywhere, and dearer where the receiver
would pay a switching cost. The flow is rounded to whole responsibilities, each checked with the
real load function (`person_load`) on a scratch copy of the scenario, and solved again on what is
left until nothing more moves; moves a giver turns out not to need are then taken back.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from planner.analysis.load import Band, HeldResponsibility, Load, counterpart, person_load
from planner.analysis.report import Analyser, Analysis
from planner.model.catalog import PAIRED_FUNCTIONS
from planner.model.edits import Batch, Edit, UpdatePerson, assign_responsibility, unassign_responsibility
from planner.model.errors import UnknownIdError
from planner.model.org import Person
from planner.model.plan import Plan
from planner.model.scenarios import AddScenario
from planner.model.settings import Settings

DEFAULT_INTO = "handoff"
GIVING_BANDS = frozenset({Band.OVERLOADED, Band.CRITICAL})
SAME_FUNCTION, SAME_TEAM, ELSEWHERE = 0, 1, 2
UNITS = 100  # flow units per hour: networkx's flow needs whole numbers
_TIER_COST = (10, 20, 30)  # per unit moved, by tier
_SWITCHING_COST = 5  # per unit, when the receiver pays a switching cost
_NO_SAVING_COST = 2  # per unit, when moving the item saves the giver no switching
_PRIORITY_COST = 1000  # per unit and rank: the givers nearest to ok are served first
_SOURCE, _SINK = ("source",), ("sink",)
_EPSILON = 1e-6


@dataclass(frozen=True)
class Move:
    """One whole responsibility moved from a giver to a receiver, with the reason in one line."""

    responsibility: str
    title: str
    hours: float
    giver: str
    receiver: str
    tier: int
    switching_hours: float
    slack_hours: float
    reason: str


@dataclass(frozen=True)
class PersonChange:
    """A giver or receiver before and after the moves."""

    id: str
    name: str
    capacity_hours: float
    before_hours: float
    after_hours: float
    before_band: Band
    after_band: Band


@dataclass(frozen=True)
class HandOff:
    """The proposed moves, everyone's band before and after, and what is still over."""

    plan_name: str
    scenario: str
    givers: tuple[str, ...]
    moves: tuple[Move, ...]
    shares: tuple[str, ...]
    before: dict[str, Band]
    after: dict[str, Band]
    changes: tuple[PersonChange, ...]
    shortfall_hours: float
    recommendation: str
    people: tuple[Person, ...]

    def edit(self, into: str = DEFAULT_INTO) -> Edit:
        """One undoable edit: a new scenario `into`, a copy of the one advised on, with the moves made."""
        updates = tuple(UpdatePerson(into, person, "hand off work of") for person in self.people)
        count = len(self.moves)
        return Batch((AddScenario(into, self.scenario), *updates),
                     f"hand off {count} responsibilit{'y' if count == 1 else 'ies'} into {into}")


class _Workspace:
    """A scratch copy of the scenario where moves are made and every load comes from `person_load`."""

    def __init__(self, plan: Plan, analysis: Analysis) -> None:
        self.scenario = analysis.scenario
        org = plan.scenario(self.scenario).copy()
        self.plan = Plan(plan.name, plan.description, plan.settings, plan.catalog, {self.scenario: org})
        self.org = org
        self.results = analysis.people
        self._partners: dict[str, str | None] = {}
        self._loads: dict[tuple[object, ...], Load] = {}

    def load(self, person: Person) -> Load:
        """The person's load as the analysis works it out, for their holdings in this workspace."""
        span = self.results[person.id].team.span
        partner = self._partner(person)
        key = (person.roles, person.extra_responsibilities, person.dropped_responsibilities, span,
               person.capacity_hours, partner)
        if key not in self._loads:
            self._loads[key] = person_load(self.plan, person, span, partner=partner)
        return self._loads[key]

    def _partner(self, person: Person) -> str | None:
        """The function whose manager the person coordinates with, as the analysis found it (roles never change)."""
        if person.id not in self._partners:
            manages = frozenset(self.plan.catalog.managed_functions(person.roles))
            found = self.results[person.id].load.coordination.applies
            self._partners[person.id] = counterpart(manages, frozenset(PAIRED_FUNCTIONS)) if found else None
        return self._partners[person.id]

    def slack(self, load: Load) -> float:
        """Hours a person could take on and stay ok."""
        return _slack(load, self.plan.settings)

    def over(self, load: Load) -> float:
        """Hours a person would have to shed to be ok (0 when ok)."""
        return _over(load, self.plan.settings)

    def current(self, person_id: str) -> Load:
        """The person's load now."""
        return self.load(self.org.person(person_id))

    def with_item(self, person_id: str, item_id: str) -> Load:
        """The person's load if they took on a responsibility."""
        return self.load(assign_responsibility(self.plan, self.scenario, person_id, item_id).person)

    def without_item(self, person_id: str, item_id: str) -> Load:
        """The person's load if they gave up a responsibility."""
        return self.load(unassign_responsibility(self.plan, self.scenario, person_id, item_id).person)

    def move(self, item_id: str, giver: str, receiver: str) -> None:
        """Make a move in the workspace."""
        unassign_responsibility(self.plan, self.scenario, giver, item_id).apply(self.plan)
        assign_responsibility(self.plan, self.scenario, receiver, item_id).apply(self.plan)

    def take_back(self, item_id: str, giver: str, receiver: str) -> None:
        """Undo a move in the workspace."""
        unassign_responsibility(self.plan, self.scenario, receiver, item_id).apply(self.plan)
        assign_responsibility(self.plan, self.scenario, giver, item_id).apply(self.plan)


@dataclass(frozen=True)
class _Made:
    """A move made in the workspace, with the tier it was chosen in."""

    item_id: str
    giver: str
    receiver: str
    tier: int


@dataclass(frozen=True)
class _Candidate:
    """A receiver who could take a responsibility whole, and what it would cost them."""

    receiver: str
    tier: int
    switching_hours: float


def hand_off(plan: Plan, analysis: Analysis, person_id: str | None = None) -> HandOff:
    """The hand-off plan for a scenario: from everyone overloaded or critical, or from one person above ok."""
    workspace = _Workspace(plan, analysis)
    givers = _givers(analysis, person_id)
    made: list[_Made] = []
    while True:
        flow = _solve(workspace, givers)
        moved = _round(workspace, givers, flow, only_flow=True) or _round(workspace, givers, flow, only_flow=False)
        if not moved:
            break
        made += moved
    return _result(plan, analysis, givers, _tidy(workspace, givers, made), person_id)


def _givers(analysis: Analysis, person_id: str | None) -> tuple[str, ...]:
    """Who should hand work off: the named person if above ok, else everyone overloaded or critical."""
    if person_id is not None:
        if person_id not in analysis.people:
            raise UnknownIdError(f"no person with id {person_id!r} in scenario {analysis.scenario!r}",
                                 "use an id from `planner report`")
        return (person_id,) if analysis.people[person_id].load.band is not Band.OK else ()
    return tuple(pid for pid, result in analysis.people.items() if result.load.band in GIVING_BANDS)


def _ok_limit(load: Load, settings: Settings) -> float:
    """The most a person can carry and stay ok: their own week, below the health limits."""
    return min(load.capacity_hours, settings.overloaded_hours, settings.critical_hours)


def _slack(load: Load, settings: Settings) -> float:
    """Hours a person could take on and stay ok."""
    return _ok_limit(load, settings) - load.demand_hours


def _over(load: Load, settings: Settings) -> float:
    """Hours a person would have to shed to be ok (0 when ok)."""
    if load.band is Band.OK:
        return 0.0
    return max(load.demand_hours - _ok_limit(load, settings), 1 / UNITS)


def _units(hours: float) -> int:
    return max(0, round(hours * UNITS))


def _movable(load: Load) -> list[HeldResponsibility]:
    """The responsibilities a person can hand over: fixed hours, not duties that come with their own team."""
    return [item for item in load.responsibilities if item.hours > 0 and not item.hours_per_report]


def _receivers(workspace: _Workspace, givers: tuple[str, ...]) -> list[str]:
    """People who are ok with hours to spare, most slack first (filled positions only)."""
    excluded = set(givers)
    ready = [(person.id, workspace.load(person)) for person in workspace.org.people()
             if not person.vacant and person.id not in excluded]
    return [pid for pid, load in sorted(ready, key=lambda pair: (-workspace.slack(pair[1]), pair[0]))
            if load.band is Band.OK and workspace.slack(load) > _EPSILON]


def _team(workspace: _Workspace, giver: str) -> set[str]:
    """Everyone below the giver, and the people who share their manager."""
    org = workspace.org
    manager = org.manager_of(giver)
    beside = set(org.report_ids(manager)) if manager is not None else set(org.roots())
    return org.team(giver) | beside - {giver}


def _tier(workspace: _Workspace, item: HeldResponsibility, receiver: str, team: set[str]) -> int:
    if item.function in {held.function for held in workspace.current(receiver).responsibilities}:
        return SAME_FUNCTION
    return SAME_TEAM if receiver in team else ELSEWHERE


def _candidates(workspace: _Workspace, item: HeldResponsibility, receivers: list[str], team: set[str],
                budget: float) -> list[_Candidate]:
    """Receivers who could take the item whole and stay ok, in each tier until their slack covers the budget."""
    found: list[list[_Candidate]] = [[], [], []]
    covered = [0.0, 0.0, 0.0]
    for receiver in receivers:
        tier = _tier(workspace, item, receiver, team)
        if covered[tier] >= budget:
            if min(covered) >= budget:
                break
            continue
        now = workspace.current(receiver)
        if item.id in {held.id for held in now.responsibilities}:
            continue
        after = workspace.with_item(receiver, item.id)
        if after.band is Band.OK:
            found[tier].append(_Candidate(receiver, tier, max(0.0, after.demand_hours - now.demand_hours - item.hours)))
            covered[tier] += workspace.slack(now)
    return [candidate for tier in found for candidate in tier]


def _still_giving(workspace: _Workspace, givers: tuple[str, ...]) -> list[str]:
    """The givers still above ok, those nearest to ok first."""
    over = [(giver, workspace.over(workspace.current(giver))) for giver in givers]
    return [giver for giver, hours in sorted(over, key=lambda pair: (pair[1], pair[0])) if hours > _EPSILON]


_Flow = dict[tuple[str, str], list[tuple[int, _Candidate]]]


def _solve(workspace: _Workspace, givers: tuple[str, ...]) -> _Flow:
    """The min-cost flow of the givers' excess hours to the receivers' slack: hours per (giver, item) and receiver."""
    giving = _still_giving(workspace, givers)
    receivers = _receivers(workspace, givers)
    if not giving or not receivers:
        return {}
    budget = sum(workspace.over(workspace.current(giver)) for giver in giving)
    graph = nx.DiGraph()
    offered: dict[tuple[str, str], list[_Candidate]] = {}
    for rank, giver in enumerate(giving):
        load = workspace.current(giver)
        graph.add_edge(_SOURCE, ("giver", giver), capacity=_units(workspace.over(load)), weight=rank * _PRIORITY_COST)
        team = _team(workspace, giver)
        for item in _movable(load):
            candidates = _candidates(workspace, item, receivers, team, budget + item.hours)
            if not candidates:
                continue
            offered[(giver, item.id)] = candidates
            saving = load.demand_hours - workspace.without_item(giver, item.id).demand_hours > item.hours + _EPSILON
            node = ("item", giver, item.id)
            graph.add_edge(("giver", giver), node, capacity=_units(item.hours), weight=0 if saving else _NO_SAVING_COST)
            for candidate in candidates:
                _add_receiver_edge(graph, node, candidate, _units(item.hours))
    for receiver in {candidate.receiver for candidates in offered.values() for candidate in candidates}:
        slack = workspace.slack(workspace.current(receiver))
        graph.add_edge(("switching", receiver), ("receiver", receiver),
                       capacity=_units(slack / (1 + workspace.plan.settings.switching_rate)), weight=0)
        graph.add_edge(("receiver", receiver), _SINK, capacity=_units(slack), weight=0)
    if _SINK not in graph:
        return {}
    flow = nx.max_flow_min_cost(graph, _SOURCE, _SINK)
    return {key: [(flow[("item", *key)].get(_entry(candidate), 0), candidate) for candidate in candidates]
            for key, candidates in offered.items()}


def _entry(candidate: _Candidate) -> tuple[str, str]:
    """The node an item's hours reach a receiver by: through their switching-cost node when they pay one."""
    return ("switching" if candidate.switching_hours > _EPSILON else "receiver", candidate.receiver)


def _add_receiver_edge(graph: nx.DiGraph, node: tuple[str, ...], candidate: _Candidate, capacity: int) -> None:
    switching = _SWITCHING_COST if candidate.switching_hours > _EPSILON else 0
    graph.add_edge(node, _entry(candidate), capacity=capacity, weight=_TIER_COST[candidate.tier] + switching)


def _round(workspace: _Workspace, givers: tuple[str, ...], flow: _Flow, only_flow: bool) -> list[_Made]:
    """Whole responsibilities from the flow, each to the first receiver it fits whole, most flow first.

    With `only_flow`, only the pairs the flow chose; without, any candidate, so an item the flow could
    only split still finds a receiver it fits.
    """
    order = {giver: rank for rank, giver in enumerate(_still_giving(workspace, givers))}
    sizes = {item.id: item.hours for giver in order for item in workspace.current(giver).responsibilities}

    def flowing(key: tuple[str, str]) -> int:
        return sum(units for units, _ in flow[key])

    made: list[_Made] = []
    for giver, item_id in sorted(flow, key=lambda key: (order[key[0]], not flowing(key), -sizes[key[1]], key[1])):
        if workspace.current(giver).band is Band.OK:
            continue
        ranked = [candidate for units, candidate in sorted(flow[(giver, item_id)], key=lambda edge: -edge[0])
                  if units or not only_flow]
        chosen = next((candidate for candidate in ranked if _fits(workspace, candidate.receiver, item_id)), None)
        if chosen is not None:
            workspace.move(item_id, giver, chosen.receiver)
            made.append(_Made(item_id, giver, chosen.receiver, chosen.tier))
    return made


def _fits(workspace: _Workspace, receiver: str, item_id: str) -> bool:
    """Whether the receiver, as they are now, can take the item whole and stay ok."""
    held = {item.id for item in workspace.current(receiver).responsibilities}
    return item_id not in held and workspace.with_item(receiver, item_id).band is Band.OK


def _tidy(workspace: _Workspace, givers: tuple[str, ...], made: list[_Made]) -> list[_Made]:
    """Take back the moves a giver who ends ok does not need, least preferred and largest first."""
    hours = workspace.plan.catalog.responsibilities
    kept = list(made)
    for giver in givers:
        if workspace.current(giver).band is not Band.OK:
            continue
        mine = sorted((move for move in kept if move.giver == giver),
                      key=lambda move: (-move.tier, -hours[move.item_id].hours, move.item_id))
        for move in mine:
            workspace.take_back(move.item_id, move.giver, move.receiver)
            if workspace.current(giver).band is Band.OK:
                kept.remove(move)
            else:
                workspace.move(move.item_id, move.giver, move.receiver)
    return kept


def _result(plan: Plan, analysis: Analysis, givers: tuple[str, ...], made: list[_Made],
            person_id: str | None) -> HandOff:
    """Replay the kept moves in order on a fresh copy, to word each one and to analyse the outcome."""
    workspace = _Workspace(plan, analysis)
    catalog = plan.catalog.responsibilities
    ordered = sorted(made, key=lambda move: (givers.index(move.giver), move.tier, move.receiver,
                                             -catalog[move.item_id].hours, move.item_id))
    moves = []
    for move in ordered:
        before = workspace.current(move.receiver)
        switching = max(0.0, workspace.with_item(move.receiver, move.item_id).demand_hours - before.demand_hours
                        - catalog[move.item_id].hours)
        moves.append(_word(workspace, move, workspace.slack(before), switching))
        workspace.move(move.item_id, move.giver, move.receiver)
    after = Analyser().analyse(workspace.plan, analysis.scenario)
    involved = list(dict.fromkeys([*givers, *(move.receiver for move in ordered)]))
    changes = tuple(_change(analysis, after, pid) for pid in analysis.people if pid in involved)
    shortfall = sum(_over(after.people[giver].load, plan.settings) for giver in givers)
    changed = {pid for move in ordered for pid in (move.giver, move.receiver)}
    return HandOff(
        analysis.plan_name, analysis.scenario, givers, tuple(moves), _shares(workspace, givers),
        {pid: result.load.band for pid, result in analysis.people.items()},
        {pid: result.load.band for pid, result in after.people.items()},
        changes, shortfall, _recommendation(plan, after, givers, moves, person_id),
        tuple(workspace.org.person(pid) for pid in analysis.people if pid in changed),
    )


def _hours(hours: float) -> str:
    """Hours as people write them: 3, 2.5, 21.7."""
    return f"{round(hours, 1):g}"


def _word(workspace: _Workspace, move: _Made, slack: float, switching: float) -> Move:
    """The move with its reason: "sales-data (2 h) from Jordan Blake to Priya Shah: same function, ..."."""
    item = workspace.plan.catalog.responsibilities[move.item_id]
    giver, receiver = (workspace.org.person(pid).name for pid in (move.giver, move.receiver))
    if move.tier == SAME_FUNCTION:
        why = "same function"
    elif move.tier == SAME_TEAM:
        below = move.receiver in workspace.org.team(move.giver)
        why = f"in {giver}'s team" if below else f"works beside {giver}"
    else:
        why = f"another function, outside {giver}'s team"
    if switching > _EPSILON:
        why += f", +{_hours(switching)} h switching for {receiver}"
    reason = (f"{item.id} ({_hours(item.hours)} h) from {giver} to {receiver}: {why}, "
              f"{receiver} has {_hours(slack)} h of slack")
    return Move(item.id, item.title, item.hours, move.giver, move.receiver, move.tier, switching, slack, reason)


def _change(before: Analysis, after: Analysis, person_id: str) -> PersonChange:
    old, new = before.people[person_id], after.people[person_id]
    return PersonChange(person_id, old.name, old.load.capacity_hours, old.load.demand_hours, new.load.demand_hours,
                        old.load.band, new.load.band)


def _shares(workspace: _Workspace, givers: tuple[str, ...]) -> tuple[str, ...]:
    """For givers still over: the responsibilities no one can take whole but a share of which would fit."""
    receivers = _receivers(workspace, givers)
    notes = []
    for giver in givers:
        load = workspace.current(giver)
        if load.band is Band.OK or not receivers:
            continue
        name = workspace.org.person(giver).name
        best = receivers[0]
        slack = workspace.slack(workspace.current(best))
        for item in sorted(_movable(load), key=lambda item: (-item.hours, item.id)):
            if item.hours > slack and not any(_fits(workspace, receiver, item.id) for receiver in receivers):
                notes.append(f"{item.id} ({_hours(item.hours)} h) from {name} would fit only in part: "
                             f"{workspace.org.person(best).name} has the most slack, {_hours(slack)} h")
    return tuple(notes)


def _recommendation(plan: Plan, after: Analysis, givers: tuple[str, ...], moves: list[Move],
                    person_id: str | None) -> str:
    """What to do, in one sentence."""
    if not givers:
        who = "nobody is overloaded or critical" if person_id is None else f"{after.people[person_id].name} is ok"
        return f"{who}: nothing to hand off"
    hours = sum(move.hours for move in moves)
    count = f"{len(moves)} responsibilit{'y' if len(moves) == 1 else 'ies'} ({_hours(hours)} h)"
    still = [giver for giver in givers if _over(after.people[giver].load, plan.settings) > _EPSILON]
    if not still:
        return f"hand off {count}: everyone who was over ends ok, and nobody who was ok goes above it"
    shortfall = sum(_over(after.people[giver].load, plan.settings) for giver in still)
    fte = max(0.1, round(shortfall / plan.settings.capacity_hours, 1))
    org = plan.scenario(after.scenario)
    splittable = any(len(plan.catalog.managed_functions(org.person(giver).roles)) > 1 for giver in still)
    split = ", or split the role" if splittable else ""
    done = f"after handing off {count}, " if moves else "nobody can take a whole responsibility: "
    return f"{done}still {_hours(shortfall)} h over: hire about {fte:g} FTE{split}"
