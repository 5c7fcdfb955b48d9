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
    "rdv": "de rendez-vous",
    "roadmap": "de la feuille de route",
    "targets": "des cibles",
    "demo": "de démonstration",
    "manual": "saisies à la main",
}

CARD_LABELS = {
    "beneficiaries": "Bénéficiaires connus",
    "subject_to_duties": "Soumis aux droits et devoirs (droits ouverts)",
    "oriented": "Personnes ayant reçu une orientation",
    "referents": "Référents",
    "sites": "Sites (CDAS, agences)",
    "roadmap_actions": "Actions de la feuille de route",
}
# Counts of beneficiaries: hidden under the disclosure threshold for
# aggregate-only roles. Referents, sites and actions reveal no beneficiary.
PEOPLE_COUNTS = frozenset({"beneficiaries", "subject_to_duties", "oriented"})


def _shown(key: str, value: int, aggregates_only: bool, threshold: int) -> str:
    if aggregates_only and key in PEOPLE_COUNTS:
        return format_count(suppress_small_count(value, threshold), threshold)
    return format_count(value)


def summary_view(
    summary: pd.DataFrame, aggregates_only: bool, threshold: int, per_territory: bool
) -> list:
    """Cards for the user's territory, or a table with one row per territory (national)."""
    if summary.empty:
        return [html.P("Aucun territoire n'est rattaché à votre compte.", className="empty")]
    if not per_territory and len(summary) == 1:
        row = summary.iloc[0]
        return [
            html.Div(
                [
                    html.P(label, className="card-label"),
                    html.P(
                        _shown(key, int(row[key]), aggregates_only, threshold),
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
            + [
                html.Td(_shown(key, int(row[key]), aggregates_only, threshold))
                for key in CARD_LABELS
            ]
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
