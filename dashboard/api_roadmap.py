"""GET /api/v1/roadmap (the JSON of `pilotage roadmap`) and PATCH /roadmap/actions/{id}.

The API adds to each action its `id` (what PATCH needs) and its `comment`.
PATCH goes through dashboard.roadmap_edit.update_action, the project team
page's write path: every change is kept in `roadmap_action_change` (who,
which field, before, after) and in the audit log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.api_common import (
    MAX_ID,
    ApiError,
    audit_details,
    bad_parameter,
    bp,
    parse_day,
    query_params,
    require_role,
    territory_in_scope,
    user,
)
from dashboard.models import RoadmapAction, Role, Territory
from dashboard.roadmap import RoadmapStatusError, load_roadmap, parse_status, roadmap_payload
from dashboard.roadmap_edit import RoadmapEditError, action_history, update_action
from dashboard.state import open_session

READ_ROLES = (Role.COPIL, Role.NATIONAL, Role.PROJET, Role.ADMIN)
ERROR_CODES = {403: "role_insuffisant", 404: "introuvable"}


def _with_ids(db: Session, territory_id: int, payload: dict[str, Any]) -> dict[str, Any]:
    """Each action of `payload` with its database id and comment (axis+target+action is unique)."""
    rows = db.execute(
        select(
            RoadmapAction.axis,
            RoadmapAction.operational_target,
            RoadmapAction.action,
            RoadmapAction.id,
            RoadmapAction.comment,
        ).where(RoadmapAction.territory_id == territory_id)
    ).all()
    known = {(row.axis, row.operational_target, row.action): row for row in rows}
    for action in payload["actions"]:
        row = known[(action["axis"], action["target"], action["action"])]
        action["id"] = row.id
        action["comment"] = row.comment
    return payload


def _payload(db: Session, territory: Territory, as_of: dt.date, status: Any) -> dict[str, Any]:
    items = load_roadmap(db, territory.id)
    return _with_ids(db, territory.id, roadmap_payload(territory.code, items, as_of, status))


@bp.get("/roadmap")
def roadmap() -> Response:
    """A territory's feuille de route with each action's status at as_of (default today)."""
    params = query_params(("territory", "as_of", "status"))
    as_of = parse_day(params.get("as_of"), "as_of") or dt.date.today()
    try:
        status = parse_status(params.get("status"))
    except RoadmapStatusError as error:
        raise bad_parameter("status", str(error), "un statut de /api/v1/openapi.json") from None
    require_role(*READ_ROLES)
    with open_session() as db:
        territory = territory_in_scope(db, params.get("territory"))
        return jsonify(_payload(db, territory, as_of, status))


def _history(db: Session, action_id: int) -> list[dict[str, Any]]:
    history = action_history(db, user(), action_id)
    return [
        {
            "changed_at": entry.changed_at.isoformat(timespec="seconds"),
            "login": entry.login,
            "field": entry.field,
            "before": entry.before,
            "after": entry.after,
        }
        for entry in history.entries
    ]


@bp.patch(f"/roadmap/actions/<int(max={MAX_ID}):action_id>")
def edit_action(action_id: int) -> Response:
    """Update an action's progress, comment or deadline (roles projet, admin); history kept.

    The write path is the project team page's (dashboard.roadmap_edit): same
    checks, same history rows, same audit entry.
    """
    query_params(())
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not body:
        raise bad_parameter(
            "body",
            "Le corps de la requête doit être un objet JSON (progress, comment, deadline_text).",
            '{"progress": "en_cours", "comment": "..."}',
        )
    with open_session() as db:
        try:
            result = update_action(db, user(), action_id, body, remote_addr=request.remote_addr)
        except RoadmapEditError as error:
            code = ERROR_CODES.get(error.status, "parametre_invalide")
            details = {"parameter": "body"} if error.status == 400 else None
            raise ApiError(error.status, error.message, code=code, details=details) from None
        action = db.get(RoadmapAction, action_id)
        territory = territory_in_scope(db, db.get(Territory, action.territory_id).code)
        audit_details(action_id=action_id, changed=[change.field for change in result.changes])
        payload = _payload(db, territory, dt.date.today(), None)
        item = next(entry for entry in payload["actions"] if entry["id"] == action_id)
        return jsonify(
            {
                "action": item,
                "changes": [
                    {"field": change.field, "before": change.before, "after": change.after}
                    for change in result.changes
                ],
                "notes": list(result.notes),
                "history": _history(db, action_id),
            }
        )
