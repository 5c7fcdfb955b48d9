"""A user of territory A forges values of territory B into every callback and API route.

Fixture: tests/scope_fixtures.py (A = 35-REDON, B = 75-PARIS; everything of B carries
the word LUTECE, B has 7 people against A's 2 and its own extraction date). The
callbacks are taken from app.callback_map, so a new callback is tampered with too.
Expected everywhere: a refusal (403 or a French sentence), or exactly what A's own
request shows; never a 500, never a marker of B; B's rows unchanged in the database.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json

import openpyxl
import pytest
from sqlalchemy import func, select

from callbacks.comop_view import REFERENT_OUTSIDE, SITE_OUTSIDE
from dashboard.models import (
    Beneficiary,
    ImportBatch,
    QuarantinedRow,
    RoadmapAction,
    Role,
    Site,
    User,
    utcnow,
)
from dashboard.scope import OUT_OF_SCOPE
from dashboard.tokens import create_token, revoke_by_prefix
from layouts.navigation import PAGES, page_roles
from tests.api_support import assert_error
from tests.scope_fixtures import (
    A_ROLES,
    b_leaks,
    body_text,
    callback_payload,
    callback_specs,
    make_two_territories,
    sign_in,
)

UPDATE = "/_dash-update-component"
URL_SEARCH = "frame-url.search"
BASE = "?periode=2024-03"
# Everything a refusal may say: the scope (territory, site, referent), a quarantined row
# or an action of another territory, an unreadable address (layouts/filters.py,
# layouts/comop_query.py).
REFUSALS = (
    OUT_OF_SCOPE,
    "Code de territoire illisible dans l'adresse.",
    "Site illisible dans l'adresse.",
    "Référent illisible dans l'adresse.",
    SITE_OUTSIDE,
    REFERENT_OUTSIDE,
    "Adresse de la page illisible.",
    "Ligne inconnue ou hors de votre territoire.",
    "Action inconnue ou hors de votre territoire.",
)
# Button properties: a forged click count carries no scope, a few odd types suffice.
CLICK_PROPS = frozenset({"n_clicks", "submit_n_clicks", "id"})
# A's own data: what B must never receive from a cache filled by A.
A_MARKERS = ("35-redon", "pays de redon", "cdas nord", "refa1", "30/04/2024", "redon-solis")


@pytest.fixture
def found(db_session):
    return make_two_territories(db_session)


@pytest.fixture
def served(app, found):
    """The app after one signed-in request (Dash adds its pages router then)."""
    sign_in(app.server.test_client(), found, "a.admin").get("/_dash-layout")
    return app


def forged_searches(found) -> list[str]:
    """Query strings a user of A may type or forge, each added to BASE."""
    tampers = [
        "territoire=75-PARIS",
        "territoire=75-paris",
        "territoire=%2075-PARIS%20",
        "territoire=*",
        "territoire=%25",
        "territoire=' OR 1=1--",
        "territoire=35-REDON' OR '1'='1",
        "territoire=35-REDON,75-PARIS",
        "territoire=35-REDON&territoire=75-PARIS",
        "territoire=75-PARIS&territoire=35-REDON",
        "territoire=Paris LUTECE",
        "territoire=FR",
        f"site={found.b_site}",
        f"referent={found.b_referent}",
        f"site={found.a_site}&referent={found.b_referent}",
        "site=Agence LUTECE",
        "referent=REFLUTECE",
    ]
    return [f"{BASE}&{tamper}" for tamper in tampers]


def forged_values(found) -> list[object]:
    """Raw values put in any input or state (dropdowns, stores, the URL itself)."""
    return [
        "75-PARIS",
        ["35-REDON", "75-PARIS"],
        "*",
        None,
        "' OR 1=1--",
        {"territoire": "75-PARIS"},
        "?territoire=75-PARIS",
        ["?territoire=75-PARIS"],
        "Agence LUTECE",
        "REFLUTECE",
        found.b_site,
        found.b_referent,
        str(found.b_referent),
        found.b_row,
        found.b_action,
        found.users["lutece.admin"],
        # AG Grid's events and selections, naming B's action (projet page).
        [{"id": found.b_action}],
        [{"colId": "comment", "data": {"id": found.b_action}, "value": "forgé"}],
        {"colId": "progress_label", "data": {"id": str(found.b_action)}, "value": "Réalisé"},
    ]


def forged_pattern_ids(found) -> dict[str, object]:
    """Wildcard keys of pattern-matching ids, set to B's rows, users and lines."""
    return {
        "row": found.b_row,
        "user": found.users["lutece.admin"],
        "action": "deactivate",
        "line": 0,
        "index": 0,
        "name": "valeur",
    }


def b_state(db) -> tuple:
    """Everything of B a forged write could change."""
    db.expire_all()
    users = db.execute(
        select(User.login, User.role, User.active, User.session_epoch)
        .where(User.login.like("lutece.%"))
        .order_by(User.login)
    ).all()
    rows = db.execute(select(QuarantinedRow.id, QuarantinedRow.status).order_by(QuarantinedRow.id))
    actions = db.execute(
        select(RoadmapAction.id, RoadmapAction.progress, RoadmapAction.comment).where(
            RoadmapAction.action.like("%LUTECE%")
        )
    ).all()
    batches = db.scalar(select(func.count(ImportBatch.id)))
    return tuple(users), tuple(rows.all()), tuple(actions), batches


def _check(response, where: object, forged: object = None) -> None:
    """Never a 500, never a marker of B but those of the forged value itself (the URL
    writers echo a dropdown's value into the address: an echo is not a leak)."""
    assert response.status_code in (200, 204, 400, 403), (where, response.status_code)
    echoed = json.dumps(forged, ensure_ascii=False).lower()
    leaks = [marker for marker in b_leaks(body_text(response)) if marker not in echoed]
    assert not leaks, (where, leaks, body_text(response)[:300])


def _pattern_payloads(spec, found) -> list[tuple[str, dict]]:
    """For each ALL slot of `spec`, a payload whose one item has B's ids and triggers."""
    wild = forged_pattern_ids(found)
    payloads = []
    for item in (*spec.inputs, *spec.state):
        if not item["id"].startswith("{"):
            continue
        pattern = json.loads(item["id"])
        key = {name: (value if name == "type" else wild[name]) for name, value in pattern.items()}
        pairs = {f"{pattern['type']}.{item['property']}": [(key, 1)]}
        changed = None
        if item in spec.inputs:
            key_text = json.dumps(key, sort_keys=True, separators=(",", ":"))
            changed = [f"{key_text}.{item['property']}"]
        values = {"imports-editor-row.data": found.b_row}
        payloads.append((item["id"], callback_payload(spec, values, pairs, changed)))
    return payloads


def _allowed(spec, role: Role) -> bool:
    pages = {page.module for page in PAGES}
    return spec.page not in pages or role in page_roles(spec.page)


@pytest.mark.slow
@pytest.mark.parametrize("role", A_ROLES)
def test_every_callback_input_forged_with_b_values_leaks_nothing(served, found, db_session, role):
    before = b_state(db_session)
    client = sign_in(served.server.test_client(), found, f"a.{role.value}")
    specs = [spec for spec in callback_specs(served) if spec.server_side and _allowed(spec, role)]
    if role is not Role.ADMIN:
        # The admin run covers the shared callbacks (filter bar, router, home); the other
        # roles go through the callbacks of the pages they open, where their role counts.
        specs = [spec for spec in specs if spec.page not in (None, "filters", "home")]
    posts = 0
    for spec in specs:
        slots = [
            f"{item['id']}.{item['property']}"
            for item in (*spec.inputs, *spec.state)
            if not item["id"].startswith("{")
        ]
        for slot in slots:
            values = forged_values(found)
            if slot.rsplit(".", 1)[1] in CLICK_PROPS:
                values = [None, "*", ["35-REDON", "75-PARIS"], found.b_row]  # no scope in a click
            if slot == URL_SEARCH:
                values += forged_searches(found)
            for value in values:
                response = client.post(UPDATE, json=callback_payload(spec, {slot: value}))
                _check(response, (spec.output, slot, value), value)
                posts += 1
        for slot, payload in _pattern_payloads(spec, found):
            _check(client.post(UPDATE, json=payload), (spec.output, slot))
            posts += 1
    assert b_state(db_session) == before
    # The admin reaches every callback (about 25, 2 to 7 slots each, 16 to 33 values).
    assert posts > (1000 if role is Role.ADMIN else 100)


def _shows_nothing(text: str) -> bool:
    """Every output empty (None, "", [] or a hidden/shown flag): nothing of any territory."""
    outputs = json.loads(text)["response"]
    values = [value for props in outputs.values() for value in props.values()]
    return all(value in (None, "", [], True, False) for value in values)


def comparable(text: str) -> str:
    """A callback answer without the clock: an xlsx download is compared by its file
    name and cells (the workbook's properties hold the time it was written)."""
    if '"comop-download"' not in text:
        return text
    body = json.loads(text)
    data = body["response"]["comop-download"]["data"]
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(data["content"])))
    cells = [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book]
    return json.dumps([data["filename"], cells], default=str, ensure_ascii=False)


def _response(client, spec, search) -> tuple[int, str]:
    response = client.post(UPDATE, json=callback_payload(spec, {URL_SEARCH: search}))
    return response.status_code, comparable(body_text(response))


# Callbacks showing data read from the URL, with the role that may open each page.
SHOWN = {
    "callbacks.filters": A_ROLES,
    "callbacks.copil": (Role.COPIL, Role.ADMIN),
    "callbacks.comop": (Role.COMOP, Role.ADMIN),
    "callbacks.projet": (Role.PROJET, Role.COPIL, Role.ADMIN),
    "callbacks.imports": (Role.ADMIN,),
    "callbacks.admin": (Role.ADMIN,),
}


@pytest.mark.slow
def test_a_forged_url_gives_a_refusal_or_exactly_the_users_own_data(served, found):
    """Every callback reading the URL answers a forged one with a French refusal, or
    with the very answer of A's own URL (BASE): nothing of B, nothing else."""
    checked = refused = 0
    for spec in callback_specs(served):
        if spec.module not in SHOWN or URL_SEARCH not in [
            f"{i['id']}.{i['property']}" for i in (*spec.inputs, *spec.state)
        ]:
            continue
        if spec.output.split("@")[0] == URL_SEARCH:
            continue  # a URL writer shows nothing (swept by the test above)
        for role in SHOWN[spec.module]:
            client = sign_in(served.server.test_client(), found, f"a.{role.value}")
            baseline = _response(client, spec, BASE)
            assert baseline[0] in (200, 204), (spec.output, role)
            for search in forged_searches(found):
                status, text = _response(client, spec, search)
                where = (spec.output, role.value, search)
                assert not b_leaks(text), where
                if (status, text) == baseline:
                    checked += 1
                    continue
                if status == 200 and _shows_nothing(text):
                    refused += 1  # e.g. the controls of a refused territory: empty lists
                    continue
                assert status == 403 or any(message in text for message in REFUSALS), (
                    where,
                    text[:400],
                )
                refused += 1
    # A forged territory is refused by every callback showing data; the rest is A's own.
    assert refused > 100 and checked > 100


def _outputs(client, spec_output: str, served, search: str = BASE) -> dict:
    spec = next(spec for spec in callback_specs(served) if spec.output == spec_output)
    response = client.post(UPDATE, json=callback_payload(spec, {URL_SEARCH: search}))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["response"]


def _spec_output(served, first_id: str) -> str:
    return next(
        s.output for s in callback_specs(served) if s.output.lstrip(".").startswith(first_id)
    )


def test_the_baselines_hold_exactly_as_database_rows_of_a(served, found, db_session):
    """What A's own requests show is A's data as the database holds it (ground truth for
    the comparisons above): sites, referent, roadmap actions, batches, users."""
    admin = sign_in(served.server.test_client(), found, "a.admin")
    a_sites = db_session.scalars(
        select(Site.name).where(Site.territory_id == found.a_id).order_by(Site.name)
    ).all()
    controls = _outputs(admin, _spec_output(served, "comop-site.options"), served)
    assert [option["label"] for option in controls["comop-site"]["options"]] == a_sites
    assert [o["value"] for o in controls["comop-referent"]["options"]] == [found.a_referent]
    roadmap = _outputs(admin, _spec_output(served, "projet-error.children"), served)
    a_actions = db_session.scalars(
        select(RoadmapAction.id).where(RoadmapAction.territory_id == found.a_id)
    ).all()
    assert [int(row["id"]) for row in roadmap["projet-grid"]["rowData"]] == a_actions
    imports = json.dumps(
        _outputs(admin, _spec_output(served, "imports-page-error.children"), served),
        ensure_ascii=False,
    )
    assert "redon-solis.csv" in imports and f'"row": {found.a_row}' in imports
    users = json.dumps(
        _outputs(admin, _spec_output(served, "admin-users.children"), served), ensure_ascii=False
    )
    a_logins = db_session.scalars(select(User.login).where(User.territory_id == found.a_id)).all()
    assert all(login in users for login in a_logins) and len(a_logins) == 4
    territories = _outputs(admin, _spec_output(served, "filter-territory.options"), served)
    assert territories["filter-territory"]["options"] == [
        {"label": "Pays de Redon (35-REDON)", "value": "35-REDON"}
    ]
    home = _outputs(admin, _spec_output(served, "home-summary.children"), served)
    people = db_session.scalar(
        select(func.count(Beneficiary.id)).where(Beneficiary.territory_id == found.a_id)
    )
    assert people == 2
    assert json.dumps(home["home-summary"]).count('"code": "beneficiaries"}') == 1
    assert f'"children": "{people}", "id": {{"type": "home-card", "code": "beneficiaries"}}' in (
        json.dumps(home["home-summary"], ensure_ascii=False)
    )


# --- cache isolation (plan line 6) -------------------------------------------------------


@pytest.mark.slow
def test_the_same_callback_with_the_same_inputs_never_serves_a_figure_across_territories(
    served, found
):
    """A's admin then B's admin, same inputs, one app (one facts cache, one trajectory
    cache): each sees its own territory, then A again sees exactly what it saw first."""
    a_client = sign_in(served.server.test_client(), found, "a.admin")
    b_client = sign_in(served.server.test_client(), found, "lutece.admin")
    compared = 0
    specs = [spec for spec in callback_specs(served) if spec.server_side]
    for spec in specs:
        if not spec.page and spec.module != "callbacks.filters":
            continue
        payload = callback_payload(spec, {"copil-trajectory-indicator.value": "taux_orientation"})
        first = a_client.post(UPDATE, json=payload)
        seen_by_b = b_client.post(UPDATE, json=payload)
        again = a_client.post(UPDATE, json=payload)
        a_text, b_text = body_text(first), body_text(seen_by_b)
        assert not b_leaks(a_text), spec.output
        assert not [marker for marker in A_MARKERS if marker in b_text.lower()], spec.output
        assert comparable(body_text(again)) == comparable(a_text), spec.output
        compared += 1
    assert compared > 15
    # B's own figures reached B: its name on the COPIL heading, its 7 people at home.
    copil = _outputs(b_client, _spec_output(served, "copil-heading.children"), served)
    assert "Paris LUTECE" in json.dumps(copil, ensure_ascii=False)
    home = json.dumps(_outputs(b_client, _spec_output(served, "home-summary.children"), served))
    assert '"children": "7", "id": {"type": "home-card", "code": "beneficiaries"}' in home


# --- the API ------------------------------------------------------------------------------

API_TERRITORY_ROUTES = {
    # path with its other required parameters, the roles that may call it
    "/api/v1/indicators?from=2024-03&to=2024-03": A_ROLES,
    "/api/v1/roadmap?": (Role.COPIL, Role.PROJET, Role.ADMIN),
    "/api/v1/imports?": (Role.ADMIN,),
    "/api/v1/exports/national.csv?period=2024-03": A_ROLES,
    "/api/v1/exports/national.csv?period=2024-03&volet=parcours": (Role.ADMIN,),
}
API_TAMPERS = [
    "75-PARIS",
    "75-paris",
    "%2075-PARIS",
    "*",
    "%25",
    "' OR 1=1--",
    "35-REDON,75-PARIS",
    "35-REDON' OR '1'='1",
    "Paris LUTECE",
    "FR",
    "null",
]


@pytest.mark.parametrize("role", A_ROLES)
def test_api_territory_parameter_forged_gives_403_or_the_users_own_data(client, found, role):
    headers = found.bearer(f"a.{role.value}")
    checked = 0
    for route, roles in API_TERRITORY_ROUTES.items():
        if role not in roles:
            continue
        joiner = "" if route.endswith("?") else "&"
        own = client.get(f"{route}", headers=headers)
        assert own.status_code == 200, (route, own.get_data(as_text=True)[:300])
        own_text = body_text(own)
        assert "35-REDON" in own_text and not b_leaks(own_text)
        for tamper in API_TAMPERS:
            response = client.get(f"{route}{joiner}territory={tamper}", headers=headers)
            where = (route, role.value, tamper)
            assert not b_leaks(body_text(response)), where
            if response.status_code == 200:
                # Only A's own answer (an API payload carries no clock: same bytes).
                assert body_text(response) == own_text, where
            else:
                error = assert_error(response, 403, "hors_perimetre", "territory")
                assert error["message"] == OUT_OF_SCOPE, where
            checked += 1
        both = client.get(f"{route}{joiner}territory=35-REDON&territory=75-PARIS", headers=headers)
        assert_error(both, 400, "parametre_invalide", "territory")
    assert checked >= len(API_TAMPERS)


def test_api_ground_truth_of_a(client, found, db_session):
    """A's answers hold A's rows as the database has them."""
    headers = found.bearer("a.admin")
    roadmap = client.get("/api/v1/roadmap", headers=headers).get_json()
    assert [action["id"] for action in roadmap["actions"]] == [found.a_action]
    batches = client.get("/api/v1/imports", headers=headers).get_json()["batches"]
    a_batches = db_session.scalars(
        select(ImportBatch.id).where(ImportBatch.territory_id == found.a_id)
    ).all()
    assert [batch["id"] for batch in batches] == a_batches == [found.a_batch]


def test_api_ids_of_b_answer_like_missing_ones(client, found, db_session):
    before = b_state(db_session)
    admin, projet = found.bearer("a.admin"), found.bearer("a.projet")
    foreign = client.get(f"/api/v1/imports/{found.b_batch}", headers=admin)
    missing = client.get("/api/v1/imports/999999", headers=admin)
    assert_error(foreign, 404, "introuvable")
    assert not b_leaks(body_text(foreign)) and missing.status_code == 404
    for headers in (admin, projet):
        response = client.patch(
            f"/api/v1/roadmap/actions/{found.b_action}",
            json={"progress": "realise", "comment": "forgé"},
            headers=headers,
        )
        error = assert_error(response, 404, "introuvable")
        assert error["message"] == "Action inconnue ou hors de votre territoire."
    upload = client.post(
        "/api/v1/imports",
        data={"source": "solis", "territory": "75-PARIS", "file": (_csv(), "solis.csv")},
        headers=admin,
    )
    assert_error(upload, 403, "hors_perimetre", "territory")
    assert b_state(db_session) == before


def _csv() -> io.BytesIO:
    return io.BytesIO(b"numero_allocataire;date_ouverture_droits\n")


def _api_routes(app) -> list[tuple[str, str]]:
    """Every API rule but the public health check, with a method it answers."""
    routes = []
    for rule in app.server.url_map.iter_rules():
        if not rule.endpoint.startswith("api.") or rule.endpoint == "api.health":
            continue
        url = rule.rule.replace("<int(max=2147483647):batch_id>", "1")
        url = url.replace("<int(max=2147483647):action_id>", "1").replace("<path:_unknown>", "x")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((method, url))
    return routes


def test_expired_revoked_and_foreign_tokens_on_every_api_route(app, client, found, db_session):
    """tests/test_tokens.py checks one route; here every API rule of the app."""
    user = db_session.get(User, found.users["a.admin"])
    expired = create_token(db_session, user, utcnow() - dt.timedelta(days=31), 30).secret
    revoked = create_token(db_session, user, utcnow(), 30)
    revoke_by_prefix(db_session, revoked.token.prefix, utcnow())
    db_session.commit()
    routes = _api_routes(app)
    assert len(routes) >= 9
    for method, url in routes:
        for secret in (expired, revoked.secret):
            response = client.open(
                url, method=method, headers={"Authorization": f"Bearer {secret}"}
            )
            assert_error(response, 401, "non_authentifie")
        assert_error(client.open(url, method=method), 401, "non_authentifie")
    # A's valid token asking for B on each route that takes a territory: 403.
    for route in API_TERRITORY_ROUTES:
        joiner = "" if route.endswith("?") else "&"
        response = client.get(f"{route}{joiner}territory=75-PARIS", headers=found.bearer("a.admin"))
        assert_error(response, 403, "hors_perimetre", "territory")


# --- role change mid-session (plan line 8) ------------------------------------------------


def test_a_role_changed_in_the_database_counts_at_the_next_callback(served, found, db_session):
    """The session cookie holds only the user id and epoch: the role is read again at
    each request, so a role changed without bumping the epoch (a direct database change)
    counts at the next click; tests/test_admin_page.py covers the page's change (epoch
    bumped: 401)."""
    client = sign_in(served.server.test_client(), found, "a.admin")
    imports = next(s for s in callback_specs(served) if s.output.startswith("..imports-page"))
    comop = next(s for s in callback_specs(served) if s.output.startswith("..comop-error"))
    assert client.post(UPDATE, json=callback_payload(imports)).status_code == 200
    db_session.get(User, found.users["a.admin"]).role = Role.COPIL
    db_session.commit()
    refused = client.post(UPDATE, json=callback_payload(imports))
    assert refused.status_code == 403
    assert client.post(UPDATE, json=callback_payload(comop)).status_code == 403
    db_session.get(User, found.users["a.admin"]).role = Role.COMOP
    db_session.commit()
    assert client.post(UPDATE, json=callback_payload(comop)).status_code == 200
    assert client.post(UPDATE, json=callback_payload(imports)).status_code == 403
