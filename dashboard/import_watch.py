"""The watched import folder: `PILOTAGE_IMPORT_DIR/<territory>/<source>/<file>`.

Each new file is imported once (the scheduler's job_run claim on the file's
SHA-256 makes two processes never import the same file; a claim left by a
process killed mid-import is taken over after STALE_CLAIM), then moved to
`done/` or `failed/` beside it, its name prefixed with the import time so
that nothing is ever overwritten. A file modified in the last minute is
left for the next pass: it may still be being copied.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from dashboard.config import Settings
from dashboard.db import make_session_factory
from dashboard.imports import CONNECTORS, extraction_date_from_name, file_sha256, run_import

logger = logging.getLogger(__name__)
SETTLE_SECONDS = 60
# A claim still `running` after this long was left by a process killed mid-import
# (the import itself was rolled back): the file is imported again rather than left
# in the folder for ever. Far above the longest import (200,000 rows: a few minutes);
# repeating is safe anyway: under the territory's import lock, a loaded file is a no-op.
STALE_CLAIM = dt.timedelta(hours=1)
DONE, FAILED = "done", "failed"
SKIPPED_SUFFIXES = (".part", ".tmp", ".crdownload", "~")


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


def _move(path: Path, folder: str, now: dt.datetime) -> Path:
    target_dir = path.parent / folder
    target_dir.mkdir(exist_ok=True)
    target = target_dir / f"{now:%Y%m%d-%H%M%S}_{path.name}"
    shutil.move(path, target)
    return target


def import_pending(engine: Engine, settings: Settings, now: dt.datetime) -> str:
    """Import every settled file of the watched folder; returns a one-line summary."""
    from dashboard.scheduler import run_once

    if settings.import_dir is None or not settings.import_dir.is_dir():
        return "aucun dossier surveillé"
    sessions = make_session_factory(engine)
    done = failed = 0
    for item in pending_files(settings.import_dir, now):
        try:
            sha256 = file_sha256(item.path)
        except FileNotFoundError:
            continue  # imported and moved by another process meanwhile
        outcome: dict[str, str] = {}

        def work(_engine: Engine, item: WatchedFile = item, outcome: dict = outcome) -> str:
            extracted_on = extraction_date_from_name(item.path.name) or dt.date.fromtimestamp(
                item.path.stat().st_mtime
            )
            report = run_import(
                sessions,
                item.source,
                item.path,
                item.territory_code,
                pseudonym_key=settings.pseudonym_key,
                extracted_on=extracted_on,
            )
            outcome["status"] = report.status
            return f"{report.status}: {report.message or report.rows_read}"

        claimed = run_once(
            engine,
            f"import:{item.territory_code}:{item.source}",
            sha256[:40],
            work,
            stale_after=STALE_CLAIM,
        )
        if not claimed:
            continue  # another process imports (or imported) this very file
        if outcome.get("status") in ("loaded", "unchanged"):
            _move(item.path, DONE, now)
            done += 1
        else:
            _move(item.path, FAILED, now)
            failed += 1
    return f"{done} fichier(s) importé(s), {failed} en échec"
