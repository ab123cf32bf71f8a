"""Team sizes: per manager, for the whole org, and for the sales and marketing functions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from planner.analysis import sources
from planner.model.org import Org
from planner.model.plan import Plan

COMPARED_FUNCTIONS = ("sales", "marketing")


@dataclass(frozen=True)
class TeamSize:
    """A person's direct reports, whole team below them, and layers below them."""

    span: int
    team_size: int
    layers_below: int


@dataclass(frozen=True)
class OrgShape:
    """The shape of the whole scenario."""

    headcount: int
    filled: int
    vacancies: int
    layers: int
    managers: int
    span_distribution: tuple[tuple[int, int], ...]
    mean_span: float
    single_report_managers: tuple[str, ...]


@dataclass(frozen=True)
class FunctionTeam:
    """Who works in one function, who manages it, and the team under those managers."""

    function: str
    members: int
    managers: tuple[str, ...]
    team_members: int
    under_managers: int


@dataclass(frozen=True)
class FunctionComparison:
    """The sales team against the marketing team, in people and per cent."""

    sales: FunctionTeam
    marketing: FunctionTeam
    difference: int
    difference_percent: float | None
    summary: str
    context: str = sources.ARTICLE_TEAMS


def team_sizes(org: Org, order: list[str]) -> dict[str, TeamSize]:
    """Span, team size and layers below for every person, in one pass from the leaves up.

    `order` lists every person with managers before their reports (Org.tree_order()).
    """
    sizes: dict[str, TeamSize] = {}
    shared: dict[tuple[int, int, int], TeamSize] = {}
    for person_id in reversed(order):
        size = team_size(org, person_id, sizes)
        sizes[person_id] = shared.setdefault((size.span, size.team_size, size.layers_below), size)
    return sizes


def team_size(org: Org, person_id: str, sizes: dict[str, TeamSize]) -> TeamSize:
    """A person's span, team and layers, from the sizes of their direct reports."""
    team, layers, span = 0, 0, 0
    for report in org.report_ids(person_id):
        size = sizes[report]
        team += size.team_size + 1
        layers = max(layers, size.layers_below + 1)
        span += 1
    return TeamSize(span, team, layers)


def update_team_sizes(org: Org, sizes: dict[str, TeamSize], dirty: set[str]) -> set[str]:
    """Recompute the sizes of `dirty` people and up their chains as far as sizes change; the ids that changed.

    Only the chains above the people whose reports changed are walked, deepest first.
    """
    depth: dict[str, int] = {}
    for start in dirty:
        chain = [start, *org.chain_of_command(start)]
        for height, person_id in enumerate(reversed(chain)):
            depth[person_id] = height
    pending, changed = set(dirty), set()
    for person_id in sorted(depth, key=depth.__getitem__, reverse=True):
        if person_id not in pending:
            continue
        size = team_size(org, person_id, sizes)
        if sizes.get(person_id) != size:
            sizes[person_id] = size
            changed.add(person_id)
            manager = org.manager_of(person_id)
            if manager is not None:
                pending.add(manager)
    return changed


def reorder(org: Org, order: list[str], sizes: dict[str, TeamSize], person_id: str,
            block: int) -> tuple[list[str], list[str]]:
    """The reporting order after one person moved, joined (`block` 0) or left, made of slices of the old order.

    `block` is how many places the person and their team took in the old order; `sizes` are the new sizes.
    Also returns the ids that changed places (the person and their team).
    """
    moving, rest = [person_id], order
    if block:
        start = order.index(person_id)
        moving, rest = order[start:start + block], order[:start] + order[start + block:]
    if person_id not in org:
        return rest, moving
    manager = org.manager_of(person_id)
    siblings = org.roots() if manager is None else org.report_ids(manager)
    before = max((sibling for sibling in siblings if sibling < person_id), default=None)
    if before is not None:
        at = rest.index(before) + sizes[before].team_size + 1
    else:
        at = 0 if manager is None else rest.index(manager) + 1
    return rest[:at] + moving + rest[at:], moving


class FunctionTeamTracker:
    """One function's team, kept up to date as people change: members, managers and everyone under them."""

    def __init__(self, plan: Plan, function: str) -> None:
        catalog = plan.catalog
        self.function = function
        self._in_function = {role.id for role in catalog.roles.values() if function in catalog.role_functions(role.id)}
        self._leading = {role_id for role_id in self._in_function if catalog.roles[role_id].manager}
        self._kinds: dict[tuple[str, ...], tuple[bool, bool]] = {}
        self._members = 0
        self._managers: set[str] = set()
        self._covered: dict[str, bool] = {}  # whether someone has one of the function's managers above them
        self._under = 0
        self._team: FunctionTeam | None = None

    def kind(self, roles: tuple[str, ...]) -> tuple[bool, bool]:
        """Whether roles put someone in the function, and whether they manage it."""
        if roles not in self._kinds:
            self._kinds[roles] = (not self._in_function.isdisjoint(roles), not self._leading.isdisjoint(roles))
        return self._kinds[roles]

    def rebuild(self, people: Iterable[tuple[str, str | None, tuple[str, ...]]]) -> None:
        """Count everyone afresh from (id, manager, roles), managers before their reports."""
        members, under = 0, 0
        managers: set[str] = set()
        covered: dict[str, bool] = {}
        for person_id, boss, roles in people:
            member, manages = self.kind(roles)
            below = boss is not None and (covered[boss] or boss in managers)
            covered[person_id] = below
            under += below
            members += member
            if manages:
                managers.add(person_id)
        self._members, self._managers, self._covered, self._under, self._team = members, managers, covered, under, None

    def update(self, org: Org, roles: list[tuple[str, tuple[str, ...] | None, tuple[str, ...] | None]],
               placed: set[str]) -> None:
        """Follow people whose roles changed (id, old roles, new roles; None: absent) and who were placed anew."""
        pending = list(placed)
        for person_id, old, new in roles:
            was, now = self._kind_or_none(old), self._kind_or_none(new)
            if now != was:
                self._members += now[0] - was[0]
                self._team = None
            if now[1] != was[1]:
                (self._managers.add if now[1] else self._managers.discard)(person_id)
                if new is not None:
                    pending.extend(org.report_ids(person_id))
            if new is None and self._covered.pop(person_id, False):
                self._under -= 1
                self._team = None
        self._cover(org, pending)

    def _kind_or_none(self, roles: tuple[str, ...] | None) -> tuple[bool, bool]:
        return self.kind(roles) if roles is not None else (False, False)

    def _cover(self, org: Org, pending: list[str]) -> None:
        """Settle who is under a manager of the function, walking down only where it changes."""
        while pending:
            person_id = pending.pop()
            boss = org.manager_of(person_id)
            below = boss is not None and (self._covered.get(boss, False) or boss in self._managers)
            if self._covered.get(person_id) is not below:
                self._under += below - self._covered.get(person_id, False)
                self._covered[person_id] = below
                pending.extend(org.report_ids(person_id))
                self._team = None

    @property
    def team(self) -> FunctionTeam:
        """The function's team as it stands."""
        if self._team is None:
            managers = tuple(sorted(self._managers))
            self._team = FunctionTeam(self.function, self._members, managers, self._members - len(managers), self._under)
        return self._team


def compare_functions(sales: FunctionTeam, marketing: FunctionTeam) -> FunctionComparison:
    """Sales against marketing, counting team members (people in the function who do not manage it)."""
    difference = sales.team_members - marketing.team_members
    percent = 100.0 * difference / marketing.team_members if marketing.team_members else None
    if difference == 0:
        summary = f"the sales and marketing teams are the same size ({sales.team_members} each)"
    else:
        word = "smaller" if difference < 0 else "larger"
        share = f" ({abs(percent):.0f}% {word})" if percent is not None else ""
        summary = (f"the sales team ({sales.team_members}) is {abs(difference)} {word} than the marketing team "
                   f"({marketing.team_members}){share}")
    return FunctionComparison(sales, marketing, difference, percent, summary)
