"""Every API call in the audit log: who (user, token), which route, territory, status.

An `after_request` of the blueprint, so refused calls (401, 403, 429) are
recorded as well as served ones. The public health check is left out: it
carries no data and monitoring probes call it every few seconds.
"""

from __future__ import annotations

import logging

from flask import Response, g, request
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from dashboard import audit
from dashboard.api_common import MAX_PARAMETER_LENGTH, bp
from dashboard.state import open_session

logger = logging.getLogger(__name__)
ACTION = "api"
NOT_AUDITED = frozenset({"api.health"})


def _who() -> dict[str, object]:
    if not current_user or not current_user.is_authenticated:
        return {"user_id": None, "login": None, "token_id": None}
    return {
        "user_id": current_user.user_id,
        "login": current_user.login,
        "token_id": current_user.token_id,
    }


@bp.after_request
def record_call(response: Response) -> Response:
    if request.endpoint in NOT_AUDITED:
        return response
    who = _who()
    details: dict[str, object] = {
        "method": request.method,
        "route": request.url_rule.rule if request.url_rule else request.path[:200],
        "path": request.path[:200],
        "status": response.status_code,
        "token_id": who["token_id"],
        "params": {key: value[:MAX_PARAMETER_LENGTH] for key, value in request.args.items()},
        **g.get("api_audit_details", {}),
    }
    try:
        with open_session() as db:
            audit.record(
                db,
                ACTION,
                user_id=who["user_id"],  # type: ignore[arg-type]
                login=who["login"],  # type: ignore[arg-type]
                territory_code=g.get("api_territory_code"),
                remote_addr=request.remote_addr,
                details=details,
            )
            db.commit()
    except SQLAlchemyError:  # the answer still goes out; the failure is in the server log
        logger.exception("Could not write the audit entry of %s %s", request.method, request.path)
    return response
