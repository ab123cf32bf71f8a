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

    def display(self, value: float) -> str:
        """The value with its unit, rates and thresholds as per cent."""
        if self.unit.startswith("%"):
            return f"{value * 100:g}{self.unit}"
        return f"{value:g} {self.unit}"


SPECS: dict[str, SettingSpec] = {
    "capacity_hours": SettingSpec(
        "Default weekly capacity", "h", 1, 168,
        "a 35-40 h working week (WHO/ILO's reference week); set per person where it differs",
        assumption=True,
    ),
    "hours_per_report": SettingSpec(
        "Management hours per direct report", "h", 0, 40,
        "McKinsey 2023 finds managers spend 28% of their time managing people, "
        "about 11 h of 40 h, or 1.5 h for each of 7 reports",
        assumption=True,
    ),
    "switching_rate": SettingSpec(
        "Switching cost per extra function", "%", 0, 1,
        "Tregubov et al. 2017 measured 17% of effort lost working on two or more projects; "
        "Weinberg's rule of thumb says 20% (upper bound)",
        assumption=False,
    ),
    "stretched_from": SettingSpec(
        "Stretched above", "% of capacity", 0.1, 5,
        "100% of capacity: any demand beyond the person's week",
        assumption=True,
    ),
    "overloaded_from": SettingSpec(
        "Overloaded from", "% of capacity", 0.1, 5,
        "48 h on a 40 h week: Pencavel (IZA DP 8129) finds output stops rising in "
        "proportion to hours past about 49 h",
        assumption=False,
    ),
    "critical_from": SettingSpec(
        "Critical from", "% of capacity", 0.1, 5,
        "55 h on a 40 h week: WHO/ILO find 55 h or more raises stroke risk by 35% "
        "and heart-disease deaths by 17%",
        assumption=False,
    ),
}


@dataclass(frozen=True)
class Settings:
    """Rates and thresholds the analysis uses; every one is editable in the plan."""

    capacity_hours: float = 40.0
    hours_per_report: float = 1.5
    switching_rate: float = 0.17
    stretched_from: float = 1.0
    overloaded_from: float = 1.2
    critical_from: float = 1.375

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The setting names, in file order."""
        return tuple(item.name for item in fields(cls))
