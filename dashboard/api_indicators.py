"""GET /api/v1/indicators: the JSON of `pilotage indicators`, as the caller's role may see it."""

from __future__ import annotations

from flask import Response, jsonify

from dashboard.api_common import (
    bad_parameter,
    bp,
    query_params,
    territory_in_scope,
    user,
)
from dashboard.indicator_service import (
    IndicatorRequest,
    IndicatorRequestError,
    indicators_payload,
    parse_request,
    published_indicators,
)
from dashboard.state import open_session

INDICATOR_PARAMETERS = ("territory", "from", "to", "as_of", "by", "scope", "indicators")
EXPECTED = {
    "from": "un mois AAAA-MM",
    "to": "un mois AAAA-MM, au plus tôt égal à from",
    "as_of": "une date AAAA-MM-JJ",
    "by": "une ventilation de la liste de /api/v1/openapi.json",
    "scope": "stock ou flux",
    "indicators": "des codes d'indicateurs séparés par des virgules",
}


def parse_indicator_params(params: dict[str, str]) -> IndicatorRequest:
    """The request of GET /indicators; parse_request bounds years and spans itself."""
    codes = [code.strip() for code in params.get("indicators", "").split(",") if code.strip()]
    try:
        return parse_request(
            params.get("from"),
            params.get("to"),
            params.get("as_of"),
            params.get("by"),
            params.get("scope"),
            codes or None,
        )
    except IndicatorRequestError as error:
        raise bad_parameter(error.parameter, error.message, EXPECTED.get(error.parameter)) from None


@bp.get("/indicators")
def indicators() -> Response:
    """The pilot indicators of one territory over whole months (disclosure by role)."""
    params = query_params(INDICATOR_PARAMETERS)
    request = parse_indicator_params(params)
    with open_session() as db:
        territory = territory_in_scope(db, params.get("territory"))
        facts, results = published_indicators(db, user(), territory, request)
    return jsonify(indicators_payload(facts, request, results))
