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


def _reoriented(record: solis.SolisRecord) -> solis.SolisRecord:
    """The first sample person (oriented 19/03/2024, CD, REF001) re-oriented to FT."""
    return dataclasses.replace(
        record,
        orientation_decided_on=dt.date(2024, 6, 20),
        orientation_notified_on=dt.date(2024, 6, 24),
        dominante="emploi",
        organisme="FT",
        referent="FT01",
        referent_site="Agence France Travail Redon",
        referent_portfolio_target=60,
    )


@pytest.mark.parametrize("older_first", [True, False])
def test_a_newer_decision_is_kept_beside_the_first_as_a_reorientation(
    db_session, territory, older_first
):
    records = sample_records()
    newer = [_reoriented(records[0]), *records[1:]]
    for extraction in (records, newer) if older_first else (newer, records):
        write_solis(db_session, territory.id, None, extraction)
    db_session.commit()
    # 15 orientations of the sample plus the re-orientation of the first person, which
    # is the one flagged, whatever the order the two extractions came in.
    assert count(db_session, Orientation) == 16
    first_person = db_session.scalar(
        select(Beneficiary.id).where(Beneficiary.pseudonym == records[0].pseudonym)
    )
    rows = db_session.execute(
        select(Orientation.decided_on, Orientation.organisme, Orientation.is_reorientation)
        .where(Orientation.beneficiary_id == first_person)
        .order_by(Orientation.decided_on)
    ).all()
    assert rows == [(dt.date(2024, 3, 19), "CD", False), (dt.date(2024, 6, 20), "FT", True)]
    assert db_session.scalar(select(func.count()).where(Orientation.is_reorientation)) == 1


def test_referent_site_and_portfolio_target_come_from_the_export(db_session, territory):
    records = sample_records()
    write_solis(db_session, territory.id, None, [_reoriented(records[0]), *records[1:]])
    db_session.commit()
    referent = db_session.execute(
        select(Referent.organisme, Site.name, Site.kind, Referent.portfolio_target)
        .join(Site, Referent.site_id == Site.id)
        .where(Referent.code == "FT01")
    ).one()
    assert tuple(referent) == ("FT", "Agence France Travail Redon", "AGENCE_FT", 60)
    # The sample's own referents say nothing of theirs: no site, the default target 70.
    assert db_session.execute(
        select(Referent.site_id, Referent.portfolio_target).where(Referent.code == "REF001")
    ).one() == (None, 70)
    # A later extraction changes the target; one without the column leaves it.
    write_solis(
        db_session,
        territory.id,
        None,
        [dataclasses.replace(_reoriented(records[0]), referent_portfolio_target=45)],
    )
    write_solis(db_session, territory.id, None, records)
    db_session.commit()
    target = select(Referent.portfolio_target).where(Referent.code == "FT01")
    assert db_session.scalar(target) == 45


def test_end_of_duties_is_written(db_session, territory):
    records = sample_records()
    ended = dataclasses.replace(records[0], duties_end_on=dt.date(2024, 6, 30))
    write_solis(db_session, territory.id, None, [ended, *records[1:]])
    db_session.commit()
    ends = db_session.scalars(
        select(RightsPeriod.duties_end_on).where(RightsPeriod.duties_end_on.is_not(None))
    ).all()
    assert ends == [dt.date(2024, 6, 30)]
