"""The report built once as a document: sections of paragraphs, lists and tables that each format lays out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from planner.analysis.compare import CHANGES, Comparison, Side
from planner.analysis.load import Band, LoadRange, percent_beyond
from planner.analysis.merged import MergedRole, PartLoad
from planner.analysis.report import Analysis, Assumption, PersonResult
from planner.analysis.teams import FunctionComparison

Cell = str | Band
HOURS_NOTE = ("The hours are assumptions, not measurements: hours per responsibility and per direct report are "
              "estimates to check with the people concerned (see Assumptions and sources).")
RANGE_NOTE = ("Range: the demand if every assumed hour is off by the assumption spread, and the bands at its two "
              "ends. Band changes: how much less (or more) time all duties would have to take for the band to change.")


@dataclass(frozen=True)
class Paragraph:
    """A sentence or two, with an optional lead-in set in bold; a note is set apart as a caveat."""

    text: str
    lead: str = ""
    note: bool = False


@dataclass(frozen=True)
class Items:
    """A bulleted list, each item an optional bold lead and its text."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    """A header and rows of plain strings (bands left to each format); `right` lists right-aligned columns."""

    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    right: frozenset[int] = frozenset()


@dataclass(frozen=True)
class OutlineEntry:
    """One person in the org outline, `depth` layers below the top."""

    depth: int
    name: str
    title: str
    vacant: bool
    band: Band


@dataclass(frozen=True)
class Outline:
    """The org as a list in reporting order, managers before their reports."""

    entries: tuple[OutlineEntry, ...]


@dataclass(frozen=True)
class Chart:
    """The org chart of an analysis, drawn where a format can draw (HTML)."""

    analysis: Analysis


Block = Paragraph | Items | Table | Outline | Chart


@dataclass(frozen=True)
class Section:
    """A heading (level 1 is the document's title) and what follows it."""

    heading: str
    level: int
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    """A whole report: its title and its sections in reading order."""

    title: str
    sections: tuple[Section, ...]


def hours(value: float) -> str:
    """Hours as every report shows them."""
    return f"{value:.1f}"


def band_label(band: Band) -> str:
    """The band as a word that reads without colour: capitals from overloaded up."""
    return band.value.upper() if band.rank >= 2 else band.value


def range_hours(spread: LoadRange) -> str:
    """A demand's range in whole hours: "52-86"."""
    return f"{spread.low_hours:.0f}-{spread.high_hours:.0f}"


def range_bands(spread: LoadRange) -> str:
    """The bands at the two ends of a range: "ok to stretched", or one band."""
    low, high = spread.low_band.value, spread.high_band.value
    return low if low == high else f"{low} to {high}"


def band_changes(spread: LoadRange) -> str:
    """How much less or more time the duties would have to take for the band to change."""
    shares = ((spread.breakeven_share, "less"), (spread.rise_share, "more"))
    return " or ".join(f"{percent_beyond(share)}% {word}" for share, word in shares if share is not None) or "never"


def assumption_line(item: Assumption) -> str:
    """One setting as a sentence: label, value, whether assumed, source."""
    value = f" = {item.shown}" if item.shown else ""
    kind = "assumption" if item.assumption else "published"
    return f"{item.label}{value} ({kind}): {item.source}"


def change_text(before: Side | None, after: Side | None, value: Callable[[Side], object], fmt: str = "{}") -> str:
    """One figure before and after: "4→6", or one value where it is unchanged or one side is absent."""
    old = fmt.format(value(before)) if before else None
    new = fmt.format(value(after)) if after else None
    if old is None or new is None or old == new:
        return old or new or ""
    return f"{old}→{new}"


def functions_change(comparison: Comparison) -> str:
    """Sales and marketing team members and their difference, before→after, as one line."""
    first, second = comparison.functions
    figures = (("sales", lambda f: f.sales.team_members), ("marketing", lambda f: f.marketing.team_members),
               ("difference", lambda f: f"{f.difference:+d}"))
    changes = ", ".join(f"{label} {_pair(value(first), value(second))}" for label, value in figures)
    return f"sales vs marketing team members: {changes}"


def _pair(old: object, new: object) -> str:
    return str(old) if old == new else f"{old}→{new}"


# ---------------------------------------------------------------- one scenario

def analysis_sections(analysis: Analysis, generated: date | None = None) -> list[Section]:
    """The report of one scenario: headline, organisation, teams, merged roles, load, health, assumptions."""
    return [
        _headline(analysis, generated),
        Section("Organisation", 2, (Chart(analysis), _outline(analysis))),
        _teams(analysis),
        *(_merged(role) for role in analysis.merged_roles),
        *_loads(analysis),
        _health(analysis),
        Section("Assumptions and sources", 2, (Items(tuple(("", assumption_line(a)) for a in analysis.assumptions)),)),
    ]


def _headline(analysis: Analysis, generated: date | None) -> Section:
    shape = analysis.shape
    spans = ", ".join(f"{span}: {count}" for span, count in shape.span_distribution) or "none"
    over = sum(person.load.band is not Band.OK for person in analysis.people.values())
    worst = analysis.top_risks(3)
    blocks: list[Block] = [
        Paragraph(f"{shape.headcount} people ({shape.filled} filled, {shape.vacancies} open) on {shape.layers} "
                  f"layers; {shape.managers} managers, mean span {shape.mean_span:.1f}."),
        Paragraph(f"Managers by span (span: managers): {spans}."),
        Paragraph(_at_risk(over, shape.headcount, len(worst)), lead="Most at risk"),
        *([Items(tuple((p.name, p.load.verdict) for p in worst))] if worst else []),
        Paragraph(HOURS_NOTE, note=True),
    ]
    if generated is not None:
        blocks.append(Paragraph(f"Generated on {generated.isoformat()} by Org Planner.", note=True))
    return Section(f"{analysis.plan_name}: scenario {analysis.scenario}", 1, tuple(blocks))


def _at_risk(over: int, headcount: int, shown: int) -> str:
    """How many work beyond their week, introducing the verdicts shown."""
    if not over:
        return "nobody works beyond their own week."
    verb = "works" if over == 1 else "work"
    return f"{over} of {headcount} {verb} beyond their own week" + (f"; the {shown} worst:" if over > shown else ":")


def _outline(analysis: Analysis) -> Outline:
    depth: dict[str, int] = {}
    entries = []
    for person_id, person in analysis.people.items():
        depth[person_id] = depth[person.manager] + 1 if person.manager is not None else 0
        entries.append(OutlineEntry(depth[person_id], person.name, person.title, person.vacant, person.load.band))
    return Outline(tuple(entries))


def _teams(analysis: Analysis) -> Section:
    managers = Table(
        ("Manager", "Span", "Team", "Layers", "Archetype range", "Span check"),
        tuple((p.name, str(p.team.span), str(p.team.team_size), str(p.team.layers_below), p.span.range_text,
               p.span.status) for p in analysis.people.values() if p.span is not None),
        frozenset({1, 2, 3}),
    )
    functions = analysis.functions
    teams = Items(tuple(
        ("", f"{team.function}: {team.members} in the function ({team.team_members} team members), managed by "
             f"{', '.join(analysis.people[m].name for m in team.managers) or 'no manager'}, "
             f"{team.under_managers} people under them")
        for team in (functions.sales, functions.marketing)
    ))
    return Section("Team sizes", 2, (
        managers, Paragraph(f"{functions.summary}.", lead="Sales vs marketing"), teams,
        Paragraph(f"Context: {functions.context}.", note=True),
    ))


def _merged(role: MergedRole) -> Section:
    figures: tuple[tuple[str, Callable[[PartLoad], Cell]], ...] = (
        ("Work h", lambda part: hours(part.responsibility_hours)), ("Reports", lambda part: str(part.reports)),
        ("Team duties h", lambda part: hours(part.management_hours)),
        ("Coordination h", lambda part: hours(part.coordination_hours)),
        ("Demand h", lambda part: hours(part.demand_hours)), ("Range h", lambda part: range_hours(part.range)),
        ("Band", lambda part: part.band),
    )
    parts = Table(("Each role held alone", *(part.role_title for part in role.parts)),
                  tuple((label, *(value(part) for part in role.parts)) for label, value in figures),
                  frozenset(range(1, len(role.parts) + 1)))
    teams = " + ".join(str(part.reports) for part in role.parts)
    return Section(f"Merged role: {role.name}", 2, (
        Paragraph(role.verdict), parts,
        Paragraph(f"Combined team: {role.span} direct reports, against {teams} in the separate teams."),
        Paragraph(f"Source: {role.source}.", note=True),
    ))


def _loads(analysis: Analysis) -> list[Section]:
    ranked = sorted(analysis.people.values(), key=lambda p: -p.load.utilisation)
    table = Table(
        ("Person", "Title", "Demand h", "Capacity h", "Use", "Band"),
        tuple((p.name + (" (open)" if p.vacant else ""), p.title, hours(p.load.demand_hours),
               f"{p.load.capacity_hours:g}", f"{p.load.utilisation:.0%}", p.load.band) for p in ranked),
        frozenset({2, 3, 4}),
    )
    spreads = Table(
        ("Person", "Range h", "Bands in range", "Band changes if duties take"),
        tuple((p.name + (" (open)" if p.vacant else ""), range_hours(p.load.range), range_bands(p.load.range),
               band_changes(p.load.range)) for p in ranked),
        frozenset({1}),
    )
    reasons = [Section(p.name, 3, (Items(tuple(("", reason) for reason in p.reasons)),))
               for p in ranked if _explained(p)]
    return [Section("Load", 2, (table, Paragraph(RANGE_NOTE, note=True), spreads)), *reasons]


def _explained(person: PersonResult) -> bool:
    """Whether a person's reasons are worth reading out: above ok, a span outside its range, or a note."""
    load, span = person.load, person.span
    return load.band is not Band.OK or (span is not None and span.status != "within") or bool(load.notes)


def _health(analysis: Analysis) -> Section:
    if not analysis.health:
        return Section("Health checks", 2, (Paragraph("Nothing to report."),))
    return Section("Health checks", 2, (Items(tuple((check.title, check.detail) for check in analysis.health)),))


# ---------------------------------------------------------------- two scenarios

def comparison_sections(comparison: Comparison, level: int = 1) -> list[Section]:
    """Two scenarios side by side: what changed, per person, the sales and marketing teams, work and roles."""
    a, b = comparison.before_label, comparison.after_label
    (h1, h2), (v1, v2) = comparison.headcount, comparison.vacancies
    moves = tuple((status.capitalize(), ", ".join(d.name for d in comparison.with_status(status)))
                  for status in CHANGES if comparison.with_status(status))
    top = Section(f"Compare {a} with {b}", level, (
        Items((("Before", a), ("After", b))),
        Paragraph(f"Headcount {h1}→{h2} ({h2 - h1:+d}); open positions {v1}→{v2} ({v2 - v1:+d})."),
        *([Items(moves)] if moves else []),
    ))
    return [top, _people_changes(comparison, level + 1), _functions_changes(comparison, level + 1),
            _work_changes(comparison, level + 1), _merged_changes(comparison, level + 1)]


def _people_changes(comparison: Comparison, level: int) -> Section:
    rows = tuple(
        (d.name, change_text(d.before, d.after, lambda s: s.team_size), change_text(d.before, d.after, lambda s: s.span),
         change_text(d.before, d.after, lambda s: s.demand_hours, "{:.1f}"),
         change_text(d.before, d.after, lambda s: s.band.value),
         change_text(d.before, d.after, lambda s: range_hours(s.range)), d.status)
        for d in comparison.people
    )
    return Section("People", level, (Table(("Person", "Team", "Span", "Demand h", "Band", "Range h", "Change"), rows,
                                           frozenset({1, 2, 3, 5})),))


def _functions_changes(comparison: Comparison, level: int) -> Section:
    sides = comparison.functions

    def row(label: str, value: Callable[[FunctionComparison], object]) -> tuple[str, ...]:
        return (label, *(str(value(side)) for side in sides))

    table = Table(("Team members", comparison.before_label, comparison.after_label), (
        row("Sales", lambda f: f.sales.team_members),
        row("Marketing", lambda f: f.marketing.team_members),
        row("Difference (sales minus marketing)", lambda f: f"{f.difference:+d}"),
    ), frozenset({1, 2}))
    summaries = Items(tuple((label, f"{side.summary}.")
                            for label, side in zip((comparison.before_label, comparison.after_label), sides)))
    return Section("Sales vs marketing", level, (table, summaries))


def _work_changes(comparison: Comparison, level: int) -> Section:
    a, b = comparison.before_label, comparison.after_label
    lists = (("Gained", comparison.responsibilities_gained), ("Lost", comparison.responsibilities_lost),
             (f"Unowned in {a}", comparison.unowned[0]), (f"Unowned in {b}", comparison.unowned[1]))
    items = tuple((label, ", ".join(ids)) for label, ids in lists if ids)
    block = Items(items) if items else Paragraph("None gained, lost or left unowned.")
    return Section("Responsibilities", level, (block,))


def _merged_changes(comparison: Comparison, level: int) -> Section:
    items = []
    for label, roles in zip((comparison.before_label, comparison.after_label), comparison.merged_roles):
        items += [(f"In {label}", role.verdict) for role in roles] or [(f"In {label}", "no merged role.")]
    return Section("Merged roles", level, (Items(tuple(items)),))


# ---------------------------------------------------------------- whole documents

def report_document(analysis: Analysis, comparison: Comparison | None = None,
                    generated: date | None = None) -> Document:
    """One scenario's report, with a comparison after it when given."""
    sections = analysis_sections(analysis, generated)
    if comparison is not None:
        sections += comparison_sections(comparison, level=2)
    return Document(analysis.plan_name, tuple(sections))


def comparison_document(comparison: Comparison) -> Document:
    """A comparison on its own."""
    sections = comparison_sections(comparison)
    return Document(sections[0].heading, tuple(sections))
