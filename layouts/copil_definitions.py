"""The definitions panel of the COPIL page: every figure of the page links to one entry.

An indicator's entry is its registry label, unit, direction and French
definition (`REGISTRY[code].definition_fr`, the text of docs/indicators.md;
backquoted names of the code show as code); the funnel's is written here in
French, step by step (metrics/funnel.py holds the rule). A link's tooltip is
the definition in plain text.
"""

from __future__ import annotations

import re

from dash import html

from layouts import ids
from layouts.copil_format import DIRECTION_TEXT
from metrics.registry import REGISTRY

FUNNEL_ANCHOR = "copil-def-parcours"
# What each funnel step counts (metrics/funnel.py, docs/indicators.md), in French.
FUNNEL_HELP = (
    ("Nouveaux entrants", "les nouveaux entrants de la période (voir « Nouveaux entrants »)."),
    (
        "Invités",
        "invités à un rendez-vous d'orientation ou d'accompagnement (date d'invitation, ou "
        "à défaut date du rendez-vous) entre l'entrée et la date des données.",
    ),
    ("Présents", "présents à un tel rendez-vous, tenu entre l'entrée et la date des données."),
    ("Orientés", "orientation d'entrée notifiée au plus tard à la date des données."),
    ("Orientés en 15 jours", "notifiée au plus tard à T0 + 14 jours (T0 compté comme jour 1)."),
    ("Contrat", "contrat d'engagement (CER, PPAE, CE, CEJ) signé depuis l'entrée."),
    (
        "Intensif",
        "4 semaines consécutives complètes depuis l'entrée totalisant au moins 60 heures "
        "d'activité (15 heures par semaine en moyenne).",
    ),
    ("Emploi", "un emploi (tout contrat) commencé depuis l'entrée."),
)


CODE_SPAN = re.compile(r"`([^`]*)`")
FUNNEL_TITLE = "Définition : parcours des nouveaux entrants, étape par étape."


def plain_definition(code: str) -> str:
    """The French definition of `code` without the code quotes (tooltips, PDF)."""
    return CODE_SPAN.sub(r"\1", REGISTRY[code].definition_fr)


def definition_parts(text: str) -> list:
    """A definition as Dash children: backquoted names as <code>, the rest as text."""
    pieces = CODE_SPAN.split(text)
    # split() alternates text and captured names: odd indexes are the backquoted names.
    return [html.Code(piece) if index % 2 else piece for index, piece in enumerate(pieces) if piece]


def definition_link(code: str, text: str, **props: object) -> html.A:
    """`text` as a link to the definition of `code`; its tooltip is the French definition."""
    if code in REGISTRY:
        title = f"{REGISTRY[code].label} : {plain_definition(code)}"
    else:
        title = FUNNEL_TITLE
    return html.A(text, href=f"#copil-def-{code}", title=title, **props)


def _definition(code: str) -> html.Div:
    indicator = REGISTRY[code]
    return html.Div(
        [
            html.H3(indicator.label),
            html.P(
                f"Code {code} · unité : {indicator.unit} · {DIRECTION_TEXT[indicator.direction]}",
                className="copil-definition-meta",
            ),
            html.P(definition_parts(indicator.definition_fr), className="copil-doc"),
        ],
        id=f"copil-def-{code}",
        className="copil-definition",
        tabIndex="-1",
    )


def definitions_view(codes: list[str]) -> html.Section:
    """The definitions panel: each indicator's label, unit, direction and definition."""
    funnel = html.Div(
        [
            html.H3("Parcours des nouveaux entrants"),
            html.P(
                "Chaque étape est datée entre l'entrée de la personne (début des droits et "
                "devoirs) et la date des données. « Sur le parcours complet » compte les "
                "personnes qui ont franchi l'étape et toutes celles d'avant ; « toute la "
                "cohorte » compte celles qui ont franchi l'étape, quel que soit le reste.",
            ),
            html.Ul([html.Li([html.Strong(name), " : ", text]) for name, text in FUNNEL_HELP]),
        ],
        id=FUNNEL_ANCHOR,
        className="copil-definition",
        tabIndex="-1",
    )
    return html.Section(
        [
            html.H2("Définitions des indicateurs"),
            html.P(
                "Définitions de la documentation des indicateurs. « as_of » est la date des "
                "données (dernière extraction SOLIS, ou fin de la période pour les "
                "indicateurs de stock d'une période passée).",
                className="copil-definitions-note",
            ),
            *[_definition(code) for code in codes],
            funnel,
        ],
        id=ids.COPIL_DEFINITIONS,
        className="copil-definitions",
        **{"aria-label": "Définitions"},
    )
