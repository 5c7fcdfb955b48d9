"""Every kind of refusal of the API, through the one envelope (tests/api_support.assert_error)."""

from __future__ import annotations

import pytest

from tests.api_support import assert_error, make_cast

ROUTES = [
    ("GET", "/api/v1/indicators?from=2024-01&to=2024-02"),
    ("GET", "/api/v1/roadmap"),
    ("PATCH", "/api/v1/roadmap/actions/1"),
    ("GET", "/api/v1/imports"),
    ("GET", "/api/v1/imports/1"),
    ("POST", "/api/v1/imports"),
    ("GET", "/api/v1/exports/national.csv?period=2024-01"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/v1/docs"),
]
INDICATORS = "/api/v1/indicators"
EXPORT = "/api/v1/exports/national.csv"


@pytest.fixture
def cast(db_session):
    return make_cast(db_session)


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_every_route_answers_401_without_session_or_token(client, method, path):
    assert_error(client.open(path, method=method), 401, "non_authentifie")


@pytest.mark.parametrize(
    ("query", "parameter", "words"),
    [
        ("from=2024-01", "to", "to est obligatoire"),
        ("to=2024-01", "from", "from est obligatoire"),
        ("from=2024-03&to=2024-02", "to", "from (2024-03) est postérieur à to (2024-02)"),
        ("from=2024-13&to=2024-14", "from", "from attend un mois au format AAAA-MM"),
        ("from=janvier&to=2024-02", "from", "(reçu : 'janvier')"),
        ("from=2024-01&to=2024-02&as_of=31/01/2024", "as_of", "as_of attend une date"),
        ("from=2024-01&to=2024-02&as_of=0001-01-01", "as_of", "entre 1900 et 2100"),
        ("from=1899-12&to=2024-02", "from", "from doit tomber entre 1900 et 2100"),
        # 01/2000 to 01/2010 is 121 months: one more than ten years.
        ("from=2000-01&to=2010-01", "to", "au plus 120 mois (121 demandés)"),
        ("from=2024-01&to=2024-02&by=age", "by", "Ventilation inconnue : 'age'"),
        ("from=2024-01&to=2024-02&by=" + "x" * 5000, "by", "trop long (100 caractères au plus)"),
        ("from=2024-01&to=2024-02&scope=tout", "scope", "« stock » ou « flux »"),
        ("from=2024-01&to=2024-02&indicators=taux_x", "indicators", "inconnu(s) : taux_x"),
        ("from=2024-01&to=2024-02&territroy=35-REDON", "territroy", "Paramètre inconnu"),
        ("from=2024-01&from=2024-02&to=2024-02", "from", "donné plusieurs fois"),
    ],
)
def test_bad_indicator_parameters_are_named(client, cast, query, parameter, words):
    response = client.get(f"{INDICATORS}?{query}", headers=cast.bearer("redon.admin"))
    error = assert_error(response, 400, "parametre_invalide", parameter)
    assert words in error["message"]
    assert len(error["message"]) < 400  # a huge value is never echoed back


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/roadmap?status=bientot", "status"),
        ("/api/v1/roadmap?as_of=2024-02-30", "as_of"),
        ("/api/v1/roadmap?as_of=9999-12-31", "as_of"),
        (f"{EXPORT}?period=0001-01", "period"),
        ("/api/v1/imports?limit=0", "limit"),
        ("/api/v1/imports?limit=deux", "limit"),
        (EXPORT, "period"),
        (f"{EXPORT}?period=2024-1", "period"),
        (f"{EXPORT}?period=2024-01&volet=autre", "volet"),
        (f"{EXPORT}?period=2024-01&sep=|", "sep"),
        (f"{EXPORT}?period=2024-01&by=age", "by"),
        (f"{EXPORT}?period=2024-01&volet=parcours&by=sex", "by"),
        ("/api/v1/openapi.json?format=yaml", "format"),
    ],
)
def test_bad_parameters_of_the_other_routes(client, cast, path, parameter):
    assert_error(
        client.get(path, headers=cast.bearer("redon.admin")), 400, "parametre_invalide", parameter
    )


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/indicators?from=2024-01&to=2024-01&territory={}",
        "/api/v1/roadmap?territory={}",
        "/api/v1/imports?territory={}",
        "/api/v1/exports/national.csv?period=2024-01&territory={}",
    ],
)
def test_unknown_and_foreign_territories_get_the_same_403(client, cast, path):
    headers = cast.bearer("redon.admin")
    foreign = client.get(path.format("13-MARS"), headers=headers)
    unknown = client.get(path.format("99-NULLE-PART"), headers=headers)
    tampered = client.get(path.format("' OR 1=1--"), headers=headers)
    error = assert_error(foreign, 403, "hors_perimetre", "territory")
    assert error["message"] == "Territoire inconnu ou hors de votre périmètre."
    assert foreign.get_json() == unknown.get_json() == tampered.get_json()


def test_a_token_of_another_territory_is_refused_like_an_unknown_territory(client, cast):
    headers = cast.bearer("mars.admin")
    foreign = client.get(
        f"{INDICATORS}?from=2024-01&to=2024-01&territory=35-REDON", headers=headers
    )
    unknown = client.get(f"{INDICATORS}?from=2024-01&to=2024-01&territory=35-NONE", headers=headers)
    assert_error(foreign, 403, "hors_perimetre")
    assert foreign.get_data() == unknown.get_data()


@pytest.mark.parametrize(
    ("login", "method", "path"),
    [
        ("redon.comop", "GET", "/api/v1/roadmap"),
        ("redon.projet", "GET", "/api/v1/imports"),
        ("redon.copil", "GET", "/api/v1/imports/1"),
        ("redon.projet", "POST", "/api/v1/imports"),
        ("redon.copil", "GET", f"{EXPORT}?period=2024-01&volet=parcours"),
        ("nation", "GET", f"{EXPORT}?period=2024-01&volet=parcours&territory=35-REDON"),
    ],
)
def test_roles_are_checked(client, cast, login, method, path):
    response = client.open(path, method=method, headers=cast.bearer(login))
    assert_error(response, 403, "role_insuffisant")


def test_unknown_api_paths_are_json_404s(client, cast):
    assert_error(client.get("/api/v1/nulle-part", headers=cast.bearer("redon.admin")), 404)
    assert_error(client.get("/api/v1/imports/999999", headers=cast.bearer("redon.admin")), 404)
    # An id too big for the database is an unknown route, not an integer overflow.
    huge = "99999999999999999999"
    assert_error(client.get(f"/api/v1/imports/{huge}", headers=cast.bearer("redon.admin")), 404)
    response = client.patch(
        f"/api/v1/roadmap/actions/{huge}",
        json={"progress": "en_cours"},
        headers=cast.bearer("redon.projet"),
    )
    assert_error(response, 404)
