"""The domain: plans, scenarios (Orgs of people), the catalog and reversible edits."""

from planner.model.catalog import Catalog, Responsibility, Role, default_catalog
from planner.model.errors import PlanError, PlanFileError, Problem
from planner.model.org import ARCHETYPES, Org, Person
from planner.model.plan import DEFAULT_SCENARIO, Plan
from planner.model.settings import Settings

__all__ = [
    "ARCHETYPES", "DEFAULT_SCENARIO", "Catalog", "Org", "Person", "Plan", "PlanError", "PlanFileError",
    "Problem", "Responsibility", "Role", "Settings", "default_catalog",
]
