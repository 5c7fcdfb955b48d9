"""The week-on-week table of the COMOP page: each list's size and the 15-day orientation
rate per site, at the end of the week looked at and of the week before."""

from __future__ import annotations

import datetime as dt

from dash import html

from layouts.comop_lists import TAB_LABELS
from layouts.format import format_count, format_date
from metrics.operational_lists import LISTS
from metrics.operational_weekly import SiteWeek

RATE_HEADER = "Orientés en 15 jours et moins"
UNKNOWN_SITE = "Site non renseigné"
TOTAL = "Ensemble"


def _signed(value: int | float, unit: str = "") -> str:
    text = f"{value:+,.1f}" if isinstance(value, float) else f"{value:+,d}"
    return text.replace(",", "\u202f").replace(".", ",") + unit


def _change(value: int | float | None, worse_when_up: bool, unit: str = "") -> html.Span:
    """`+3` / `-2` / `=`, coloured by whether it is good news."""
    if value is None:
        return html.Span(" (n.d.)", className="comop-delta")
    if value == 0:
        return html.Span(" (=)", className="comop-delta", title="Inchangé sur une semaine")
    better = (value < 0) if worse_when_up else (value > 0)
    return html.Span(
        f" ({_signed(value, unit)})",
        className="comop-delta " + ("comop-delta-better" if better else "comop-delta-worse"),
        title="Évolution sur une semaine",
    )


def _rate(value: float | None) -> str:
    return "n.d." if value is None else f"{value:.1f}".replace(".", ",") + " %"


def _row(row: SiteWeek) -> html.Tr:
    name = TOTAL if row.total else (row.site or UNKNOWN_SITE)
    cells = [html.Th(name, scope="row")]
    for code in LISTS:
        now = row.now.counts.get(code, 0)
        cells.append(html.Td([format_count(now), _change(row.change(code), True)]))
    cells.append(html.Td([_rate(row.now.rate), _change(row.rate_change, False, " pt")]))
    return html.Tr(cells, className="comop-total" if row.total else None)


def _nothing(rows: list[SiteWeek]) -> bool:
    """No site, and nothing counted on either day."""
    if len(rows) > 1:
        return False
    return all(
        not any(figures.counts.values()) and figures.counted == 0
        for row in rows
        for figures in (row.now, row.before)
    )


def weekly_view(rows: list[SiteWeek], seen: dt.date) -> list:
    """The table, with its caption; in words when there is nothing to compare."""
    before = seen - dt.timedelta(days=7)
    caption = (
        f"Au {format_date(seen)}, entre parenthèses l'écart avec le {format_date(before)} "
        "(une semaine plus tôt), sur la période choisie et avec les filtres choisis."
    )
    if _nothing(rows):
        return [html.P("Aucune donnée à comparer d'une semaine sur l'autre.", className="empty")]
    header = html.Tr(
        [html.Th("Site", scope="col")]
        + [html.Th(TAB_LABELS[code], scope="col") for code in LISTS]
        + [html.Th(RATE_HEADER, scope="col")]
    )
    return [
        html.Table(
            [html.Caption(caption), html.Thead(header), html.Tbody([_row(row) for row in rows])],
            className="table comop-weekly-table",
        )
    ]
