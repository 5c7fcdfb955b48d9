"""Security plan lines 8 and 9 on the real app, with a callback that works when sent right.

Line 8: a session cookie replayed after logout is refused on a callback POST (the
existing test in test_auth.py replays it on GET /_dash-layout). Line 9: a callback
POST a foreign page could send with the victim's cookie (text/plain, a form, a foreign
Origin) is refused, while the same body sent as our pages send it is answered; the
login form refuses a missing, foreign or altered CSRF token.
"""

from __future__ import annotations

import json

import pytest

from dashboard.models import Role
from tests.dash_post import find_callback, payload
from tests.helpers import PASSWORD, csrf_token, log_in, make_territory, make_user

UPDATE = "/_dash-update-component"
EVIL = "https://evil.example"


@pytest.fixture
def comop(db_session):
    make_territory(db_session, "35-REDON", "Pays de Redon")
    make_user(db_session, "redon.comop", Role.COMOP, "35-REDON")
    db_session.commit()


def _home_click(client) -> dict:
    """The home page's summary callback, as the browser posts it."""
    values = {"home-location.pathname": "/"}
    return payload(find_callback(client, "home-summary"), values, ["home-location.pathname"])


def test_a_cookie_replayed_after_logout_is_refused_on_a_callback(app, client, comop):
    log_in(client, "redon.comop")
    click = _home_click(client)
    assert client.post(UPDATE, json=click).status_code == 200  # control: the call works
    cookie = client.get_cookie("session").value
    assert client.get("/logout").headers["Location"] == "/login"
    replay = app.server.test_client()
    replay.set_cookie("session", cookie)
    assert replay.post(UPDATE, json=click).status_code == 401


@pytest.mark.parametrize(
    ("content_type", "origin"),
    [
        ("text/plain", EVIL),  # the plan's case: a cross-site "simple request"
        ("text/plain", None),
        ("application/x-www-form-urlencoded", EVIL),
        ("multipart/form-data; boundary=x", EVIL),
        ("application/json", EVIL),
        ("application/json", "null"),  # a sandboxed frame or a data: page
    ],
)
def test_a_forged_callback_post_with_a_valid_cookie_is_refused(client, comop, content_type, origin):
    log_in(client, "redon.comop")
    body = json.dumps(_home_click(client))
    # Control: the very same body, as our pages send it, is answered.
    same_site = {"Content-Type": "application/json", "Origin": "http://localhost"}
    assert client.post(UPDATE, data=body, headers=same_site).status_code == 200
    headers = {"Content-Type": content_type} | ({"Origin": origin} if origin else {})
    forged = client.post(UPDATE, data=body, headers=headers)
    assert 400 <= forged.status_code < 500
    assert forged.get_json()["error"]["message"].startswith("Requête refusée")


def test_the_login_form_refuses_a_missing_foreign_or_altered_token(app, client, comop):
    form = {"login": "redon.comop", "password": PASSWORD}
    assert client.post("/login", data=form).status_code == 400
    foreign = csrf_token(app.server.test_client())  # valid, but for another session
    csrf_token(client)  # this client's own session
    assert client.post("/login", data=form | {"csrf_token": foreign}).status_code == 400
    own = csrf_token(client)
    altered = own[:-2] + ("AA" if not own.endswith("AA") else "BB")
    assert client.post("/login", data=form | {"csrf_token": altered}).status_code == 400
    # Control: the right token logs in, so the refusals above are the token's doing.
    assert client.post("/login", data=form | {"csrf_token": own}).status_code == 302
