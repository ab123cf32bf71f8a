"""Team sizes: per manager, for the whole org, and for the sales and marketing functions."""

from __future__ import annotations

from collections import Counter
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
        team, layers, span = 0, 0, 0
        for report in org.report_ids(person_id):
            size = sizes[report]
            team += size.team_size + 1
            layers = max(layers, size.layers_below + 1)
            span += 1
        key = (span, team, layers)
        sizes[person_id] = shared.get(key) or shared.setdefault(key, TeamSize(span, team, layers))
    return sizes


def org_shape(org: Org, sizes: dict[str, TeamSize]) -> OrgShape:
    """Headcount, layers and the distribution of spans."""
    spans = Counter(size.span for size in sizes.values() if size.span)
    managers = sum(spans.values())
    vacancies = sum(1 for person in org.people() if person.vacant)
    return OrgShape(
        headcount=len(org),
        filled=len(org) - vacancies,
        vacancies=vacancies,
        layers=max((sizes[root].layers_below + 1 for root in org.roots()), default=0),
        managers=managers,
        span_distribution=tuple(sorted(spans.items())),
        mean_span=sum(span * count for span, count in spans.items()) / managers if managers else 0.0,
        single_report_managers=tuple(sorted(pid for pid, size in sizes.items() if size.span == 1)),
    )


def function_team(plan: Plan, org: Org, order: list[str], function: str) -> FunctionTeam:
    """The people whose roles are in `function`, its managers, and everyone under those managers."""
    catalog = plan.catalog
    in_function = {role.id for role in catalog.roles.values() if function in catalog.role_functions(role.id)}
    leading = {role_id for role_id in in_function if catalog.roles[role_id].manager}
    kinds: dict[tuple[str, ...], tuple[bool, bool]] = {}
    members, managers, under = 0, [], 0
    covers: dict[str, bool] = {}  # whether someone's reports are under one of the function's managers
    for person_id in order:
        roles = org.person(person_id).roles
        if roles not in kinds:
            kinds[roles] = (not in_function.isdisjoint(roles), not leading.isdisjoint(roles))
        member, manages = kinds[roles]
        boss = org.manager_of(person_id)
        below = boss is not None and covers[boss]
        covers[person_id] = below or manages
        under += below
        members += member
        if manages:
            managers.append(person_id)
    return FunctionTeam(function, members, tuple(sorted(managers)), members - len(managers), under)


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


def function_comparison(plan: Plan, org: Org, order: list[str]) -> FunctionComparison:
    """The sales and marketing teams of a scenario, compared (`order`: Org.tree_order())."""
    sales, marketing = (function_team(plan, org, order, function) for function in COMPARED_FUNCTIONS)
    return compare_functions(sales, marketing)
