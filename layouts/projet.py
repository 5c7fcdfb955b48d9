"""Project team page: the feuille de route as a timeline and a table, edited in place.

Roles `projet` and `admin` edit progress, deadline and comment in the table;
`copil` reads the same page without any edit control (and the server refuses
its edits). The status of each action is computed at the end of the chosen
period, at the latest today (docs/roadmap.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from dash import dcc, html
from flask_login import current_user

from dashboard.roadmap import DigestRun, StoredAction
from dashboard.roadmap_edit import EDIT_ROLES
from layouts import ids
from layouts.filters import FilterError, PageFilters, filter_bar, month_end, parse_filters
from layouts.projet_panels import digest_view, summary_view, undated_view
from layouts.projet_table import actions_grid, grid_rows
from layouts.projet_timeline import timeline_figure
from metrics.roadmap_status import (
    RoadmapStatus,
    attention_order,
    due_digest,
    roadmap_status,
    week_monday,
)

PATH = "/projet"
TITLE = "Feuille de route · Pilotage RSA"
EDIT_HINT = (
    "Pour modifier l'avancement, l'échéance ou le commentaire d'une action, double-cliquez sur "
    "la cellule (ou Entrée), puis validez avec Entrée ; chaque modification est enregistrée "
    "dans l'historique de l'action."
)


def can_edit(role: object) -> bool:
    return role in EDIT_ROLES


def roadmap_as_of(filters: PageFilters, today: dt.date) -> dt.date:
    """The observation date: the end of the period's last month, at the latest `today`."""
    if not filters.month_to:
        return today
    return min(month_end(filters.month_to), today)


def filter_options(values: Sequence[str]) -> list[dict[str, str]]:
    return [{"label": value, "value": value} for value in values]


def axis_and_owner_options(actions: Sequence[StoredAction]) -> tuple[list, list]:
    """Axes in the roadmap's order; owners alphabetically (as codes, not by collation)."""
    axes = list(dict.fromkeys(stored.item.axis for stored in actions))
    owners = sorted({owner for stored in actions for owner in stored.item.owners}, key=str.casefold)
    return filter_options(axes), filter_options(owners)


def keep(
    actions: Sequence[tuple[StoredAction, RoadmapStatus]],
    axes: Sequence[str] | None,
    owners: Sequence[str] | None,
    statuses: Sequence[str] | None,
) -> list[tuple[StoredAction, RoadmapStatus]]:
    """The actions matching every filter given (an empty filter keeps everything)."""
    return [
        (stored, status)
        for stored, status in actions
        if (not axes or stored.item.axis in axes)
        and (not owners or set(stored.item.owners) & set(owners))
        and (not statuses or status.value in statuses)
    ]


def _dropdown(component_id: str, label: str, placeholder: str, options=None) -> html.Div:
    return html.Div(
        [
            html.Label(label, htmlFor=component_id),
            dcc.Dropdown(
                id=component_id, options=options or [], multi=True, placeholder=placeholder
            ),
        ],
        className="filter projet-filter",
    )


def layout(**query: str) -> html.Div:
    try:
        filters = parse_filters(query)
    except FilterError as error:
        return html.Div(str(error), className="page-error", role="alert")
    editable = can_edit(current_user.role)
    status_options = [{"label": status.label, "value": status.value} for status in RoadmapStatus]
    return html.Div(
        [
            filter_bar(filters),
            html.H1("Feuille de route"),
            html.P(
                "Avancement des actions de la feuille de route du territoire : calendrier par "
                "axe, actions en retard ou à échéance proche en tête du tableau, relance "
                "hebdomadaire par porteur.",
                className="lead",
            ),
            html.Div(id=ids.PROJET_ERROR, role="alert"),
            dcc.Store(id=ids.PROJET_REFRESH, data=0),
            html.Div(
                [
                    _dropdown(ids.PROJET_FILTER_AXIS, "Axe", "Tous les axes"),
                    _dropdown(ids.PROJET_FILTER_OWNER, "Porteur", "Tous les porteurs"),
                    _dropdown(
                        ids.PROJET_FILTER_STATUS, "Statut", "Tous les statuts", status_options
                    ),
                ],
                className="projet-filters",
                role="group",
                **{"aria-label": "Filtres de la feuille de route"},
            ),
            html.Div(id=ids.PROJET_SUMMARY, className="projet-summary", role="status"),
            html.Section(
                [
                    html.H2("Calendrier par axe"),
                    dcc.Loading(html.Div(id=ids.PROJET_TIMELINE)),
                    html.Div(id=ids.PROJET_UNDATED, className="projet-undated"),
                ],
                className="projet-section",
            ),
            html.Section(
                [
                    html.H2("Actions"),
                    html.P(EDIT_HINT, className="projet-note") if editable else None,
                    html.Div(id=ids.PROJET_EDIT_MESSAGE, role="status", **{"aria-live": "polite"}),
                    actions_grid(editable),
                    html.Div(id=ids.PROJET_HISTORY, className="projet-history"),
                ],
                className="projet-section",
            ),
            html.Section(
                [html.H2("Relance du lundi"), html.Div(id=ids.PROJET_DIGEST)],
                className="projet-section",
            ),
        ],
        className="projet-page",
    )


@dataclass(frozen=True)
class RoadmapView:
    """Every output of the page's content callback, in order."""

    summary: list
    timeline: object
    undated: list
    rows: list[dict]
    axis_options: list
    owner_options: list
    digest: list


def roadmap_view(
    actions: Sequence[StoredAction],
    as_of: dt.date,
    axes: Sequence[str] | None,
    owners: Sequence[str] | None,
    statuses: Sequence[str] | None,
    run: DigestRun | None,
) -> RoadmapView:
    """The page's content for the territory's actions at `as_of`, filtered."""
    report = roadmap_status([stored.item for stored in actions], as_of)
    with_status = [
        (stored, status) for stored, (_, status) in zip(actions, report.actions, strict=True)
    ]
    shown = keep(with_status, axes, owners, statuses)
    ordered = [shown[position] for position in attention_order([(s.item, st) for s, st in shown])]
    figure = timeline_figure([(stored.item, status) for stored, status in shown], as_of)
    axis_options, owner_options = axis_and_owner_options(actions)
    if not actions:
        timeline: object = html.P(
            "La feuille de route de ce territoire est vide : importez-la depuis la page "
            "Imports (source « roadmap »).",
            className="empty",
        )
    elif figure is None:
        timeline = html.P("Aucune action datée parmi les actions affichées.", className="empty")
    else:
        timeline = dcc.Graph(
            figure=figure,
            config={"displaylogo": False, "responsive": True},
            className="projet-graph",
        )
    undated = [
        (stored, status)
        for stored, status in shown
        if stored.item.due is None and not stored.item.continuous
    ]
    digest = due_digest([stored.item for stored in actions], week_monday(as_of))
    return RoadmapView(
        summary=summary_view(shown, len(actions), as_of),
        timeline=timeline,
        undated=undated_view(undated),
        rows=grid_rows(ordered),
        axis_options=axis_options,
        owner_options=owner_options,
        digest=digest_view(digest, run),
    )
