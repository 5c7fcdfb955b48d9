"""Imports and data quality page (administrators): upload, history, quarantine, freshness.

The page's own controls (source of the upload, history filter, quarantine
editor) are its state; the territory is the administrator's own, resolved on
the server (callbacks/imports.py). Views of the data: layouts/imports_views.py;
the quarantine editor: layouts/imports_editor.py.
"""

from __future__ import annotations

from dash import dcc, html
from flask import current_app

from dashboard.imports import CONNECTORS
from dashboard.state import get_state
from dashboard.web_upload import human_size, upload_limit
from layouts import ids
from layouts.imports_editor import editor_panel

PATH = "/imports"
TITLE = "Imports et qualité · Pilotage RSA"

SOURCE_NAMES = {
    "solis": "SOLIS",
    "france-travail": "France Travail",
    "mission-locale": "Mission locale (i-milo)",
    "rdv": "Rendez-vous (rdv-insertion, agenda)",
    "roadmap": "Feuille de route",
    "targets": "Cibles et trajectoires",
    "demo": "Démonstration",
    "manual": "Saisie manuelle",
}
ACCEPTED = ".csv,.txt,.tsv,.xlsx,.xls"


def source_name(source: object) -> str:
    return SOURCE_NAMES.get(str(source), str(source))


def source_options(with_all: bool = False) -> list[dict[str, str]]:
    options = [{"label": source_name(source), "value": source} for source in CONNECTORS]
    return ([{"label": "Toutes les sources", "value": ""}] if with_all else []) + options


def _section(title: str, *children: object, section_id: str | None = None) -> html.Section:
    extra = {"id": section_id} if section_id else {}
    return html.Section([html.H2(title), *children], className="imports-section", **extra)


def upload_form(limit: int) -> html.Div:
    return html.Div(
        className="upload-form",
        children=[
            html.Div(
                [
                    html.Label("Source du fichier", htmlFor=ids.IMPORTS_SOURCE),
                    dcc.Dropdown(
                        id=ids.IMPORTS_SOURCE,
                        options=source_options(),
                        placeholder="Choisir la source…",
                        clearable=False,
                        searchable=False,
                    ),
                ],
                className="upload-field",
            ),
            html.Div(
                [
                    html.Label("Date d'extraction (facultative)", htmlFor=ids.IMPORTS_EXTRACTED_ON),
                    dcc.Input(id=ids.IMPORTS_EXTRACTED_ON, type="date"),
                    html.Small("Par défaut : la date du nom du fichier, sinon aujourd'hui."),
                ],
                className="upload-field",
            ),
            dcc.Checklist(
                id=ids.IMPORTS_OPTIONS,
                options=[{"label": " Vérifier sans rien enregistrer", "value": "dry_run"}],
                value=[],
                className="upload-options",
            ),
            dcc.Upload(
                id=ids.IMPORTS_UPLOAD,
                children=html.Div(
                    [
                        "Glissez le fichier ici ou ",
                        html.Span("choisissez-le", className="upload-link"),
                        f" (CSV, xlsx ou xls, {human_size(limit)} au plus)",
                    ]
                ),
                accept=ACCEPTED,
                max_size=limit,
                multiple=False,
                className="upload-zone",
            ),
        ],
    )


def layout(**_query: str) -> html.Div:
    limit = upload_limit(
        get_state().settings.max_upload_mb, current_app.config.get("MAX_CONTENT_LENGTH")
    )
    return html.Div(
        className="imports-page",
        children=[
            dcc.Store(id=ids.IMPORTS_REFRESH, data=0),
            html.H1("Imports et qualité des données"),
            html.P(
                "Chargez les exports des sources, suivez les lots importés et corrigez les "
                "lignes rejetées sans réexporter tout le fichier.",
                className="lead",
            ),
            html.Div(id=ids.IMPORTS_PAGE_ERROR),
            _section(
                "Importer un fichier",
                upload_form(limit),
                html.P(
                    "Les fichiers plus volumineux s'importent avec la commande "
                    "« pilotage import » ou le dossier surveillé (PILOTAGE_IMPORT_DIR).",
                    className="hint",
                ),
                dcc.Loading(
                    html.Div(id=ids.IMPORTS_REPORT, role="status", **{"aria-live": "polite"}),
                    type="default",
                ),
            ),
            _section("Fraîcheur des données par source", html.Div(id=ids.IMPORTS_FRESHNESS)),
            _section(
                "Rapprochement entre sources",
                html.P(
                    "Part des personnes présentes dans une source qui sont aussi connues d'une "
                    "autre source du territoire (même pseudonyme).",
                    className="hint",
                ),
                dcc.Loading(html.Div(id=ids.IMPORTS_MATCH)),
            ),
            _section(
                "Historique des imports",
                html.Div(
                    [
                        html.Label(
                            "Source (historique et quarantaine)",
                            htmlFor=ids.IMPORTS_FILTER_SOURCE,
                        ),
                        dcc.Dropdown(
                            id=ids.IMPORTS_FILTER_SOURCE,
                            options=source_options(with_all=True),
                            value="",
                            clearable=False,
                            searchable=False,
                        ),
                    ],
                    className="history-filter",
                ),
                dcc.Loading(html.Div(id=ids.IMPORTS_HISTORY)),
            ),
            _section("Colonnes inconnues", html.Div(id=ids.IMPORTS_UNKNOWN_COLUMNS)),
            _section(
                "Lignes en quarantaine",
                html.Div(id=ids.IMPORTS_QUARANTINE),
                editor_panel(),
            ),
        ],
    )
