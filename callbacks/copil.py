"""COPIL page callbacks: each reads the URL (and its own control), then the cached facts.

Every callback starts from `page_context(search, "copil")`: the role is
checked (403 otherwise), the territory resolved through the user's scope,
figures published for the audience (small counts hidden for copil and
national). A filter or territory the page cannot show displays its French
message in place of the content.

Outputs are kept in the app's view cache (callbacks/view_cache.py), keyed by
the context and the callback's inputs: a period already shown costs no
computation. The feuille de route is read from the database on every call
(an edit shows at once), so it stays outside the cached part.
"""

from __future__ import annotations

import dash
from dash import Input, Output, html, no_update

from callbacks import copil_data
from callbacks.context import PageContext, PageError, page_context
from callbacks.view_cache import cached_view
from layouts import ids
from layouts.copil import BREAKDOWN_CODES, BREAKDOWN_DIMENSIONS, HEADLINE_CODES, is_dossier
from layouts.copil_views import (
    breakdown_view,
    cards_view,
    funnel_view,
    heading_view,
    roadmap_view,
    split_view,
    trajectory_view,
)

MODULE = "copil"
# The dossier's figures are shorter: two trajectories a row, two rows an A4 landscape page.
DOSSIER_CHART_HEIGHT = 260
DOSSIER_FUNNEL_HEIGHT = 320
DIMENSION_VALUES = frozenset(dimension.value for dimension in BREAKDOWN_DIMENSIONS)


def _error(error: PageError) -> html.Div:
    return html.Div(error.message, className="page-error", role="alert")


def heading(ctx: PageContext) -> list:
    facts = ctx.facts
    return heading_view(facts.name, facts.code, copil_data.period_title(ctx), ctx.as_of)


def dossier_trajectories(ctx: PageContext) -> list:
    """A chart per headline indicator that has a target (the dossier shows them all)."""
    views = [
        html.Div(
            trajectory_view(copil_data.trajectory(ctx, code), ctx.threshold, DOSSIER_CHART_HEIGHT),
            className="copil-dossier-chart",
        )
        for code in copil_data.targeted_codes(ctx)
    ]
    if not views:
        return [html.P("Aucun indicateur clé n'a de cible pour ce territoire.", className="empty")]
    return views


def register(app: dash.Dash) -> None:
    @app.callback(
        Output(ids.COPIL_HEADING, "children"),
        Output(ids.COPIL_CARDS, "children"),
        Output(ids.COPIL_FUNNEL, "children"),
        Output(ids.COPIL_ROADMAP, "children"),
        Input(ids.URL, "search"),
    )
    def fill_overview(search: str | None):
        try:
            ctx = page_context(search, MODULE)
        except PageError as error:
            return [], [_error(error)], [], []
        dossier = is_dossier(search)
        funnel_height = DOSSIER_FUNNEL_HEIGHT if dossier else 480
        heading_, cards, funnel = cached_view(
            ctx,
            "copil.overview",
            (dossier,),
            lambda: (
                heading(ctx),
                cards_view(copil_data.headline_cards(ctx), ctx.threshold),
                funnel_view(copil_data.funnel(ctx), ctx.threshold, funnel_height),
            ),
        )
        return heading_, cards, funnel, roadmap_view(copil_data.roadmap(ctx))

    @app.callback(
        Output(ids.COPIL_TRAJECTORY, "children"),
        Input(ids.URL, "search"),
        Input(ids.COPIL_TRAJECTORY_INDICATOR, "value"),
    )
    def fill_trajectory(search: str | None, code: str | None):
        try:
            ctx = page_context(search, MODULE)
        except PageError as error:
            return [_error(error)]
        if code not in HEADLINE_CODES:
            return no_update
        return cached_view(
            ctx,
            "copil.trajectory",
            (code,),
            lambda: trajectory_view(copil_data.trajectory(ctx, code), ctx.threshold),
        )

    @app.callback(
        Output(ids.COPIL_SPLITS, "children"),
        Input(ids.URL, "search"),
        Input(ids.COPIL_SPLIT_SCOPE, "value"),
    )
    def fill_splits(search: str | None, scope: str | None):
        try:
            ctx = page_context(search, MODULE)
        except PageError as error:
            return [_error(error)]
        kind = "flux" if scope == "flux" else "stock"
        return cached_view(
            ctx,
            "copil.splits",
            (kind,),
            lambda: [
                split_view(result, ctx.threshold)
                for result in copil_data.splits(ctx, kind).values()
            ],
        )

    @app.callback(
        Output(ids.COPIL_BREAKDOWN, "children"),
        Input(ids.URL, "search"),
        Input(ids.COPIL_BREAKDOWN_INDICATOR, "value"),
        Input(ids.COPIL_BREAKDOWN_DIMENSION, "value"),
    )
    def fill_breakdown(search: str | None, code: str | None, dimension: str | None):
        try:
            ctx = page_context(search, MODULE)
        except PageError as error:
            return [_error(error)]
        if code not in BREAKDOWN_CODES or dimension not in DIMENSION_VALUES:
            return no_update
        return cached_view(
            ctx,
            "copil.breakdown",
            (code, dimension),
            lambda: breakdown_view(
                copil_data.breakdown(ctx, code, dimension), dimension, ctx.threshold
            ),
        )

    @app.callback(
        Output(ids.COPIL_DOSSIER_TRAJECTORIES, "children"),
        Input(ids.URL, "search"),
    )
    def fill_dossier_trajectories(search: str | None):
        try:
            ctx = page_context(search, MODULE)
        except PageError as error:
            return [_error(error)]
        return cached_view(ctx, "copil.dossier_trajectories", (), lambda: dossier_trajectories(ctx))

    app.clientside_callback(
        "function(clicks) { if (clicks) { window.print(); } "
        "return window.dash_clientside.no_update; }",
        Output(ids.COPIL_PRINT, "title"),
        Input(ids.COPIL_PRINT, "n_clicks"),
        prevent_initial_call=True,
    )
