"""Payroll: the yearly cost of a scenario's people, from each person's cost or their role's."""

from __future__ import annotations

import math
from dataclasses import dataclass

from planner.model.catalog import Catalog
from planner.model.org import Person
from planner.model.settings import Settings


@dataclass(frozen=True)
class Payroll:
    """The yearly cost of a scenario: everyone with a cost, open positions included (they are budgeted).

    `note` is the plan's word on where its costs come from (settings `cost_note`).
    """

    total: float
    currency: str
    people: int
    open_positions: float
    without_cost: tuple[str, ...]
    note: str = ""


def role_cost(catalog: Catalog, role_id: str) -> float | None:
    """A role's yearly cost: its own, else for a role that combines others the highest of theirs, else None."""
    role = catalog.roles[role_id]
    if role.cost is not None or not role.combines:
        return role.cost
    return max((part.cost for part in catalog.parts(role_id) if part.cost is not None), default=None)


def person_cost(catalog: Catalog, person: Person) -> float | None:
    """A person's yearly cost: their own when set, else the highest of their roles' (one person, one pay)."""
    if person.cost is not None:
        return person.cost
    return roles_cost(catalog, person.roles)


def roles_cost(catalog: Catalog, role_ids: tuple[str, ...]) -> float | None:
    """The highest yearly cost among these roles, or None when none has one."""
    return max((cost for role_id in role_ids if (cost := role_cost(catalog, role_id)) is not None), default=None)


class PayrollTally:
    """The costs of a scenario's people, kept person by person so an edit changes only what it touches."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._by_roles: dict[tuple[str, ...], float | None] = {}
        self._costs: dict[str, tuple[float, bool]] = {}
        self._missing: set[str] = set()

    def put(self, person: Person) -> None:
        """Count a person (again, if they were counted before)."""
        self.remove(person.id)
        cost = person.cost
        if cost is None:
            if person.roles not in self._by_roles:
                self._by_roles[person.roles] = roles_cost(self._catalog, person.roles)
            cost = self._by_roles[person.roles]
        if cost is None:
            self._missing.add(person.id)
        else:
            self._costs[person.id] = (cost, person.vacant)

    def remove(self, person_id: str) -> None:
        """Stop counting a person (nothing when they were not counted)."""
        self._costs.pop(person_id, None)
        self._missing.discard(person_id)

    def payroll(self, settings: Settings) -> Payroll | None:
        """The payroll as it stands (summed exactly), or None when no one has a cost (costs are then not shown)."""
        if not self._costs:
            return None
        costs = self._costs.values()
        return Payroll(math.fsum(cost for cost, _ in costs), settings.currency, len(self._costs),
                       math.fsum(cost for cost, vacant in costs if vacant), tuple(sorted(self._missing)),
                       settings.cost_note)


def money(amount: float, currency: str, sign: bool = False) -> str:
    """An amount as people write it: "58,000" or "+58,000 GBP"."""
    text = f"{amount:+,.0f}" if sign else f"{amount:,.0f}"
    return f"{text} {currency}" if currency else text


def cost_origin(note: str) -> str:
    """Where costs come from: the user's own figures, with the plan's note on them ("illustrative")."""
    return "yearly costs entered in the plan" + (f": {note}" if note else "")


def payroll_text(payroll: Payroll) -> str:
    """The payroll in one sentence, naming the open positions, anyone without a cost and where costs come from."""
    text = f"{money(payroll.total, payroll.currency)} a year for {payroll.people} people"
    if payroll.open_positions:
        text += f", {money(payroll.open_positions, payroll.currency)} of it for open positions"
    if payroll.without_cost:
        count = len(payroll.without_cost)
        text += f"; {count} {'person has' if count == 1 else 'people have'} no cost set"
    return f"{text} ({cost_origin(payroll.note)})"
