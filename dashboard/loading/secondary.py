"""What the secondary sources (France Travail, mission locale) write alike.

Their first meeting (first interview, first reception) becomes an
accompaniment appointment and their contract (PPAE / CE, CEJ) a contract;
both are left alone where another source already wrote the same fact
(`without_foreign`). The employment outcomes and the people are the writers'.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy.orm import Session

from dashboard.loading.common import UpsertResult, upsert_rows
from dashboard.loading.people import without_foreign
from dashboard.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Contract,
    ContractKind,
    DataSource,
)

APPOINTMENT_KEY = ("beneficiary_id", "kind", "scheduled_at")
CONTRACT_KEY = ("beneficiary_id", "kind", "signed_on")

# (person id, day of the first meeting, referent id or None)
Meeting = tuple[int, dt.date, int | None]
# (person id, contract kind, signing day)
Signing = tuple[int, ContractKind, dt.date]


def write_meetings_and_contracts(
    db: Session,
    territory_id: int,
    source: DataSource,
    common: dict[str, object],
    meetings: Iterable[Meeting],
    signings: Iterable[Signing],
) -> list[UpsertResult]:
    """Upsert the source's first meetings, then its contracts; `common` holds the
    territory, source and batch every row carries."""
    appointments = [
        {
            **common,
            "beneficiary_id": person,
            "kind": AppointmentKind.ACCOMPAGNEMENT,
            "scheduled_at": dt.datetime.combine(day, dt.time()),
            "status": AppointmentStatus.PRESENT,
            "referent_id": referent,
        }
        for person, day, referent in meetings
    ]
    contracts = [
        {**common, "beneficiary_id": person, "kind": kind, "signed_on": day}
        for person, kind, day in signings
    ]
    return [
        _write_own(db, Appointment, territory_id, source, APPOINTMENT_KEY, appointments),
        _write_own(db, Contract, territory_id, source, CONTRACT_KEY, contracts),
    ]


def _write_own(
    db: Session,
    model: type,
    territory_id: int,
    source: DataSource,
    key: tuple[str, ...],
    rows: list[dict[str, object]],
) -> UpsertResult:
    kept = without_foreign(db, model, territory_id, source, key, rows)
    return upsert_rows(db, model.__table__, territory_id, key, kept, scope={"source": source})
