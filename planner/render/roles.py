"""Role cards: one Markdown card per role in use, to hand a client as job descriptions."""

from __future__ import annotations

from planner.analysis import sources
from planner.analysis.payroll import cost_origin, money, role_cost
from planner.analysis.report import Analysis, PersonResult
from planner.model.catalog import Role
from planner.model.plan import Plan
from planner.render.document import Block, Document, Items, Paragraph, Section, Table, hours, range_hours
from planner.render.markdown import render_markdown

def role_cards(plan: Plan, analysis: Analysis) -> str:
    """Every role held in the analysed scenario as a card, in catalog order."""
    held = {role_id for person in analysis.people.values() for role_id in person.roles}
    cards = [_card(plan, analysis, role) for role in plan.catalog.roles.values() if role.id in held]
    title = f"Role cards: {analysis.plan_name}, scenario {analysis.scenario}"
    intro = Section(title, 1, (Paragraph(f"{len(cards)} roles in use. Hours are the catalog's assumed hours a week; "
                                         "each holder's verdict is their load in this scenario."),))
    return render_markdown(Document(title, (intro, *cards)))


def _card(plan: Plan, analysis: Analysis, role: Role) -> Section:
    """One role: purpose, functions, responsibilities with hours, holders with verdicts, cost, notes, candidates."""
    catalog = plan.catalog
    items = sorted((catalog.responsibilities[item_id] for item_id in catalog.role_responsibilities(role.id)),
                   key=lambda item: (item.function, item.id))
    rows = tuple((item.title, item.id, item.function,
                  f"{item.hours_per_report:g} per direct report" if item.hours_per_report else hours(item.hours))
                 for item in items)
    fixed = sum(item.hours for item in items)
    per_report = sum(item.hours_per_report for item in items)
    functions = sorted(catalog.role_functions(role.id))
    holders = _holding(analysis, role)
    blocks: list[Block] = [
        Paragraph(role.purpose or f"The {role.title.lower()} role: {len(items)} responsibilities in "
                                  f"{' and '.join(functions)}.", lead="Purpose"),
        Paragraph(_functions(plan, role, functions), lead="Functions"),
        Table(("Responsibility", "Id", "Function", "Hours a week"), rows, frozenset({3})),
        Paragraph(f"{hours(fixed)} h a week" + (f", plus {per_report:g} h for each direct report" if per_report else "")
                  + ".", lead="In all"),
        Paragraph(f"{len(holders)} {'person' if len(holders) == 1 else 'people'} in this scenario, each with "
                  "their verdict:", lead="Held by"),
        _holders(holders),
    ]
    cost = role_cost(catalog, role.id)
    if cost is not None:
        blocks.append(Paragraph(f"{money(cost, plan.settings.currency)} a year ({cost_origin(plan.settings.cost_note)}).",
                                lead="Cost"))
    blocks += [Paragraph(note, lead="Note") for note in catalog.role_notes(role.id)]
    if role.combines:
        blocks.append(Paragraph(_candidates(analysis, role, fixed, per_report), lead="What to tell candidates"))
    return Section(f"{role.title} ({role.id})", 2, tuple(blocks))


def _functions(plan: Plan, role: Role, functions: list[str]) -> str:
    """The functions a role spans, and the roles a merged role stands for."""
    text = ", ".join(functions) or "none"
    if role.combines:
        parts = " and ".join(part.title for part in plan.catalog.parts(role.id))
        text += f": a merged role, the work of the {parts}"
    return text + ("; leads a team" if role.manager else "") + "."


def _holders(holders: list[PersonResult]) -> Items:
    """Who holds the role, each with their verdict (band, hours, range and how sure)."""
    return Items(tuple((person.name + (" (open position)" if person.vacant else ""), person.load.verdict)
                       for person in holders))


def _holding(analysis: Analysis, role: Role) -> list[PersonResult]:
    return [person for person in analysis.people.values() if role.id in person.roles]


def _candidates(analysis: Analysis, role: Role, fixed: float, per_report: float) -> str:
    """What the article advises telling candidates for a merged role, with this plan's figures."""
    sentences = [f"{sources.CANDIDATES[:1].upper()}{sources.CANDIDATES[1:]}.",
                 f"This role asks {hours(fixed)} h a week of fixed work plus {per_report:g} h for each direct report, "
                 "and a switching cost for working across functions."]
    merged = {found.person_id: found for found in analysis.merged_roles}
    for person in _holding(analysis, role):
        load = person.load
        sentences.append(f"As {person.name} holds it, with {person.team.span} direct reports, it comes to "
                         f"{hours(load.demand_hours)} h a week ({load.band.value}; {range_hours(load.range)} h if the "
                         "assumed hours are off).")
        if person.id in merged:
            sentences.append(f"When to split: {merged[person.id].split_summary}.")
    return " ".join(sentences)
