"""Responsibilities and roles, and the default catalog drawn from the article."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

ARTICLE = "reference article: sales manager vs marketing manager"

FUNCTIONS = ("sales", "marketing", "management", "operations", "finance", "product", "support")
SHARED_FUNCTION = "management"


@dataclass(frozen=True)
class Responsibility:
    """A piece of work someone must own, with its assumed weekly hours.

    A duty that grows with the team (managing it, training it) carries `hours_per_report`
    instead: its holder spends that much for each direct report, and nothing when they have none.
    """

    id: str
    title: str
    function: str
    hours: float
    source: str = ""
    hours_per_report: float = 0.0


@dataclass(frozen=True)
class Role:
    """A named bundle of responsibilities; manager roles lead a team.

    A role that `combines` others (the merged sales and marketing manager) holds
    their responsibilities too and spans their functions; its own function is "".
    A `note` says what the role asks that hours do not show.
    """

    id: str
    title: str
    function: str
    responsibilities: tuple[str, ...] = ()
    manager: bool = False
    combines: tuple[str, ...] = ()
    note: str = ""


@dataclass
class Catalog:
    """The responsibilities and roles a plan can assign, by id."""

    responsibilities: dict[str, Responsibility] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)

    def copy(self) -> Catalog:
        """A catalog that can be edited without touching this one."""
        return Catalog(dict(self.responsibilities), dict(self.roles))

    def parts(self, role_id: str) -> tuple[Role, ...]:
        """The plain roles a role stands for: its parts if it combines others, else itself."""
        role = self.roles[role_id]
        return tuple(self.roles[part] for part in role.combines) if role.combines else (role,)

    def role_responsibilities(self, role_id: str) -> frozenset[str]:
        """Every responsibility a role bundles, its parts' included."""
        ids = set(self.roles[role_id].responsibilities)
        for part in self.roles[role_id].combines:
            ids.update(self.roles[part].responsibilities)
        return frozenset(ids)

    def role_notes(self, role_id: str) -> tuple[str, ...]:
        """The notes of a role and of the roles it combines, each once."""
        notes = (self.roles[role_id].note, *(self.roles[part].note for part in self.roles[role_id].combines))
        return tuple(dict.fromkeys(note for note in notes if note))

    def roles_by_title(self) -> dict[str, str]:
        """Role ids by their title, casefolded: a person's job title names the role it matches."""
        return {role.title.casefold(): role.id for role in self.roles.values()}

    def role_titled(self, title: str) -> str | None:
        """The role whose title is `title` (any case), if any."""
        return self.roles_by_title().get(title.strip().casefold())

    def role_functions(self, role_id: str) -> frozenset[str]:
        """The functions a role works in."""
        return frozenset(part.function for part in self.parts(role_id))

    def manager_parts(self, role_ids: Iterable[str]) -> list[Role]:
        """The plain manager roles among these roles, combined roles expanded, each once and in order."""
        parts: dict[str, Role] = {}
        for role_id in role_ids:
            if self.roles[role_id].manager:
                for part in self.parts(role_id):
                    parts.setdefault(part.id, part)
        return list(parts.values())

    def managed_functions(self, role_ids: Iterable[str]) -> tuple[str, ...]:
        """The distinct functions these roles manage: two or more make a merged role, which can be split."""
        return tuple(sorted({part.function for part in self.manager_parts(role_ids)}))

    def holdings(self, role_ids: Iterable[str], held: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """How a person with these roles comes to hold exactly `held`: (extra responsibilities, dropped ones)."""
        via_roles = frozenset().union(*(self.role_responsibilities(role_id) for role_id in role_ids))
        wanted = frozenset(held)
        return tuple(sorted(wanted - via_roles)), tuple(sorted(via_roles - wanted))


def _r(id: str, title: str, function: str, hours: float, source: str = ARTICLE) -> Responsibility:
    return Responsibility(id, title, function, float(hours), source)


def _per_report(id: str, title: str, hours: float) -> Responsibility:
    return Responsibility(id, title, SHARED_FUNCTION, 0.0, TEAM_DUTY, float(hours))


PAIRED_FUNCTIONS = ("sales", "marketing")
TEAM_DUTY = ("the article: managing and training the team; McKinsey 2023: managers spend 28% of their time "
             "managing people, about 1.5 h per report at 7 reports (split 1 h + 0.5 h: assumption)")
_ARTICLE_LEADS = "reference article: marketing creates the leads, sales closes them"
_ARTICLE_TOGETHER = "reference article: how sales and marketing managers work together"
_SHARED = ("manage-team", "train-team", "communicate-teams")
_SALES_MANAGER = (
    "sales-plans", "customer-questions", "product-profitability", "sales-goals", "sales-travel", "sales-pipeline",
    "sales-data", *_SHARED,
)
_MARKETING_MANAGER = (
    "marketing-plans", "contracts", "pricing", "discounts", "client-relations",
    "brand-consistency", "marketing-trends", "competitor-watch", "lead-strategy", *_SHARED,
)
_ASSUMPTION = "not in the article: a common small-business role"
SALES_MANAGER_NOTE = "the sales manager's job may require working overtime or weekends (the article)"

DEFAULT_RESPONSIBILITIES = (
    _r("sales-plans", "Sales plans and strategies", "sales", 4),
    _r("customer-questions", "Help customers with questions about products and services", "sales", 4),
    _r("product-profitability", "Judge which products are profitable", "sales", 2),
    _r("sales-goals", "Set sales goals", "sales", 2),
    _r("sales-travel", "Travel to wholesalers, retailers and distributors", "sales", 8),
    _r("sales-pipeline", "Run the sales pipeline: see the leads closed", "sales", 3, _ARTICLE_LEADS),
    _r("sales-data", "Collect and analyse sales data; present it to marketing with the sales goals", "sales", 2,
       _ARTICLE_TOGETHER),
    _r("marketing-plans", "Marketing plan and strategies", "marketing", 4),
    _r("contracts", "Negotiate and close business contracts", "marketing", 3),
    _r("pricing", "Decide product pricing", "marketing", 2),
    _r("discounts", "Decide when discounts and specials run", "marketing", 1),
    _r("client-relations", "Deal with clients", "marketing", 4),
    _r("brand-consistency", "Keep the brand consistent", "marketing", 2),
    _r("marketing-trends", "Follow marketing trends", "marketing", 2),
    _r("competitor-watch", "Watch competitors", "marketing", 2),
    _r("lead-strategy", "Plan lead generation: create the leads sales closes", "marketing", 3, _ARTICLE_LEADS),
    _per_report("manage-team", "Manage the team and keep its work on schedule", 1.0),
    _per_report("train-team", "Train team members", 0.5),
    _r("communicate-teams", "Communicate with other teams", "management", 2),
    _r("business-strategy", "Run the business: strategy and direction", "management", 10, _ASSUMPTION),
    _r("finance", "Cash flow, bookkeeping and payroll", "finance", 8, _ASSUMPTION),
    _r("hiring", "Hire and onboard staff", "management", 3, _ASSUMPTION),
    _r("closing-deals", "Follow up and close the leads marketing creates; take orders", "sales", 26, _ARTICLE_LEADS),
    _r("account-care", "Look after existing accounts", "sales", 10, _ASSUMPTION),
    _r("lead-generation", "Generate and qualify leads for sales", "marketing", 10, _ARTICLE_LEADS),
    _r("campaigns", "Run marketing campaigns", "marketing", 10, _ASSUMPTION),
    _r("content", "Write content and social media posts", "marketing", 10, _ASSUMPTION),
    _r("market-research", "Market research and reporting", "marketing", 6, _ASSUMPTION),
    _r("order-fulfilment", "Order fulfilment and stock", "operations", 20, _ASSUMPTION),
    _r("office-admin", "Office administration", "operations", 12, _ASSUMPTION),
)

DEFAULT_ROLES = (
    Role("owner", "Owner", "management", ("business-strategy", "finance", "hiring", "manage-team", "train-team"),
         manager=True),
    Role("sales-manager", "Sales manager", "sales", _SALES_MANAGER, manager=True, note=SALES_MANAGER_NOTE),
    Role("marketing-manager", "Marketing manager", "marketing", _MARKETING_MANAGER, manager=True),
    Role(
        "sales-marketing-manager", "Sales and marketing manager", "", (), manager=True,
        combines=("sales-manager", "marketing-manager"),
    ),
    Role("sales-rep", "Sales representative", "sales", ("closing-deals", "account-care")),
    Role("marketing-executive", "Marketing executive", "marketing",
         ("lead-generation", "campaigns", "content", "market-research")),
    Role("operations-assistant", "Operations assistant", "operations", ("order-fulfilment", "office-admin")),
)


def default_catalog() -> Catalog:
    """The catalog every new plan starts from."""
    return Catalog(
        {item.id: item for item in DEFAULT_RESPONSIBILITIES},
        {role.id: role for role in DEFAULT_ROLES},
    )
