"""GET /api/v1/imports, GET /imports/{id} and POST /imports (multipart), role admin.

POST goes through `dashboard.imports.run_import`, the path of `pilotage
import`: same checks, same report, one batch. The uploaded file is written
to a private temporary folder under a name derived from (never equal to)
the client's, and removed afterwards.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from flask import Response, jsonify, request
from sqlalchemy import select
from werkzeug.utils import secure_filename

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
from dashboard.auth import allowed_territory_ids
from dashboard.imports import CONNECTORS, ImportRefusedError, extraction_date_from_name, run_import
from dashboard.models import ImportBatch, Role, Territory
from dashboard.queries import list_batches, quarantined_rows
from dashboard.state import get_state, open_session

IMPORT_FIELDS = ("source", "territory", "extracted_on", "year", "sheet", "strict", "dry_run")
QUARANTINE_SAMPLE = 50
MAX_LIST = 200
TRUE, FALSE = ("1", "true", "oui", "on"), ("", "0", "false", "non", "off")


def _iso(value: Any) -> Any:
    if value is None or value != value:  # None, NaN / NaT from pandas
        return None
    return value.isoformat() if hasattr(value, "isoformat") else value


def _batch_dict(row: Any, territory_code: str) -> dict[str, Any]:
    return {
        "id": int(row.id),
        "territory": territory_code,
        "source": str(row.source),
        "file_name": row.file_name,
        "status": str(row.status),
        "started_at": _iso(row.started_at),
        "extracted_on": _iso(row.extracted_on),
        "rows_read": int(row.rows_read or 0),
        "rows_loaded": int(row.rows_loaded or 0),
        "rows_updated": int(row.rows_updated or 0),
        "rows_quarantined": int(row.rows_quarantined or 0),
        "message": row.message,
    }


@bp.get("/imports")
def imports() -> Response:
    """The newest import batches of a territory (role admin)."""
    params = query_params(("territory", "limit"))
    limit = params.get("limit", "50")
    if not limit.isdigit() or not 1 <= int(limit) <= MAX_LIST:
        raise bad_parameter(
            "limit", f"limit attend un nombre entier de 1 à {MAX_LIST}.", f"1 à {MAX_LIST}"
        )
    require_role(Role.ADMIN)
    with open_session() as db:
        territory = territory_in_scope(db, params.get("territory"))
        frame = list_batches(db, territory.code, limit=int(limit))
    batches = [_batch_dict(row, territory.code) for row in frame.itertuples()]
    return jsonify({"territory": territory.code, "batches": batches})


def _quarantine_summary(batch_id: int) -> dict[str, Any]:
    with open_session() as db:
        rows = quarantined_rows(db, batch_id)
    reasons = Counter(reason for row in rows for reason in row.reasons)
    return {
        "rows": len(rows),
        "reasons": [{"reason": reason, "rows": count} for reason, count in reasons.most_common()],
        "sample": [
            {"row_number": row.row_number, "reasons": row.reasons, "values": row.raw_values}
            for row in rows[:QUARANTINE_SAMPLE]
        ],
    }


@bp.get(f"/imports/<int(max={MAX_ID}):batch_id>")
def import_detail(batch_id: int) -> Response:
    """One batch: its report, and its rejected rows summed up by reason (role admin)."""
    query_params(())
    require_role(Role.ADMIN)
    with open_session() as db:
        found = db.execute(
            select(ImportBatch, Territory.code)
            .join(Territory, ImportBatch.territory_id == Territory.id)
            .where(ImportBatch.id == batch_id)
        ).first()
        # Another territory's batch answers like a missing one.
        if found is None or found[0].territory_id not in allowed_territory_ids(db, user()):
            raise ApiError(404, f"Lot d'import introuvable : {batch_id}.", code="introuvable")
        batch, code = found
        territory_in_scope(db, code)
        detail = _batch_dict(batch, code)
        detail.update(
            profile=batch.profile,
            ignored_columns=list(batch.ignored_columns or []),
            finished_at=_iso(batch.finished_at),
            duration_seconds=batch.duration_seconds,
        )
    detail["quarantine"] = _quarantine_summary(batch_id)
    return jsonify(detail)


def _flag(form: dict[str, str], name: str) -> bool:
    value = form.get(name, "").strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise bad_parameter(name, f"{name} vaut true ou false (reçu : {value[:20]!r}).", "true, false")


def _upload_limit() -> int:
    return get_state().settings.max_upload_mb * 1024 * 1024


def _form() -> tuple[dict[str, str], Any]:
    """The multipart fields and the file, after the size check (413 before reading)."""
    limit = _upload_limit()
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(
            413,
            f"Le fichier envoyé dépasse la taille autorisée ({limit // (1024 * 1024)} Mo).",
            code="fichier_trop_volumineux",
        )
    # Also cuts a body sent without Content-Length (never above an app-wide limit).
    configured = request.max_content_length
    request.max_content_length = limit if configured is None else min(limit, configured)
    if not request.mimetype.startswith("multipart/form-data"):
        raise bad_parameter("file", "Envoyez le fichier en multipart/form-data (champ file).")
    form = {name: request.form.get(name, "") for name in request.form}
    unknown = sorted(set(form) - set(IMPORT_FIELDS))
    if unknown:
        raise bad_parameter(
            unknown[0][:40],
            f"Champ inconnu : {unknown[0][:40]}. "
            f"Champs acceptés : file, {', '.join(IMPORT_FIELDS)}.",
        )
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise bad_parameter("file", "Le champ file (le fichier à importer) est obligatoire.")
    return form, upload


def _options(form: dict[str, str], file_name: str) -> dict[str, Any]:
    source = form.get("source", "").strip()
    if source not in CONNECTORS:
        raise bad_parameter(
            "source",
            f"Source inconnue : {source[:40]!r}. Sources possibles : {', '.join(CONNECTORS)}.",
            ", ".join(CONNECTORS),
        )
    year = form.get("year", "").strip()
    if year and not (year.isdigit() and 2000 <= int(year) <= 2100):
        raise bad_parameter("year", "year attend une année de 2000 à 2100.", "2000 à 2100")
    return {
        "source": source,
        "extracted_on": parse_day(form.get("extracted_on"), "extracted_on")
        or extraction_date_from_name(file_name)
        or dt.date.today(),
        "year": int(year) if year else None,
        "sheet": form.get("sheet", "").strip()[:100] or None,
        "strict": _flag(form, "strict"),
        "dry_run": _flag(form, "dry_run"),
    }


@bp.post("/imports")
def create_import() -> tuple[Response, int]:
    """Import one export file for a territory (role admin); answers its report."""
    query_params(())
    require_role(Role.ADMIN)
    form, upload = _form()
    file_name = secure_filename(upload.filename)[:200] or "fichier"
    options = _options(form, file_name)
    with open_session() as db:
        territory = territory_in_scope(db, form.get("territory") or None)
    settings = get_state().settings
    with tempfile.TemporaryDirectory(prefix="pilotage-import-") as folder:
        path = Path(folder) / file_name
        upload.save(path)
        try:
            report = run_import(
                get_state().sessions,
                options.pop("source"),
                path,
                territory.code,
                pseudonym_key=settings.pseudonym_key,
                user_id=user().user_id,
                **options,
            )
        except ImportRefusedError as error:
            raise ApiError(422, str(error), code="import_refuse") from None
    get_state().facts_cache.invalidate(territory.id)
    result = report.as_dict()
    audit_details(batch_id=report.batch_id, import_status=report.status, rows=report.rows_read)
    if report.status == "failed":
        raise ApiError(
            422,
            report.message or "Import refusé.",
            code="import_refuse",
            details={"report": result},
        )
    if report.status == "loaded" and report.batch_id is not None:
        return jsonify(result), 201
    return jsonify(result), 200
