"""Components of the COPIL page filled by its callbacks: cards, tables, definitions.

Every figure links to its definition (`#copil-def-<code>`, the panel built
from the registry by `definitions_view`); a hidden figure reads
"secret statistique (< 11)" and nothing else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dash import dcc, html

from layouts import ids
from layouts.copil_definitions import definition_link
from layouts.copil_figures import (
    GRAPH_CONFIG,
    Figure,
    breakdown_figure,
    funnel_figure,
    point_label,
    roadmap_figure,
    split_figure,
    trajectory_figure,
)
from layouts.copil_format import (
    basis_text,
    change_text,
    format_number,
    format_target,
    secret_text,
    shown_value,
    status_class,
    status_label,
)
from layouts.format import format_date
from metrics.breakdown import DIMENSION_LABELS, Dimension
from metrics.funnel import Funnel
from metrics.registry import REGISTRY
from metrics.result import IndicatorResult
from metrics.roadmap_status import RoadmapStatus, RoadmapStatusReport

if TYPE_CHECKING:
    from callbacks.copil_data import Card, Trajectory

HIDDEN_MONTHS_LISTED = 6
ROADMAP_COLUMNS = (
    RoadmapStatus.FAIT,
    RoadmapStatus.EN_COURS,
    RoadmapStatus.EN_RETARD,
    RoadmapStatus.ECHEANCE_PROCHE,
    RoadmapStatus.A_VENIR,
)


def message(text: str) -> html.P:
    """Empty or missing data, said in words."""
    return html.P(text, className="empty", role="status")


def graph(figure: Figure, label: str) -> html.Div:
    """A plotly figure (dict) in a labelled region (screen readers read the label, the tables)."""
    return html.Div(
        dcc.Graph(figure=figure, config=GRAPH_CONFIG, className="copil-graph"),
        role="figure",
        **{"aria-label": label},
    )


def card_view(card: Card, threshold: int | None) -> html.Article:
    result = card.result
    status = result.status
    return html.Article(
        [
            html.H3(result.label, className="copil-card-label"),
            definition_link(
                result.code,
                shown_value(result, threshold),
                className="copil-card-value" + (" secret" if result.suppressed else ""),
                id={"type": ids.COPIL_VALUE, "code": result.code},
            ),
            html.P(basis_text(result), className="copil-card-basis"),
            html.P(f"Cible : {format_target(result)}", className="copil-card-target"),
            html.P(
                change_text(result, card.previous, card.previous_label),
                className="copil-card-change",
            ),
            html.P(status_label(status), className=f"copil-status {status_class(status)}"),
        ],
        className=f"copil-card {status_class(status)}",
        id={"type": ids.COPIL_CARD, "code": result.code},
    )


def cards_view(cards: list[Card], threshold: int | None) -> list[html.Article]:
    return [card_view(card, threshold) for card in cards]


def heading_view(name: str, code: str, period: str, as_of: object) -> list:
    return [
        html.P(f"{name} ({code})", className="copil-territory"),
        html.P(period, className="copil-period"),
        html.P(f"Données au {format_date(as_of)}", className="copil-as-of"),
    ]


def _count_cell(count: int | None, threshold: int | None) -> html.Td:
    if count is None:
        return html.Td(secret_text(threshold), className="secret")
    return html.Td(format_number(count, 0), className="number")


def funnel_table(funnel: Funnel, threshold: int | None) -> html.Table:
    rows = []
    for step in funnel.steps:
        share = funnel.share(step)
        rows.append(
            html.Tr(
                [
                    html.Th(step.label, scope="row"),
                    _count_cell(step.count, threshold),
                    html.Td(
                        "—" if share is None else f"{format_number(share)}\u00a0%",
                        className="number",
                    ),
                    _count_cell(step.reached, threshold),
                ]
            )
        )
    header = html.Tr(
        [
            html.Th("Étape", scope="col"),
            html.Th("Sur le parcours complet", scope="col"),
            html.Th("Part des entrants", scope="col"),
            html.Th("Toute la cohorte", scope="col"),
        ]
    )
    return html.Table(
        [html.Caption("Parcours des nouveaux entrants"), html.Thead(header), html.Tbody(rows)],
        className="table copil-table",
        id="copil-funnel-table",
    )


def roadmap_table(report: RoadmapStatusReport) -> html.Table:
    header = html.Tr(
        [html.Th("Axe", scope="col")]
        + [html.Th(status.label, scope="col") for status in ROADMAP_COLUMNS]
        + [html.Th("Autres", scope="col"), html.Th("Part faite", scope="col")]
    )
    rows = []
    summaries = [*report.by_axis.items(), ("Ensemble", report.overall)]
    for axis, summary in summaries:
        others = summary.total - sum(summary.counts[status] for status in ROADMAP_COLUMNS)
        done = "—" if summary.share_done is None else f"{format_number(summary.share_done)}\u00a0%"
        rows.append(
            html.Tr(
                [html.Th(axis, scope="row")]
                + [
                    html.Td(str(summary.counts[status]), className="number")
                    for status in ROADMAP_COLUMNS
                ]
                + [html.Td(str(others), className="number"), html.Td(done, className="number")],
                **({"className": "total"} if axis == "Ensemble" else {}),
            )
        )
    return html.Table(
        [
            html.Caption(f"Feuille de route au {format_date(report.as_of)}"),
            html.Thead(header),
            html.Tbody(rows),
        ],
        className="table copil-table",
        id="copil-roadmap-table",
    )


def quarter_note(threshold: int | None) -> str:
    """Why a flow's chart is drawn by quarter (its months are mostly hidden)."""
    return f"Mois masqués (moins de {threshold} personnes) : affichage par trimestre"


def trajectory_view(trajectory: Trajectory, threshold: int | None, height: int = 420) -> list:
    """One indicator's chart with its title (a link to the definition) and what is missing."""
    indicator = REGISTRY[trajectory.code]
    title = html.H3(
        definition_link(trajectory.code, indicator.label), className="copil-chart-title"
    )
    if not trajectory.path and all(p.value is None for p in trajectory.points):
        return [title, message("Aucune valeur mensuelle ni trajectoire cible pour cet indicateur.")]
    notes = []
    if trajectory.by_quarter:
        notes.append(quarter_note(threshold))
    hidden = [point_label(p) for p in trajectory.points if p.suppressed]
    if hidden:
        grain = "trimestre(s)" if trajectory.by_quarter else "mois"
        months = f" : {', '.join(hidden)}" if len(hidden) <= HIDDEN_MONTHS_LISTED else ""
        notes.append(
            f"{len(hidden)} {grain} sur {len(trajectory.points)} non publiés "
            f"(moins de {threshold} personnes, secret statistique){months}."
        )
    if not trajectory.path:
        notes.append("Aucune trajectoire cible n'est fixée pour cet indicateur.")
    unit = "stock en fin de mois" if trajectory.stock else "valeur du mois"
    if trajectory.by_quarter:
        unit = "valeur du trimestre"
    label = f"{indicator.label} : {unit} et trajectoire cible"
    return [
        title,
        graph(trajectory_figure(trajectory, indicator.unit, threshold, height), label),
        *[html.P(note, className="copil-note") for note in notes],
    ]


def funnel_view(funnel: Funnel, threshold: int | None, height: int = 480) -> list:
    if funnel.entrants == 0:
        return [message("Aucun nouvel entrant sur la période : pas de parcours à montrer.")]
    if funnel.entrants is None:
        return [message(f"Nouveaux entrants : {secret_text(threshold)} ; parcours non publié.")]
    return [
        graph(
            funnel_figure(funnel, threshold, height),
            "Parcours des nouveaux entrants, étape par étape",
        ),
        funnel_table(funnel, threshold),
        html.P(
            definition_link("parcours", "Définition de chaque étape"),
            className="copil-note",
        ),
    ]


def split_view(result: IndicatorResult, threshold: int | None) -> html.Div:
    title = html.H3(definition_link(result.code, result.label), className="copil-chart-title")
    if result.suppressed:
        body = message(f"Effectif total : {secret_text(threshold)}.")
    elif not result.denominator:
        body = message("Aucune personne orientée pour ce champ.")
    else:
        total = f"Total : {format_number(result.denominator, 0)} personnes"
        body = html.Div(
            [
                graph(split_figure(result, threshold), result.label),
                html.P(total, className="copil-note"),
            ]
        )
    return html.Div([title, body], className="copil-split")


def breakdown_view(result: IndicatorResult, dimension: str, threshold: int | None) -> list:
    by = DIMENSION_LABELS[Dimension(dimension)]
    title = html.H3(
        definition_link(result.code, f"{result.label} — {by}"), className="copil-chart-title"
    )
    if result.breakdown is None:
        return [title, message(f"Cet indicateur ne se ventile pas par « {by} ».")]
    if result.suppressed:
        return [title, message(f"Indicateur non publié : {secret_text(threshold)}.")]
    overall = f"Ensemble : {shown_value(result, threshold)}"
    basis = basis_text(result)
    return [
        title,
        graph(breakdown_figure(result, dimension, threshold), result.label),
        html.P(f"{overall} ({basis})" if basis else overall, className="copil-note"),
    ]


def roadmap_view(report: RoadmapStatusReport) -> list:
    if report.overall.total == 0:
        return [message("La feuille de route du territoire ne compte aucune action.")]
    return [
        graph(roadmap_figure(report), "Actions de la feuille de route par axe et par statut"),
        roadmap_table(report),
    ]
