"""The page shown for an address that matches no page (Dash's `not_found_404`)."""

from __future__ import annotations

from dash import html

MODULE = "not_found_404"  # the module name Dash looks up for unknown paths
TITLE = "Page introuvable · Pilotage RSA"


def layout(**_query: str) -> html.Div:
    return html.Div(
        [
            html.H1("Page introuvable"),
            html.P(
                "Cette adresse ne correspond à aucune page du tableau de bord. "
                "Vérifiez le lien reçu, ou revenez à l'accueil.",
                className="lead",
                id="not-found-message",
            ),
            html.A("Revenir à l'accueil", href="/"),
        ]
    )
