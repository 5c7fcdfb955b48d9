"""A quarantine correction and an import of the same territory take turns (PostgreSQL).

Both write the territory's people: the correction takes the territory's import
lock (dashboard.imports.lock_territory_imports) as an import does. The SOLIS
sample has 20 rows: 19 valid people, and line 5 quarantined for its orientation
date 31/02/2024; corrected to 28/02/2024 it is a 20th person.

On SQLite the database's single write lock already makes them take turns; the
advisory lock matters on PostgreSQL, where these tests run.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from connectors.pseudonym import pseudonymise
from dashboard.auth import SessionUser
from dashboard.db import make_session_factory
from dashboard.imports import lock_territory_imports, run_import
from dashboard.models import Beneficiary, ImportBatch, QuarantinedRow, Role
from dashboard.quarantine import CorrectionResult, correct_row, quarantine_entry
from tests.helpers import make_territory, make_user

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
SAMPLES = Path(__file__).parent / "data" / "samples"
# Line 5's identifiers, re-entered by the administrator from the original file.
NIR, CAF_NUMBER, BIRTH_DATE = "1630435180260 22", "9324402", "11/04/1963"
FIXED = {
    "Date orientation": "28/02/2024",
    "NIR": NIR,
    "N° allocataire": CAF_NUMBER,
    "Date de naissance": BIRTH_DATE,
}


@pytest.fixture
def redon(db_session, engine, settings):
    """35-REDON, its administrator, the SOLIS sample imported (line 5 in quarantine)."""
    territory = make_territory(db_session, "35-REDON", "Redon")
    admin = make_user(db_session, "redon.admin", Role.ADMIN, "35-REDON")
    db_session.commit()
    report = run_import(
        make_session_factory(engine), "solis", SAMPLES / "solis_beneficiaires.csv", "35-REDON",
        pseudonym_key=settings.pseudonym_key, extracted_on=dt.date(2024, 7, 1),
    )  # fmt: skip
    assert report.status == "loaded", report.message
    actor = SessionUser(
        admin.id, admin.login, Role.ADMIN, territory.id, territory.code, territory.name, 0
    )
    row_id = db_session.scalar(select(QuarantinedRow.id).where(QuarantinedRow.row_number == 5))
    return territory.id, actor, row_id


def _correct(engine, settings, territory_id, actor, row_id) -> CorrectionResult:
    """The administrator's correction of line 5, in a session of its own (a web request)."""
    with make_session_factory(engine)() as db:
        entry = quarantine_entry(db, territory_id, row_id)
        values = {item.index: FIXED.get(item.header, item.value or "") for item in entry.fields}
        return correct_row(
            db, actor, territory_id, row_id, values, pseudonym_key=settings.pseudonym_key
        )


def _in_thread(target) -> tuple[threading.Thread, list]:
    results: list = []
    thread = threading.Thread(target=lambda: results.append(target()), daemon=True)
    thread.start()
    return thread, results


@pytest.mark.slow  # waits 1.5 s to see the correction blocked
def test_a_correction_waits_for_the_running_import_of_its_territory(
    redon, engine, db_session, settings
):
    territory_id, actor, row_id = redon
    # An import of 35-REDON is running: it holds the territory's lock until it commits.
    importing = make_session_factory(engine)()
    lock_territory_imports(importing, territory_id)
    try:
        thread, results = _in_thread(
            lambda: _correct(engine, settings, territory_id, actor, row_id)
        )
        thread.join(1.5)
        assert thread.is_alive() and results == [], "the correction did not wait for the import"
    finally:
        importing.rollback()  # the import ends: the correction goes on
        importing.close()
    thread.join(30)
    assert not thread.is_alive()
    assert results[0].loaded and (results[0].created, results[0].updated) == (1, 0)


def test_a_correction_and_an_import_at_once_both_land_once(
    redon, engine, db_session, settings, tmp_path
):
    territory_id, actor, row_id = redon
    # The same export, line 5 fixed by the CAF, imported while the administrator
    # corrects that very line: the 20th person must exist once, whoever writes first.
    fixed = tmp_path / "solis_2024-07-08.csv"
    fixed.write_bytes(
        (SAMPLES / "solis_beneficiaires.csv").read_bytes().replace(b"31/02/2024", b"28/02/2024")
    )
    start = threading.Barrier(2)

    def import_fixed():
        start.wait()
        return run_import(
            make_session_factory(engine), "solis", fixed, "35-REDON",
            pseudonym_key=settings.pseudonym_key, extracted_on=dt.date(2024, 7, 8),
        )  # fmt: skip

    def correct():
        start.wait()
        return _correct(engine, settings, territory_id, actor, row_id)

    importer, imported = _in_thread(import_fixed)
    corrector, corrected = _in_thread(correct)
    started = time.monotonic()
    for thread in (importer, corrector):
        thread.join(60)
        assert not thread.is_alive(), f"still running after {time.monotonic() - started:.0f} s"
    assert imported[0].status == "loaded", imported[0].message
    assert corrected[0].loaded, corrected[0].reasons
    # The import read 20 rows: line 5 is created by whichever comes first; the other
    # finds it (19 + 1 = 20 people in all, the corrected one once).
    assert imported[0].rows_read == 20 and imported[0].quarantined == 0
    assert imported[0].created + corrected[0].created == 1
    db_session.expire_all()
    assert db_session.scalar(select(func.count()).select_from(Beneficiary)) == 20
    pseudonym = pseudonymise(settings.pseudonym_key, nir=NIR)
    assert (
        db_session.scalar(
            select(func.count()).select_from(Beneficiary).where(Beneficiary.pseudonym == pseudonym)
        )
        == 1
    )
    statuses = db_session.scalars(select(ImportBatch.status).order_by(ImportBatch.id)).all()
    assert statuses == ["loaded", "loaded", "loaded"]  # sample, then import and correction
