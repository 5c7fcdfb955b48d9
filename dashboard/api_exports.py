"""GET /api/v1/exports/national.csv: the monthly national file, same bytes as the CLI.

The indicateurs volet is open to every role (figures always under the
disclosure control); the parcours volet, one row per person, to the admin
role only, and each download is in the audit log with its row count.
"""

from __future__ import annotations

from flask import Response

from dashboard.api_common import (
    audit_details,
    bad_parameter,
    bp,
    check_year,
    query_params,
    require_role,
    territory_in_scope,
)
from dashboard.export_schema import VOLETS
from dashboard.indicator_service import IndicatorRequestError, month_bounds
from dashboard.models import Role
from dashboard.national_export import SEPARATORS, ExportRequest, build_export, file_name
from dashboard.state import get_state, open_session
from metrics.breakdown import Dimension

EXPORT_PARAMETERS = ("territory", "period", "volet", "by", "sep")
SEPARATOR_NAMES = {";": ";", ",": ",", "semicolon": ";", "comma": ","}


def parse_export(params: dict[str, str]) -> ExportRequest:
    """Check the export's parameters (French 400 naming the parameter)."""
    period = params.get("period", "").strip()
    if not period:
        raise bad_parameter("period", "period est obligatoire (mois AAAA-MM).", "un mois AAAA-MM")
    try:
        first_day, _ = month_bounds(period, "period")
    except IndicatorRequestError as error:
        raise bad_parameter("period", error.message, "un mois AAAA-MM") from None
    check_year(first_day, "period")
    volet = params.get("volet", "indicateurs").strip() or "indicateurs"
    if volet not in VOLETS:
        raise bad_parameter(
            "volet", f"volet vaut {' ou '.join(VOLETS)} (reçu : {volet!r}).", ", ".join(VOLETS)
        )
    separator = SEPARATOR_NAMES.get(params.get("sep", ";"))
    if separator is None:
        raise bad_parameter("sep", "sep vaut « ; » ou « , ».", " ou ".join(SEPARATORS))
    by = params.get("by") or None
    if by is not None:
        if volet != "indicateurs":
            raise bad_parameter("by", "by ne s'emploie qu'avec le volet indicateurs.")
        if by not in {item.value for item in Dimension}:
            known = ", ".join(item.value for item in Dimension)
            raise bad_parameter(
                "by", f"Ventilation inconnue : {by!r}. Valeurs possibles : {known}."
            )
    return ExportRequest(period, volet, separator, Dimension(by) if by else None)


@bp.get("/exports/national.csv")
def national_export() -> Response:
    """The national file of one territory and month (volet parcours: role admin)."""
    params = query_params(EXPORT_PARAMETERS)
    export = parse_export(params)
    if export.volet == "parcours":
        require_role(Role.ADMIN)
    state = get_state()
    with open_session() as db:
        territory = territory_in_scope(db, params.get("territory"))
        facts = state.facts_cache.get(db, territory)
        content, rows = build_export(db, facts, export, state.settings.disclosure_threshold)
    audit_details(volet=export.volet, period=export.period, rows=rows)
    response = Response(content, mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Cache-Control"] = "no-store"  # the parcours volet is person-level
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{file_name(territory.code, export)}"'
    )
    return response
