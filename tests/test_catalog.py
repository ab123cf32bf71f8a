"""The default catalog follows the article: each manager's duties, and the ones both share."""

import pytest

from planner.model import default_catalog
from planner.model.errors import InvariantError
from planner.model.org import Person
from planner.model.scenarios import split_parts

SALES_ARTICLE = {"sales-plans", "customer-questions", "product-profitability", "manage-team", "sales-goals",
                 "train-team", "communicate-teams"}
MARKETING_ARTICLE = {"marketing-plans", "contracts", "pricing", "discounts", "manage-team", "client-relations",
                     "train-team", "communicate-teams"}


def test_sales_manager_holds_the_seven_article_duties_and_travel():
    catalog = default_catalog()
    held = catalog.role_responsibilities("sales-manager")
    assert SALES_ARTICLE <= held
    assert held - SALES_ARTICLE == {"sales-travel", "sales-pipeline", "sales-data"}


def test_marketing_manager_holds_the_eight_article_duties_and_brand_work():
    catalog = default_catalog()
    held = catalog.role_responsibilities("marketing-manager")
    assert MARKETING_ARTICLE <= held
    assert held - MARKETING_ARTICLE == {"brand-consistency", "marketing-trends", "competitor-watch", "lead-strategy"}


def test_shared_duties_are_one_responsibility_held_by_both_roles():
    catalog = default_catalog()
    shared = catalog.role_responsibilities("sales-manager") & catalog.role_responsibilities("marketing-manager")
    assert shared == {"manage-team", "train-team", "communicate-teams"}
    assert {catalog.responsibilities[item].function for item in shared} == {"management"}


def test_merged_role_is_the_union_and_spans_both_functions():
    catalog = default_catalog()
    merged = catalog.role_responsibilities("sales-marketing-manager")
    assert merged == catalog.role_responsibilities("sales-manager") | catalog.role_responsibilities("marketing-manager")
    assert catalog.role_functions("sales-marketing-manager") == {"sales", "marketing"}
    assert catalog.roles["sales-marketing-manager"].manager


def test_every_default_hour_figure_says_where_it_comes_from():
    for item in default_catalog().responsibilities.values():
        assert item.source, item.id


def test_marketing_creates_the_leads_and_sales_closes_them():
    catalog = default_catalog()
    functions = {item.id: item.function for item in catalog.responsibilities.values()}
    assert "prospecting" not in functions
    assert "lead-generation" in catalog.role_responsibilities("marketing-executive")
    assert "lead-strategy" in catalog.role_responsibilities("marketing-manager")
    assert (functions["lead-generation"], functions["lead-strategy"]) == ("marketing", "marketing")
    rep = catalog.role_responsibilities("sales-rep")
    assert "closing-deals" in rep and "leads" in catalog.responsibilities["closing-deals"].title
    assert not any("lead" in catalog.responsibilities[item].title.lower() and functions[item] == "sales"
                   and "close" not in catalog.responsibilities[item].title for item in rep)


def test_sales_hands_its_data_to_marketing_and_may_work_weekends():
    catalog = default_catalog()
    assert "present it to marketing" in catalog.responsibilities["sales-data"].title
    assert catalog.role_notes("sales-manager") == (
        "the sales manager's job may require working overtime or weekends (the article)",)
    assert catalog.role_notes("sales-marketing-manager") == catalog.role_notes("sales-manager")
    assert catalog.role_notes("marketing-manager") == ()


def test_team_duties_grow_with_the_team_and_the_owner_holds_them():
    catalog = default_catalog()
    for item_id, per_report in (("manage-team", 1.0), ("train-team", 0.5)):
        item = catalog.responsibilities[item_id]
        assert (item.hours, item.hours_per_report) == (0.0, per_report)
        assert "McKinsey" in item.source
    assert {"manage-team", "train-team"} <= catalog.role_responsibilities("owner")


def test_holdings_are_what_a_person_holds_beyond_or_short_of_their_roles():
    catalog = default_catalog()
    via_role = catalog.role_responsibilities("sales-manager")
    dropped = sorted(via_role)[0]
    held = (via_role - {dropped}) | {"brand"}
    assert catalog.holdings(["sales-manager"], held) == (("brand",), (dropped,))
    assert catalog.holdings(["sales-manager"], via_role) == ((), ())


def test_a_merged_role_manages_two_functions_and_its_parts_are_the_roles_it_combines():
    catalog = default_catalog()
    assert catalog.managed_functions(["sales-marketing-manager"]) == ("marketing", "sales")
    assert catalog.managed_functions(["sales-manager", "marketing-manager"]) == ("marketing", "sales")
    assert catalog.managed_functions(["sales-manager", "sales-rep"]) == ("sales",)
    parts = [part.id for part in catalog.manager_parts(["sales-marketing-manager", "sales-manager"])]
    assert parts == ["sales-manager", "marketing-manager"]


def test_only_a_merged_role_can_be_split():
    catalog = default_catalog()
    merged = Person("jo", "Jo", roles=("sales-marketing-manager",))
    assert [part.id for part in split_parts(catalog, merged)] == ["sales-manager", "marketing-manager"]
    with pytest.raises(InvariantError, match="Al does not hold manager roles of two functions"):
        split_parts(catalog, Person("al", "Al", roles=("sales-manager",)))
