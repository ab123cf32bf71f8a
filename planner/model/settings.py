"""The plan's tunable figures, each with its bounds and where it comes from."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class SettingSpec:
    """How one setting is labelled, bounded and sourced."""

    label: str
    unit: str
    low: float
    high: float
    source: str
    assumption: bool
    usual: tuple[float, float]

    def display(self, value: float) -> str:
        """The value with its unit, rates and shares as per cent."""
        if self.unit.startswith("%"):
            return f"{value * 100:g}{self.unit}"
        return f"{value:g} {self.unit}"

    def usual_text(self) -> str:
        """The usual range with its unit."""
        low, high = self.usual
        if self.unit.startswith("%"):
            return f"{low * 100:g}-{high * 100:g}%"
        return f"{low:g}-{high:g} {self.unit}"


SPECS: dict[str, SettingSpec] = {
    "capacity_hours": SettingSpec(
        "Default weekly capacity", "h", 1, 168,
        "a 35-40 h working week (WHO/ILO's reference week); set per person where it differs",
        assumption=True, usual=(16, 60),
    ),
    "switching_rate": SettingSpec(
        "Switching cost, two or more functions", "%", 0, 1,
        "Tregubov et al. 2017 measured 17% of effort lost by people working on two or more projects; "
        "charged on the hours outside the person's main function, the same for two functions or more "
        "(Weinberg's 20%/40%/60% for 2/3/4 projects is a rule of thumb, not a measurement)",
        assumption=False, usual=(0, 0.5),
    ),
    "overloaded_hours": SettingSpec(
        "Overloaded from", "h a week", 1, 168,
        "Pencavel (IZA DP 8129): output rises in proportion to hours up to about 49 h a week, less after; "
        "output at 70 h about equals output at 56 h",
        assumption=False, usual=(40, 70),
    ),
    "critical_hours": SettingSpec(
        "Critical from", "h a week", 1, 168,
        "WHO/ILO: working 55 h a week or more, against 35-40, goes with a 35% higher risk of stroke and a 17% "
        "higher risk of dying of heart disease",
        assumption=False, usual=(45, 80),
    ),
    "coordination_hours": SettingSpec(
        "Coordination per split manager", "h", 0, 40,
        "the article: sales collects and analyses the sales data and presents it to marketing with the sales "
        "goals, and the two managers should be in constant, open communication; the hours are an assumption",
        assumption=True, usual=(0, 10),
    ),
    "assumption_spread": SettingSpec(
        "How far assumed hours may be off", "%", 0, 0.9,
        "how far the catalog hours, hours per report and coordination hours may be off, all together; "
        "every verdict is shown at both ends of the range",
        assumption=True, usual=(0, 0.5),
    ),
}


@dataclass(frozen=True)
class Settings:
    """Rates and thresholds the analysis uses, and how costs are labelled; every one is editable in the plan.

    `currency` names the currency of the yearly costs; `cost_note` says where those costs come from
    (they are the user's inputs: "illustrative", "2026 budget"), shown wherever they are.
    """

    capacity_hours: float = 40.0
    switching_rate: float = 0.17
    overloaded_hours: float = 48.0
    critical_hours: float = 55.0
    coordination_hours: float = 2.0
    assumption_spread: float = 0.25
    currency: str = ""
    cost_note: str = ""

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The names of the figures (every setting but the labels of costs), in file order."""
        return tuple(item.name for item in fields(cls) if item.name in SPECS)


# The settings that are text, not figures: what labels the costs.
COST_LABELS = {"currency": "the currency", "cost_note": "the note on costs"}


def unusual_settings(settings: Settings) -> tuple[str, ...]:
    """Each setting outside its usual range, worded: allowed, but worth a second look before applying."""
    found = []
    for name, spec in SPECS.items():
        value = getattr(settings, name)
        low, high = spec.usual
        if not low <= value <= high:
            found.append(f"{spec.label} {spec.display(value)} is outside the usual {spec.usual_text()}")
    return tuple(found)


LEGACY_SHARES = {"overloaded_from": "overloaded_hours", "critical_from": "critical_hours"}
LEGACY_SETTINGS = (*LEGACY_SHARES, "stretched_from", "hours_per_report")
LEGACY_HOURS_PER_REPORT = 1.5


def from_legacy(values: dict[str, float], builtin_catalog: bool) -> tuple[dict[str, float], list[tuple[str, str, str]]]:
    """Settings of a plan written before the bands were absolute hours, translated.

    Returns the current settings' values and what cannot be translated, as (key, message, hint).
    Thresholds given as shares of capacity become hours (1.2 and 1.375 of 40 h are 48 h and 55 h);
    `stretched_from` only ever meant "above the person's own week" at 1.0, and the built-in catalog's
    team duties carry the old 1.5 h per report, so those values are dropped; others are refused.
    """
    result = {key: value for key, value in values.items() if key not in LEGACY_SETTINGS}
    problems: list[tuple[str, str, str]] = []
    capacity = values.get("capacity_hours", Settings.capacity_hours)
    for old, new in LEGACY_SHARES.items():
        if old not in values:
            continue
        if new in values:
            problems.append((old, f"both {old} and {new} are set", f"remove {old}: {new} replaces it"))
        else:
            result[new] = values[old] * capacity
    if values.get("stretched_from", 1.0) != 1.0:
        problems.append(("stretched_from", "stretched_from is no longer a setting",
                         "remove it: stretched now always means demand above the person's own weekly hours "
                         "(raise their capacity_hours to let them work longer)"))
    if "hours_per_report" in values and not (builtin_catalog and values["hours_per_report"] == LEGACY_HOURS_PER_REPORT):
        problems.append(("hours_per_report", "hours_per_report is no longer a setting: team duties in the catalog "
                         "carry hours per report",
                         "remove it, and give the team duties of [catalog] their hours per report (built in: "
                         "manage-team hours = 0.0, hours_per_report = 1.0; train-team hours = 0.0, "
                         "hours_per_report = 0.5), or remove [catalog] to use the built-in catalog"))
    return result, problems
