"""Writing the SOLIS sample: counts by hand, idempotent re-write, update not duplicate."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from connectors import solis
from connectors.profiles import match_headers
from connectors.rows import ParseContext, RowReader
from dashboard.loading.solis import write_solis
from dashboard.models import (
    Appointment,
    Beneficiary,
    BeneficiaryLink,
    Contract,
    Orientation,
    Referent,
    RightsPeriod,
    Site,
)
from tests.helpers import make_territory

SAMPLE = Path(__file__).parent / "data" / "samples" / "solis_beneficiaires.csv"


def sample_records() -> list[solis.SolisRecord]:
    with SAMPLE.open(encoding="cp1252", newline="") as handle:
        lines = list(csv.reader(handle, delimiter=";"))
    mapping = match_headers(lines[0], solis.PROFILE)
    records = []
    for cells in lines[1:]:
        reader = RowReader(dict(zip(lines[0], cells, strict=True)), mapping, solis.PROFILE)
        record = solis.parse_row(reader, ParseContext("cle", dt.date(2024, 7, 1), 2024))
        if record:
            records.append(record)
    return records


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


@pytest.fixture
def territory(db_session):
    territory = make_territory(db_session, "35-REDON")
    db_session.commit()
    return territory


def test_sample_rows_land_in_every_table(db_session, territory):
    counts = write_solis(db_session, territory.id, None, sample_records())
    db_session.commit()
    assert (counts.created, counts.updated, counts.unchanged) == (19, 0, 0)
    # 19 people, one rights period each; orientations: 19 minus the 4 rows without
    # one (lines 6, 11, 16, 21) = 15; first appointments filled on 10 valid rows;
    # CER signed on 3 rows; sites: 3 CDAS; referents REF001..REF006; 2 links each.
    assert count(db_session, Beneficiary) == 19
    assert count(db_session, RightsPeriod) == 19
    assert count(db_session, Orientation) == 15
    assert count(db_session, Appointment) == 10
    assert count(db_session, Contract) == 3
    assert count(db_session, Site) == 3
    assert count(db_session, Referent) == 6
    assert count(db_session, BeneficiaryLink) == 38


def test_same_records_twice_change_nothing(db_session, territory):
    write_solis(db_session, territory.id, None, sample_records())
    counts = write_solis(db_session, territory.id, None, sample_records())
    db_session.commit()
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 19)
    assert count(db_session, Beneficiary) == 19 and count(db_session, Orientation) == 15


def test_newer_extraction_updates_people_without_duplicating(db_session, territory):
    records = sample_records()
    write_solis(db_session, territory.id, None, records)
    newer = [
        dataclasses.replace(records[0], exit_on=dt.date(2024, 6, 15)),
        dataclasses.replace(records[1], cer_signed_on=dt.date(2024, 4, 2)),
        *records[2:],
    ]
    counts = write_solis(db_session, territory.id, None, newer)
    db_session.commit()
    assert (counts.created, counts.updated, counts.unchanged) == (0, 2, 17)
    assert count(db_session, Beneficiary) == 19 and count(db_session, Contract) == 4
    exits = db_session.scalars(
        select(RightsPeriod.exit_on).where(RightsPeriod.exit_on.is_not(None))
    )
    assert sorted(exits) == [dt.date(2024, 6, 15), dt.date(2024, 6, 30)]
