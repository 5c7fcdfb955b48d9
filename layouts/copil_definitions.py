"""The definitions panel of the COPIL page: every figure of the page links to one entry.

An indicator's entry is its registry label, unit, direction and definition
(the compute function's docstring, `REGISTRY[code].doc`); the funnel's is
written here in French, step by step (metrics/funnel.py holds the rule).
"""

from __future__ import annotations

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


def paragraphs(doc: str) -> list[str]:
    """A docstring's paragraphs, each on one line (the source wraps them at 100 columns)."""
    return [" ".join(block.split()) for block in doc.split("\n\n") if block.strip()]


def definition_link(code: str, text: str, **props: object) -> html.A:
    """`text` as a link to the definition of `code` in the page's definitions panel."""
    label = REGISTRY[code].label if code in REGISTRY else "parcours des nouveaux entrants"
    return html.A(text, href=f"#copil-def-{code}", title=f"Définition : {label}", **props)


def _definition(code: str) -> html.Div:
    indicator = REGISTRY[code]
    return html.Div(
        [
            html.H3(indicator.label),
            html.P(
                f"Code {code} · unité : {indicator.unit} · {DIRECTION_TEXT[indicator.direction]}",
                className="copil-definition-meta",
            ),
            *[html.P(text, className="copil-doc", lang="en") for text in paragraphs(indicator.doc)],
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
                "Texte de référence du calcul (en anglais, tel qu'il figure dans le code) ; la "
                "version française détaillée est dans la documentation des indicateurs.",
                className="copil-definitions-note",
            ),
            *[_definition(code) for code in codes],
            funnel,
        ],
        id=ids.COPIL_DEFINITIONS,
        className="copil-definitions",
        **{"aria-label": "Définitions"},
    )
