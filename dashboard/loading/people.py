"""Writing people and their link keys, shared by the writers of every person source.

Secondary sources (France Travail, mission locale, appointments) find people
SOLIS or another source already knows, create the ones nobody knows, store
their link keys, and leave to its source a fact another source wrote first.
"""

from __future__ import annotations

from sqlalchemy import insert, select, union
from sqlalchemy.orm import Session

from dashboard.loading.common import UpsertResult, WriteCounts, in_blocks, linked_people
from dashboard.models import (
    ActivityHours,
    Appointment,
    Beneficiary,
    BeneficiaryLink,
    Contract,
    DataSource,
    EmploymentOutcome,
    Orientation,
    RightsPeriod,
)

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
