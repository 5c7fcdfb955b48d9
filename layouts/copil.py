"""COPIL page (roles copil, national, admin): where the territory stands against its targets.

    /copil?territoire=35-REDON&periode=2024-T3             the page
    /copil?territoire=35-REDON&periode=2024-T3&dossier=1   the "Dossier COPIL", laid out
                                                            for A4 landscape printing
    /copil/dossier.pdf?territoire=...&periode=...           the same pack as a PDF
                                                            (dashboard/copil_pdf.py)

The layout holds the frame of the page; callbacks/copil.py fills it from the
URL (territory and period resolved on the server, figures from the cached facts).
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qs

from dash import dcc, html

from layouts import ids
from layouts.copil_definitions import definitions_view
from layouts.filters import FilterError, PageFilters, filter_bar, parse_filters
from metrics.breakdown import DIMENSION_LABELS, Dimension
from metrics.registry import REGISTRY

PATH = "/copil"
TITLE = "COPIL · Pilotage RSA"
PDF_PATH = "/copil/dossier.pdf"
# The headline indicators, in the order of the cards (callbacks/copil_data.py imports them).
HEADLINE_CODES = (
    "taux_orientes_15j",
    "taux_orientation",
    "delai_premier_accompagnement_median_j",
    "taux_contrat_engagement",
    "part_intensif_15h",
    "taux_retour_emploi",
    "taux_retour_emploi_durable",
    "taux_sortie_rsa",
    "taille_portefeuille_moyenne",
)
SPLIT_CODES = ("repartition_dominante", "repartition_organisme")
BREAKDOWN_CODES = tuple(code for code in HEADLINE_CODES if REGISTRY[code].unit == "%")
BREAKDOWN_DIMENSIONS = (
    Dimension.AGE_BAND,
    Dimension.SEX,
    Dimension.SITE,
    Dimension.SENIORITY,
    Dimension.FAMILY_SITUATION,
    Dimension.EDUCATION_LEVEL,
    Dimension.COHORTE,
)
# A filter change renders the page again: the choices below survive it (browser session).
KEEP_CHOICE = {"persistence": True, "persistence_type": "session"}
SCOPES = {
    "stock": "Personnes orientées à la date des données",
    "flux": "Orientations de la période",
}


def is_dossier(query: Mapping[str, str] | str | None) -> bool:
    """True when the URL asks for the print-ready dossier (`dossier=1`)."""
    if isinstance(query, str):
        return parse_qs(query.lstrip("?")).get("dossier") == ["1"]
    return bool(query) and query.get("dossier") == "1"


def _options(codes: tuple[str, ...]) -> list[dict[str, str]]:
    return [{"label": REGISTRY[code].label, "value": code} for code in codes]


def _section(title: str, *children: object, **props: object) -> html.Section:
    return html.Section([html.H2(title), *children], className="copil-section", **props)


def _loading(component_id: str, class_name: str = "") -> dcc.Loading:
    return dcc.Loading(html.Div(id=component_id, className=class_name), type="dot")


def _links(filters: PageFilters) -> html.Div:
    return html.Div(
        [
            html.A(
                "Ouvrir le dossier COPIL à imprimer",
                href=PATH + filters.query(dossier="1"),
                id=ids.COPIL_DOSSIER_LINK,
                className="button",
            ),
            html.A(
                "Télécharger le dossier en PDF",
                href=PDF_PATH + filters.query(),
                id=ids.COPIL_PDF_LINK,
                className="button button-secondary",
                download="",
            ),
        ],
        className="copil-actions no-print",
    )


def _selector(label: str, control: object, control_id: str) -> html.Div:
    return html.Div([html.Label(label, htmlFor=control_id), control], className="filter")


def page_layout(filters: PageFilters) -> html.Div:
    trajectory_choice = dcc.Dropdown(
        id=ids.COPIL_TRAJECTORY_INDICATOR,
        options=_options(HEADLINE_CODES),
        value=HEADLINE_CODES[0],
        clearable=False,
        **KEEP_CHOICE,
    )
    scope_choice = dcc.RadioItems(
        id=ids.COPIL_SPLIT_SCOPE,
        options=[{"label": label, "value": scope} for scope, label in SCOPES.items()],
        value="stock",
        inline=True,
        className="filter-kind",
        **KEEP_CHOICE,
    )
    indicator_choice = dcc.Dropdown(
        id=ids.COPIL_BREAKDOWN_INDICATOR,
        options=_options(BREAKDOWN_CODES),
        value=BREAKDOWN_CODES[0],
        clearable=False,
        **KEEP_CHOICE,
    )
    dimension_choice = dcc.Dropdown(
        id=ids.COPIL_BREAKDOWN_DIMENSION,
        options=[{"label": DIMENSION_LABELS[d], "value": d.value} for d in BREAKDOWN_DIMENSIONS],
        value=Dimension.AGE_BAND.value,
        clearable=False,
        **KEEP_CHOICE,
    )
    return html.Div(
        [
            html.H1("Comité de pilotage"),
            filter_bar(filters),
            html.Div(id=ids.COPIL_HEADING, className="copil-heading", role="status"),
            _links(filters),
            _section("Indicateurs clés", _loading(ids.COPIL_CARDS, "copil-cards")),
            _section(
                "Trajectoires",
                html.Div(
                    _selector("Indicateur", trajectory_choice, ids.COPIL_TRAJECTORY_INDICATOR),
                    className="copil-controls",
                ),
                _loading(ids.COPIL_TRAJECTORY),
            ),
            _section("Parcours des nouveaux entrants", _loading(ids.COPIL_FUNNEL)),
            _section(
                "Répartition des personnes orientées",
                html.Div(
                    _selector("Champ", scope_choice, ids.COPIL_SPLIT_SCOPE),
                    className="copil-controls",
                ),
                _loading(ids.COPIL_SPLITS, "copil-two-columns"),
            ),
            _section(
                "Ventilation d'un indicateur",
                html.Div(
                    [
                        _selector("Indicateur", indicator_choice, ids.COPIL_BREAKDOWN_INDICATOR),
                        _selector("Ventiler par", dimension_choice, ids.COPIL_BREAKDOWN_DIMENSION),
                    ],
                    className="copil-controls",
                ),
                _loading(ids.COPIL_BREAKDOWN),
            ),
            _section("Feuille de route", _loading(ids.COPIL_ROADMAP)),
            definitions_view([*HEADLINE_CODES, *SPLIT_CODES]),
        ],
        className="copil-page",
    )


def dossier_layout(filters: PageFilters) -> html.Div:
    """The pack laid out for A4 landscape (assets/copil.css print rules)."""
    toolbar = html.Div(
        [
            html.A("Retour à la page COPIL", href=PATH + filters.query(), className="button-link"),
            html.Button("Imprimer", id=ids.COPIL_PRINT, className="button", n_clicks=0),
            html.A(
                "Télécharger le PDF",
                href=PDF_PATH + filters.query(),
                id=ids.COPIL_PDF_LINK,
                className="button button-secondary",
                download="",
            ),
        ],
        className="copil-actions no-print",
    )
    return html.Div(
        [
            toolbar,
            html.Header(
                [
                    html.H1("Dossier COPIL"),
                    html.Div(id=ids.COPIL_HEADING, className="copil-heading"),
                ],
                className="copil-dossier-title",
            ),
            _section("Indicateurs clés", _loading(ids.COPIL_CARDS, "copil-cards")),
            _section(
                "Trajectoires des indicateurs ciblés",
                _loading(ids.COPIL_DOSSIER_TRAJECTORIES, "copil-dossier-charts"),
                **{"data-break": "before"},
            ),
            _section(
                "Parcours des nouveaux entrants",
                _loading(ids.COPIL_FUNNEL),
                **{"data-break": "before"},
            ),
            _section("Feuille de route", _loading(ids.COPIL_ROADMAP), **{"data-break": "before"}),
            definitions_view([*HEADLINE_CODES, *SPLIT_CODES]),
        ],
        className="copil-page copil-dossier",
    )


def layout(**query: str) -> html.Div:
    try:
        filters = parse_filters(query)
    except FilterError as error:
        return html.Div(
            [
                html.H1("Comité de pilotage"),
                html.Div(str(error), className="page-error", role="alert"),
            ]
        )
    return dossier_layout(filters) if is_dossier(query) else page_layout(filters)
