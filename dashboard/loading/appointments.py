"""Write appointment records: found through the SOLIS link keys, upserted per appointment.

Counts are appointments (created / updated / unchanged), not people: this
source creates no beneficiary. A row whose person no imported beneficiary
carries is handed back in `WriteCounts.rejected`, shaped like a quarantine
entry; `matched` is the number of rows placed on a known beneficiary.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors import appointments
from connectors.appointments import AppointmentRecord
from dashboard.loading.common import (
    Connector,
    WriteCounts,
    ensure_referents,
    ensure_sites,
    in_blocks,
    linked_people,
    upsert_rows,
)
from dashboard.models import Appointment, DataSource

SOURCE = DataSource.RDV
UNKNOWN_PERSON = (
    "personne inconnue : aucun bénéficiaire importé (SOLIS) ne porte ce numéro d'allocataire"
)
KEY_COLUMNS = ("beneficiary_id", "kind", "scheduled_at")


def _keys_of_other_sources(db: Session, territory_id: int, people: set[int]) -> set[tuple]:
    """These people's appointments another source (SOLIS's first appointment) holds.

    The unique key has no source column: writing the same appointment again
    would break it, so such a row is counted as placed and left to its source.
    """
    keys: set[tuple] = set()
    columns = [Appointment.__table__.c[name] for name in KEY_COLUMNS]
    for block in in_blocks(sorted(people)):
        query = select(*columns).where(
            Appointment.territory_id == territory_id,
            Appointment.source != SOURCE,
            Appointment.beneficiary_id.in_(block),
        )
        keys.update(tuple(row) for row in db.execute(query))
    return keys


def write_appointments(
    db: Session, territory_id: int, batch_id: int | None, records: list[AppointmentRecord]
) -> WriteCounts:
    """Upsert one chunk of appointments; a newer extraction updates the status, never
    duplicates the appointment."""
    # Every link key of the chunk, looked up at once (IN lists of 5,000).
    found = linked_people(db, territory_id, {key for r in records for key in r.link_keys})
    counts = WriteCounts()
    placed: list[tuple[int, AppointmentRecord]] = []
    for record in records:
        person = next((found[key] for key in record.link_keys if key in found), None)
        if person is None:
            counts.rejected.append(
                {
                    "row_number": record.row_number,
                    "raw_values": record.raw_values,
                    "reasons": [UNKNOWN_PERSON],
                }
            )
        else:
            placed.append((person, record))
    counts.matched = len(placed)
    if not placed:
        return counts
    sites = ensure_sites(db, territory_id, {r.site for _, r in placed if r.site})
    referents = ensure_referents(
        db, territory_id, {r.referent: r.organisme for _, r in placed if r.referent}
    )
    taken = _keys_of_other_sources(db, territory_id, {person for person, _ in placed})
    rows = [
        {
            "territory_id": territory_id,
            "source": SOURCE,
            "batch_id": batch_id,
            "beneficiary_id": person,
            "kind": r.kind,
            "scheduled_at": r.scheduled_at,
            "invited_on": r.invited_on,
            "status": r.status,
            "reminder_on": r.reminder_on,
            "site_id": sites.get(r.site),
            "referent_id": referents.get(r.referent),
        }
        for person, r in placed
    ]
    rows = [row for row in rows if tuple(row[name] for name in KEY_COLUMNS) not in taken]
    result = upsert_rows(
        db, Appointment.__table__, territory_id, KEY_COLUMNS, rows, scope={"source": SOURCE}
    )
    counts.created, counts.updated = len(result.created), len(result.updated)
    counts.unchanged = len(placed) - counts.created - counts.updated
    return counts


CONNECTOR = Connector(
    SOURCE, appointments.PROFILE, appointments.parse_row, write_appointments, unit="rendez-vous"
)
