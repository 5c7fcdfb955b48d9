"""COMOP page: who waits too long, where, and which portfolios are overloaded.

Four lists of people (and referents) behind the late figures of the COPIL,
narrowed by site, organisme, referent and week, and the week-on-week change
per site. The controls write their values into the URL (layouts/comop_query.py)
so a link opens the same view; callbacks/comop.py fills everything from the
server-side scope. Person-level rows reach only the roles of this page.
"""

from __future__ import annotations

import dash_ag_grid as dag
from dash import dcc, html

from layouts import ids
from layouts.comop_lists import ORGANISME_LABELS, TAB_LABELS
from layouts.comop_query import ComopQuery, parse_comop_query
from layouts.filters import FilterError, filter_bar, parse_filters

PATH = "/comop"
TITLE = "COMOP · Pilotage RSA"
PAGE_SIZE = 20
# The grid's own words, in French (pagination and filter menus).
LOCALE_TEXT = {
    "page": "Page",
    "of": "sur",
    "to": "à",
    "more": "plus",
    "firstPage": "Première page",
    "previousPage": "Page précédente",
    "nextPage": "Page suivante",
    "lastPage": "Dernière page",
    "pageSizeSelectorLabel": "Lignes par page :",
    "noRowsToShow": "Aucune ligne à afficher",
    "loadingOoo": "Chargement…",
    "filterOoo": "Filtrer…",
    "equals": "Égal à",
    "notEqual": "Différent de",
    "contains": "Contient",
    "notContains": "Ne contient pas",
    "startsWith": "Commence par",
    "endsWith": "Se termine par",
    "lessThan": "Inférieur à",
    "greaterThan": "Supérieur à",
    "lessThanOrEqual": "Inférieur ou égal à",
    "greaterThanOrEqual": "Supérieur ou égal à",
    "inRange": "Entre",
    "blank": "Vide",
    "notBlank": "Non vide",
    "andCondition": "ET",
    "orCondition": "OU",
    "applyFilter": "Appliquer",
    "resetFilter": "Réinitialiser",
    "clearFilter": "Effacer",
}


def _control(component_id: str, label: str, placeholder: str, **props: object) -> html.Div:
    return html.Div(
        [
            html.Label(label, htmlFor=component_id),
            dcc.Dropdown(id=component_id, placeholder=placeholder, **props),
        ],
        className="filter comop-control",
    )


def controls(query: ComopQuery) -> html.Div:
    """Site, organisme, referent and week; options of the first and last two come from the
    server (the user's territory)."""
    organismes = [{"label": label, "value": code} for code, label in ORGANISME_LABELS.items()]
    return html.Div(
        [
            _control(ids.COMOP_SITE, "Site", "Tous les sites", value=query.site),
            _control(
                ids.COMOP_ORGANISME,
                "Organisme",
                "Tous les organismes",
                value=query.organisme,
                options=organismes,
            ),
            _control(ids.COMOP_REFERENT, "Référent", "Tous les référents", value=query.referent),
            _control(
                ids.COMOP_WEEK,
                "Semaine",
                "Dernière extraction",
                value=query.semaine,
                searchable=False,
            ),
        ],
        className="comop-controls",
        role="group",
        **{"aria-label": "Filtres opérationnels"},
    )


def list_panel(query: ComopQuery) -> html.Section:
    """The tabs of the four lists and the grid of the open one, with its exports."""
    tabs = dcc.Tabs(
        id=ids.COMOP_TABS,
        value=query.liste,
        children=[dcc.Tab(label=label, value=code) for code, label in TAB_LABELS.items()],
        className="comop-tabs",
    )
    grid = dag.AgGrid(
        id=ids.COMOP_GRID,
        rowData=[],
        columnDefs=[],
        defaultColDef={"sortable": True, "filter": True, "resizable": True, "floatingFilter": True},
        columnSize="autoSize",
        dashGridOptions={
            "pagination": True,
            "paginationPageSize": PAGE_SIZE,
            "paginationPageSizeSelector": [PAGE_SIZE, 50, 100],
            "domLayout": "autoHeight",
            "localeText": LOCALE_TEXT,
            "enableCellTextSelection": True,
        },
        className="ag-theme-quartz comop-grid",
    )
    exports = html.Div(
        [
            html.Button("Exporter en CSV", id=ids.COMOP_CSV, className="button-secondary"),
            html.Button("Exporter en Excel", id=ids.COMOP_XLSX, className="button-secondary"),
            dcc.Download(id=ids.COMOP_DOWNLOAD),
        ],
        className="comop-exports",
    )
    return html.Section(
        [
            tabs,
            html.H2(id=ids.COMOP_LIST_TITLE),
            html.Div(id=ids.COMOP_LIST_NOTE, className="comop-note"),
            exports,
            dcc.Loading(
                [
                    html.P(id=ids.COMOP_LIST_EMPTY, className="empty", role="status"),
                    grid,
                ]
            ),
        ],
        className="comop-section",
        **{"aria-label": "Listes opérationnelles"},
    )


def layout(**query: str) -> html.Div:
    try:
        filters = parse_filters(query)
        comop = parse_comop_query(query)
    except FilterError as error:
        return html.Div(str(error), className="page-error", role="alert")
    return html.Div(
        [
            # An input inside the page: Dash fires the callbacks of a page inserted by the
            # router only for inputs it brings (the URL is the frame's).
            dcc.Store(id=ids.COMOP_PAGE, data=PATH),
            filter_bar(filters),
            html.H1("Suivi opérationnel (COMOP)"),
            html.P(
                "Qui attend trop longtemps, où, et quels portefeuilles débordent : les personnes "
                "derrière les chiffres hors délai du COPIL, semaine par semaine.",
                className="lead",
            ),
            controls(comop),
            html.Div(id=ids.COMOP_ERROR, role="alert"),
            html.P(id=ids.COMOP_SEEN, className="freshness", role="status"),
            list_panel(comop),
            html.Section(
                [
                    html.H2("Évolution sur une semaine, par site"),
                    dcc.Loading(html.Div(id=ids.COMOP_WEEKLY)),
                ],
                className="comop-section",
            ),
        ]
    )
