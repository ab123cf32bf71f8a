"""The default catalog follows the article: each manager's duties, and the ones both share."""

from planner.model import default_catalog

SALES_ARTICLE = {"sales-plans", "customer-questions", "product-profitability", "manage-team", "sales-goals",
                 "train-team", "communicate-teams"}
MARKETING_ARTICLE = {"marketing-plans", "contracts", "pricing", "discounts", "manage-team", "client-relations",
                     "train-team", "communicate-teams"}


def test_sales_manager_holds_the_seven_article_duties_and_travel():
    catalog = default_catalog()
    held = catalog.role_responsibilities("sales-manager")
    assert SALES_ARTICLE <= held
    assert held - SALES_ARTICLE == {"sales-travel"}


def test_marketing_manager_holds_the_eight_article_duties_and_brand_work():
    catalog = default_catalog()
    held = catalog.role_responsibilities("marketing-manager")
    assert MARKETING_ARTICLE <= held
    assert held - MARKETING_ARTICLE == {"brand-consistency", "marketing-trends", "competitor-watch"}


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
