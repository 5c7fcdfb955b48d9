"""The watched folder: each settled file imported once, then moved to done/ or failed/."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dashboard.import_watch import import_pending, pending_files
from dashboard.models import Beneficiary, ImportBatch
from tests.helpers import make_territory

SAMPLES = Path(__file__).parent / "data" / "samples"
NOW = dt.datetime(2024, 7, 2, 8, 0)


def _drop(import_dir: Path, source: str, sample: str, name: str, age_seconds: int = 3600) -> Path:
    folder = import_dir / "35-redon" / source
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copyfile(SAMPLES / sample, target)
    stamp = NOW.timestamp() - age_seconds
    os.utime(target, (stamp, stamp))
    return target


@pytest.fixture
def watched(settings, db_session, tmp_path):
    make_territory(db_session, "35-REDON")
    db_session.commit()
    return settings.with_overrides(import_dir=tmp_path / "depot")


def test_settled_file_is_imported_once_and_moved_to_done(watched, engine, db_session):
    _drop(watched.import_dir, "solis", "solis_beneficiaires.csv", "solis_2024-07-01.csv")
    summary = import_pending(engine, watched, NOW)
    assert summary == "1 fichier(s) importé(s), 0 en échec"
    assert db_session.scalar(select(func.count()).select_from(Beneficiary)) == 19
    assert db_session.scalar(select(ImportBatch.extracted_on)) == dt.date(2024, 7, 1)
    done = list((watched.import_dir / "35-redon" / "solis" / "done").iterdir())
    assert [path.name for path in done] == ["20240702-080000_solis_2024-07-01.csv"]
    assert import_pending(engine, watched, NOW) == "0 fichier(s) importé(s), 0 en échec"


def test_bad_file_goes_to_failed_and_fresh_file_waits(watched, engine, db_session):
    _drop(watched.import_dir, "solis", "rendez_vous.csv", "mauvais.csv")
    fresh = _drop(watched.import_dir, "solis", "solis_beneficiaires.csv", "en_cours.csv", 10)
    assert import_pending(engine, watched, NOW) == "0 fichier(s) importé(s), 1 en échec"
    assert (watched.import_dir / "35-redon" / "solis" / "failed").is_dir()
    assert fresh.exists()  # modified 10 s ago: maybe still being copied
    assert db_session.scalar(select(ImportBatch.status)) == "failed"


def test_two_processes_never_import_the_same_file_twice(watched, engine, db_session):
    _drop(watched.import_dir, "solis", "solis_beneficiaires.csv", "solis_2024-07-01.csv")
    barrier = threading.Barrier(2)
    results = []

    def worker():
        barrier.wait()
        results.append(import_pending(engine, watched, NOW))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [
        "0 fichier(s) importé(s), 0 en échec",
        "1 fichier(s) importé(s), 0 en échec",
    ]
    assert db_session.scalar(select(func.count()).select_from(ImportBatch)) == 1
    assert db_session.scalar(select(func.count()).select_from(Beneficiary)) == 19


def test_hidden_and_partial_files_are_ignored(watched):
    _drop(watched.import_dir, "solis", "solis_beneficiaires.csv", ".cache.csv")
    _drop(watched.import_dir, "solis", "solis_beneficiaires.csv", "envoi.csv.part")
    _drop(watched.import_dir, "inconnue", "solis_beneficiaires.csv", "x.csv")
    assert pending_files(watched.import_dir, NOW) == []
