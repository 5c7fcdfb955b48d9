"""Import one export file: one batch, one transaction, nothing half-loaded.

    checksum -> same file already loaded? (no-op, said so)
    sniff + header profile -> a bad file or a missing column stops before writing
    rows -> connector (typed records, or quarantine with every reason)
    records -> writer (upserts) -> batch counts -> commit

Any failure rolls the whole file back; the failed attempt is then recorded
in a batch of its own, with its French message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import logging
import pkgutil
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from connectors.profiles import MissingColumnsError, Profile, match_headers
from connectors.reading import (
    FileRejectedError,
    ReadPosition,
    TableSource,
    iter_rows,
    open_table,
)
from connectors.rows import ParseContext, RowReader
from dashboard import loading
from dashboard.db import SQLITE_BUSY_TIMEOUT_MS, refresh_planner_statistics
from dashboard.loading.common import Connector, WriteCounts
from dashboard.models import (
    ImportBatch,
    ImportStatus,
    QuarantinedRow,
    Territory,
    utcnow,
)

logger = logging.getLogger(__name__)
CHUNK_ROWS = 10_000
# Planner statistics are refreshed after a chunk of at least this many rows: a few
# hundred rows more or less do not change a plan, and ANALYZE costs ~15 ms each time
# (the demo imports about 200 small files in one transaction).
ANALYZE_MIN_ROWS = 1_000
UNEXPECTED = (
    "Erreur inattendue pendant l'import : rien n'a été enregistré. Le détail est dans le "
    "journal du serveur."
)
# The per-territory import lock (lock_territory_imports): the first key of PostgreSQL's
# two-key advisory locks names "imports" (any constant no other lock of the app uses);
# on SQLite, how long an import waits for another one to finish.
IMPORT_LOCK_KIND = 8_201
IMPORT_LOCK_WAIT_MS = 30 * 60 * 1000
FILE_DATE = re.compile(r"(20\d{2})[-_]?(\d{2})[-_]?(\d{2})")


def _discover_connectors() -> dict[str, Connector]:
    """Every module of dashboard.loading that defines CONNECTOR is an import source."""
    found = {}
    for module in pkgutil.iter_modules(loading.__path__):
        connector = getattr(
            importlib.import_module(f"{loading.__name__}.{module.name}"), "CONNECTOR", None
        )
        if connector is not None:
            found[connector.source.value] = connector
    return dict(sorted(found.items()))


CONNECTORS: dict[str, Connector] = _discover_connectors()


class ImportRefusedError(ValueError):
    """The file cannot be imported at all (message in French)."""

    def __init__(self, message: str, quarantined: list[dict[str, object]] | None = None):
        super().__init__(message)
        # Rejected rows are kept even when the file as a whole is refused.
        self.quarantined = quarantined or []


@dataclass(frozen=True)
class ImportProgress:
    """Where an import stands after a chunk: rows read, and the share of the file read
    (0 to 1; None when the file does not tell its size, e.g. some xlsx sheets)."""

    rows: int
    fraction: float | None


@dataclass
class ImportReport:
    source: str
    file_name: str
    status: str
    batch_id: int | None = None
    message: str | None = None
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    matched: int | None = None
    match_base: int = 0
    notes: list[str] = field(default_factory=list)
    unit: str = "personnes"
    unknown_columns: list[str] = field(default_factory=list)
    dropped_columns: list[str] = field(default_factory=list)
    extracted_on: str | None = None
    encoding: str | None = None
    separator: str | None = None
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def extraction_date_from_name(name: str) -> dt.date | None:
    """`solis_2024-03-12.csv`, `export_20240312.xlsx` -> 12/03/2024."""
    match = FILE_DATE.search(name)
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def lock_territory_imports(db: Session, territory_id: int) -> None:
    """Make imports of one territory run one after the other, until `db` commits.

    Two imports of one territory at once write the same sites, referents and
    people: on PostgreSQL the second one's inserts then fail on the unique keys
    the first one committed meanwhile (tests/test_faults_import.py), and two
    imports of the same file would both pass the "already loaded?" check. So
    each import first takes a per-territory lock, held until its transaction
    ends: `pg_advisory_xact_lock` on PostgreSQL (released at commit/rollback,
    or when a killed process's connection closes); on SQLite, the database's
    write lock itself, taken with BEGIN IMMEDIATE before the first read that
    matters, waiting as long as an import may last rather than the
    web requests' short busy timeout.
    """
    bind = db.get_bind()
    if bind.dialect.name == "postgresql":
        db.execute(
            text("SELECT pg_advisory_xact_lock(:kind, :territory)"),
            {"kind": IMPORT_LOCK_KIND, "territory": territory_id},
        )
    elif bind.dialect.name == "sqlite":
        connection = db.connection()
        if connection.connection.driver_connection.in_transaction:
            return  # inside the caller's transaction (the demo's savepoints): its lock
        # pysqlite opens its transactions itself, only before a write: nothing is
        # open yet here, so this BEGIN is the transaction that commit() ends.
        connection.exec_driver_sql(f"PRAGMA busy_timeout={IMPORT_LOCK_WAIT_MS}")
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        finally:
            connection.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")


def _record_batch(db: Session, **values: object) -> ImportBatch:
    batch = ImportBatch(**values)
    db.add(batch)
    db.flush()
    return batch


def run_import(
    sessions: sessionmaker[Session],
    source: str,
    path: Path,
    territory_code: str,
    *,
    pseudonym_key: str,
    extracted_on: dt.date,
    year: int | None = None,
    profile: Profile | None = None,
    profile_name: str | None = None,
    progress: Callable[[ImportProgress], None] | None = None,
    user_id: int | None = None,
    sheet: str | None = None,
    strict: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Import `path` for `territory_code`; the caller decides `extracted_on` (no clock here).

    `profile` (a territory's own header spellings, see connectors.profiles.load_profile)
    replaces the source's default profile. `progress` is called after each chunk of
    rows, and once more when the file is read to its end.
    """
    connector = CONNECTORS[source]
    if profile is not None:
        connector = replace(connector, profile=profile)
    started = time.perf_counter()
    report = ImportReport(
        source,
        path.name,
        ImportStatus.FAILED.value,
        extracted_on=extracted_on.isoformat(),
        unit=connector.unit,
    )
    sha256 = file_sha256(path)
    with sessions() as db:
        territory = db.scalar(select(Territory).where(Territory.code == territory_code))
        if territory is None:
            raise ImportRefusedError(f"Territoire inconnu : {territory_code}.")
        lock_territory_imports(db, territory.id)
        batch_values = {
            "territory_id": territory.id,
            "source": connector.source,
            "file_name": path.name[:255],
            "sha256": sha256,
            "profile": (profile_name or "profil par défaut")[:255],
            "extracted_on": extracted_on,
            "user_id": user_id,
        }
        already = db.scalar(
            select(ImportBatch.id).where(
                ImportBatch.territory_id == territory.id,
                ImportBatch.source == connector.source,
                ImportBatch.sha256 == sha256,
                ImportBatch.status == ImportStatus.LOADED,
            )
        )
        if already is not None:
            report.status = ImportStatus.UNCHANGED.value
            report.message = f"Fichier déjà importé (lot n° {already}) : rien n'a changé."
            if not dry_run:
                batch = _record_batch(
                    db,
                    **batch_values,
                    status=ImportStatus.UNCHANGED,
                    message=report.message,
                    finished_at=utcnow(),
                )
                db.commit()
                report.batch_id = batch.id
            return report
        try:
            _load(
                db,
                connector,
                path,
                territory.id,
                batch_values,
                report,
                context=ParseContext(pseudonym_key, extracted_on, year or extracted_on.year),
                sheet=sheet,
                strict=strict,
                progress=progress,
            )
            report.seconds = round(time.perf_counter() - started, 3)
            if dry_run:
                db.rollback()
                report.batch_id = None
            else:
                db.commit()
        except Exception as error:  # every failure leaves the database as it was
            db.rollback()
            expected = isinstance(
                error, FileRejectedError | MissingColumnsError | ImportRefusedError
            )
            if not expected:
                logger.exception("Import of %s failed", path.name)
            report.status = ImportStatus.FAILED.value
            report.message = str(error) if expected else UNEXPECTED
            report.created = report.updated = report.unchanged = 0
            if not dry_run:
                batch = _record_batch(
                    db,
                    **batch_values,
                    status=ImportStatus.FAILED,
                    message=report.message,
                    rows_read=report.rows_read,
                    rows_quarantined=report.quarantined,
                    finished_at=utcnow(),
                )
                kept = error.quarantined if isinstance(error, ImportRefusedError) else []
                db.add_all(QuarantinedRow(batch_id=batch.id, **row) for row in kept)
                db.commit()
                report.batch_id = batch.id
    return report


def _load(
    db: Session,
    connector: Connector,
    path: Path,
    territory_id: int,
    batch_values: dict[str, object],
    report: ImportReport,
    *,
    context: ParseContext,
    sheet: str | None,
    strict: bool,
    progress: Callable[[ImportProgress], None] | None = None,
) -> None:
    table: TableSource = open_table(path, sheet=sheet)
    report.encoding, report.separator = table.encoding, table.separator
    mapping = match_headers(list(table.headers), connector.profile)
    report.unknown_columns, report.dropped_columns = list(mapping.unknown), list(mapping.dropped)
    batch = _record_batch(
        db, **batch_values, status=ImportStatus.RUNNING, ignored_columns=list(mapping.unknown)
    )
    report.batch_id = batch.id
    totals = WriteCounts()
    quarantined: list[dict[str, object]] = []
    position = ReadPosition()
    reported: ImportProgress | None = None
    for chunk in iter_rows(table, chunk_size=CHUNK_ROWS, position=position):
        records = []
        for row in chunk:
            report.rows_read += 1
            reader = RowReader(row, mapping, connector.profile)
            record = connector.parse_row(reader, context)
            if record is None:
                quarantined.append(
                    {
                        "row_number": int(row["__row__"]),
                        "raw_values": reader.quarantine_values(),
                        "reasons": reader.reasons,
                    }
                )
            else:
                records.append(record)
        counts = connector.write(db, territory_id, batch.id, records)
        totals.created += counts.created
        totals.updated += counts.updated
        totals.unchanged += counts.unchanged
        quarantined.extend(counts.rejected)
        report.notes.extend(counts.notes)
        if len(chunk) >= ANALYZE_MIN_ROWS:
            refresh_planner_statistics(db)
        if progress is not None:
            reported = ImportProgress(report.rows_read, position.fraction)
            progress(reported)
        if counts.matched is not None:
            report.matched = (report.matched or 0) + counts.matched
            report.match_base += len(records)
    last = ImportProgress(report.rows_read, position.fraction)
    if progress is not None and last != reported:
        progress(last)  # the last chunk came before the end of the file was seen
    report.quarantined = len(quarantined)
    if strict and quarantined:
        raise ImportRefusedError(
            f"Mode strict : {len(quarantined)} ligne(s) rejetée(s), rien n'a été importé.",
            quarantined,
        )
    if report.rows_read == len(quarantined):
        raise ImportRefusedError("Aucune ligne valide : rien n'a été importé.", quarantined)
    db.add_all(QuarantinedRow(batch_id=batch.id, **row) for row in quarantined)
    report.created, report.updated, report.unchanged = (
        totals.created,
        totals.updated,
        totals.unchanged,
    )
    report.status = ImportStatus.LOADED.value
    batch.status = ImportStatus.LOADED
    batch.rows_read, batch.rows_quarantined = report.rows_read, report.quarantined
    batch.rows_loaded, batch.rows_updated = totals.created, totals.updated
    batch.finished_at = utcnow()
    batch.duration_seconds = report.seconds
