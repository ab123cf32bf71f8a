"""Rich Text for the UI: band markers, tree labels, load bars. User text is never parsed as markup."""

from __future__ import annotations

from rich.text import Text

from planner.analysis import Band, PersonResult

BAND_STYLE = {
    Band.OK: "green",
    Band.STRETCHED: "yellow",
    Band.OVERLOADED: "bold red",
    Band.CRITICAL: "bold white on red",
}
BAR_STYLE = {Band.OK: "green", Band.STRETCHED: "yellow", Band.OVERLOADED: "red", Band.CRITICAL: "bold red"}
BAND_CODE = {Band.OK: "ok", Band.STRETCHED: "stretch", Band.OVERLOADED: "OVER", Band.CRITICAL: "CRIT"}
VACANT_STYLE = "bold black on yellow"


def band_marker(result: PersonResult) -> Text:
    """The band as a coloured word with the utilisation, 12 cells wide: it reads without colour too."""
    load = result.load
    # Five cells for the share keep a space after "stretch" at 100% and over.
    return Text(f"{BAND_CODE[load.band]:<7}{load.utilisation:>5.0%}", style=BAND_STYLE[load.band])


def person_label(result: PersonResult) -> Text:
    """A tree row: band marker, name, title and a vacancy badge."""
    label = band_marker(result)
    label.append(" ")
    if result.vacant:
        label.append(" OPEN ", style=VACANT_STYLE)
        label.append(" ")
    label.append(result.name, style="bold")
    if result.title:
        label.append(f" · {result.title}", style="dim")
    return label


def load_bar(result: PersonResult, width: int = 24) -> Text:
    """A bar of demand against capacity; the cell after 100% is marked, overflow shown in the band's colour."""
    load = result.load
    scale = max(1.5, load.utilisation)
    full = round(width * min(load.utilisation, scale) / scale)
    capacity_cell = round(width * 1.0 / scale)
    bar = Text()
    for cell in range(width):
        if cell == capacity_cell:
            bar.append("│", style="bold")
        bar.append("█" if cell < full else "░", style=BAR_STYLE[load.band] if cell < full else "dim")
    bar.append(f" {load.utilisation:.0%} {load.band.value.upper()}", style=BAND_STYLE[load.band])
    return bar
