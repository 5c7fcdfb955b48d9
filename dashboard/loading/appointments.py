"""Write appointment records: found through the SOLIS link keys, upserted per appointment.

Counts are appointments (created / updated / unchanged), not people: this
source creates no beneficiary. A row whose person no imported beneficiary
carries is handed back in `WriteCounts.rejected`, shaped like a quarantine
entry; `matched` is the number of rows placed on a known beneficiary.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from connectors import appointments
from connectors.appointments import AppointmentRecord
from dashboard.loading.common import (
    Connector,
    WriteCounts,
    ensure_referents,
    ensure_sites,
    linked_people,
    upsert_rows,
)
from dashboard.loading.people import without_foreign
from dashboard.models import Appointment, DataSource

SOURCE = DataSource.RDV
UNKNOWN_PERSON = (
    "personne inconnue : aucun bénéficiaire importé (SOLIS) ne porte ce numéro d'allocataire"
)
KEY_COLUMNS = ("beneficiary_id", "kind", "scheduled_at")


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
    # The same slot already written by another source (SOLIS's first appointment) is
    # left to it: counted as placed and unchanged.
    rows = without_foreign(db, Appointment, territory_id, SOURCE, KEY_COLUMNS, rows)
    result = upsert_rows(
        db, Appointment.__table__, territory_id, KEY_COLUMNS, rows, scope={"source": SOURCE}
    )
    counts.created, counts.updated = len(result.created), len(result.updated)
    counts.unchanged = len(placed) - counts.created - counts.updated
    return counts


CONNECTOR = Connector(
    SOURCE, appointments.PROFILE, appointments.parse_row, write_appointments, unit="rendez-vous"
)
