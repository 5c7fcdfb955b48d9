"""The guard, login, logout and session rules, through the Flask test client."""

from __future__ import annotations

import json
import re
import time

import pytest
from sqlalchemy import select

from dashboard.auth import BAD_CREDENTIALS, LAST_SEEN_KEY, SESSION_EXPIRED
from dashboard.models import AuditLog, Role, User
from tests.helpers import PASSWORD, csrf_token, log_in, make_territory, make_user

PUBLIC = {"/login", "/api/v1/health"}


@pytest.fixture
def redon_admin(db_session):
    make_territory(db_session, "35-REDON", "Pays de Redon")
    user = make_user(db_session, "alice", Role.ADMIN, "35-REDON")
    db_session.commit()
    return user


def _concrete(rule) -> str:
    """A URL for a url_map rule, with a dummy value in each variable part."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", "x", rule.rule)


def test_every_route_refuses_anonymous_requests(app, client):
    checked = 0
    for rule in app.server.url_map.iter_rules():
        url = _concrete(rule)
        if url in PUBLIC or url.startswith("/assets/") or rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, json={} if method == "POST" else None)
            assert response.status_code in (302, 401), (method, url, response.status_code)
            if response.status_code == 302:
                assert response.headers["Location"].startswith("/login")
            checked += 1
    assert checked >= 8  # the Dash routes and the page routes are really there


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/_dash-layout"), ("GET", "/_dash-dependencies"), ("POST", "/_dash-update-component")],
)
def test_dash_routes_answer_401_json_when_anonymous(client, method, path):
    response = client.open(path, method=method, json={"output": "x", "inputs": []})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "non_authentifie"


def test_pages_redirect_anonymous_users_to_login_with_next(client):
    response = client.get("/une-page?periode=T3")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/une-page?periode=T3"


def test_route_added_after_start_is_still_guarded(app, client):
    app.server.add_url_rule("/added-later", "added_later", lambda: "secret")
    assert client.get("/added-later").status_code == 302


def test_login_page_is_french_and_public(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="fr"' in page and "Se connecter" in page and "Mot de passe" in page


def test_login_then_home_layout_shows_territory(client, redon_admin):
    response = log_in(client, "alice")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    layout = client.get("/_dash-layout")
    assert layout.status_code == 200
    body = json.dumps(layout.get_json(), ensure_ascii=False)
    assert "Pays de Redon" in body and "Administration" in body and "alice" in body


def test_wrong_password_and_unknown_login_get_the_same_french_answer(client, redon_admin):
    wrong = log_in(client, "alice", "pas-le-bon-mot-de-passe")
    unknown = log_in(client, "bob", "pas-le-bon-mot-de-passe")
    assert wrong.status_code == unknown.status_code == 401
    for response in (wrong, unknown):
        assert BAD_CREDENTIALS in response.get_data(as_text=True)
    assert client.get("/_dash-layout").status_code == 401


def test_failed_and_successful_logins_are_audited(client, redon_admin, db_session):
    log_in(client, "alice", "pas-le-bon-mot-de-passe")
    log_in(client, "alice")
    actions = db_session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions == ["login_failed", "login"]


def test_login_without_csrf_token_is_refused(client, redon_admin):
    response = client.post("/login", data={"login": "alice", "password": PASSWORD})
    assert response.status_code == 400
    assert "formulaire a expiré" in response.get_data(as_text=True)


def test_next_parameter_never_redirects_off_site(client, redon_admin):
    response = log_in(client, "alice", next_path="//evil.example/x")
    assert response.headers["Location"] == "/"


def test_inactive_user_cannot_log_in(client, redon_admin, db_session):
    redon_admin.active = False
    db_session.commit()
    assert log_in(client, "alice").status_code == 401


def test_deactivation_mid_session_rejects_next_callback(client, redon_admin, db_session):
    log_in(client, "alice")
    assert client.get("/_dash-layout").status_code == 200
    db_session.get(User, redon_admin.id).active = False
    db_session.commit()
    assert client.get("/_dash-layout").status_code == 401


def test_cookie_replayed_after_logout_is_rejected(app, client, redon_admin):
    log_in(client, "alice")
    cookie = client.get_cookie("session").value
    assert client.get("/logout").headers["Location"] == "/login"
    replay = app.server.test_client()
    replay.set_cookie("session", cookie)
    assert replay.get("/_dash-layout").status_code == 401


def test_idle_session_expires_with_french_message(client, redon_admin, settings):
    log_in(client, "alice")
    with client.session_transaction() as session:
        session[LAST_SEEN_KEY] = time.time() - settings.idle_timeout_minutes * 60 - 5
    response = client.get("/_dash-layout")
    assert response.status_code == 401
    assert response.get_json()["error"] == {"code": "session_expiree", "message": SESSION_EXPIRED}
    page = client.get("/login?expired=1").get_data(as_text=True)
    assert "Votre session a expiré" in page


def test_session_cookie_is_httponly_and_samesite(client, redon_admin):
    response = log_in(client, "alice")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_dash_post_must_be_json_from_same_origin(client, redon_admin):
    log_in(client, "alice")
    as_text = client.post(
        "/_dash-update-component", data="{}", headers={"Content-Type": "text/plain"}
    )
    assert as_text.status_code == 400
    forged = client.post(
        "/_dash-update-component", json={}, headers={"Origin": "https://evil.example"}
    )
    assert forged.status_code == 400
    assert "origine" in forged.get_json()["error"]["message"]


def test_csrf_token_is_fresh_per_session(app, redon_admin):
    first, second = app.server.test_client(), app.server.test_client()
    assert csrf_token(first) != csrf_token(second)
