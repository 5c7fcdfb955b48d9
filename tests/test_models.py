"""The schema, as alembic builds it, behaves the same on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from dashboard.models import (
    Base,
    Beneficiary,
    DataSource,
    Dominante,
    ImportBatch,
    ImportStatus,
    Organisme,
    Orientation,
    QuarantinedRow,
    RightsPeriod,
    RoadmapAction,
    Sex,
)
from tests.helpers import make_territory


def test_migrations_build_exactly_the_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_every_table_exists_with_indexes_on_territory(engine):
    inspector = inspect(engine)
    assert set(Base.metadata.tables) <= set(inspector.get_table_names())
    for table in (
        "beneficiary",
        "rights_period",
        "orientation",
        "appointment",
        "contract",
        "activity_hours",
        "employment_outcome",
    ):
        indexed = {col for index in inspector.get_indexes(table) for col in index["column_names"]}
        assert "territory_id" in indexed, table


def test_no_column_can_hold_an_identity(engine):
    inspector = inspect(engine)
    forbidden = {"nom", "name", "prenom", "nir", "caf", "allocataire", "address", "adresse"}
    # Names of places and files, not of people.
    allowed = {("territory", "name"), ("site", "name"), ("import_batch", "file_name")}
    for table in inspector.get_table_names():
        for column in inspector.get_columns(table):
            if (table, column["name"]) in allowed:
                continue
            words = set(column["name"].lower().split("_"))
            assert not words & forbidden, (table, column["name"])


def _person(db, territory, pseudonym="p1"):
    person = Beneficiary(territory_id=territory.id, pseudonym=pseudonym, birth_year=1990, sex=Sex.F)
    db.add(person)
    db.flush()
    return person


def test_enumerations_are_constrained_in_the_database(db_session):
    territory = make_territory(db_session, "35-REDON")
    db_session.commit()
    with pytest.raises(IntegrityError):
        db_session.execute(
            text(
                "INSERT INTO beneficiary (territory_id, pseudonym, sex, created_at, updated_at) "
                "VALUES (:t, 'x', 'Z', :now, :now)"
            ),
            {"t": territory.id, "now": dt.datetime(2024, 1, 1)},
        )
    db_session.rollback()


def test_one_pseudonym_per_territory(db_session):
    territory = make_territory(db_session, "35-REDON")
    _person(db_session, territory)
    with pytest.raises(IntegrityError):
        _person(db_session, territory)
    db_session.rollback()


def test_deleting_a_person_deletes_their_facts(db_session):
    territory = make_territory(db_session, "35-REDON")
    person = _person(db_session, territory)
    db_session.add_all(
        [
            RightsPeriod(
                beneficiary_id=person.id,
                territory_id=territory.id,
                rights_opened_on=dt.date(2024, 2, 25),
                notification_received_on=dt.date(2024, 3, 1),
                duties_start_on=dt.date(2024, 2, 25),
                source=DataSource.SOLIS,
            ),
            Orientation(
                beneficiary_id=person.id,
                territory_id=territory.id,
                decided_on=dt.date(2024, 3, 10),
                notified_on=dt.date(2024, 3, 12),
                dominante=Dominante.SOCIAL,
                organisme=Organisme.CD,
                source=DataSource.SOLIS,
            ),
        ]
    )
    db_session.commit()
    db_session.execute(Beneficiary.__table__.delete().where(Beneficiary.id == person.id))
    db_session.commit()
    assert db_session.scalar(select(func.count()).select_from(Orientation)) == 0
    assert db_session.scalar(select(func.count()).select_from(RightsPeriod)) == 0


def test_notification_cannot_precede_decision(db_session):
    territory = make_territory(db_session, "35-REDON")
    person = _person(db_session, territory)
    db_session.add(
        Orientation(
            beneficiary_id=person.id,
            territory_id=territory.id,
            decided_on=dt.date(2024, 3, 10),
            notified_on=dt.date(2024, 3, 9),
            dominante=Dominante.EMPLOI,
            organisme=Organisme.FT,
            source=DataSource.SOLIS,
        )
    )
    with pytest.raises(IntegrityError):
        db_session.flush()
    db_session.rollback()


def test_json_columns_round_trip(db_session):
    territory = make_territory(db_session, "35-REDON")
    batch = ImportBatch(
        territory_id=territory.id,
        source=DataSource.SOLIS,
        file_name="solis.csv",
        sha256="0" * 64,
        status=ImportStatus.LOADED,
        ignored_columns=["Nom", "Prénom"],
    )
    batch.quarantined_rows.append(
        QuarantinedRow(
            row_number=5,
            raw_values={"Date orientation": "31/02/2024"},
            reasons=["Date impossible : 31/02/2024"],
        )
    )
    action = RoadmapAction(
        territory_id=territory.id,
        axis="Numérique",
        operational_target="Partager les données",
        action="Premier envoi",
        owners=["CD", "FT"],
        source=DataSource.ROADMAP,
    )
    db_session.add_all([batch, action])
    db_session.commit()
    db_session.expire_all()
    stored = db_session.scalar(select(QuarantinedRow))
    assert stored.raw_values == {"Date orientation": "31/02/2024"}
    assert stored.reasons == ["Date impossible : 31/02/2024"]
    assert db_session.scalar(select(RoadmapAction.owners)) == ["CD", "FT"]
    assert db_session.scalar(select(ImportBatch.ignored_columns)) == ["Nom", "Prénom"]
