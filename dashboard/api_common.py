"""What every API route shares: the blueprint, French errors naming the parameter, the
query-string check, the caller's territory and role.

Routes raise `ApiError`; the blueprint turns it into the one envelope
`{"error": {"code", "message", "details"}}` of dashboard/errors.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from flask import Blueprint, Response, g, request
from flask_login import current_user
from sqlalchemy.orm import Session

from dashboard.auth import SessionUser
from dashboard.errors import error_response
from dashboard.models import Role, Territory
from dashboard.scope import ScopeError, resolve_territory

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# No parameter of the API needs more; a longer one is refused before it is parsed or echoed.
MAX_PARAMETER_LENGTH = 100
# Dates outside these years mean a typo, and would overflow the date arithmetic of metrics/.
FIRST_YEAR, LAST_YEAR = 1900, 2100
# Ids in paths: <int(max=...)>, so an absurd id is a 404, not an integer overflow.
MAX_ID = 2**31 - 1
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class ApiError(Exception):
    """An answer other than success: HTTP status, French message, machine code, details."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        parameter: str | None = None,
        details: dict[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.details = dict(details or {})
        if parameter is not None:
            self.details["parameter"] = parameter


def bad_parameter(parameter: str, message: str, expected: str | None = None) -> ApiError:
    details = {"expected": expected} if expected else None
    return ApiError(400, message, code="parametre_invalide", parameter=parameter, details=details)


@bp.errorhandler(ApiError)
def _api_error(error: ApiError) -> Response:
    return error_response(error.status, error.message, error.details or None, error.code)


def parse_day(value: str | None, parameter: str) -> dt.date | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise bad_parameter(
            parameter,
            f"{parameter} attend une date au format AAAA-MM-JJ (reçu : {value!r}).",
            "une date AAAA-MM-JJ",
        ) from None
    check_year(day, parameter)
    return day


def check_year(day: dt.date, parameter: str) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise bad_parameter(
            parameter,
            f"{parameter} doit tomber entre {FIRST_YEAR} et {LAST_YEAR} (reçu : {day.year}).",
            f"une année de {FIRST_YEAR} à {LAST_YEAR}",
        )


def query_params(allowed: Iterable[str]) -> dict[str, str]:
    """The query string as a dict, refusing unknown, repeated and overlong parameters."""
    known = tuple(allowed)
    params: dict[str, str] = {}
    for name in request.args:
        values = request.args.getlist(name)
        if name not in known:
            expected = ", ".join(known) or "aucun paramètre"
            raise bad_parameter(
                name[:MAX_PARAMETER_LENGTH],
                f"Paramètre inconnu : {name[:MAX_PARAMETER_LENGTH]}. Paramètres acceptés : "
                f"{expected}.",
                expected,
            )
        if len(values) > 1:
            raise bad_parameter(name, f"Le paramètre {name} est donné plusieurs fois.")
        if len(values[0]) > MAX_PARAMETER_LENGTH:
            raise bad_parameter(
                name,
                f"Le paramètre {name} est trop long ({MAX_PARAMETER_LENGTH} caractères au plus).",
            )
        params[name] = values[0]
    return params


def user() -> SessionUser:
    """The caller (session or token); the guard has already refused anonymous requests."""
    return current_user  # type: ignore[return-value]


def require_role(*roles: Role) -> None:
    if user().role not in roles:
        allowed = ", ".join(role.value for role in roles)
        raise ApiError(
            403,
            f"Cette action est réservée aux rôles : {allowed}.",
            code="role_insuffisant",
        )


def territory_in_scope(db: Session, code: str | None) -> Territory:
    """The asked territory when the caller may read it; 403 with one message otherwise.

    An unknown territory and one outside the caller's scope get the very same
    answer, so a refusal reveals nothing about which territories exist.
    """
    try:
        territory = resolve_territory(db, user(), code)
    except ScopeError as error:
        raise ApiError(403, error.message, code="hors_perimetre", parameter="territory") from None
    g.api_territory_code = territory.code
    return territory


def audit_details(**details: object) -> None:
    """Extra facts for this call's audit entry (dashboard/api_audit.py)."""
    g.setdefault("api_audit_details", {}).update(details)


@bp.before_request
def _same_origin_writes() -> Response | None:
    """A write made with the session cookie must come from our own pages.

    Token calls carry no cookie, so a foreign page cannot make them on
    someone's behalf; cookie calls could, hence the Origin check (as for
    Dash posts in dashboard/auth.py).
    """
    if request.method not in WRITE_METHODS or not current_user.is_authenticated:
        return None
    if user().token_id is not None:
        return None
    origin = request.headers.get("Origin")
    if origin and urlsplit(origin).netloc != request.host:
        return error_response(403, "Requête refusée : origine inconnue.", code="origine_refusee")
    return None
