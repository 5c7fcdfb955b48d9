"""Home page callbacks: fill the summary for the user's own scope."""

from __future__ import annotations

import dash
from dash import Input, Output
from flask_login import current_user

from dashboard import queries
from dashboard.auth import allowed_territory_ids
from dashboard.models import Role
from dashboard.state import get_state, open_session
from layouts import ids
from layouts.home import freshness_view, summary_view


def register(app: dash.Dash) -> None:
    @app.callback(
        Output(ids.HOME_SUMMARY, "children"),
        Output(ids.HOME_FRESHNESS, "children"),
        Input(ids.HOME_LOCATION, "pathname"),
    )
    def fill_summary(_pathname: str | None) -> tuple[list, str]:
        with open_session() as db:
            scope = allowed_territory_ids(db, current_user)
            summary = queries.territory_summary(db, scope)
            latest = queries.latest_extractions(db, scope)
        threshold = get_state().settings.disclosure_threshold
        cards = summary_view(
            summary,
            aggregates_only=current_user.aggregates_only,
            threshold=threshold,
            per_territory=current_user.role is Role.NATIONAL,
        )
        return cards, freshness_view(latest)
