"""The shared filter bar: territory choices from the user's scope, period lists, the URL.

The URL's query string is the filters' only state: changing a control writes
it (dcc.Location refresh=False), and the pages read it back.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl

import dash
from dash import Input, Output, State, no_update
from flask_login import current_user

from dashboard.scope import ScopeError, resolve_territory, territory_choices
from dashboard.state import get_state, open_session
from layouts import ids
from layouts.filters import FilterError, PageFilters, parse_filters, period_options
from layouts.format import format_date
from layouts.home import SOURCE_LABELS

SHARED_KEYS = frozenset({"territoire", "periode", "du", "au"})


def page_params(search: str | None) -> dict[str, str]:
    """The query parameters a page adds to the shared ones (kept when the filters change)."""
    return {
        key: value for key, value in parse_qsl((search or "").lstrip("?")) if key not in SHARED_KEYS
    }


def _filters(search: object) -> PageFilters:
    if search is not None and not isinstance(search, str):
        return PageFilters()  # a forged payload: the user's defaults, nothing more
    try:
        return parse_filters(search)
    except FilterError:
        return PageFilters()


def freshness_text(extractions: dict[str, dt.date]) -> str:
    """ "Données SOLIS au 12/03/2024 · France Travail au 10/03/2024", or why not."""
    if not extractions:
        return "Aucune donnée chargée pour ce territoire."
    parts = [
        f"{SOURCE_LABELS.get(source, source)} au {format_date(day)}"
        for source, day in sorted(extractions.items())
    ]
    return "Données " + " · ".join(parts)


def register(app: dash.Dash) -> None:
    @app.callback(
        Output(ids.FILTER_TERRITORY, "options"),
        Output(ids.FILTER_TERRITORY, "placeholder"),
        Output(ids.FILTER_TERRITORY_BOX, "hidden"),
        Output(ids.FILTER_FRESHNESS, "children"),
        Input(ids.URL, "search"),
        # The bar's own id: a page inserted by the router only fires callbacks with an
        # input inside it, so without this the bar would stay empty on first load.
        Input(ids.FILTER_TERRITORY_BOX, "id"),
    )
    def fill_territories(search: str | None, _bar: str):
        filters = _filters(search)
        with open_session() as db:
            choices = territory_choices(db, current_user)
            try:
                territory = resolve_territory(db, current_user, filters.territory)
            except ScopeError as error:
                return [], "", len(choices) < 2, error.message
            facts = get_state().facts_cache.get(db, territory)
        options = [{"label": f"{c.name} ({c.code})", "value": c.code} for c in choices]
        return options, territory.name, len(choices) < 2, freshness_text(facts.extractions)

    @app.callback(
        Output(ids.FILTER_PERIOD, "options"),
        Output(ids.FILTER_PERIOD, "value"),
        Output(ids.FILTER_PERIOD_BOX, "hidden"),
        Output(ids.FILTER_CUSTOM_BOX, "hidden"),
        Input(ids.FILTER_KIND, "value"),
        State(ids.URL, "search"),
    )
    def fill_periods(kind: str | None, search: str | None):
        if kind == "personnalise":
            return [], None, True, False
        filters = _filters(search)
        with open_session() as db:
            try:
                territory = resolve_territory(db, current_user, filters.territory)
            except ScopeError:
                return [], None, False, True
            facts = get_state().facts_cache.get(db, territory)
        as_of = facts.latest_solis or dt.date.today()
        options = period_options(kind or "annee", as_of)
        values = [option["value"] for option in options]
        value = filters.value if filters.value in values else (values[0] if values else None)
        return options, value, False, True

    @app.callback(
        Output(ids.URL, "search"),
        Input(ids.FILTER_TERRITORY, "value"),
        Input(ids.FILTER_PERIOD, "value"),
        Input(ids.FILTER_FROM, "value"),
        Input(ids.FILTER_TO, "value"),
        State(ids.FILTER_KIND, "value"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def write_url(territory, period, month_from, month_to, kind, search):
        current = _filters(search)
        if kind == "personnalise":
            if not (month_from and month_to):
                return no_update
            wanted = PageFilters(territory, kind, None, month_from, month_to)
        else:
            if not period:
                return no_update
            wanted = PageFilters(territory, kind or "annee", period)
        query = wanted.query(**page_params(search))
        if query == (search or "") or (wanted == current):
            return no_update
        return query
