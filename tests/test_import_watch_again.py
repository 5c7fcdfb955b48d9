"""The watched folder: a file dropped again, and the audit entry of each file handled.

The SOLIS sample (tests/data/samples/solis_beneficiaires.csv) has 20 rows: 19
valid people and line 5 quarantined (orientation date 31/02/2024).
"""

# `watched`, imported below, is a fixture: ruff reads the tests' parameter as a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import datetime as dt
import json
import logging

import plotly
import pytest
from sqlalchemy import func, select

from dashboard.audit import territory_entries
from dashboard.import_watch import import_pending
from dashboard.models import AuditLog, ImportBatch, JobRun
from layouts.admin_audit import journal_view
from tests.dash_post import text_of
from tests.helpers import make_territory

# The watched folder's fixture and file drop of the first watch tests (a settled file).
from tests.test_import_watch import NOW, _drop, watched  # noqa: F401


def _age_claims(db, minutes: int) -> None:
    """The first pass finished `minutes` ago (the claim's end is the real clock's)."""
    for run in db.scalars(select(JobRun)):
        run.finished_at -= dt.timedelta(minutes=minutes)
    db.commit()


def _loaded_on(db) -> str:
    """The day the first batch finished, in Paris (JJ/MM/AAAA), as the reason gives it."""
    finished = db.scalar(select(ImportBatch.finished_at).order_by(ImportBatch.id).limit(1))
    paris = finished.replace(tzinfo=dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=2)))
    return f"{paris:%d/%m/%Y}"


def test_a_file_dropped_again_is_moved_to_done_with_its_reason(watched, engine, db_session, caplog):
    solis = watched.import_dir / "35-redon" / "solis"
    _drop(watched.import_dir, "solis", "solis_beneficiaires.csv", "solis_2024-07-01.csv")
    assert import_pending(engine, watched, NOW) == "1 fichier(s) importé(s), 0 en échec"
    _age_claims(db_session, 5)
    # The same content dropped again, under another name.
    again = _drop(watched.import_dir, "solis", "solis_beneficiaires.csv", "solis_copie.csv")
    later = NOW + dt.timedelta(minutes=5)
    with caplog.at_level(logging.INFO, logger="dashboard.import_watch"):
        summary = import_pending(engine, watched, later)
    assert summary == "0 fichier(s) importé(s), 0 en échec, 1 déjà traité(s) auparavant"
    assert not again.exists()
    assert sorted(path.name for path in (solis / "done").iterdir()) == [
        "20240702-080000_solis_2024-07-01.csv",
        "20240702-080500_solis_copie.csv",
    ]
    # The reason names the day of the first import (the batch's end, in Paris time;
    # July: UTC+2).
    reason = f"Fichier déjà importé le {_loaded_on(db_session)} : aucune ligne nouvelle."
    assert f"solis_copie.csv : {reason}" in caplog.messages
    # Nothing imported a second time, and the next pass has nothing to look at.
    assert db_session.scalar(select(func.count()).select_from(ImportBatch)) == 1
    assert import_pending(engine, watched, later) == "0 fichier(s) importé(s), 0 en échec"
    entry = db_session.scalars(select(AuditLog).order_by(AuditLog.id.desc())).first()
    assert entry.details == {
        "via": "dossier surveillé",
        "source": "solis",
        "file_name": "solis_copie.csv",
        "status": "unchanged",
        "reason": reason,
    }


def test_a_refused_file_dropped_again_goes_to_failed(watched, engine, db_session):
    solis = watched.import_dir / "35-redon" / "solis"
    _drop(watched.import_dir, "solis", "rendez_vous.csv", "mauvais.csv")
    assert import_pending(engine, watched, NOW) == "0 fichier(s) importé(s), 1 en échec"
    _age_claims(db_session, 5)
    _drop(watched.import_dir, "solis", "rendez_vous.csv", "mauvais.csv")
    summary = import_pending(engine, watched, NOW + dt.timedelta(minutes=5))
    assert summary.endswith(", 1 déjà traité(s) auparavant")
    assert len(list((solis / "failed").iterdir())) == 2
    assert not (solis / "mauvais.csv").exists()
    entry = db_session.scalars(select(AuditLog).order_by(AuditLog.id.desc())).first()
    assert entry.details["status"] == "failed"
    assert entry.details["reason"].startswith("Fichier identique à un fichier refusé le ")


def test_a_file_just_imported_by_another_process_is_left_to_it(watched, engine, db_session):
    # The claim finished less than a minute ago: the process that imported the file
    # may not have moved it yet; this pass leaves it alone.
    _drop(watched.import_dir, "solis", "solis_beneficiaires.csv", "solis_2024-07-01.csv")
    import_pending(engine, watched, NOW)
    dropped = _drop(watched.import_dir, "solis", "solis_beneficiaires.csv", "solis_copie.csv")
    assert import_pending(engine, watched, NOW) == "0 fichier(s) importé(s), 0 en échec"
    assert dropped.exists()


def test_each_watched_import_writes_an_audit_entry_shown_in_the_journal(
    watched, engine, db_session
):
    _drop(watched.import_dir, "solis", "solis_beneficiaires.csv", "solis_2024-07-01.csv")
    _drop(watched.import_dir, "solis", "rendez_vous.csv", "mauvais.csv")
    assert import_pending(engine, watched, NOW) == "1 fichier(s) importé(s), 1 en échec"
    entries = db_session.scalars(select(AuditLog).order_by(AuditLog.id)).all()
    assert [(e.action, e.login, e.user_id, e.territory_code) for e in entries] == [
        ("import", "(planificateur)", None, "35-REDON"),
        ("import", "(planificateur)", None, "35-REDON"),
    ]
    by_file = {entry.details["file_name"]: entry.details for entry in entries}
    batches = dict(db_session.execute(select(ImportBatch.file_name, ImportBatch.id)).all())
    # 20 rows read: 19 people created, line 5 quarantined.
    assert by_file["solis_2024-07-01.csv"] == {
        "via": "dossier surveillé",
        "source": "solis",
        "file_name": "solis_2024-07-01.csv",
        "status": "loaded",
        "batch_id": batches["solis_2024-07-01.csv"],
        "rows_read": 20,
        "created": 19,
        "updated": 0,
        "quarantined": 1,
    }
    refused = by_file["mauvais.csv"]
    assert refused["status"] == "failed" and refused["batch_id"] == batches["mauvais.csv"]
    assert refused["created"] == 0 and refused["reason"]
    # The administrator's journal shows them, as imports, by the scheduler.
    view = journal_view(territory_entries(db_session, "35-REDON", []))
    shown = text_of(json.loads(json.dumps(view, cls=plotly.utils.PlotlyJSONEncoder)))
    assert shown.count("Import de fichier") == 2
    assert shown.count("(planificateur)") == 2 and "dossier surveillé" in shown
    assert "solis_2024-07-01.csv" in shown and "mauvais.csv" in shown


def test_no_account_can_take_the_watched_folders_name(db_session):
    # The audit rows of the watched folder carry WATCH_LOGIN with no user: an account of
    # that login would pass for the scheduler in the journal, so create_user refuses it.
    from dashboard.import_watch import WATCH_LOGIN
    from dashboard.models import Role
    from dashboard.users import UserError, create_user

    make_territory(db_session, "35-REDON", "Pays de Redon")
    for login in (WATCH_LOGIN, WATCH_LOGIN.upper(), f" {WATCH_LOGIN} "):
        with pytest.raises(UserError, match="Identifiant invalide"):
            create_user(db_session, login, "un mot de passe assez long", Role.ADMIN, "35-REDON")
