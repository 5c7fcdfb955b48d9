"""Imports page callbacks: every one starts from page_context (admin only, own territory).

Ids coming from the browser (a quarantined row, a source) are checked on the
server against the administrator's territory (dashboard/quarantine.py).
"""

from __future__ import annotations

import datetime as dt

import dash
from dash import ALL, Input, Output, State, html, no_update
from dash.exceptions import PreventUpdate
from flask import current_app, request

from callbacks.context import PageError, page_context
from dashboard import queries
from dashboard.models import QuarantineStatus
from dashboard.quarantine import (
    ALREADY_DONE,
    QuarantineError,
    correct_row,
    discard_row,
    quarantine_entry,
)
from dashboard.state import get_state, open_session
from dashboard.web_upload import (
    UploadRefusedError,
    import_upload,
    parse_extraction_date,
    upload_limit,
)
from layouts import ids
from layouts.imports import SOURCE_NAMES, source_name
from layouts.imports_editor import (
    correction_message,
    discard_question,
    editor_fields,
    editor_title,
    plain_message,
)
from layouts.imports_views import (
    freshness_view,
    history_view,
    match_view,
    quarantine_view,
    report_view,
    unknown_columns_view,
)


def _error(message: str) -> html.Div:
    return html.Div(message, className="page-error", role="alert")


def fill_page(search: str | None, source: str | None) -> tuple:
    """Freshness, history, unknown columns and pending quarantine."""
    try:
        ctx = page_context(search, "imports")
    except PageError as error:
        return (_error(error.message), None, None, None, None)
    # A forged source (not one of the list) would reach the query as an unknown enum: 500.
    wanted = source if isinstance(source, str) and source in SOURCE_NAMES else None
    territory_id = ctx.facts.territory_id
    with open_session() as db:
        freshness = queries.source_freshness(db, territory_id)
        history = queries.import_history(db, territory_id, wanted)
        columns = queries.unknown_columns_seen(db, territory_id)
        pending = queries.pending_quarantine(db, territory_id, wanted)
    return (
        None,
        freshness_view(freshness, SOURCE_NAMES, dt.date.today()),
        history_view(history, SOURCE_NAMES),
        unknown_columns_view(columns, SOURCE_NAMES),
        quarantine_view(pending, SOURCE_NAMES),
    )


def fill_match(search: str | None, _refresh: int | None) -> object:
    """The cross-source match rate: its own callback, the slowest query of the page
    (every fact table of the territory) must not hold the others back."""
    try:
        ctx = page_context(search, "imports")
    except PageError:
        return None  # fill_page shows the message
    with open_session() as db:
        match = queries.cross_source_match(db, ctx.facts.territory_id)
    return match_view(match, SOURCE_NAMES)


def upload(contents, file_name, source, extracted_on, options, search, refresh):  # noqa: ANN001, ANN201
    """Import the uploaded file for the administrator's territory; show its report."""
    if not contents:
        raise PreventUpdate
    try:
        ctx = page_context(search, "imports")
    except PageError as error:
        return _error(error.message), None, no_update
    state = get_state()
    dry_run = isinstance(options, list) and "dry_run" in options  # a forged int: no 500
    try:
        report = import_upload(
            state.sessions,
            state.settings.instance_dir,
            ctx.user,
            ctx.facts.code,
            source=source,
            contents=contents,
            file_name=file_name,
            pseudonym_key=state.settings.pseudonym_key,
            limit=upload_limit(
                state.settings.max_upload_mb, current_app.config.get("MAX_CONTENT_LENGTH")
            ),
            extracted_on=parse_extraction_date(extracted_on),
            dry_run=dry_run,
            today=dt.date.today(),
            remote_addr=request.remote_addr,
        )
    except UploadRefusedError as error:
        return plain_message(str(error)), None, no_update
    if report.status == "loaded" and not dry_run:
        state.facts_cache.invalidate(ctx.facts.territory_id)
    return report_view(report, source_name(source), dry_run), None, (refresh or 0) + 1


def _field_values(states_list: list, row_id: int) -> dict[int, object]:
    """The editor's inputs of `row_id`, by field index (from the ALL pattern state)."""
    values: dict[int, object] = {}
    for group in states_list:
        if not isinstance(group, list):
            continue
        for item in group:
            key = item.get("id")
            if isinstance(key, dict) and key.get("row") == row_id:
                values[key.get("index")] = item.get("value")
    return values


EDITOR_OUTPUTS = (
    "hidden",
    "title",
    "fields",
    "row",
    "message",
    "refresh",
    "correct_disabled",
    "actions_hidden",
)


def _editor(**changes: object) -> tuple:
    """The editor callback's outputs: no_update for every one not named."""
    return tuple(changes.get(name, no_update) for name in EDITOR_OUTPUTS)


def edit_row(search: str | None, row_id: object, refresh: int | None) -> tuple:
    """Open a row in the editor, or correct / discard the open one."""
    trigger = dash.ctx.triggered_id
    if not dash.ctx.triggered or not dash.ctx.triggered[0].get("value"):
        raise PreventUpdate  # a button inserted into the page, not clicked
    try:
        ctx = page_context(search, "imports")
    except PageError as error:
        return _editor(message=_error(error.message))
    territory_id = ctx.facts.territory_id
    try:
        with open_session() as db:
            if isinstance(trigger, dict) and trigger.get("type") == ids.QUARANTINE_OPEN:
                entry = quarantine_entry(db, territory_id, trigger.get("row"))
                return _editor(
                    hidden=False,
                    title=editor_title(entry, source_name(entry.source)),
                    fields=editor_fields(entry),
                    row=entry.row_id,
                    message=None,
                    correct_disabled=not entry.correctable,
                    actions_hidden=False,
                )
            if trigger == ids.IMPORTS_DISCARD_CONFIRM:
                discard_row(db, ctx.user, territory_id, row_id, remote_addr=request.remote_addr)
                return _editor(
                    fields=[],
                    row=None,
                    message=plain_message("Ligne écartée : elle ne sera pas chargée.", "success"),
                    refresh=(refresh or 0) + 1,
                    actions_hidden=True,
                )
            result = correct_row(
                db,
                ctx.user,
                territory_id,
                row_id,
                _field_values(dash.ctx.states_list, row_id),
                pseudonym_key=get_state().settings.pseudonym_key,
                remote_addr=request.remote_addr,
            )
    except QuarantineError as error:
        return _editor(message=plain_message(str(error)))
    if not result.loaded:
        return _editor(message=correction_message(result))
    get_state().facts_cache.invalidate(territory_id)
    return _editor(
        fields=[],
        row=None,
        message=correction_message(result),
        refresh=(refresh or 0) + 1,
        actions_hidden=True,
    )


def ask_discard(_clicks: int | None, search: str | None, row_id: object) -> tuple:
    """« Écarter la ligne » asks first: the question naming the row, or why it cannot be.

    Returns the confirmation's message, whether it is displayed and the editor's
    message. Nothing is written here: `edit_row` discards on the confirmation only.
    """
    if not dash.ctx.triggered or not dash.ctx.triggered[0].get("value"):
        raise PreventUpdate
    try:
        ctx = page_context(search, "imports")
    except PageError as error:
        return no_update, False, _error(error.message)
    try:
        with open_session() as db:
            entry = quarantine_entry(db, ctx.facts.territory_id, row_id)
    except QuarantineError as error:
        return no_update, False, plain_message(str(error))
    if entry.status != QuarantineStatus.PENDING:
        return no_update, False, plain_message(ALREADY_DONE)
    return discard_question(entry, source_name(entry.source)), True, None


def _fill(search: str | None, source: str | None, _refresh: int | None) -> tuple:
    return fill_page(search, source)


def _edit(_open, _correct, _discard, search, row_id, _values, refresh) -> tuple:  # noqa: ANN001
    return edit_row(search, row_id, refresh)


def register(app: dash.Dash) -> None:
    app.callback(
        Output(ids.IMPORTS_PAGE_ERROR, "children"),
        Output(ids.IMPORTS_FRESHNESS, "children"),
        Output(ids.IMPORTS_HISTORY, "children"),
        Output(ids.IMPORTS_UNKNOWN_COLUMNS, "children"),
        Output(ids.IMPORTS_QUARANTINE, "children"),
        Input(ids.URL, "search"),
        Input(ids.IMPORTS_FILTER_SOURCE, "value"),
        Input(ids.IMPORTS_REFRESH, "data"),
    )(_fill)
    app.callback(
        Output(ids.IMPORTS_MATCH, "children"),
        Input(ids.URL, "search"),
        Input(ids.IMPORTS_REFRESH, "data"),
    )(fill_match)
    app.callback(
        Output(ids.IMPORTS_REPORT, "children"),
        Output(ids.IMPORTS_UPLOAD, "contents"),
        Output(ids.IMPORTS_REFRESH, "data", allow_duplicate=True),
        Input(ids.IMPORTS_UPLOAD, "contents"),
        State(ids.IMPORTS_UPLOAD, "filename"),
        State(ids.IMPORTS_SOURCE, "value"),
        State(ids.IMPORTS_EXTRACTED_ON, "value"),
        State(ids.IMPORTS_OPTIONS, "value"),
        State(ids.URL, "search"),
        State(ids.IMPORTS_REFRESH, "data"),
        prevent_initial_call=True,
    )(upload)
    app.callback(
        Output(ids.IMPORTS_EDITOR, "hidden"),
        Output(ids.IMPORTS_EDITOR_TITLE, "children"),
        Output(ids.IMPORTS_EDITOR_FIELDS, "children"),
        Output(ids.IMPORTS_EDITOR_ROW, "data"),
        Output(ids.IMPORTS_EDITOR_MESSAGE, "children"),
        Output(ids.IMPORTS_REFRESH, "data", allow_duplicate=True),
        Output(ids.IMPORTS_CORRECT, "disabled"),
        Output(ids.IMPORTS_EDITOR_ACTIONS, "hidden"),
        Input({"type": ids.QUARANTINE_OPEN, "row": ALL}, "n_clicks"),
        Input(ids.IMPORTS_CORRECT, "n_clicks"),
        Input(ids.IMPORTS_DISCARD_CONFIRM, "submit_n_clicks"),
        State(ids.URL, "search"),
        State(ids.IMPORTS_EDITOR_ROW, "data"),
        State({"type": ids.QUARANTINE_FIELD, "row": ALL, "index": ALL}, "value"),
        State(ids.IMPORTS_REFRESH, "data"),
        prevent_initial_call=True,
    )(_edit)
    app.callback(
        Output(ids.IMPORTS_DISCARD_CONFIRM, "message"),
        Output(ids.IMPORTS_DISCARD_CONFIRM, "displayed"),
        Output(ids.IMPORTS_EDITOR_MESSAGE, "children", allow_duplicate=True),
        Input(ids.IMPORTS_DISCARD, "n_clicks"),
        State(ids.URL, "search"),
        State(ids.IMPORTS_EDITOR_ROW, "data"),
        prevent_initial_call=True,
    )(ask_discard)
