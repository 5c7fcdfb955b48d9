"""The JSON API, a thin Flask blueprint under /api/v1."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from sqlalchemy.exc import SQLAlchemyError

from dashboard import queries
from dashboard.errors import error_response
from dashboard.state import open_session

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/health")
def health() -> tuple[Response, int]:
    """Public: is the database reachable, and when did each source last land (no personal data)."""
    try:
        with open_session() as db:
            latest = queries.latest_import_per_source(db)
    except SQLAlchemyError:
        return jsonify({"status": "indisponible", "database": False}), 503
    return jsonify({"status": "ok", "database": True, "latest_imports": latest}), 200


@bp.route("/<path:_unknown>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown_route(_unknown: str) -> Response:
    """Without this, Dash's catch-all page route would answer unknown API paths with HTML."""
    return error_response(404)
