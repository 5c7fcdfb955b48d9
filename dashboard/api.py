"""The JSON API, a thin Flask blueprint under /api/v1 (docs/api.md).

The blueprint lives in dashboard/api_common.py with the helpers every
route shares; each group of routes has its module, imported here so that
registering `bp` registers them all:

    api_indicators   GET /indicators
    api_roadmap      GET /roadmap, PATCH /roadmap/actions/{id}
    api_imports      GET /imports, GET /imports/{id}, POST /imports
    api_exports      GET /exports/national.csv
    api_docs         GET /openapi.json, GET /docs
    api_limits       rate limits (flask-limiter), 429
    api_audit        every call in the audit log
"""

from __future__ import annotations

from flask import Response, jsonify
from sqlalchemy.exc import SQLAlchemyError

from dashboard import (
    api_audit,  # noqa: F401 (registers the audit hook)
    api_docs,  # noqa: F401 (registers its routes)
    api_exports,  # noqa: F401
    api_imports,  # noqa: F401
    api_indicators,  # noqa: F401
    api_limits,  # noqa: F401 (registers the limiter)
    api_roadmap,  # noqa: F401
    queries,
)
from dashboard.api_common import bp
from dashboard.errors import error_response
from dashboard.state import open_session

__all__ = ["bp"]


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
