"""Every route and every callback, taken from the running app, refuses who may not use it.

tests/test_auth.py checks each url_map rule once with a dummy URL. Here the lists come
from the app as it serves (url_map after the first request, app.callback_map with the
pages router's callbacks), so a route, API route or callback added tomorrow is swept
without touching this file:
- anonymously, every rule with every method it accepts, on a URL that really reaches
  that rule, answers 302 to /login or 401, and never shows data (fixture data of two
  territories is in the database while it runs);
- anonymously, and with a valid API token (tokens open the API only), a well-formed
  POST of every callback, with its real output id, answers 401;
- signed in with a role a page does not list (layouts.navigation.PAGES), every
  callback of that page answers 403 in French, and the router shows the refusal.
The few public endpoints are listed by name, and each is checked to hold no data.
"""

from __future__ import annotations

import re

import pytest
from dash import Input, Output

from dashboard import auth
from dashboard.models import Role
from layouts import REFUSED_TITLE
from layouts.navigation import PAGES, page_roles
from tests.scope_fixtures import (
    body_text,
    callback_payload,
    callback_specs,
    make_two_territories,
    sign_in,
)

UPDATE = "/_dash-update-component"
# The only endpoints open without a session: the login page, the health probe, the assets.
PUBLIC_ENDPOINTS = frozenset({"auth.login", "api.health", "_dash_assets.static"})
# Callbacks shared by every page (the filter bar, the pages router): any signed-in role.
SHARED_MODULES = frozenset({"callbacks.filters", "dash.dash"})
# Data of territory A that would betray a leak to an anonymous caller or a refused role.
A_DATA = ("redon", "cdas", "refa1", "lutece", "a.admin")
CONVERTER_VALUES = {"IntegerConverter": "1", "PathConverter": "x/y.js"}
VARIABLE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


@pytest.fixture
def found(db_session):
    return make_two_territories(db_session)


@pytest.fixture
def served(app, client, found):
    """The app after one signed-in request: Dash registers its pages router then."""
    sign_in(app.server.test_client(), found, "a.admin").get("/_dash-layout")
    return app


def concrete_url(rule) -> str:
    """A URL that the rule itself matches, each variable part filled for its converter."""
    url = rule.rule
    for name, converter in rule._converters.items():
        value = CONVERTER_VALUES.get(type(converter).__name__, "x")
        url = re.sub(rf"<(?:[^:<>]+:)?{re.escape(name)}>", value, url, count=1)
    assert not VARIABLE.search(url), url
    return url


def assert_refused_anonymously(response, method: str, url: str) -> None:
    where = (method, url, response.status_code)
    assert response.status_code in (302, 401), where
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/login"), where
    elif method != "HEAD":  # a HEAD answer has no body
        assert response.get_json()["error"]["code"] == "non_authentifie", where
    text = body_text(response).lower()
    assert not [word for word in A_DATA if word in text], where


def sweep_anonymously(app) -> int:
    """Request every non-public rule with every method; the number of requests made."""
    client = app.server.test_client()
    adapter = app.server.url_map.bind("localhost")
    made = 0
    for rule in app.server.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        url = concrete_url(rule)
        for method in sorted(rule.methods):
            endpoint = adapter.match(url, method=method)[0] if method != "OPTIONS" else None
            assert endpoint in (rule.endpoint, None), (url, method, endpoint)
            body = {} if method in ("POST", "PUT", "PATCH") else None
            assert_refused_anonymously(client.open(url, method=method, json=body), method, url)
            made += 1
    return made


def test_every_rule_and_method_refuses_anonymous_requests(served):
    # 25 rules today, most with GET, HEAD and OPTIONS: well over 50 requests.
    assert sweep_anonymously(served) > 50


def test_the_sweep_fails_on_a_route_left_open(app, found, monkeypatch):
    """The sweep can fail: a route made public by mistake is caught."""
    app.server.add_url_rule("/fuite", "fuite", lambda: "Pays de Redon : 2 personnes")
    served = app
    assert sweep_anonymously(served) > 50  # a route like any other: guarded
    monkeypatch.setattr(auth, "PUBLIC_PATHS", auth.PUBLIC_PATHS | {"/fuite"})
    with pytest.raises(AssertionError):
        sweep_anonymously(served)


def test_public_endpoints_are_exactly_the_listed_ones_and_hold_no_data(served, client):
    endpoints = {rule.endpoint for rule in served.server.url_map.iter_rules()}
    assert PUBLIC_ENDPOINTS <= endpoints
    login = client.get("/login")
    assert login.status_code == 200 and "Se connecter" in login.get_data(as_text=True)
    health = client.get("/api/v1/health").get_json()
    # Sources and dates only: no territory, no figure.
    assert set(health) == {"status", "database", "latest_imports"}
    asset = client.get("/assets/pilotage.css")
    assert asset.status_code == 200 and asset.mimetype == "text/css"
    for response in (login, client.get("/api/v1/health"), asset):
        text = body_text(response).lower()
        response.close()
        assert not [word for word in A_DATA if word in text]


def test_every_callback_refuses_anonymous_and_token_posts(served, client, found):
    specs = callback_specs(served)
    # The pages router and its dummy are there, and every page's callbacks.
    assert any(spec.module == "dash.dash" for spec in specs)
    assert {spec.page for spec in specs} >= {page.module for page in PAGES}
    token = found.bearer("a.admin")
    for spec in specs:
        payload = callback_payload(spec)
        assert_refused_anonymously(client.post(UPDATE, json=payload), "POST", spec.output)
        with_token = client.post(UPDATE, json=payload, headers=token)
        assert_refused_anonymously(with_token, "POST", spec.output)
    # The same payloads are well formed: an admin of A gets answers (200, or 204 when
    # the callback has nothing to do), which proves the 401 above came from the guard.
    admin = sign_in(served.server.test_client(), found, "a.admin")
    for spec in specs:
        if spec.server_side:
            answer = admin.post(UPDATE, json=callback_payload(spec))
            assert answer.status_code in (200, 204), (spec.output, answer.status_code)


def test_a_callback_added_after_start_refuses_anonymous_posts(served, client, found):
    served.callback(Output("tardif", "children"), Input("tardif-entree", "value"))(
        lambda value: f"secret {value}"
    )
    spec = next(s for s in callback_specs(served) if s.output == "tardif.children")
    payload = callback_payload(spec, {"tardif-entree.value": "x"})
    assert_refused_anonymously(client.post(UPDATE, json=payload), "POST", spec.output)
    signed = sign_in(served.server.test_client(), found, "a.comop")
    assert signed.post(UPDATE, json=payload).get_json()["response"] == {
        "tardif": {"children": "secret x"}
    }


def test_every_callback_is_tied_to_a_page_or_shared(served):
    """A callback module that is neither a page's nor shared would escape the role sweep."""
    pages = {page.module for page in PAGES}
    for spec in callback_specs(served):
        if spec.server_side:
            assert spec.page in pages or spec.module in SHARED_MODULES | {"callbacks.home"}, spec


def _refused_roles(page: str) -> list[Role]:
    return [role for role in Role if role not in page_roles(page)]


def _login_of(role: Role) -> str:
    return "nation" if role is Role.NATIONAL else f"a.{role.value}"


def test_every_page_callback_refuses_the_roles_the_page_does_not_list(served, found):
    checked = 0
    clients = {role: sign_in(served.server.test_client(), found, _login_of(role)) for role in Role}
    for spec in callback_specs(served):
        if not spec.server_side or spec.page not in {page.module for page in PAGES}:
            continue
        for role in _refused_roles(spec.page):
            response = clients[role].post(UPDATE, json=callback_payload(spec))
            where = (spec.output, role.value, response.status_code)
            assert response.status_code == 403, where
            error = response.get_json()["error"]
            assert error["message"] == "Votre rôle ne donne pas accès à ces données.", where
            text = body_text(response).lower()
            assert not [word for word in A_DATA if word in text], where
            checked += 1
    # copil refuses comop and projet; comop 3 roles; projet 2; imports and admin 4 each;
    # each page has from 1 to 5 callbacks: well over 40 refusals.
    assert checked > 40


def test_the_pages_router_shows_the_refusal_to_roles_a_page_does_not_list(served, found):
    router = next(spec for spec in callback_specs(served) if spec.output.startswith(".._pages"))
    checked = 0
    for page in PAGES:
        for role in _refused_roles(page.module):
            client = sign_in(served.server.test_client(), found, _login_of(role))
            payload = callback_payload(router, {"_pages_location.pathname": page.path})
            response = client.post(UPDATE, json=payload)
            assert response.status_code == 200, (page.path, role)
            text = body_text(response)
            assert REFUSED_TITLE in text, (page.path, role)
            assert not [word for word in A_DATA if word in text.lower()], (page.path, role)
            checked += 1
    assert checked >= 12


def test_a_post_to_a_callback_without_server_function_is_a_400_not_a_500(served, found):
    """Clientside callbacks (the print button, the router's dummy) are in callback_map
    but have no Python function: Dash would fail with a 500 on a forged post."""
    client = sign_in(served.server.test_client(), found, "a.admin")
    clientside = [spec for spec in callback_specs(served) if not spec.server_side]
    assert {spec.output for spec in clientside} >= {"copil-print.title"}
    unknown = callback_payload(clientside[0]) | {"output": "inconnu.children"}
    for payload in [callback_payload(spec) for spec in clientside] + [unknown]:
        response = client.post(UPDATE, json=payload)
        assert response.status_code == 400, (payload["output"], response.status_code)
        assert response.get_json()["error"]["message"] == "Requête refusée : callback inconnu."
