"""Home page: what the territory holds and how fresh its data is."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from dash import dcc, html

from layouts import ids
from layouts.format import format_count, format_date
from metrics.disclosure import suppress_small_count

PATH = "/"
TITLE = "Accueil · Pilotage RSA"


def layout(**_query: str) -> html.Div:
    return html.Div(
        [
            dcc.Location(id=ids.HOME_LOCATION, refresh=False),
            html.H1("Tableau de bord du territoire"),
            html.P(
                "Vue d'ensemble des données chargées pour votre territoire. Les pages COPIL, "
                "COMOP et équipe projet s'appuient sur ces données.",
                className="lead",
            ),
            html.Div(id=ids.HOME_FRESHNESS, className="freshness", role="status"),
            dcc.Loading(html.Div(id=ids.HOME_SUMMARY, className="card-grid")),
        ]
    )


SOURCE_LABELS = {
    "solis": "SOLIS",
    "france-travail": "France Travail",
    "mission-locale": "Mission locale",
    "rdv": "rendez-vous",
    "roadmap": "feuille de route",
    "targets": "cibles",
    "demo": "démonstration",
    "manual": "saisie manuelle",
}

CARD_LABELS = {
    "beneficiaries": "Bénéficiaires connus",
    "subject_to_duties": "Soumis aux droits et devoirs (droits ouverts)",
    "oriented": "Personnes orientées",
    "referents": "Référents",
    "sites": "Sites (CDAS, agences)",
    "roadmap_actions": "Actions de la feuille de route",
}


def _shown(value: int, aggregates_only: bool, threshold: int) -> str:
    shown = suppress_small_count(value, threshold) if aggregates_only else value
    return format_count(shown, threshold)


def summary_view(summary: pd.DataFrame, aggregates_only: bool, threshold: int) -> list:
    """Cards for one territory, a table for several (national level)."""
    if summary.empty:
        return [html.P("Aucun territoire n'est rattaché à votre compte.", className="empty")]
    if len(summary) == 1:
        row = summary.iloc[0]
        return [
            html.Div(
                [
                    html.P(label, className="card-label"),
                    html.P(
                        _shown(int(row[key]), aggregates_only, threshold),
                        className="card-value",
                        id={"type": "home-card", "code": key},
                    ),
                ],
                className="card",
            )
            for key, label in CARD_LABELS.items()
        ]
    header = html.Tr([html.Th("Territoire")] + [html.Th(label) for label in CARD_LABELS.values()])
    body = [
        html.Tr(
            [html.Td(f"{row['name']} ({row['code']})")]
            + [html.Td(_shown(int(row[key]), aggregates_only, threshold)) for key in CARD_LABELS]
        )
        for _, row in summary.iterrows()
    ]
    return [html.Table([html.Thead(header), html.Tbody(body)], className="table")]


def freshness_view(latest: dict[str, dt.date]) -> str:
    if not latest:
        return "Aucune donnée importée pour l'instant."
    parts = [
        f"Données {SOURCE_LABELS.get(source, source)} au {format_date(day)}"
        for source, day in sorted(latest.items())
    ]
    return " · ".join(parts)
