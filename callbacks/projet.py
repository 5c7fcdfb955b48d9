"""Project team page callbacks: the roadmap view, in-place edits, an action's history.

Scope comes from the server only: the territory through `page_context`, an
edited or inspected action through `dashboard.roadmap_edit` (an action of
another territory answers like an unknown one). The roadmap is read from the
database at each call (one small indexed query): it is edited on this very
page, so the facts cache (refreshed by imports) would show stale statuses.
"""

from __future__ import annotations

import datetime as dt

import dash
from dash import Input, Output, State, html
from flask import request
from werkzeug.exceptions import Forbidden

from callbacks.context import PageError, page_context, require_role
from dashboard.roadmap import digest_run, load_actions
from dashboard.roadmap_edit import (
    EDIT_REFUSED,
    EditForbiddenError,
    EditResult,
    RoadmapEditError,
    action_history,
    update_action,
)
from dashboard.state import open_session
from layouts import ids
from layouts.projet import can_edit, roadmap_as_of, roadmap_view
from layouts.projet_panels import FIELD_LABELS, history_view
from layouts.projet_table import edit_request
from metrics.roadmap_status import week_monday

MODULE = "projet"
# AG Grid sends one change per edit; a forged payload cannot make a call do more.
MAX_EDITS_PER_CALL = 10


def _strings(value: object) -> list[str]:
    """A dropdown's value as sent by the browser, kept only if it is a list of strings."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, str)]


def _events(value: object) -> list[dict]:
    """`cellValueChanged` is a list of changes (a dict in older dash-ag-grid releases)."""
    events = value if isinstance(value, list) else [value]
    return [event for event in events if isinstance(event, dict)]


def edit_message(results: list[EditResult], errors: list[str]) -> list:
    """What the user reads after an edit: saved fields and notes, or why it was refused."""
    parts = [html.P(message, className="alert alert-error", role="alert") for message in errors]
    for result in results:
        if not result.changes:
            parts.append(html.P("Aucun changement à enregistrer.", className="alert alert-info"))
            continue
        fields = ", ".join(FIELD_LABELS.get(c.field, c.field).lower() for c in result.changes)
        text = " ".join((f"Modification enregistrée ({fields}).", *result.notes))
        parts.append(html.P(text, className="alert alert-info"))
    return parts


def register(app: dash.Dash) -> None:
    @app.callback(
        Output(ids.PROJET_ERROR, "children"),
        Output(ids.PROJET_SUMMARY, "children"),
        Output(ids.PROJET_TIMELINE, "children"),
        Output(ids.PROJET_UNDATED, "children"),
        Output(ids.PROJET_GRID, "rowData"),
        Output(ids.PROJET_FILTER_AXIS, "options"),
        Output(ids.PROJET_FILTER_OWNER, "options"),
        Output(ids.PROJET_DIGEST, "children"),
        Input(ids.URL, "search"),
        Input(ids.PROJET_FILTER_AXIS, "value"),
        Input(ids.PROJET_FILTER_OWNER, "value"),
        Input(ids.PROJET_FILTER_STATUS, "value"),
        Input(ids.PROJET_REFRESH, "data"),
    )
    def fill_roadmap(search, axes, owners, statuses, _refresh):
        try:
            ctx = page_context(search, MODULE)
        except PageError as error:
            return error.message, [], [], [], [], [], [], []
        as_of = roadmap_as_of(ctx.filters, dt.date.today())
        with open_session() as db:
            actions = load_actions(db, ctx.facts.territory_id)
            run = digest_run(db, week_monday(as_of), ctx.facts.code)
        view = roadmap_view(
            actions, as_of, _strings(axes), _strings(owners), _strings(statuses), run
        )
        return (
            "",
            view.summary,
            view.timeline,
            view.undated,
            view.rows,
            view.axis_options,
            view.owner_options,
            view.digest,
        )

    @app.callback(
        Output(ids.PROJET_EDIT_MESSAGE, "children"),
        Output(ids.PROJET_REFRESH, "data"),
        Input(ids.PROJET_GRID, "cellValueChanged"),
        State(ids.PROJET_REFRESH, "data"),
        prevent_initial_call=True,
    )
    def save_edit(changes, refresh):
        user = require_role(MODULE)
        if not can_edit(user.role):
            raise Forbidden(EDIT_REFUSED)
        results, errors = [], []
        for event in _events(changes)[:MAX_EDITS_PER_CALL]:
            edit = edit_request(event)
            if edit is None:
                continue
            with open_session() as db:
                try:
                    results.append(update_action(db, user, *edit, remote_addr=request.remote_addr))
                except EditForbiddenError as error:
                    raise Forbidden(error.message) from error
                except RoadmapEditError as error:
                    errors.append(error.message)
        count = refresh if isinstance(refresh, int) and not isinstance(refresh, bool) else 0
        return edit_message(results, errors), count + 1

    @app.callback(
        Output(ids.PROJET_HISTORY, "children"),
        Input(ids.PROJET_GRID, "selectedRows"),
        Input(ids.PROJET_REFRESH, "data"),
    )
    def show_history(selected, _refresh):
        user = require_role(MODULE)
        rows = _events(selected) if isinstance(selected, list) else []
        if not rows:
            return history_view(None, [])
        with open_session() as db:
            try:
                history = action_history(db, user, rows[0].get("id"))
            except RoadmapEditError as error:
                return [html.P(error.message, className="alert alert-error", role="alert")]
        return history_view(history.action, history.entries)
