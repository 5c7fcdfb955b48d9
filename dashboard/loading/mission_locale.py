"""Write mission locale (I-Milo) records: first reception, CEJ, returns to employment.

A young person is looked up through the link key CAF/MSA number + birth date
(stored by the SOLIS writer, whose pseudonym comes from the NIR), then by
pseudonym; when no source knows them, a beneficiary is created with that
key as pseudonym and its link keys.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from connectors import mission_locale
from connectors.mission_locale import MissionLocaleRecord
from connectors.values import is_durable
from dashboard.loading.common import (
    Connector,
    WriteCounts,
    ensure_referents,
    ids_by_pseudonym,
    linked_people,
    upsert_rows,
)
from dashboard.loading.people import (
    add_links,
    create_people,
    known_elsewhere,
    people_counts,
)
from dashboard.loading.secondary import write_meetings_and_contracts
from dashboard.models import ContractKind, DataSource, EmploymentOutcome, Organisme

SOURCE = DataSource.MISSION_LOCALE


def _resolve(links: dict[str, int], pseudonyms: dict[str, int], key: str) -> int | None:
    person = links.get(key)
    return person if person is not None else pseudonyms.get(key)


def write_mission_locale(
    db: Session, territory_id: int, batch_id: int | None, records: list[MissionLocaleRecord]
) -> WriteCounts:
    """Upsert one I-Milo extraction onto the people other sources already know."""
    keys = {r.pseudonym for r in records}  # CAF/MSA number + birth date
    links, before = linked_people(db, territory_id, keys), ids_by_pseudonym(db, territory_id, keys)
    found = {key: _resolve(links, before, key) for key in keys}
    elsewhere = known_elsewhere(
        db, territory_id, SOURCE, {p for p in found.values() if p is not None}
    )
    matched = sum(found[r.pseudonym] in elsewhere for r in records)
    create_people(
        db,
        territory_id,
        {r.pseudonym: {"birth_year": r.birth_year} for r in records if found[r.pseudonym] is None},
    )
    pseudonyms = ids_by_pseudonym(db, territory_id, {k for k, p in found.items() if p is None})
    ids = {key: person if person is not None else pseudonyms[key] for key, person in found.items()}
    add_links(db, territory_id, [(key, ids[r.pseudonym]) for r in records for key in r.link_keys])
    referents = ensure_referents(
        db, territory_id, {r.adviser: Organisme.ML for r in records if r.adviser}
    )
    common = {"territory_id": territory_id, "source": SOURCE, "batch_id": batch_id}
    facts = [
        *write_meetings_and_contracts(
            db,
            territory_id,
            SOURCE,
            common,
            meetings=[
                (ids[r.pseudonym], r.first_reception_on, referents.get(r.adviser))
                for r in records
                if r.first_reception_on
            ],
            signings=[
                (ids[r.pseudonym], ContractKind.CEJ, r.cej_entry_on)
                for r in records
                if r.cej_entry_on
            ],
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
                    "duration_months": None,  # I-Milo gives no duration
                    "durable": is_durable(r.contract_type, None),
                }
                for r in records
                if r.employment_started_on and r.contract_type
            ],
            scope={"source": SOURCE},
        ),
    ]
    created = {ids[key] for key, person in found.items() if person is None}
    return people_counts(set(ids.values()), created, facts, matched)


CONNECTOR = Connector(
    SOURCE, mission_locale.PROFILE, mission_locale.parse_row, write_mission_locale
)
