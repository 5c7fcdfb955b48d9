"""Security headers and cookie flags (test plan lines 10 and 11), through the Flask test client.

Headers and cookies do not depend on the database backend, so this module runs on
SQLite only (it overrides `database_url`); the browser side of the CSP is
tests/browser/test_csp_browser.py.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import shutil
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from flask import Response
from flask_login import login_user

from dashboard import create_app
from dashboard.auth import load_session_user
from dashboard.models import Role
from tests import dash_post
from tests.helpers import PASSWORD, csrf_token, log_in, make_territory, make_user

HTTPS = "https://localhost"
TWELVE_HOURS = dt.timedelta(hours=12)
INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


@pytest.fixture
def database_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "pilotage.sqlite3"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def admin(db_session):
    make_territory(db_session, "35-REDON", "Pays de Redon")
    user = make_user(db_session, "alice", Role.ADMIN, "35-REDON")
    db_session.commit()
    return user


@pytest.fixture
def production_app(settings, engine):
    application = create_app(settings.with_overrides(production=True))
    yield application
    application.server.extensions["pilotage"].engine.dispose()


def _fetch(client, path: str, method: str = "GET", **kwargs):
    """The answer, read and closed (static files are streamed from an open file)."""
    response = client.open(path, method=method, **kwargs)
    response.get_data()
    response.close()
    return response


def _csp(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    policy = response.headers.get("Content-Security-Policy")
    assert policy, f"no CSP on {response.request.path}"
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _assert_security_headers(response, *, production: bool = False) -> None:
    path = response.request.path
    csp = _csp(response)
    assert csp["default-src"] == ["'self'"], path
    assert "'unsafe-inline'" not in csp["script-src"], path
    assert "'unsafe-eval'" not in csp["script-src"], path
    assert csp["object-src"] == ["'none'"], path
    assert csp["frame-ancestors"] == ["'none'"], path
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"], path
    assert csp["connect-src"] == ["'self'"], path
    assert csp["img-src"] == ["'self'", "data:"] and csp["font-src"] == ["'self'", "data:"], path
    assert response.headers["X-Frame-Options"] == "DENY", path
    assert response.headers["X-Content-Type-Options"] == "nosniff", path
    assert response.headers["Referrer-Policy"] == "same-origin", path
    assert "camera=()" in response.headers["Permissions-Policy"], path
    hsts = response.headers.get("Strict-Transport-Security")
    if production:
        assert hsts is not None and "max-age=31536000" in hsts, path
    else:
        assert hsts is None, path


def _static_urls(client) -> tuple[str, str]:
    """One Dash component-suite script and one of our assets, as the index page links them."""
    page = _fetch(client, "/").get_data(as_text=True)
    suite = re.search(r'src="(/_dash-component-suites/[^"]+)"', page).group(1)
    asset = re.search(r'href="(/assets/[^"]+\.css[^"]*)"', page).group(1)
    return suite, asset


def test_every_kind_of_response_carries_the_headers(app, client, admin):
    server = app.server
    server.config["PROPAGATE_EXCEPTIONS"] = False  # let the 500 handler answer

    def broken() -> str:
        raise RuntimeError("boom")

    server.add_url_rule("/casse", "casse", broken)
    anonymous = [
        _fetch(client, "/login"),  # the login page
        _fetch(client, "/"),  # a page, refused: redirect
        _fetch(client, "/_dash-layout"),  # a Dash route, refused: 401 JSON
        _fetch(client, "/api/v1/health"),  # the public API
        _fetch(client, "/assets/pilotage.css"),  # a static asset served to anyone
    ]
    assert [r.status_code for r in anonymous] == [200, 302, 401, 200, 200]
    assert log_in(client, "alice").status_code == 302
    suite, asset = _static_urls(client)
    dependency = client.get("/_dash-dependencies").get_json()[0]
    logged_in = [
        _fetch(client, "/"),
        _fetch(client, "/copil"),
        _fetch(client, "/page-inconnue"),
        _fetch(client, "/_dash-layout"),
        _fetch(client, "/_dash-dependencies"),
        _fetch(
            client, "/_dash-update-component", "POST", json=dash_post.payload(dependency, {}, [])
        ),
        _fetch(client, "/api/v1/indicators"),
        _fetch(client, "/api/v1/inconnue"),  # API 404
        _fetch(client, "/copil/dossier.pdf?periode=nimporte"),
        _fetch(client, suite),
        _fetch(client, asset),
        _fetch(client, "/casse"),  # an unhandled error, through the 500 handler
    ]
    assert logged_in[0].status_code == 200 and logged_in[9].status_code == 200
    assert logged_in[7].status_code == 404 and logged_in[11].status_code == 500
    for response in anonymous + logged_in:
        _assert_security_headers(response)


def test_data_answers_are_not_stored_but_static_files_may_be(client, admin):
    log_in(client, "alice")
    suite, asset = _static_urls(client)
    dependency = client.get("/_dash-dependencies").get_json()[0]
    for response in (
        _fetch(client, "/api/v1/indicators"),
        _fetch(client, "/api/v1/exports/national.csv"),
        _fetch(client, "/_dash-layout"),
        _fetch(
            client, "/_dash-update-component", "POST", json=dash_post.payload(dependency, {}, [])
        ),
        _fetch(client, "/copil/dossier.pdf"),
    ):
        assert response.headers.get("Cache-Control") == "no-store", response.request.path
    for path in (suite, asset):
        response = _fetch(client, path)
        assert response.status_code == 200
        assert "no-store" not in response.headers.get("Cache-Control", ""), path


def _served_inline_scripts(page: str) -> list[str]:
    """The scripts a browser runs from the page's own text (not in comments, not JSON data)."""
    bodies = []
    for match in INLINE_SCRIPT.finditer(HTML_COMMENT.sub("", page)):
        attrs = match.group("attrs")
        if "src=" in attrs or "application/json" in attrs:
            continue
        bodies.append(match.group("body"))
    return bodies


def _sha256_source(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def test_the_csp_hashes_allow_exactly_the_inline_scripts_of_the_index_page(client, admin):
    log_in(client, "alice")
    response = _fetch(client, "/copil")
    scripts = _served_inline_scripts(response.get_data(as_text=True))
    # The DashRenderer start-up plus the clientside callbacks (COPIL's print button among them).
    assert any("new DashRenderer" in script for script in scripts)
    assert any("window.print()" in script for script in scripts)
    allowed = [source for source in _csp(response)["script-src"] if source.startswith("'sha")]
    assert sorted(allowed) == sorted({_sha256_source(script) for script in scripts})
    # A script injected into the page would not be among them.
    assert _sha256_source("alert(1)") not in allowed


def test_hsts_only_in_production(client, production_app, admin):
    _assert_security_headers(_fetch(client, "/login"))
    production = production_app.server.test_client()
    for path in ("/login", "/assets/pilotage.css", "/api/v1/health", "/"):
        _assert_security_headers(_fetch(production, path, base_url=HTTPS), production=True)


def _set_cookie(response, name: str) -> str:
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(f"{name}="):
            return header
    raise AssertionError(f"no {name} cookie in {response.headers.getlist('Set-Cookie')}")


def _flags(header: str) -> set[str]:
    return {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}


def _assert_lifetime_at_most_12_hours(header: str) -> None:
    expires = re.search(r"Expires=([^;]+)", header).group(1)
    left = parsedate_to_datetime(expires) - dt.datetime.now(dt.UTC)
    # Issued just now for 12 h: between 11 h 59 and 12 h left (one minute of slack for the test).
    assert TWELVE_HOURS - dt.timedelta(minutes=1) <= left <= TWELVE_HOURS, left


def _log_in_over_https(client) -> Response:
    token = csrf_token(client, HTTPS + "/login")
    return client.post(
        "/login",
        data={"login": "alice", "password": PASSWORD, "csrf_token": token},
        base_url=HTTPS,
    )


def test_session_cookie_flags_outside_production(client, admin):
    response = log_in(client, "alice")
    assert response.status_code == 302
    cookie = _set_cookie(response, "session")
    assert {"httponly", "samesite"} <= _flags(cookie) and "secure" not in _flags(cookie)
    assert "SameSite=Lax" in cookie
    _assert_lifetime_at_most_12_hours(cookie)
    # Remember-me is never offered: no long-lived cookie next to the session.
    assert not any(h.startswith("remember_token=") for h in response.headers.getlist("Set-Cookie"))


def test_session_cookie_is_secure_in_production(production_app, admin):
    client = production_app.server.test_client()
    response = _log_in_over_https(client)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    cookie = _set_cookie(response, "session")
    assert {"httponly", "secure", "samesite"} <= _flags(cookie)
    assert "SameSite=Lax" in cookie
    _assert_lifetime_at_most_12_hours(cookie)
    assert not any(h.startswith("remember_token=") for h in response.headers.getlist("Set-Cookie"))


def _remember_cookie(application, user_id: int, epoch: int) -> str:
    """The remember_token flask-login would set if login_user were called with remember=True."""
    server = application.server
    with server.test_request_context("/", base_url=HTTPS):
        login_user(load_session_user(f"{user_id}:{epoch}"), remember=True)
        response = server.process_response(Response("ok"))
    return _set_cookie(response, "remember_token")


@pytest.mark.parametrize("production", [False, True])
def test_a_remember_cookie_would_carry_the_same_flags(settings, engine, admin, production):
    application = create_app(settings.with_overrides(production=production))
    try:
        cookie = _remember_cookie(application, admin.id, admin.session_epoch)
    finally:
        application.server.extensions["pilotage"].engine.dispose()
    flags = _flags(cookie)
    assert {"httponly", "samesite"} <= flags and "SameSite=Lax" in cookie
    assert ("secure" in flags) is production
    _assert_lifetime_at_most_12_hours(cookie)
