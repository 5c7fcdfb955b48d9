"""Write France Travail records: first interview, PPAE / CE, weekly hours, employment.

Also holds the helpers of the secondary sources (France Travail, mission
locale): finding who is already known from another source, adding link
keys, leaving alone facts another source already wrote, counting people.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select, union
from sqlalchemy.orm import Session

from connectors import france_travail
from connectors.france_travail import FranceTravailRecord
from dashboard.loading.common import (
    Connector,
    UpsertResult,
    WriteCounts,
    ensure_referents,
    ids_by_pseudonym,
    in_blocks,
    linked_people,
    upsert_rows,
)
from dashboard.models import (
    ActivityHours,
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Beneficiary,
    BeneficiaryLink,
    Contract,
    DataSource,
    EmploymentOutcome,
    Organisme,
    Orientation,
    RightsPeriod,
)

SOURCE = DataSource.FRANCE_TRAVAIL
FACT_MODELS = (RightsPeriod, Orientation, Appointment, Contract, ActivityHours, EmploymentOutcome)


def known_elsewhere(
    db: Session, territory_id: int, source: DataSource, people: set[int]
) -> set[int]:
    """Those of `people` holding a fact written by another source (the match rate)."""
    found: set[int] = set()
    for block in in_blocks(sorted(people)):
        query = union(
            *(
                select(model.beneficiary_id).where(
                    model.territory_id == territory_id,
                    model.source != source,
                    model.beneficiary_id.in_(block),
                )
                for model in FACT_MODELS
            )
        )
        found.update(db.scalars(query))
    return found


def create_people(db: Session, territory_id: int, people: dict[str, dict[str, object]]) -> None:
    """Insert beneficiaries by pseudonym (with their other columns): never touch existing ones."""
    if people:
        db.execute(
            insert(Beneficiary.__table__),
            [
                {"territory_id": territory_id, "pseudonym": pseudonym, **values}
                for pseudonym, values in sorted(people.items())
            ],
        )


def add_links(db: Session, territory_id: int, links: list[tuple[str, int]]) -> None:
    """Store the link keys not stored yet; a key already pointing to someone stays theirs."""
    known = linked_people(db, territory_id, {key_hash for key_hash, _ in links})
    new: dict[str, int] = {}
    for key_hash, person in links:
        if key_hash not in known:
            new.setdefault(key_hash, person)
    if new:
        db.execute(
            insert(BeneficiaryLink.__table__),
            [
                {"territory_id": territory_id, "beneficiary_id": person, "key_hash": key_hash}
                for key_hash, person in new.items()
            ],
        )


def without_foreign(
    db: Session,
    model: type,
    territory_id: int,
    source: DataSource,
    key_columns: tuple[str, ...],
    rows: list[dict[str, object]],
) -> list[dict[str, object]]:
    """Drop the rows another source already wrote under the same unique key.

    Appointments and contracts are unique per person, kind and date whatever
    the source: the same first interview seen by SOLIS and France Travail is
    one appointment, kept as the first source wrote it.
    """
    table = model.__table__
    stored: set[tuple] = set()
    for block in in_blocks(sorted({row["beneficiary_id"] for row in rows})):
        query = select(*(table.c[name] for name in key_columns)).where(
            table.c.territory_id == territory_id,
            table.c.source != source,
            table.c.beneficiary_id.in_(block),
        )
        stored.update(tuple(row) for row in db.execute(query))
    return [row for row in rows if tuple(row[name] for name in key_columns) not in stored]


def people_counts(
    persons: set[int], created: set[int], facts: list[UpsertResult], matched: int
) -> WriteCounts:
    """Created = new beneficiaries; updated = known ones whose facts from this source changed."""
    touched = {key[0] for result in facts for key in result.created | result.updated}
    counts = WriteCounts(created=len(created), matched=matched)
    counts.updated = len((touched & persons) - created)
    counts.unchanged = len(persons) - counts.created - counts.updated
    return counts


def write_france_travail(
    db: Session, territory_id: int, batch_id: int | None, records: list[FranceTravailRecord]
) -> WriteCounts:
    """Upsert one France Travail extraction; people unknown to every source are created."""
    pseudonyms = {r.pseudonym for r in records}
    before = ids_by_pseudonym(db, territory_id, pseudonyms)
    elsewhere = known_elsewhere(db, territory_id, SOURCE, set(before.values()))
    matched = sum(before.get(r.pseudonym) in elsewhere for r in records)
    create_people(db, territory_id, {p: {} for p in pseudonyms - before.keys()})
    ids = ids_by_pseudonym(db, territory_id, pseudonyms) if pseudonyms - before.keys() else before
    add_links(db, territory_id, [(key, ids[r.pseudonym]) for r in records for key in r.link_keys])
    referents = ensure_referents(
        db, territory_id, {r.adviser: Organisme.FT for r in records if r.adviser}
    )
    common = {"territory_id": territory_id, "source": SOURCE, "batch_id": batch_id}
    scope = {"source": SOURCE}
    appointments = [
        {
            **common,
            "beneficiary_id": ids[r.pseudonym],
            "kind": AppointmentKind.ACCOMPAGNEMENT,
            "scheduled_at": dt.datetime.combine(r.first_interview_on, dt.time()),
            "status": AppointmentStatus.PRESENT,
            "referent_id": referents.get(r.adviser),
        }
        for r in records
        if r.first_interview_on
    ]
    contracts = [
        {
            **common,
            "beneficiary_id": ids[r.pseudonym],
            "kind": r.contract_kind,
            "signed_on": r.contract_signed_on,
        }
        for r in records
        if r.contract_signed_on
    ]
    appointment_key = ("beneficiary_id", "kind", "scheduled_at")
    contract_key = ("beneficiary_id", "kind", "signed_on")
    facts = [
        upsert_rows(
            db,
            Appointment.__table__,
            territory_id,
            appointment_key,
            without_foreign(db, Appointment, territory_id, SOURCE, appointment_key, appointments),
            scope=scope,
        ),
        upsert_rows(
            db,
            Contract.__table__,
            territory_id,
            contract_key,
            without_foreign(db, Contract, territory_id, SOURCE, contract_key, contracts),
            scope=scope,
        ),
        upsert_rows(
            db,
            ActivityHours.__table__,
            territory_id,
            ("beneficiary_id", "week_start"),
            [
                {
                    **common,
                    "beneficiary_id": ids[r.pseudonym],
                    "week_start": r.week_start,
                    "hours": r.weekly_hours,
                }
                for r in records
                if r.week_start is not None
            ],
            scope=scope,
        ),
        upsert_rows(
            db,
            EmploymentOutcome.__table__,
            territory_id,
            ("beneficiary_id", "started_on"),
            [
                {
                    **common,
                    "beneficiary_id": ids[r.pseudonym],
                    "started_on": r.employment_started_on,
                    "contract_type": r.contract_type,
                    "duration_months": r.duration_months,
                    "durable": r.durable,
                }
                for r in records
                if r.employment_started_on
            ],
            scope=scope,
        ),
    ]
    persons = {ids[r.pseudonym] for r in records}
    created = {ids[p] for p in pseudonyms - before.keys()}
    return people_counts(persons, created, facts, matched)


CONNECTOR = Connector(
    SOURCE, france_travail.PROFILE, france_travail.parse_row, write_france_travail
)
