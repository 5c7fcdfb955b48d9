"""Write SOLIS records: beneficiaries, links, rights, orientation, first appointment, CER.

Also the referents' site and portfolio target when the export gives them, and
the re-orientation flag: an orientation decided after another one of the same
person (an earlier extraction showed it) is a re-orientation.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from connectors import solis
from connectors.solis import SolisRecord
from dashboard.loading.common import (
    Connector,
    WriteCounts,
    ensure_referents,
    ensure_sites,
    ids_by_pseudonym,
    in_blocks,
    update_referents,
    upsert_rows,
)
from dashboard.loading.people import add_links
from dashboard.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Beneficiary,
    Contract,
    ContractKind,
    DataSource,
    Orientation,
    RightsPeriod,
)

SOURCE = DataSource.SOLIS


def _adopt_people_known_without_nir(
    db: Session, territory_id: int, records: list[SolisRecord]
) -> None:
    """Give the NIR pseudonym to people another source created from CAF number + birth date.

    A mission locale export imported before SOLIS creates the young person
    under the keyed hash of CAF number and birth date (it has no NIR). When
    SOLIS then brings the NIR, that same beneficiary takes the NIR pseudonym
    instead of a second one being created.
    """
    with_nir = {
        r.link_keys[0]: r.pseudonym
        for r in records
        if r.link_keys and r.pseudonym != r.link_keys[0]
    }
    if not with_nir:
        return
    known = ids_by_pseudonym(db, territory_id, set(with_nir) | set(with_nir.values()))
    for caf_birth_hash, nir_pseudonym in with_nir.items():
        if caf_birth_hash in known and nir_pseudonym not in known:
            db.execute(
                update(Beneficiary)
                .where(Beneficiary.id == known[caf_birth_hash])
                .values(pseudonym=nir_pseudonym)
            )


def _flag_reorientations(db: Session, territory_id: int, people: set[int]) -> None:
    """Set `is_reorientation` on every orientation decided after the person's first one."""
    table = Orientation.__table__
    fixes = []
    for block in in_blocks(sorted(people)):
        query = (
            select(table.c.id, table.c.beneficiary_id, table.c.decided_on, table.c.is_reorientation)
            .where(table.c.territory_id == territory_id, table.c.beneficiary_id.in_(block))
            .order_by(table.c.beneficiary_id, table.c.decided_on)
        )
        first: dict[int, dt.date] = {}
        for row_id, person, decided, flagged in db.execute(query):
            wanted = decided > first.setdefault(person, decided)
            if bool(flagged) != wanted:
                fixes.append({"_id": row_id, "is_reorientation": wanted})
    if fixes:
        db.execute(update(table).where(table.c.id == bindparam("_id")), fixes)


def _referents(
    db: Session, territory_id: int, records: list[SolisRecord], sites: dict[str, int]
) -> dict[str, int]:
    """Ids of the rows' referents (created when new), with the site and target rows give."""
    referents = ensure_referents(
        db, territory_id, {r.referent: r.organisme for r in records if r.referent}
    )
    details = {
        r.referent: {
            "site_id": sites.get(r.referent_site),
            "portfolio_target": r.referent_portfolio_target,
        }
        for r in records
        if r.referent and (r.referent_site or r.referent_portfolio_target)
    }
    if details:
        update_referents(db, territory_id, details)
    return referents


def write_solis(
    db: Session, territory_id: int, batch_id: int, records: list[SolisRecord]
) -> WriteCounts:
    """Upsert one SOLIS extraction; a newer file updates people, never duplicates them."""
    _adopt_people_known_without_nir(db, territory_id, records)
    sites = ensure_sites(
        db,
        territory_id,
        {r.site for r in records if r.site} | {r.referent_site for r in records if r.referent_site},
    )
    referents = _referents(db, territory_id, records, sites)
    people = upsert_rows(
        db,
        Beneficiary.__table__,
        territory_id,
        ("pseudonym",),
        [
            {
                "territory_id": territory_id,
                "pseudonym": r.pseudonym,
                "birth_year": r.birth_year,
                "sex": r.sex,
                "family_situation": r.family_situation,
                "education_level": r.education_level,
                "payer": r.payer,
                "site_id": sites.get(r.site),
            }
            for r in records
        ],
    )
    ids = ids_by_pseudonym(db, territory_id, {r.pseudonym for r in records})
    add_links(db, territory_id, [(key, ids[r.pseudonym]) for r in records for key in r.link_keys])
    common = {"territory_id": territory_id, "source": SOURCE, "batch_id": batch_id}
    scope = {"source": SOURCE}
    facts = [
        upsert_rows(
            db,
            RightsPeriod.__table__,
            territory_id,
            ("beneficiary_id", "rights_opened_on"),
            [
                {
                    **common,
                    "beneficiary_id": ids[r.pseudonym],
                    "rights_opened_on": r.rights_opened_on,
                    "notification_received_on": r.notification_received_on,
                    "duties_start_on": r.duties_start_on,
                    "duties_end_on": r.duties_end_on,
                    "exit_on": r.exit_on,
                    "exit_reason": r.exit_reason,
                }
                for r in records
            ],
            scope=scope,
        ),
        upsert_rows(
            db,
            Orientation.__table__,
            territory_id,
            ("beneficiary_id", "decided_on"),
            [
                {
                    **common,
                    "beneficiary_id": ids[r.pseudonym],
                    "decided_on": r.orientation_decided_on,
                    "notified_on": r.orientation_notified_on,
                    "dominante": r.dominante,
                    "organisme": r.organisme,
                    "referent_id": referents.get(r.referent),
                }
                for r in records
                if r.orientation_decided_on
            ],
            scope=scope,
        ),
        upsert_rows(
            db,
            Appointment.__table__,
            territory_id,
            ("beneficiary_id", "kind", "scheduled_at"),
            [
                {
                    **common,
                    "beneficiary_id": ids[r.pseudonym],
                    "kind": AppointmentKind.ACCOMPAGNEMENT,
                    "scheduled_at": dt.datetime.combine(r.first_appointment_on, dt.time()),
                    "status": AppointmentStatus.PRESENT,
                    "referent_id": referents.get(r.referent),
                }
                for r in records
                if r.first_appointment_on
            ],
            scope=scope,
        ),
        upsert_rows(
            db,
            Contract.__table__,
            territory_id,
            ("beneficiary_id", "kind", "signed_on"),
            [
                {
                    **common,
                    "beneficiary_id": ids[r.pseudonym],
                    "kind": ContractKind.CER,
                    "signed_on": r.cer_signed_on,
                }
                for r in records
                if r.cer_signed_on
            ],
            scope=scope,
        ),
    ]
    _flag_reorientations(
        db, territory_id, {ids[r.pseudonym] for r in records if r.orientation_decided_on}
    )
    touched = {key[0] for key in people.updated}
    person_of = {value: key for key, value in ids.items()}
    for result in facts:
        touched |= {person_of[key[0]] for key in result.created | result.updated}
    created = {key[0] for key in people.created}
    counts = WriteCounts(created=len(created))
    counts.updated = len(touched - created)
    counts.unchanged = len({r.pseudonym for r in records}) - counts.created - counts.updated
    return counts


CONNECTOR = Connector(SOURCE, solis.PROFILE, solis.parse_row, write_solis)
