"""Shared pieces of the writers: counts, and the reference rows (sites, referents)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from connectors.profiles import Profile
from connectors.rows import ParseContext, RowReader
from connectors.values import fold
from dashboard.models import (
    Beneficiary,
    BeneficiaryLink,
    DataSource,
    Organisme,
    Referent,
    Site,
    SiteKind,
)


@dataclass
class WriteCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Rows the writer could not place (e.g. a person no other source knows),
    # shaped like quarantine entries: {"row_number", "raw_values", "reasons"}.
    rejected: list[dict[str, object]] = field(default_factory=list)
    # For secondary sources: rows whose person was already known from another
    # source (the cross-source match rate of the report). None for SOLIS.
    matched: int | None = None
    # Lines for the report that are no rejection (e.g. "échéance à préciser").
    notes: list[str] = field(default_factory=list)


def site_kind(name: str) -> SiteKind:
    folded = fold(name)
    for prefix, kind in (
        ("cdas", SiteKind.CDAS),
        ("utas", SiteKind.CDAS),
        ("ccas", SiteKind.CCAS),
        ("mission locale", SiteKind.MISSION_LOCALE),
        ("france travail", SiteKind.AGENCE_FT),
        ("agence", SiteKind.AGENCE_FT),
    ):
        if folded.startswith(prefix):
            return kind
    return SiteKind.OTHER


def ensure_sites(db: Session, territory_id: int, names: set[str]) -> dict[str, int]:
    """Ids of the territory's sites by name, creating the missing ones."""
    query = select(Site.name, Site.id).where(Site.territory_id == territory_id)
    existing = dict(db.execute(query).all())
    missing = sorted(names - existing.keys())
    if missing:
        db.execute(
            insert(Site.__table__),
            [
                {"territory_id": territory_id, "name": name, "kind": site_kind(name)}
                for name in missing
            ],
        )
        existing = dict(db.execute(query).all())
    return existing


def ensure_referents(
    db: Session, territory_id: int, codes: dict[str, Organisme | None]
) -> dict[str, int]:
    """Ids of the territory's referents by code, creating the missing ones."""
    query = select(Referent.code, Referent.id).where(Referent.territory_id == territory_id)
    existing = dict(db.execute(query).all())
    missing = sorted(set(codes) - existing.keys())
    if missing:
        db.execute(
            insert(Referent.__table__),
            [
                {
                    "territory_id": territory_id,
                    "code": code,
                    "organisme": codes[code] or Organisme.OTHER,
                    "portfolio_target": 70,
                }
                for code in missing
            ],
        )
        existing = dict(db.execute(query).all())
    return existing


def update_referents(db: Session, territory_id: int, details: dict[str, dict[str, object]]) -> None:
    """Give existing referents the site id / portfolio target an export states.

    `details` maps a referent code to {"site_id": ..., "portfolio_target": ...};
    a None value leaves the stored one as it is.
    """
    table = Referent.__table__
    stored: dict[str, tuple] = {}
    for block in in_blocks(sorted(details)):
        query = select(table.c.code, table.c.id, table.c.site_id, table.c.portfolio_target).where(
            table.c.territory_id == territory_id, table.c.code.in_(block)
        )
        stored.update((row[0], tuple(row[1:])) for row in db.execute(query))
    updates = []
    for code, values in details.items():
        row_id, site_id, target = stored[code]
        current = {"site_id": site_id, "portfolio_target": target}
        wanted = current | {name: value for name, value in values.items() if value is not None}
        if wanted != current:
            updates.append({"_id": row_id, **wanted})
    if updates:
        db.execute(update(table).where(table.c.id == bindparam("_id")), updates)


IN_BLOCK = 5000  # values per IN (...) list: well under SQLite's variable limit


def in_blocks(values: list) -> Iterator[list]:
    for start in range(0, len(values), IN_BLOCK):
        yield values[start : start + IN_BLOCK]


@dataclass
class UpsertResult:
    created: set[tuple] = field(default_factory=set)
    updated: set[tuple] = field(default_factory=set)


def upsert_rows(
    db: Session,
    table: Table,
    territory_id: int,
    key_columns: tuple[str, ...],
    rows: list[dict[str, object]],
    *,
    scope: dict[str, object] | None = None,
    untracked: tuple[str, ...] = ("batch_id",),
) -> UpsertResult:
    """Insert the rows whose key is new, update those whose other values changed.

    Existing rows are read once for the territory (and `scope`, e.g. the
    source), compared in memory, then written with two executemany calls.
    Returns the keys created and updated. `untracked` columns (the batch that
    last wrote the row) are written but a change in them alone is no update.
    """
    if not rows:
        return UpsertResult()
    value_columns = [name for name in rows[0] if name not in key_columns + untracked]
    written_columns = [name for name in rows[0] if name not in key_columns]
    conditions = [table.c.territory_id == territory_id]
    conditions += [table.c[name] == value for name, value in (scope or {}).items()]
    selected = [
        table.c.id,
        *(table.c[n] for n in key_columns),
        *(table.c[n] for n in value_columns),
    ]
    # Only the rows that can collide with this chunk: those sharing its first key values.
    lead = table.c[key_columns[0]]
    lead_values = sorted({row[key_columns[0]] for row in rows})
    existing = {}
    for block in in_blocks(lead_values):
        for row in db.execute(select(*selected).where(*conditions, lead.in_(block))):
            existing[tuple(row[1 : 1 + len(key_columns)])] = (
                row[0],
                tuple(row[1 + len(key_columns) :]),
            )
    result = UpsertResult()
    inserts, updates = [], []
    for row in rows:
        key = tuple(row[name] for name in key_columns)
        values = tuple(row[name] for name in value_columns)
        if key not in existing:
            if key not in result.created:
                inserts.append(row)
                result.created.add(key)
            continue
        row_id, stored = existing[key]
        if stored != values:
            updates.append({"_id": row_id, **{n: row[n] for n in written_columns}})
            result.updated.add(key)
    if inserts:
        db.execute(insert(table), inserts)
    if updates:
        db.execute(
            update(table).where(table.c.id == bindparam("_id")),
            updates,
        )
    return result


@dataclass(frozen=True)
class Connector:
    """An import source: its profile, its row parser and its writer.

    A module of `dashboard.loading` that defines `CONNECTOR` is picked up by
    `dashboard.imports` and offered by `pilotage import`.
    """

    source: DataSource
    profile: Profile
    parse_row: Callable[[RowReader, ParseContext], object | None]
    write: Callable[[Session, int, int | None, list], WriteCounts]
    # What the created / updated / unchanged counts count, for the report.
    unit: str = "personnes"


def ids_by_pseudonym(db: Session, territory_id: int, pseudonyms: set[str]) -> dict[str, int]:
    """Beneficiary ids of the territory for these pseudonyms (the unknown ones are absent)."""
    ids: dict[str, int] = {}
    for block in in_blocks(sorted(pseudonyms)):
        query = select(Beneficiary.pseudonym, Beneficiary.id).where(
            Beneficiary.territory_id == territory_id, Beneficiary.pseudonym.in_(block)
        )
        ids.update(db.execute(query).all())
    return ids


def linked_people(db: Session, territory_id: int, key_hashes: set[str]) -> dict[str, int]:
    """Beneficiary ids found through link keys (keyed hashes of CAF/MSA numbers)."""
    found: dict[str, int] = {}
    for block in in_blocks(sorted(key_hashes)):
        query = select(BeneficiaryLink.key_hash, BeneficiaryLink.beneficiary_id).where(
            BeneficiaryLink.territory_id == territory_id, BeneficiaryLink.key_hash.in_(block)
        )
        found.update(db.execute(query).all())
    return found
