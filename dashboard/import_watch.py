"""The watched import folder: `PILOTAGE_IMPORT_DIR/<territory>/<source>/<file>`.

Each new file is imported once (the scheduler's job_run claim on the file's
SHA-256 makes two processes never import the same file; a claim left by a
process killed mid-import is taken over after STALE_CLAIM), then moved to
`done/` or `failed/` beside it, its name prefixed with the import time so
that nothing is ever overwritten. A file modified in the last minute is
left for the next pass: it may still be being copied.

A file dropped again with a content already handled (same SHA-256, its claim
finished) is moved too, with a French reason in the log: to `done/` when that
content was loaded ("Fichier déjà importé le ..."), to `failed/` when it was
refused. Each file handled writes one audit entry (action `import`, name
"(planificateur)", which no account can take, via "dossier surveillé").
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from dashboard import audit
from dashboard.config import Settings
from dashboard.db import make_session_factory
from dashboard.imports import (
    CONNECTORS,
    UNEXPECTED,
    ImportRefusedError,
    ImportReport,
    extraction_date_from_name,
    file_sha256,
    run_import,
)
from dashboard.models import ImportBatch, ImportStatus, JobRun, Territory, utcnow

logger = logging.getLogger(__name__)
SETTLE_SECONDS = 60
# A claim still `running` after this long was left by a process killed mid-import
# (the import itself was rolled back): the file is imported again rather than left
# in the folder for ever. Far above the longest import (200,000 rows: a few minutes);
# repeating is safe anyway: under the territory's import lock, a loaded file is a no-op.
STALE_CLAIM = dt.timedelta(hours=1)
DONE, FAILED = "done", "failed"
SKIPPED_SUFFIXES = (".part", ".tmp", ".crdownload", "~")
# The name in the audit log for the watched folder's imports (no user does them). Its
# parentheses cannot appear in an account's login (users.LOGIN_PATTERN): nobody can be it.
WATCH_LOGIN = "(planificateur)"
WATCH_VIA = "dossier surveillé"
ALREADY_IMPORTED = "Fichier déjà importé le {day:%d/%m/%Y} : aucune ligne nouvelle."
ALREADY_REFUSED = (
    "Fichier identique à un fichier refusé le {day:%d/%m/%Y} : corrigez-le avant de le "
    "déposer de nouveau."
)
LOCAL_TIME = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class WatchedFile:
    territory_code: str
    source: str
    path: Path


def pending_files(import_dir: Path, now: dt.datetime) -> list[WatchedFile]:
    """Files waiting in <territory>/<source>/, oldest first, settled for a minute."""
    found = []
    for territory_dir in sorted(p for p in import_dir.iterdir() if p.is_dir()):
        for source in CONNECTORS:
            source_dir = territory_dir / source
            if not source_dir.is_dir():
                continue
            for path in source_dir.iterdir():
                if (
                    not path.is_file()
                    or path.name.startswith(".")
                    or path.name.endswith(SKIPPED_SUFFIXES)
                ):
                    continue
                try:
                    modified = path.stat().st_mtime
                except FileNotFoundError:
                    continue  # moved by another process meanwhile
                if now.timestamp() - modified >= SETTLE_SECONDS:
                    found.append((modified, WatchedFile(territory_dir.name.upper(), source, path)))
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]


def _move(path: Path, folder: str, now: dt.datetime) -> Path | None:
    target_dir = path.parent / folder
    target_dir.mkdir(exist_ok=True)
    target = target_dir / f"{now:%Y%m%d-%H%M%S}_{path.name}"
    try:
        shutil.move(path, target)
    except FileNotFoundError:
        return None  # moved by another process meanwhile
    return target


def _local_day(utc: dt.datetime) -> dt.date:
    return utc.replace(tzinfo=dt.UTC).astimezone(LOCAL_TIME).date()


def handled_before(
    db: Session, item: WatchedFile, job_id: str, sha256: str
) -> tuple[str, str] | None:
    """(folder, French reason) for a file whose content was already imported or refused.

    None while the content's claim is running, or finished less than a minute
    ago: the process that claimed it may not have moved its file yet.
    """
    run = db.scalar(select(JobRun).where(JobRun.job_id == job_id, JobRun.slot == sha256[:40]))
    if run is None or run.status == "running" or run.finished_at is None:
        return None
    if utcnow() - run.finished_at < dt.timedelta(seconds=SETTLE_SECONDS):
        return None
    loaded_at = db.scalar(
        select(ImportBatch.finished_at)
        .join(Territory, Territory.id == ImportBatch.territory_id)
        .where(
            Territory.code == item.territory_code,
            ImportBatch.source == CONNECTORS[item.source].source,
            ImportBatch.sha256 == sha256,
            ImportBatch.status == ImportStatus.LOADED,
        )
        .order_by(ImportBatch.id)
        .limit(1)
    )
    if loaded_at is not None:
        return DONE, ALREADY_IMPORTED.format(day=_local_day(loaded_at))
    return FAILED, ALREADY_REFUSED.format(day=_local_day(run.finished_at))


def _audit(
    sessions: sessionmaker[Session],
    item: WatchedFile,
    status: str,
    message: str | None,
    report: ImportReport | None = None,
) -> None:
    """One audit entry per file handled, as `pilotage import` writes, by the scheduler."""
    details: dict[str, object] = {
        "via": WATCH_VIA,
        "source": item.source,
        "file_name": item.path.name,
        "status": status,
    }
    if report is not None:
        details.update(
            batch_id=report.batch_id,
            rows_read=report.rows_read,
            created=report.created,
            updated=report.updated,
            quarantined=report.quarantined,
        )
    if message:
        details["reason"] = message
    with sessions() as db:
        audit.record(
            db, "import", login=WATCH_LOGIN, territory_code=item.territory_code, details=details
        )
        db.commit()


def import_pending(
    engine: Engine,
    settings: Settings,
    now: dt.datetime,
    should_stop: Callable[[], bool] | None = None,
) -> str:
    """Import every settled file of the watched folder; returns a one-line summary.

    `should_stop` is asked before each file (the scheduler is stopping: the
    files left wait for the next start).
    """
    from dashboard.scheduler import run_once

    if settings.import_dir is None or not settings.import_dir.is_dir():
        return "aucun dossier surveillé"
    sessions = make_session_factory(engine)
    done = failed = again = 0
    for item in pending_files(settings.import_dir, now):
        if should_stop is not None and should_stop():
            break
        try:
            sha256 = file_sha256(item.path)
        except FileNotFoundError:
            continue  # imported and moved by another process meanwhile
        job_id = f"import:{item.territory_code}:{item.source}"
        outcome: dict[str, object] = {}

        def work(_engine: Engine, item: WatchedFile = item, outcome: dict = outcome) -> str:
            extracted_on = extraction_date_from_name(item.path.name) or dt.date.fromtimestamp(
                item.path.stat().st_mtime
            )
            try:
                report = run_import(
                    sessions,
                    item.source,
                    item.path,
                    item.territory_code,
                    pseudonym_key=settings.pseudonym_key,
                    extracted_on=extracted_on,
                )
            except ImportRefusedError as error:
                outcome["error"] = str(error)
                raise
            outcome["report"] = report
            return f"{report.status}: {report.message or report.rows_read}"

        if not run_once(engine, job_id, sha256[:40], work, stale_after=STALE_CLAIM):
            with sessions() as db:
                before = handled_before(db, item, job_id, sha256)
            if before is None:
                continue  # another process imports (or just imported) this very file
            folder, reason = before
            if _move(item.path, folder, now) is not None:
                logger.info("%s : %s", item.path.name, reason)
                status = ImportStatus.UNCHANGED if folder == DONE else ImportStatus.FAILED
                _audit(sessions, item, status.value, reason)
                again += 1
            continue
        report = outcome.get("report")
        if isinstance(report, ImportReport):
            _audit(sessions, item, report.status, report.message, report)
        else:
            refusal = str(outcome.get("error", UNEXPECTED))
            _audit(sessions, item, ImportStatus.FAILED.value, refusal)
        if isinstance(report, ImportReport) and report.status in ("loaded", "unchanged"):
            _move(item.path, DONE, now)
            done += 1
        else:
            _move(item.path, FAILED, now)
            failed += 1
    summary = f"{done} fichier(s) importé(s), {failed} en échec"
    return summary + (f", {again} déjà traité(s) auparavant" if again else "")
