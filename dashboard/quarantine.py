"""Correct a quarantined row in place and load it, or discard it (an administrator's act).

A corrected row takes the path of a file row: the same connector parses it
(`RowReader` over the batch's headers and the source's default profile, the
batch's extraction date) and the same writer stores it, in one transaction.
The load is recorded as a batch of its own (one row read, the administrator
as its user), so `dashboard.facts.facts_version` changes and every worker's
facts cache sees it; the row is marked `corrected`. A row still bad keeps
its place in quarantine and the new reasons are returned: nothing is written.

Identifying columns (NIR, CAF/MSA number, birth date, FT or i-milo ids) are
never kept in quarantine (connectors.rows.QUARANTINE_HIDDEN), yet the
pseudonym is computed from them: to load a row of SOLIS, France Travail, the
mission locale or the appointments tool, the administrator re-enters them
from the original export. They are used for this one parse and never stored
nor logged. Roadmap and targets rows carry none: they are corrected directly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from connectors.profiles import HeaderMapping, MissingColumnsError, match_headers
from connectors.rows import QUARANTINE_HIDDEN, ParseContext, RowReader
from dashboard import audit
from dashboard.auth import SessionUser
from dashboard.imports import CONNECTORS, lock_territory_imports
from dashboard.loading.common import Connector
from dashboard.models import (
    ImportBatch,
    ImportStatus,
    QuarantinedRow,
    QuarantineStatus,
    utcnow,
)

UNKNOWN_ROW = "Ligne inconnue ou hors de votre territoire."
ALREADY_DONE = "Cette ligne a déjà été corrigée ou écartée."
MAX_VALUE_LENGTH = 1000
RE_ENTER = (
    "Les identifiants ne sont pas conservés en quarantaine : ressaisissez-les depuis "
    "l'export d'origine. Ils servent au calcul du pseudonyme puis sont oubliés (jamais "
    "enregistrés)."
)


class QuarantineError(ValueError):
    """The row cannot be corrected or discarded (message in French)."""


@dataclass(frozen=True)
class QuarantineField:
    """One cell of a quarantined row as the correction form shows it."""

    index: int
    header: str
    value: str | None  # None when hidden (identifying): to re-enter
    identifying: bool
    hidden: bool
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuarantineEntry:
    row_id: int
    batch_id: int
    source: str
    file_name: str
    row_number: int
    status: str
    reasons: tuple[str, ...]
    fields: tuple[QuarantineField, ...]
    row_reasons: tuple[str, ...]  # the reasons no single field carries
    correctable: bool
    note: str | None = None  # why the row cannot be corrected, or what to re-enter


@dataclass
class CorrectionResult:
    loaded: bool
    reasons: list[str] = field(default_factory=list)
    batch_id: int | None = None  # the batch that loaded the corrected row
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _mentions(reason: str, header: str) -> bool:
    """Does a reason (connectors.rows.RowReader's wording) speak of this column?"""
    return reason.startswith((f"{header} :", f"{header} (")) or f" {header} (" in reason


def _mapping(connector: Connector, headers: list[str]) -> HeaderMapping | None:
    try:
        return match_headers(headers, connector.profile)
    except MissingColumnsError:
        return None


def _identifying_headers(connector: Connector, mapping: HeaderMapping) -> set[str]:
    return {
        mapping.columns[item.name]
        for item in connector.profile.fields
        if item.identifying and item.name in mapping.columns
    }


def _not_correctable(batch: ImportBatch, connector: Connector | None) -> str | None:
    if connector is None:
        return "Cette source ne s'importe pas par fichier : la ligne ne peut qu'être écartée."
    if batch.status != ImportStatus.LOADED or batch.extracted_on is None:
        return (
            "Le fichier de cette ligne a été refusé en entier : corrigez le fichier et "
            "importez-le de nouveau (la ligne peut être écartée)."
        )
    return None


def describe_row(row: QuarantinedRow, batch: ImportBatch) -> QuarantineEntry:
    """The row's fields (identifying ones hidden), each with the reasons that name it."""
    connector = CONNECTORS.get(str(batch.source))
    headers = list(row.raw_values)
    blocked = _not_correctable(batch, connector)
    mapping = _mapping(connector, headers) if connector else None
    if blocked is None and mapping is None:
        blocked = (
            "Les colonnes de ce lot ne correspondent pas au profil par défaut de la source "
            "(profil propre au territoire) : corrigez le fichier et importez-le de nouveau."
        )
    claimed = set(mapping.columns.values()) if mapping else set(headers)
    identifying = _identifying_headers(connector, mapping) if mapping else set()
    reasons = tuple(row.reasons)
    fields = []
    for index, header in enumerate(headers):
        if header not in claimed:
            continue  # dropped (names) or unknown columns: the connector ignores them
        stored = row.raw_values[header]
        hidden = stored == QUARANTINE_HIDDEN
        fields.append(
            QuarantineField(
                index=index,
                header=header,
                value=None if hidden else stored,
                identifying=header in identifying,
                hidden=hidden,
                reasons=tuple(r for r in reasons if _mentions(r, header)),
            )
        )
    placed = {r for item in fields for r in item.reasons}
    note = blocked
    if blocked is None and any(item.hidden for item in fields):
        note = RE_ENTER
    return QuarantineEntry(
        row_id=row.id,
        batch_id=batch.id,
        source=str(batch.source),
        file_name=batch.file_name,
        row_number=row.row_number,
        status=str(row.status),
        reasons=reasons,
        fields=tuple(fields),
        row_reasons=tuple(r for r in reasons if r not in placed),
        correctable=blocked is None,
        note=note,
    )


def find_row(db: Session, territory_id: int, row_id: object) -> tuple[QuarantinedRow, ImportBatch]:
    """The row and its batch if the batch belongs to the territory; QuarantineError else."""
    if not isinstance(row_id, int) or isinstance(row_id, bool):
        raise QuarantineError(UNKNOWN_ROW)
    found = db.execute(
        select(QuarantinedRow, ImportBatch)
        .join(ImportBatch, QuarantinedRow.batch_id == ImportBatch.id)
        .where(QuarantinedRow.id == row_id, ImportBatch.territory_id == territory_id)
    ).first()
    if found is None:
        raise QuarantineError(UNKNOWN_ROW)
    return found[0], found[1]


def quarantine_entry(db: Session, territory_id: int, row_id: object) -> QuarantineEntry:
    return describe_row(*find_row(db, territory_id, row_id))


def _clean(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise QuarantineError("Valeur illisible dans le formulaire.")
    text = str(value).strip()
    if len(text) > MAX_VALUE_LENGTH:
        raise QuarantineError(f"Valeur trop longue (au plus {MAX_VALUE_LENGTH} caractères).")
    return text or None


def _corrected_cells(
    entry: QuarantineEntry, row: QuarantinedRow, values: dict[int, object]
) -> tuple[dict[str, str | None], list[str]]:
    """The row as the form corrects it, and the re-entries still missing."""
    cells = dict(row.raw_values)
    missing = []
    for item in entry.fields:
        submitted = _clean(values.get(item.index))
        if item.hidden and submitted is None:
            missing.append(
                f"{item.header} : à ressaisir depuis l'export d'origine (valeur non conservée)"
            )
        cells[item.header] = submitted
    return cells, missing


def _claim(db: Session, row_id: int, status: QuarantineStatus, values: dict | None) -> None:
    """Mark a pending row; a row another administrator handled meanwhile is refused."""
    changes: dict[str, object] = {"status": status}
    if values is not None:
        changes["raw_values"] = values
    done = db.execute(
        update(QuarantinedRow)
        .where(QuarantinedRow.id == row_id, QuarantinedRow.status == QuarantineStatus.PENDING)
        .values(**changes)
    )
    if done.rowcount != 1:
        db.rollback()
        raise QuarantineError(ALREADY_DONE)


def correct_row(
    db: Session,
    actor: SessionUser,
    territory_id: int,
    row_id: object,
    values: dict[int, object],
    *,
    pseudonym_key: str,
    remote_addr: str | None = None,
) -> CorrectionResult:
    """Parse the corrected row with its source's connector and load it; commits on success.

    `values` maps a field index (QuarantineField.index) to the form's text. A row
    still invalid, or rejected by the writer, comes back with its reasons and is
    left as it was (the session is rolled back).
    """
    row, batch = find_row(db, territory_id, row_id)
    entry = describe_row(row, batch)
    if row.status != QuarantineStatus.PENDING:
        raise QuarantineError(ALREADY_DONE)
    if not entry.correctable:
        raise QuarantineError(entry.note or "Cette ligne ne peut pas être corrigée.")
    connector = CONNECTORS[entry.source]
    mapping = match_headers(list(row.raw_values), connector.profile)
    cells, missing = _corrected_cells(entry, row, values)
    if missing:
        return CorrectionResult(loaded=False, reasons=missing)
    started = time.perf_counter()
    reader = RowReader({**cells, "__row__": row.row_number}, mapping, connector.profile)
    extracted_on: dt.date = batch.extracted_on
    context = ParseContext(pseudonym_key, extracted_on, extracted_on.year)
    record = connector.parse_row(reader, context)
    if record is None:
        return CorrectionResult(loaded=False, reasons=list(reader.reasons))
    # Take turns with the territory's imports: both write its people (imports.py).
    lock_territory_imports(db, territory_id)
    kept = reader.quarantine_values()  # identifying cells hidden again
    _claim(db, row.id, QuarantineStatus.CORRECTED, kept)
    digest = hashlib.sha256(
        f"correction:{row.id}:{json.dumps(kept, sort_keys=True)}".encode()
    ).hexdigest()
    loaded = ImportBatch(
        territory_id=territory_id,
        source=batch.source,
        file_name=f"Correction de la ligne {row.row_number} de {batch.file_name}"[:255],
        sha256=digest,
        profile=f"correction manuelle (lot n° {batch.id})"[:255],
        extracted_on=extracted_on,
        status=ImportStatus.RUNNING,
        user_id=actor.user_id,
        ignored_columns=[],
    )
    db.add(loaded)
    db.flush()
    counts = connector.write(db, territory_id, loaded.id, [record])
    if counts.rejected:
        db.rollback()
        reasons = [reason for rejected in counts.rejected for reason in rejected["reasons"]]
        return CorrectionResult(loaded=False, reasons=reasons)
    loaded.status = ImportStatus.LOADED
    loaded.rows_read = 1
    loaded.rows_loaded, loaded.rows_updated = counts.created, counts.updated
    loaded.finished_at = utcnow()
    loaded.duration_seconds = round(time.perf_counter() - started, 3)
    changed = {
        item.header: {"before": item.value, "after": cells[item.header]}
        for item in entry.fields
        if not item.identifying and not item.hidden and item.value != cells[item.header]
    }
    audit.record_by(
        db,
        actor,
        "quarantine_corrected",
        remote_addr,
        row_id=row.id,
        batch_id=batch.id,
        row_number=row.row_number,
        source=entry.source,
        correction_batch_id=loaded.id,
        changed=changed,
        re_entered=[item.header for item in entry.fields if item.hidden],
        created=counts.created,
        updated=counts.updated,
    )
    db.commit()
    return CorrectionResult(
        loaded=True,
        batch_id=loaded.id,
        created=counts.created,
        updated=counts.updated,
        unchanged=counts.unchanged,
    )


def discard_row(
    db: Session,
    actor: SessionUser,
    territory_id: int,
    row_id: object,
    *,
    remote_addr: str | None = None,
) -> None:
    """Mark the row discarded (kept, never loaded) and audit it; commits."""
    row, batch = find_row(db, territory_id, row_id)
    if row.status != QuarantineStatus.PENDING:
        raise QuarantineError(ALREADY_DONE)
    _claim(db, row.id, QuarantineStatus.DISCARDED, None)
    audit.record_by(
        db,
        actor,
        "quarantine_discarded",
        remote_addr,
        row_id=row.id,
        batch_id=batch.id,
        row_number=row.row_number,
        source=str(batch.source),
        reasons=list(row.reasons),
    )
    db.commit()
