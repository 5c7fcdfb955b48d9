"""Errors speak French, in one envelope, and never show a stack trace."""

from __future__ import annotations

import html
import json

import dash
import pytest
from dash import Input, Output

from dashboard import create_app
from dashboard.models import Role
from tests.helpers import CSRF_INPUT, PASSWORD, log_in, make_territory, make_user


@pytest.fixture
def logged_in(client, db_session):
    make_territory(db_session, "35-REDON")
    make_user(db_session, "alice", Role.ADMIN, "35-REDON")
    db_session.commit()
    log_in(client, "alice")
    return client


def test_unknown_api_route_is_a_french_json_404(logged_in):
    response = logged_in.get("/api/v1/nulle-part")
    assert response.status_code == 404
    assert response.get_json() == {
        "error": {"code": "introuvable", "message": "Cette page ou cette ressource n'existe pas."}
    }


def test_unknown_page_is_routed_to_the_french_not_found_page(app):
    # What a person sees there is checked in Chromium (tests/browser).
    page = dash.page_registry["not_found_404"]
    assert "Page introuvable" in json.dumps(page["layout"]().to_plotly_json(), default=str)


def test_a_crashing_callback_answers_500_without_traceback(app, logged_in):
    @app.callback(Output("boom-out", "children"), Input("boom-in", "value"))
    def boom(_value):
        raise RuntimeError("secret internals /srv/pilotage/db.py")

    response = logged_in.post(
        "/_dash-update-component",
        json={
            "output": "boom-out.children",
            "outputs": {"id": "boom-out", "property": "children"},
            "inputs": [{"id": "boom-in", "property": "value", "value": 1}],
            "changedPropIds": ["boom-in.value"],
            "state": [],
        },
    )
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Une erreur interne est survenue" in text
    assert "Traceback" not in text and "secret internals" not in text and ".py" not in text


def test_html_errors_are_french_pages(logged_in):
    response = logged_in.delete("/login")
    assert response.status_code == 405
    assert "Cette action n'est pas autorisée ici." in html.unescape(response.get_data(as_text=True))


@pytest.mark.slow
def test_production_app_has_no_debug_and_no_debug_routes(settings, logged_in):
    # `logged_in` made alice in this test's database; the production app shares it.
    app = create_app(settings.with_overrides(production=True))
    assert app.server.debug is False
    assert not app.server.config["PROPAGATE_EXCEPTIONS"]

    @app.callback(Output("boom-out", "children"), Input("boom-in", "value"))
    def boom(_value):
        raise RuntimeError("secret internals /srv/pilotage/db.py")

    client = app.server.test_client()
    for path in ("/console", "/_reload-hash"):
        assert client.get(path, base_url="https://localhost").status_code == 404, path
    log_in_over_https = client.post(
        "/login",
        base_url="https://localhost",
        data={"login": "alice", "password": PASSWORD, "csrf_token": _csrf(client)},
    )
    assert log_in_over_https.status_code == 302
    for path in ("/console", "/_reload-hash"):
        assert client.get(path, base_url="https://localhost").status_code == 404, path
    response = client.post(
        "/_dash-update-component",
        base_url="https://localhost",
        json={
            "output": "boom-out.children",
            "outputs": {"id": "boom-out", "property": "children"},
            "inputs": [{"id": "boom-in", "property": "value", "value": 1}],
            "changedPropIds": ["boom-in.value"],
            "state": [],
        },
    )
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Une erreur interne est survenue" in text
    assert "Traceback" not in text and "secret internals" not in text and ".py" not in text
    app.server.extensions["pilotage"].engine.dispose()


def test_the_default_app_is_not_in_debug_mode(app):
    assert app.server.debug is False
    assert not app.server.config["PROPAGATE_EXCEPTIONS"]


def _csrf(client) -> str:
    page = client.get("/login", base_url="https://localhost").get_data(as_text=True)
    return CSRF_INPUT.search(page).group(1)
