"""A Plan: settings, a catalog and one or more named scenarios."""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.model.bulk import collector_paused
from planner.model.catalog import Catalog, default_catalog
from planner.model.errors import UnknownIdError
from planner.model.org import Org, OrgSnapshot, Person
from planner.model.settings import Settings

DEFAULT_SCENARIO = "current"


@dataclass
class Plan:
    """Everything one plan file holds."""

    name: str
    description: str = ""
    settings: Settings = field(default_factory=Settings)
    catalog: Catalog = field(default_factory=default_catalog)
    scenarios: dict[str, Org] = field(default_factory=lambda: {DEFAULT_SCENARIO: Org()})

    def scenario(self, name: str | None = None) -> Org:
        """The named scenario, or the first one when no name is given."""
        if name is None:
            return next(iter(self.scenarios.values()))
        try:
            return self.scenarios[name]
        except KeyError:
            known = ", ".join(self.scenarios)
            raise UnknownIdError(f"no scenario named {name!r}", f"use one of: {known}") from None

    def responsibilities_of(self, person: Person) -> frozenset[str]:
        """The distinct responsibilities a person holds through roles and directly."""
        held: set[str] = set(person.extra_responsibilities)
        for role_id in person.roles:
            held |= self.catalog.role_responsibilities(role_id)
        return frozenset(held - set(person.dropped_responsibilities))

    def capacity_of(self, person: Person) -> float:
        """The person's weekly hours, or the plan's default."""
        return self.settings.capacity_hours if person.capacity_hours is None else person.capacity_hours

    def snapshot(self) -> PlanSnapshot:
        """The plan as it is now, cheap to take: a worker thread can rebuild and save it while this one changes."""
        return PlanSnapshot(self.name, self.description, self.settings, self.catalog.copy(),
                            tuple((name, org.snapshot()) for name, org in self.scenarios.items()))

    def copy(self) -> Plan:
        """A deep enough copy to edit without touching this plan."""
        return Plan(
            self.name, self.description, self.settings, self.catalog.copy(),
            {name: org.copy() for name, org in self.scenarios.items()},
        )


@dataclass(frozen=True)
class PlanSnapshot:
    """A plan as it was when `Plan.snapshot` took it."""

    name: str
    description: str
    settings: Settings
    catalog: Catalog
    scenarios: tuple[tuple[str, OrgSnapshot], ...]

    def plan(self) -> Plan:
        """The plan again, built afresh (it shares only immutable parts with the one it was taken from)."""
        with collector_paused():
            return Plan(self.name, self.description, self.settings, self.catalog.copy(),
                        {name: org.org() for name, org in self.scenarios})
