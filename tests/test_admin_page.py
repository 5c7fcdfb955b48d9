"""The administration page's callbacks, posted like the browser: users, targets, threshold."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from dashboard.models import AuditLog, IndicatorTarget, Role, User
from tests.dash_post import call, find_callback, payload, prop_id, response_of, text_of
from tests.helpers import log_in, make_territory, make_user

NEW_PASSWORD = "un-mot-de-passe-long"
HOME = {"frame-url.search": ""}


@pytest.fixture
def users(db_session):
    make_territory(db_session, "35-REDON", "Pays de Redon")
    make_territory(db_session, "75-PARIS", "Paris")
    made = {
        login: make_user(db_session, login, role, territory)
        for login, role, territory in (
            ("redon.admin", Role.ADMIN, "35-REDON"),
            ("redon.admin2", Role.ADMIN, "35-REDON"),
            ("redon.comop", Role.COMOP, "35-REDON"),
            ("paris.admin", Role.ADMIN, "75-PARIS"),
            ("paris.comop", Role.COMOP, "75-PARIS"),
        )
    }
    db_session.commit()
    return made


def _users_call(client, trigger: str = "frame-url.search", **values):
    base = {
        "frame-url.search": "",
        "admin-create.n_clicks": 1 if trigger == "admin-create.n_clicks" else 0,
        "admin-user-toggle.n_clicks": [],
        "admin-user-role-save.n_clicks": [],
        "admin-new-login.value": None,
        "admin-new-role.value": None,
        "admin-new-password.value": None,
        "admin-new-confirm.value": None,
        "admin-user-role.value": [],
    }
    return call(client, "admin-users", base | values, [trigger])


def _toggle(client, user_id: object, action: str):
    key = {"type": "admin-user-toggle", "user": user_id, "action": action}
    return _users_call(
        client, prop_id(key, "n_clicks"), **{"admin-user-toggle.n_clicks": [(key, 1)]}
    )


def _change_role(client, user_id: object, role: str):
    key = {"type": "admin-user-role-save", "user": user_id}
    return _users_call(
        client,
        prop_id(key, "n_clicks"),
        **{
            "admin-user-role-save.n_clicks": [(key, 1)],
            "admin-user-role.value": [({"type": "admin-user-role", "user": user_id}, role)],
        },
    )


def _home_payload(client) -> dict:
    """Any callback of another page: the next request a user's browser would make
    (built while the session is valid: the dependency list is guarded too)."""
    values = {"home-location.pathname": "/"}
    return payload(find_callback(client, "home-summary"), values, ["home-location.pathname"])


def _users_payload(client) -> dict:
    values = {"frame-url.search": "", "admin-user-toggle.n_clicks": []}
    values |= {"admin-user-role-save.n_clicks": [], "admin-user-role.value": []}
    return payload(find_callback(client, "admin-users"), values, ["frame-url.search"])


def _message(body: dict) -> str:
    return text_of(body["admin-user-message"]["children"])


def test_admin_lists_only_the_users_of_the_territory(client, users):
    log_in(client, "redon.admin")
    table = text_of(response_of(_users_call(client))["admin-users"]["children"])
    assert "redon.admin (vous)" not in table  # the login and the role are separate cells
    assert "Administration (vous)" in table
    assert "redon.admin2" in table and "redon.comop" in table
    assert "paris" not in table


def test_other_roles_are_refused(client, users):
    log_in(client, "redon.comop")
    assert _users_call(client).status_code == 403
    assert _toggle(client, users["redon.admin"].id, "deactivate").status_code == 403
    values = {"frame-url.search": ""}
    assert call(client, "admin-threshold", values, ["frame-url.search"]).status_code == 403


def test_deactivated_user_is_rejected_at_the_next_callback(app, client, users, db_session):
    victim = app.server.test_client()
    log_in(victim, "redon.comop")
    next_click = _home_payload(victim)
    assert victim.post("/_dash-update-component", json=next_click).status_code == 200
    log_in(client, "redon.admin")
    body = response_of(_toggle(client, users["redon.comop"].id, "deactivate"))
    assert _message(body) == "Compte redon.comop désactivé."
    assert "Désactivé" in text_of(body["admin-users"]["children"])
    assert victim.post("/_dash-update-component", json=next_click).status_code == 401
    assert victim.get("/").status_code == 302  # pages send the browser to the login page
    db_session.expire_all()
    log = db_session.scalar(select(AuditLog).where(AuditLog.action == "user_deactivated"))
    assert (log.login, log.details) == ("redon.admin", {"user": "redon.comop"})


def test_demoted_admin_is_rejected_at_the_next_callback(app, client, users, db_session):
    other_admin = app.server.test_client()
    log_in(other_admin, "redon.admin2")
    next_click = _users_payload(other_admin)
    assert other_admin.post("/_dash-update-component", json=next_click).status_code == 200
    log_in(client, "redon.admin")
    body = response_of(_change_role(client, users["redon.admin2"].id, "copil"))
    assert "Rôle de redon.admin2 modifié" in _message(body)
    assert other_admin.post("/_dash-update-component", json=next_click).status_code == 401
    db_session.expire_all()
    assert db_session.get(User, users["redon.admin2"].id).role == "copil"


def test_forged_user_ids_of_another_territory_are_refused(client, users, db_session):
    log_in(client, "redon.admin")
    paris = users["paris.comop"]
    for forged in (paris.id, str(paris.id), None):
        body = response_of(_toggle(client, forged, "deactivate"))
        assert _message(body) == "Utilisateur inconnu ou hors de votre territoire."
        body = response_of(_change_role(client, forged, "admin"))
        assert _message(body) == "Utilisateur inconnu ou hors de votre territoire."
    db_session.expire_all()
    stored = db_session.get(User, paris.id)
    assert (stored.active, stored.role, stored.session_epoch) == (True, "comop", 0)


def test_create_a_user_from_the_form(client, users, db_session):
    log_in(client, "redon.admin")
    form = {
        "admin-new-login.value": "agent.accueil",
        "admin-new-role.value": "comop",
        "admin-new-password.value": NEW_PASSWORD,
        "admin-new-confirm.value": NEW_PASSWORD,
    }
    body = response_of(_users_call(client, "admin-create.n_clicks", **form))
    assert _message(body) == "Compte agent.accueil créé."
    assert body["admin-new-password"]["value"] == "" and body["admin-new-confirm"]["value"] == ""
    assert "agent.accueil" in text_of(body["admin-users"]["children"])
    created = db_session.scalar(select(User).where(User.login == "agent.accueil"))
    assert created.territory_id == users["redon.admin"].territory_id
    weak = form | {"admin-new-login.value": "agent.deux", "admin-new-password.value": "court"}
    body = response_of(_users_call(client, "admin-create.n_clicks", **weak))
    assert "différents" in _message(body)
    weak["admin-new-confirm.value"] = "court"
    body = response_of(_users_call(client, "admin-create.n_clicks", **weak))
    assert "au moins 12 caractères" in _message(body)


def _targets_call(client, trigger: str, code: str | None, rows: list[dict] | None = None):
    fields = [
        ({"type": "admin-point-field", "line": line, "name": name}, value)
        for line, row in enumerate(rows or [])
        for name, value in row.items()
    ]
    values = {
        "admin-indicator.value": code,
        "admin-add-point.n_clicks": 1 if trigger == "admin-add-point.n_clicks" else 0,
        "admin-save-points.n_clicks": 1 if trigger == "admin-save-points.n_clicks" else 0,
        "admin-point-delete.n_clicks": [],
        "frame-url.search": "",
        "admin-point-field.value": fields,
    }
    return call(client, "admin-points", values, [trigger])


def _point(start: str, end: str, target: str, baseline: str = "") -> dict[str, str]:
    return {
        "period_start": start,
        "period_end": end,
        "target_value": target,
        "baseline_value": baseline,
    }


def test_targets_editor_saves_and_invalidates_the_cache(app, client, users, db_session):
    log_in(client, "redon.admin")
    code = "taux_orientes_15j"
    shown = response_of(_targets_call(client, "admin-indicator.value", code))
    assert "Aucun point de trajectoire" in text_of(shown["admin-points"]["children"])
    assert "de 0 à 100" in shown["admin-indicator-help"]["children"]
    cache = app.server.extensions["pilotage"].facts_cache
    loads = cache.loads
    rows = [
        _point("2024-01-01", "2024-06-30", "60", "40"),
        _point("2024-07-01", "2024-12-31", "80"),
    ]
    saved = response_of(_targets_call(client, "admin-save-points.n_clicks", code, rows))
    assert text_of(saved["admin-target-message"]["children"]) == (
        "Trajectoire enregistrée : 2 point(s)."
    )
    territory_id = users["redon.admin"].territory_id
    stored = db_session.execute(
        select(IndicatorTarget.period_end, IndicatorTarget.target_value)
        .where(IndicatorTarget.territory_id == territory_id)
        .order_by(IndicatorTarget.period_end)
    ).all()
    assert stored == [(dt.date(2024, 6, 30), 60.0), (dt.date(2024, 12, 31), 80.0)]
    # The save dropped the territory's facts from the cache: the next page reloads them.
    _targets_call(client, "admin-indicator.value", code)
    assert cache.loads == loads + 1
    bad = [_point("2024-01-01", "2024-06-30", "140")]
    refused = response_of(_targets_call(client, "admin-save-points.n_clicks", code, bad))
    assert "un taux est compris entre 0 et 100 %" in text_of(
        refused["admin-target-message"]["children"]
    )
    assert "admin-points" not in refused  # the form keeps what the user typed
    db_session.expire_all()
    assert len(db_session.scalars(select(IndicatorTarget)).all()) == 2
    log = db_session.scalar(select(AuditLog).where(AuditLog.action == "targets_changed"))
    assert log.details["indicator"] == code and len(log.details["after"]) == 2


def test_forged_indicator_is_refused(client, users, db_session):
    log_in(client, "redon.admin")
    rows = [_point("2024-01-01", "2024-06-30", "60")]
    body = response_of(_targets_call(client, "admin-save-points.n_clicks", "'; DROP", rows))
    assert "Indicateur inconnu" in text_of(body["admin-target-message"]["children"])
    assert db_session.scalars(select(IndicatorTarget)).all() == []


def test_threshold_is_shown_read_only(client, users, settings):
    log_in(client, "redon.admin")
    values = {"frame-url.search": ""}
    body = response_of(call(client, "admin-threshold", values, ["frame-url.search"]))
    text = text_of(body["admin-threshold"]["children"])
    assert f"Seuil en vigueur : {settings.disclosure_threshold}" in text
    assert "PILOTAGE_DISCLOSURE_THRESHOLD" in text
