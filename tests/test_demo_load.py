"""`load_demo`, the direct path (not `pilotage demo`'s: see test_demo_install.py), writes
every generated record, once, into one territory.

`db_session` (from the main conftest) is a Session on a freshly migrated
database, parametrized over SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.demo import DemoAlreadyLoadedError, DemoData, generate_demo, load_demo
from dashboard.demo.load import MODEL_OF_FIELD
from dashboard.demo.records import TABLE_OF_FIELD
from dashboard.models import (
    Beneficiary,
    DataSource,
    Orientation,
    Referent,
    RightsPeriod,
    RoadmapAction,
    Site,
    Territory,
)

TABLES_WITH_SOURCE = [
    field for field in TABLE_OF_FIELD if field not in ("sites", "referents", "beneficiaries")
]


@pytest.fixture(scope="module")
def small_demo() -> DemoData:
    return generate_demo(size=120, seed=11)


def _territory(session: Session, code: str) -> Territory:
    territory = Territory(code=code, name=f"Démonstration {code}", departement_code="35")
    session.add(territory)
    session.flush()
    return territory


def _count(session: Session, model: type, territory: Territory) -> int:
    statement = select(func.count()).select_from(model).where(model.territory_id == territory.id)
    return session.scalar(statement)


def test_load_writes_every_record(db_session: Session, small_demo: DemoData) -> None:
    territory = _territory(db_session, "35-DEMOLOAD")
    counts = load_demo(db_session, territory, small_demo)

    assert counts == small_demo.counts()
    for field, table in TABLE_OF_FIELD.items():
        model = MODEL_OF_FIELD[field]
        assert model.__tablename__ == table
        assert counts[table] == len(getattr(small_demo, field)) > 0
        assert _count(db_session, model, territory) == counts[table], table
    assert territory.pilot_start == small_demo.pilot_start


def test_loaded_rows_are_tagged_and_linked(db_session: Session, small_demo: DemoData) -> None:
    territory = _territory(db_session, "35-DEMOLINK")
    load_demo(db_session, territory, small_demo)

    for field in TABLES_WITH_SOURCE:
        model = MODEL_OF_FIELD[field]
        sources = db_session.scalars(
            select(model.source).where(model.territory_id == territory.id).distinct()
        ).all()
        assert sources == [DataSource.DEMO], field

    pseudonyms = set(
        db_session.scalars(
            select(Beneficiary.pseudonym).where(Beneficiary.territory_id == territory.id)
        )
    )
    assert pseudonyms == {b.pseudonym for b in small_demo.beneficiaries}

    # Orientations point at referents of the same organisme, in the same territory.
    pairs = db_session.execute(
        select(Orientation.organisme, Referent.organisme, Referent.territory_id)
        .join(Referent, Orientation.referent_id == Referent.id)
        .where(Orientation.territory_id == territory.id)
    ).all()
    assert len(pairs) == len(small_demo.orientations)
    assert all(o == r and t == territory.id for o, r, t in pairs)

    opened = db_session.scalars(
        select(RightsPeriod.rights_opened_on)
        .join(Beneficiary, RightsPeriod.beneficiary_id == Beneficiary.id)
        .where(Beneficiary.pseudonym == small_demo.beneficiaries[0].pseudonym)
    ).all()
    assert opened == [small_demo.rights_periods[0].rights_opened_on]

    owners = db_session.scalar(
        select(RoadmapAction.owners).where(
            RoadmapAction.territory_id == territory.id,
            RoadmapAction.action == small_demo.roadmap_actions[0].action,
        )
    )
    assert owners == list(small_demo.roadmap_actions[0].owners)


def test_second_load_is_refused(db_session: Session, small_demo: DemoData) -> None:
    territory = _territory(db_session, "35-DEMOTWICE")
    load_demo(db_session, territory, small_demo)
    before = _count(db_session, Beneficiary, territory)

    with pytest.raises(DemoAlreadyLoadedError, match="déjà"):
        load_demo(db_session, territory, small_demo)
    assert _count(db_session, Beneficiary, territory) == before
    assert isinstance(DemoAlreadyLoadedError("x"), ValueError)


def test_existing_sites_are_reused(db_session: Session, small_demo: DemoData) -> None:
    territory = _territory(db_session, "35-DEMOSITES")
    db_session.add(Site(territory_id=territory.id, name=small_demo.sites[0].name))
    db_session.flush()

    counts = load_demo(db_session, territory, small_demo)

    assert counts["site"] == len(small_demo.sites) - 1
    assert _count(db_session, Site, territory) == len(small_demo.sites)
    assert counts["beneficiary"] == len(small_demo.beneficiaries)
