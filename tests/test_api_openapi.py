"""The OpenAPI document is valid, describes every route of the blueprint, and the docs page
shows it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from dashboard.api_exports import EXPORT_PARAMETERS
from dashboard.api_indicators import INDICATOR_PARAMETERS
from dashboard.openapi import openapi_document, operations
from metrics.registry import REGISTRY
from tests.api_support import make_cast

PREFIX = "/api/v1"
CATCH_ALL = "api.unknown_route"
# The query parameters each GET route accepts (tests/test_api_errors.py: others are refused).
ACCEPTED = {
    "/indicators": set(INDICATOR_PARAMETERS),
    "/roadmap": {"territory", "as_of", "status"},
    "/imports": {"territory", "limit"},
    "/exports/national.csv": set(EXPORT_PARAMETERS),
}


def _blueprint_operations(app) -> set[tuple[str, str]]:
    """(OpenAPI path, METHOD) for every rule of the API blueprint but its 404 catch-all."""
    found = set()
    for rule in app.server.url_map.iter_rules():
        if not rule.endpoint.startswith("api.") or rule.endpoint == CATCH_ALL:
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule).removeprefix(PREFIX)
        found |= {(path, method) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return found


def test_the_document_is_valid_openapi_3_1():
    document = openapi_document()
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_every_route_of_the_blueprint_is_described_and_nothing_else(app):
    documented = {(path, method) for path, method, _ in operations(openapi_document())}
    routes = _blueprint_operations(app)
    assert len(routes) == 10  # health, docs, openapi.json and the 7 of the issue
    assert documented == routes


@pytest.mark.parametrize(("path", "accepted"), sorted(ACCEPTED.items()))
def test_documented_query_parameters_are_the_accepted_ones(path, accepted):
    document = openapi_document()
    operation = document["paths"][path]["get"]
    names = set()
    for parameter in operation["parameters"]:
        if "$ref" in parameter:
            parameter = document["components"]["parameters"][parameter["$ref"].rsplit("/", 1)[1]]
        if parameter["in"] == "query":
            names.add(parameter["name"])
    assert names == accepted


def test_enumerations_come_from_the_code():
    schemas = openapi_document()["components"]["schemas"]
    assert schemas["IndicatorResult"]["properties"]["code"]["enum"] == list(REGISTRY)


def test_the_json_and_the_docs_page_are_served_to_logged_in_callers(client, db_session):
    cast = make_cast(db_session)
    headers = cast.bearer("redon.copil")
    assert client.get(f"{PREFIX}/openapi.json", headers=headers).get_json() == openapi_document()
    page = client.get(f"{PREFIX}/docs", headers=headers)
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert 'lang="fr"' in html and "<script" not in html and "http" not in html.split("<body>")[0]
    for path, method, operation in operations(openapi_document()):
        assert f"{method} {PREFIX}{path}" in html
        assert operation["summary"].replace("'", "&#39;") in html


def test_docs_api_md_has_a_curl_example_per_route():
    page = (Path(__file__).parent.parent / "docs" / "api.md").read_text(encoding="utf-8")
    curls = [line for line in page.splitlines() if "http://127.0.0.1:8050/api/v1/" in line]
    for path, method, _ in operations(openapi_document()):
        # The path with its variables filled, e.g. /roadmap/actions/3.
        pattern = re.escape(PREFIX + path).replace(r"\{", "{").replace(r"\}", "}")
        pattern = re.sub(r"\{[^}]+\}", r"\\d+", pattern) + r"(\?|\"|\s|$)"
        assert any(re.search(pattern, line) for line in curls), (method, path)
        assert f"### `{method} {PREFIX}{path}`" in page or f"`{method} {PREFIX}{path}`" in page
