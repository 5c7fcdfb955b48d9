"""Write France Travail records: first interview, PPAE / CE, weekly hours, employment.

The helpers it shares with the mission locale writer: dashboard/loading/people.py
(who is already known from another source, link keys, leaving alone facts another
source already wrote, counting people) and dashboard/loading/secondary.py (the first
meeting and the contract).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from connectors import france_travail
from connectors.france_travail import FranceTravailRecord
from dashboard.loading.common import (
    Connector,
    WriteCounts,
    ensure_referents,
    ids_by_pseudonym,
    upsert_rows,
)
from dashboard.loading.people import (
    add_links,
    create_people,
    known_elsewhere,
    people_counts,
)
from dashboard.loading.secondary import write_meetings_and_contracts
from dashboard.models import ActivityHours, DataSource, EmploymentOutcome, Organisme

SOURCE = DataSource.FRANCE_TRAVAIL


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
    facts = [
        *write_meetings_and_contracts(
            db,
            territory_id,
            SOURCE,
            common,
            meetings=[
                (ids[r.pseudonym], r.first_interview_on, referents.get(r.adviser))
                for r in records
                if r.first_interview_on
            ],
            signings=[
                (ids[r.pseudonym], r.contract_kind, r.contract_signed_on)
                for r in records
                if r.contract_signed_on
            ],
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
