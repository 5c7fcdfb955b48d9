"""The filters every steering page shares, kept in the URL so a link can be shared.

    /copil?territoire=35-REDON&periode=2024-T3       "Redon, T3 2024"
    periode=2024 (year) | 2024-T3 (quarter) | 2024-07 (month)
    du=2024-01&au=2024-06 (custom, whole months)

`parse_filters` reads a query string (French error for a bad value);
`filter_bar` draws the controls; callbacks/filters.py writes them back to the
URL. Without a period, pages show the year to date of the latest extraction.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from dash import dcc, html

from layouts import ids

YEAR = re.compile(r"^(\d{4})$")
QUARTER = re.compile(r"^(\d{4})-T([1-4])$", re.IGNORECASE)
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
KINDS = {"mois": "Mois", "trimestre": "Trimestre", "annee": "Année", "personnalise": "Période"}
MONTH_NAMES = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
FIRST_YEAR = 2019  # the 2019 contracting referential: nothing before is steered here


class FilterError(ValueError):
    """A filter value in the URL that means nothing: said in French."""


@dataclass(frozen=True)
class PageFilters:
    """What the URL asks for; `month_from`/`month_to` None = the default period."""

    territory: str | None = None
    kind: str = "annee"
    value: str | None = None
    month_from: str | None = None
    month_to: str | None = None

    def resolved(self, as_of: dt.date) -> PageFilters:
        """The default period made explicit: the year to date of `as_of`."""
        if self.month_from:
            return self
        return PageFilters(
            self.territory, "annee", str(as_of.year), f"{as_of.year}-01", _month(as_of)
        )

    @property
    def label(self) -> str:
        if not self.month_from or not self.month_to:
            return "Année en cours"
        if self.kind == "annee":
            return f"Année {self.value}"
        if self.kind == "trimestre":
            year, quarter = self.value.split("-T")
            return f"T{quarter} {year}"
        if self.month_from == self.month_to:
            return month_label(self.month_from).capitalize()
        return f"{month_label(self.month_from).capitalize()} – {month_label(self.month_to)}"

    def query(self, **changes: str | None) -> str:
        """The query string of these filters ("?territoire=...&periode=...")."""
        params = {"territoire": self.territory}
        if self.kind == "personnalise":
            params.update(du=self.month_from, au=self.month_to)
        else:
            params["periode"] = self.value
        params.update(changes)
        kept = {key: value for key, value in params.items() if value}
        return "?" + urlencode(kept) if kept else ""


def _month(day: dt.date) -> str:
    return f"{day.year}-{day.month:02d}"


def month_label(month: str) -> str:
    year, number = month.split("-")
    return f"{MONTH_NAMES[int(number) - 1]} {year}"


def month_end(month: str) -> dt.date:
    year, number = (int(part) for part in month.split("-"))
    return dt.date(year, number, calendar.monthrange(year, number)[1])


def period_months(value: str) -> tuple[str, str, str]:
    """(kind, first month, last month) of a `periode` value; FilterError when unreadable."""
    text = value.strip()
    if match := YEAR.match(text):
        year = _year(match[1])
        return "annee", f"{year}-01", f"{year}-12"
    if match := QUARTER.match(text):
        year, quarter = _year(match[1]), int(match[2])
        return "trimestre", f"{year}-{3 * quarter - 2:02d}", f"{year}-{3 * quarter:02d}"
    if match := MONTH.match(text):
        _year(match[1])
        return "mois", text, text
    raise FilterError(
        f"Période illisible : « {value} ». Formats acceptés : 2024, 2024-T3, 2024-07."
    )


def _year(text: str) -> int:
    year = int(text)
    if not FIRST_YEAR <= year <= 2100:
        raise FilterError(f"Année hors du champ du tableau de bord : {year}.")
    return year


def parse_filters(query: str | Mapping[str, str] | None) -> PageFilters:
    """The filters of a query string ("?territoire=...") or of Dash's layout(**query)."""
    if query is None:
        values: Mapping[str, str] = {}
    elif isinstance(query, str):
        values = dict(parse_qsl(query.lstrip("?")))
    else:
        values = query
    territory = (values.get("territoire") or "").strip().upper() or None
    if territory and not re.fullmatch(r"[A-Z0-9-]{2,32}", territory):
        raise FilterError("Code de territoire illisible dans l'adresse.")
    start, end = values.get("du"), values.get("au")
    if start or end:
        if not (start and end and MONTH.match(start) and MONTH.match(end)):
            raise FilterError("Période personnalisée : indiquez du=AAAA-MM et au=AAAA-MM.")
        _year(start[:4]), _year(end[:4])
        if start > end:
            raise FilterError(f"Le début ({start}) est postérieur à la fin ({end}).")
        return PageFilters(territory, "personnalise", None, start, end)
    value = values.get("periode")
    if not value:
        return PageFilters(territory)
    kind, first, last = period_months(value)
    return PageFilters(territory, kind, value.strip().upper(), first, last)


def period_options(kind: str, as_of: dt.date) -> list[dict[str, str]]:
    """The choices of the period list for one kind, newest first, up to `as_of`."""
    years = range(as_of.year, max(FIRST_YEAR, as_of.year - 4) - 1, -1)
    if kind == "annee":
        return [{"label": str(year), "value": str(year)} for year in years]
    if kind == "trimestre":
        return [
            {"label": f"T{q} {year}", "value": f"{year}-T{q}"}
            for year in years
            for q in range(4, 0, -1)
            if dt.date(year, 3 * q - 2, 1) <= as_of
        ]
    return [
        {"label": month_label(f"{year}-{m:02d}").capitalize(), "value": f"{year}-{m:02d}"}
        for year in years
        for m in range(12, 0, -1)
        if dt.date(year, m, 1) <= as_of
    ]


def filter_bar(filters: PageFilters) -> html.Div:
    """Territory (filled by callbacks/filters.py from the user's scope) and period."""
    custom = filters.kind == "personnalise"
    return html.Div(
        className="filter-bar",
        role="search",
        children=[
            html.Div(
                [
                    html.Label("Territoire", htmlFor=ids.FILTER_TERRITORY),
                    dcc.Dropdown(
                        id=ids.FILTER_TERRITORY,
                        value=filters.territory,
                        clearable=False,
                        searchable=False,
                    ),
                ],
                id=ids.FILTER_TERRITORY_BOX,
                className="filter filter-territory",
            ),
            html.Div(
                [
                    html.Label("Période", htmlFor=ids.FILTER_KIND),
                    dcc.RadioItems(
                        id=ids.FILTER_KIND,
                        options=[{"label": label, "value": kind} for kind, label in KINDS.items()],
                        value=filters.kind,
                        inline=True,
                        className="filter-kind",
                    ),
                ],
                className="filter",
            ),
            html.Div(
                dcc.Dropdown(
                    id=ids.FILTER_PERIOD,
                    value=filters.value,
                    clearable=False,
                    placeholder="Choisir…",
                ),
                className="filter filter-period",
                hidden=custom,
                id=ids.FILTER_PERIOD_BOX,
            ),
            html.Div(
                [
                    html.Label("Du", htmlFor=ids.FILTER_FROM),
                    dcc.Input(id=ids.FILTER_FROM, type="month", value=filters.month_from),
                    html.Label("au", htmlFor=ids.FILTER_TO),
                    dcc.Input(id=ids.FILTER_TO, type="month", value=filters.month_to),
                ],
                className="filter filter-custom",
                hidden=not custom,
                id=ids.FILTER_CUSTOM_BOX,
            ),
            html.P(id=ids.FILTER_FRESHNESS, className="freshness", role="status"),
        ],
    )
