"""Administration page callbacks: users and trajectories of the administrator's territory.

Every callback starts with page_context (admin only; the territory comes
from the session, never from the payload). User ids and indicator codes sent
by the browser are checked by dashboard/user_admin.py and
dashboard/targets_edit.py; each change is audited there and committed here.
"""

from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, html, no_update
from dash.exceptions import PreventUpdate
from flask import request
from sqlalchemy import select

from callbacks.context import PageError, page_context
from dashboard.audit import territory_entries
from dashboard.models import Territory
from dashboard.state import get_state, open_session
from dashboard.targets_edit import (
    TargetEditError,
    check_indicator,
    parse_points,
    replace_trajectory,
    trajectory,
)
from dashboard.user_admin import (
    UserAdminError,
    add_user,
    change_role,
    set_active,
    territory_users,
)
from layouts import ids
from layouts.admin_audit import ACTION_LABELS, journal_view
from layouts.admin_views import (
    empty_row,
    indicator_help,
    point_rows,
    points_view,
    rows_from_states,
    threshold_view,
    users_view,
)


def _alert(text: str, kind: str = "error") -> html.Div:
    return html.Div(
        text, className=f"alert alert-{kind}", role="alert" if kind == "error" else None
    )


def _clicked() -> bool:
    return bool(dash.ctx.triggered and dash.ctx.triggered[0].get("value"))


def _role_for(states_list: list, user_id: object) -> object:
    for group in states_list:
        if isinstance(group, list):
            for item in group:
                key = item.get("id")
                if isinstance(key, dict) and key.get("type") == ids.USER_ROLE:
                    if key.get("user") == user_id:
                        return item.get("value")
    return None


def manage_users(search, login, role, password, confirmation) -> tuple:  # noqa: ANN001
    """Show the users; create one, change a role or (de)activate when a button says so."""
    trigger = dash.ctx.triggered_id
    if trigger not in (None, ids.URL) and not _clicked():
        raise PreventUpdate  # buttons inserted with the table, not clicked
    try:
        ctx = page_context(search, "admin")
    except PageError as error:
        return _alert(error.message), None, no_update, no_update, no_update, no_update
    territory_id, actor = ctx.facts.territory_id, ctx.user
    message, cleared = None, (no_update, no_update, no_update)
    with open_session() as db:
        try:
            if trigger == ids.ADMIN_CREATE:
                territory = db.scalar(select(Territory).where(Territory.id == territory_id))
                user = add_user(
                    db, actor, territory, login, password, confirmation, role, request.remote_addr
                )
                message = f"Compte {user.login} créé."
                cleared = ("", "", "")
            elif isinstance(trigger, dict) and trigger.get("type") == ids.USER_TOGGLE:
                active = trigger.get("action") == "reactivate"
                user = set_active(
                    db, actor, territory_id, trigger.get("user"), active, request.remote_addr
                )
                message = f"Compte {user.login} {'réactivé' if active else 'désactivé'}."
            elif isinstance(trigger, dict) and trigger.get("type") == ids.USER_ROLE_SAVE:
                wanted = _role_for(dash.ctx.states_list, trigger.get("user"))
                user = change_role(
                    db, actor, territory_id, trigger.get("user"), wanted, request.remote_addr
                )
                message = f"Rôle de {user.login} modifié : ses sessions ouvertes sont fermées."
            db.commit()
        except UserAdminError as error:
            db.rollback()
            return (no_update, _alert(str(error)), no_update, *(no_update,) * 3)
        users = territory_users(db, territory_id)
    shown = _alert(message, "success") if message else None
    return users_view(users, actor.user_id), shown, *cleared, None


def edit_targets(code, search) -> tuple:  # noqa: ANN001
    """Load, extend, trim or save the chosen indicator's trajectory."""
    trigger = dash.ctx.triggered_id
    if trigger not in (None, ids.ADMIN_INDICATOR) and not _clicked():
        raise PreventUpdate
    try:
        ctx = page_context(search, "admin")
    except PageError as error:
        return None, _alert(error.message), no_update
    if code is None:
        return None, None, indicator_help(None)
    territory_id = ctx.facts.territory_id
    rows = rows_from_states(dash.ctx.states_list)
    try:
        check_indicator(code)
        if trigger == ids.ADMIN_ADD_POINT:
            return points_view(code, [*rows, empty_row()]), None, no_update
        if isinstance(trigger, dict) and trigger.get("type") == ids.POINT_DELETE:
            kept = [row for line, row in enumerate(rows) if line != trigger.get("line")]
            note = _alert("Point retiré : enregistrez la trajectoire pour confirmer.", "info")
            return points_view(code, kept), note, no_update
        with open_session() as db:
            if trigger != ids.ADMIN_SAVE_POINTS:
                stored = trajectory(db, territory_id, code)
                return points_view(code, point_rows(stored)), None, indicator_help(code)
            points = parse_points(code, rows)
            replace_trajectory(db, ctx.user, territory_id, code, points, request.remote_addr)
            db.commit()
            stored = trajectory(db, territory_id, code)
    except TargetEditError as error:
        reasons = html.Ul([html.Li(reason) for reason in error.reasons])
        return (
            no_update,
            html.Div(
                [html.P("Trajectoire non enregistrée :"), reasons],
                className="alert alert-error",
                role="alert",
            ),
            no_update,
        )
    get_state().facts_cache.invalidate(territory_id)
    saved = _alert(f"Trajectoire enregistrée : {len(stored)} point(s).", "success")
    return points_view(code, point_rows(stored)), saved, no_update


def show_threshold(search: str | None) -> object:
    try:
        page_context(search, "admin")
    except PageError as error:
        return _alert(error.message)
    return threshold_view(get_state().settings.disclosure_threshold)


def show_journal(search: str | None, action: object) -> object:
    """The territory's audit journal, newest first, optionally one action only."""
    try:
        ctx = page_context(search, "admin")
    except PageError as error:
        return _alert(error.message)
    # A forged list or dict is not hashable: refused like an unknown action, never a 500.
    if action is not None and (not isinstance(action, str) or action not in ACTION_LABELS):
        return _alert("Type d'action inconnu : choisissez-en un dans la liste.")
    with open_session() as db:
        logins = [user.login for user in territory_users(db, ctx.facts.territory_id)]
        entries = territory_entries(db, ctx.facts.code, logins, action=action)
    return journal_view(entries)


def _users(search, _create, _toggles, _roles, login, role, password, confirm, _values):  # noqa: ANN001
    return manage_users(search, login, role, password, confirm)


def _journal(search, action, _users_changed, _targets_changed):  # noqa: ANN001
    return show_journal(search, action)


def _targets(code, _add, _save, _delete, search, _values):  # noqa: ANN001
    return edit_targets(code, search)


def register(app: dash.Dash) -> None:
    app.callback(
        Output(ids.ADMIN_USERS, "children"),
        Output(ids.ADMIN_USER_MESSAGE, "children"),
        Output(ids.ADMIN_NEW_LOGIN, "value"),
        Output(ids.ADMIN_NEW_PASSWORD, "value"),
        Output(ids.ADMIN_NEW_CONFIRM, "value"),
        Output(ids.ADMIN_PAGE_ERROR, "children"),
        Input(ids.URL, "search"),
        Input(ids.ADMIN_CREATE, "n_clicks"),
        Input({"type": ids.USER_TOGGLE, "user": ALL, "action": ALL}, "n_clicks"),
        Input({"type": ids.USER_ROLE_SAVE, "user": ALL}, "n_clicks"),
        State(ids.ADMIN_NEW_LOGIN, "value"),
        State(ids.ADMIN_NEW_ROLE, "value"),
        State(ids.ADMIN_NEW_PASSWORD, "value"),
        State(ids.ADMIN_NEW_CONFIRM, "value"),
        State({"type": ids.USER_ROLE, "user": ALL}, "value"),
    )(_users)
    app.callback(
        Output(ids.ADMIN_POINTS, "children"),
        Output(ids.ADMIN_TARGET_MESSAGE, "children"),
        Output(ids.ADMIN_INDICATOR_HELP, "children"),
        Input(ids.ADMIN_INDICATOR, "value"),
        Input(ids.ADMIN_ADD_POINT, "n_clicks"),
        Input(ids.ADMIN_SAVE_POINTS, "n_clicks"),
        Input({"type": ids.POINT_DELETE, "line": ALL}, "n_clicks"),
        State(ids.URL, "search"),
        State({"type": ids.POINT_FIELD, "line": ALL, "name": ALL}, "value"),
    )(_targets)
    app.callback(Output(ids.ADMIN_THRESHOLD, "children"), Input(ids.URL, "search"))(show_threshold)
    app.callback(
        Output(ids.ADMIN_AUDIT, "children"),
        Input(ids.URL, "search"),
        Input(ids.ADMIN_AUDIT_ACTION, "value"),
        Input(ids.ADMIN_USER_MESSAGE, "children"),  # a user change adds entries: reload
        Input(ids.ADMIN_TARGET_MESSAGE, "children"),  # so does a saved trajectory
    )(_journal)
