"""COMOP page callbacks: controls from the user's territory, the open list, its exports.

Every callback starts from `page_context` (through callbacks/comop_view.py):
a role other than comop or admin gets 403, a forged territory a French
refusal, a site or referent of another territory no row. Both exports are
written to the audit log (who, which list, how many rows).

The grid gets at most GRID_ROW_LIMIT rows (the head of the list, said above it
in words). A list that fits is exported to CSV by the grid itself; a longer one
is written on the server (`export_full_csv`), so the CSV always holds every row.
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, dcc, html, no_update
from flask import request

from callbacks.comop_view import (
    GRID_ROW_LIMIT,
    MODULE,
    ComopView,
    comop_view,
    limit_text,
    seen_text,
)
from callbacks.context import PageError, page_context, require_role
from dashboard.comop_queries import record_list_export, territory_choices
from dashboard.state import open_session
from layouts import ids
from layouts.comop_export import list_csv, list_workbook
from layouts.comop_query import ComopQuery, week_options, with_comop_params
from layouts.comop_weekly import weekly_view
from metrics.categories import ORGANISMES
from metrics.operational_lists import LISTS

# AG Grid's CSV export (dash-ag-grid evaluates this expression in the browser): a text cell
# starting like a formula gets a leading apostrophe (OWASP); other cells are written as
# shown (dates dd/mm/yyyy), numbers as numbers.
FORMULA_TESTS = " || ".join(
    f"params.value.startsWith('{start}')" for start in ("=", "+", "-", "@", "\\t", "\\r")
)
CSV_PROCESS_CELL = {
    "function": f"params.value && params.value.startsWith && ({FORMULA_TESTS})"
    ' ? "\'" + params.value : params.formatValue(params.value)'
}


def _identifier(value: object) -> int | None:
    """A dropdown value as an id, or None (anything else a browser sends is dropped)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    text = str(value).strip()
    return int(text) if text.isdigit() and len(text) <= 12 else None


def _choice(value: object, allowed: object) -> str | None:
    return value if isinstance(value, str) and value in allowed else None


def _file_name(view: ComopView, extension: str) -> str:
    return f"comop-{view.ctx.facts.code}-{view.query.liste}-{view.seen.isoformat()}.{extension}"


def _audit(view: ComopView, fmt: str) -> None:
    details = {
        "liste": view.query.liste,
        "format": fmt,
        "lignes": len(view.rows),
        "filtres": view.filters_text,
    }
    with open_session() as db:
        record_list_export(db, view.ctx.user, view.ctx.facts.code, details, request.remote_addr)


def register(app: dash.Dash) -> None:
    @app.callback(
        Output(ids.COMOP_SITE, "options"),
        Output(ids.COMOP_REFERENT, "options"),
        Output(ids.COMOP_WEEK, "options"),
        Input(ids.URL, "search"),
        Input(ids.COMOP_PAGE, "data"),
    )
    def fill_controls(search, _page):
        try:
            ctx = page_context(search if isinstance(search, str) else None, MODULE)
        except PageError:
            return [], [], []
        with open_session() as db:
            sites, referents = territory_choices(db, ctx.facts.frames, ctx.facts.territory_id)
        return (
            [{"label": site.name, "value": site.site_id} for site in sites],
            [{"label": r.label, "value": r.referent_id} for r in referents],
            week_options(ctx.as_of),
        )

    @app.callback(
        Output(ids.URL, "search", allow_duplicate=True),
        Input(ids.COMOP_TABS, "value"),
        Input(ids.COMOP_SITE, "value"),
        Input(ids.COMOP_ORGANISME, "value"),
        Input(ids.COMOP_REFERENT, "value"),
        Input(ids.COMOP_WEEK, "value"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def write_url(liste, site, organisme, referent, week, search):
        require_role(MODULE)
        search = search if isinstance(search, str) else ""
        query = ComopQuery(
            liste=_choice(liste, LISTS) or "attente_orientation",
            site=_identifier(site),
            organisme=_choice(organisme, ORGANISMES),
            referent=_identifier(referent),
            semaine=week if isinstance(week, str) and len(week) <= 8 else None,
        )
        wanted = with_comop_params(search, query)
        return no_update if wanted == (search or "") else wanted

    @app.callback(
        Output(ids.COMOP_ERROR, "children"),
        Output(ids.COMOP_SEEN, "children"),
        Output(ids.COMOP_LIST_TITLE, "children"),
        Output(ids.COMOP_LIST_NOTE, "children"),
        Output(ids.COMOP_LIST_EMPTY, "children"),
        Output(ids.COMOP_GRID, "columnDefs"),
        Output(ids.COMOP_GRID, "rowData"),
        Output(ids.COMOP_WEEKLY, "children"),
        Input(ids.URL, "search"),
        Input(ids.COMOP_PAGE, "data"),
    )
    def show_list(search, _page):
        try:
            view = comop_view(search, row_limit=GRID_ROW_LIMIT)
        except PageError as error:
            message = html.P(error.message, className="page-error")
            return message, "", "", "", "", [], [], []
        note = [html.P(view.definition)] + ([html.P(view.note)] if view.note else [])
        if view.truncated:
            note.append(html.P(limit_text(view), className="comop-limit", role="status"))
        return (
            "",
            seen_text(view),
            view.title,
            note,
            "" if view.rows else view.empty,
            view.columns,
            view.rows,
            weekly_view(view.weekly, view.seen),
        )

    @app.callback(
        Output(ids.COMOP_GRID, "exportDataAsCsv"),
        Output(ids.COMOP_GRID, "csvExportParams"),
        Input(ids.COMOP_CSV, "n_clicks"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def export_csv(clicks, search):
        if not clicks:
            return no_update, no_update
        try:
            view = comop_view(search, with_weekly=False, row_limit=GRID_ROW_LIMIT)
        except PageError:
            return no_update, no_update
        if view.truncated:  # the grid holds the head only: export_full_csv writes the file
            return no_update, no_update
        _audit(view, "csv")
        params = {
            "fileName": _file_name(view, "csv"),
            "columnSeparator": ";",
            "processCellCallback": CSV_PROCESS_CELL,
        }
        return True, params

    @app.callback(
        Output(ids.COMOP_DOWNLOAD, "data"),
        Input(ids.COMOP_XLSX, "n_clicks"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def export_xlsx(clicks, search):
        if not clicks:
            return no_update
        try:
            view = comop_view(search, with_weekly=False)
        except PageError:
            return no_update
        _audit(view, "xlsx")
        content = list_workbook(view.title, view.filters_text, view.columns, view.rows)
        return dcc.send_bytes(content, _file_name(view, "xlsx"))

    @app.callback(
        Output(ids.COMOP_DOWNLOAD, "data", allow_duplicate=True),
        Input(ids.COMOP_CSV, "n_clicks"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def export_full_csv(clicks, search):
        if not clicks:
            return no_update
        try:
            view = comop_view(search, with_weekly=False)
        except PageError:
            return no_update
        if view.total <= GRID_ROW_LIMIT:
            return no_update  # the grid holds every row: export_csv lets it write them
        _audit(view, "csv")
        content = list_csv(view.columns, view.rows)
        return dcc.send_string(content, _file_name(view, "csv"))
