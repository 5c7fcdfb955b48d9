"""Two `pilotage scheduler` processes on one PostgreSQL database: every job slot worked once.

APScheduler's shared job store does not stop two schedulers from firing the same
job (its FAQ): `dashboard.scheduler.run_once` does, with one `job_run` row per
(job, slot). Here two real scheduler processes watch the same import folder
(looked into every second: PILOTAGE_IMPORT_WATCH_SECONDS=1) and both see the
nightly maintenance fall due; each file is imported once and each slot has one row.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from sqlalchemy import func, select

from bench.bench_import import write_solis_file
from dashboard.config import load_settings
from dashboard.db import make_engine
from dashboard.import_watch import import_pending
from dashboard.imports import file_sha256
from dashboard.models import ImportBatch, JobRun, apscheduler_jobs, utcnow
from dashboard.scheduler import MAINTENANCE_TRIGGER, build_scheduler, previous_fire_time
from tests.helpers import make_territory, settings_env

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = Path(__file__).parent / "data" / "samples"
HOURS_2, MINUTES_5 = dt.timedelta(hours=2), dt.timedelta(minutes=5)


def _drop(folder: Path, source: str, name: str, content: Path) -> None:
    """A file put in the watched folder an hour ago: settled (import_watch.SETTLE_SECONDS)."""
    (folder / source).mkdir(parents=True, exist_ok=True)
    target = folder / source / name
    shutil.copyfile(content, target)
    an_hour_ago = time.time() - 3600
    os.utime(target, (an_hour_ago, an_hour_ago))


def last_night() -> dt.date:
    """The maintenance's slot: the night of its last 03:15 (Paris), as scheduler.py has it."""
    return previous_fire_time(MAINTENANCE_TRIGGER, dt.datetime.now(dt.UTC)).date()


def _wait(predicate, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, f"still waiting after {seconds} s for {what}"
        time.sleep(0.25)


# Several scheduler processes are a PostgreSQL deployment (gunicorn workers, a dedicated
# `pilotage scheduler`); on SQLite, tests/test_import_watch.py races two threads.
@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_scheduler_processes_import_each_file_once(settings, db_session, tmp_path):
    make_territory(db_session, "35-REDON")
    db_session.commit()
    depot = tmp_path / "depot"
    territory = depot / "35-redon"
    big = tmp_path / "big.csv"
    write_solis_file(big, 2_000)
    _drop(territory, "solis", "solis_2024-07-01.csv", SAMPLES / "solis_beneficiaires.csv")
    _drop(territory, "solis", "solis_2024-07-08.csv", big)
    _drop(territory, "france-travail", "ft_2024-07-01.csv", SAMPLES / "france_travail_suivi.csv")
    _drop(territory, "solis", "mauvais.csv", SAMPLES / "rendez_vous.csv")  # not a SOLIS file
    env = settings_env(settings, PILOTAGE_IMPORT_DIR=str(depot), PILOTAGE_IMPORT_WATCH_SECONDS="1")
    command = [sys.executable, "-m", "dashboard", "scheduler"]
    processes = [
        subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    moved = [
        territory / source / outcome
        for source in ("solis", "france-travail")
        for outcome in ("done", "failed")
    ]

    def settled_files() -> int:
        return sum(len(list(folder.iterdir())) for folder in moved if folder.is_dir())

    try:
        _wait(lambda: settled_files() == 4, 90, "the 4 files to be imported and moved")
        # The nightly maintenance falls due now in the shared job store: both running
        # schedulers see it on their next wake-up (every second) and fire it.
        today = last_night()
        setter_engine = make_engine(settings.database_url)
        store = SQLAlchemyJobStore(engine=setter_engine, tablename=apscheduler_jobs.name)
        store.start(build_scheduler(setter_engine), "default")
        job = store.lookup_job("maintenance")
        job.next_run_time = dt.datetime.now(dt.UTC)
        store.update_job(job)
        store.shutdown()  # disposes setter_engine

        def maintenance_done() -> bool:
            db_session.rollback()
            return (
                db_session.scalar(
                    select(func.count()).where(
                        JobRun.job_id == "maintenance", JobRun.status == "ok"
                    )
                )
                == 1
            )

        _wait(maintenance_done, 30, "the maintenance job")
        time.sleep(3)  # a few more passes of both schedulers: nothing is done twice
        for process in processes:
            assert process.poll() is None, process.communicate()
    finally:
        # SIGTERM, as systemd stops a service (tests/test_scheduler_signals.py: a clean stop).
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        outputs = []
        for process in processes:
            try:
                outputs.append(process.communicate(timeout=60))
            except subprocess.TimeoutExpired:
                process.kill()  # never leave a scheduler running after the test
                outputs.append(process.communicate())
    for out, _err in outputs:
        assert "Import des fichiers déposés" in out  # each process ran the watch job

    db_session.rollback()
    batches = db_session.execute(
        select(ImportBatch.file_name, ImportBatch.status).order_by(ImportBatch.file_name)
    ).all()
    # One batch per file: three loaded, the rendez-vous file refused as a SOLIS export.
    assert [(name, str(status)) for name, status in batches] == [
        ("ft_2024-07-01.csv", "loaded"),
        ("mauvais.csv", "failed"),
        ("solis_2024-07-01.csv", "loaded"),
        ("solis_2024-07-08.csv", "loaded"),
    ]
    runs = db_session.execute(select(JobRun.job_id, JobRun.slot, JobRun.status)).all()
    # One job_run row per slot: a file's slot is its SHA-256, the maintenance's is the day.
    assert sorted((job, status) for job, _slot, status in runs) == [
        ("import:35-REDON:france-travail", "ok"),
        ("import:35-REDON:solis", "ok"),
        ("import:35-REDON:solis", "ok"),
        ("import:35-REDON:solis", "ok"),
        ("maintenance", "ok"),
        ("roadmap_digest", "ok"),  # this week's, caught up at start (scheduler.py)
    ]
    assert [slot for job, slot, _ in runs if job == "maintenance"] in (
        [today.isoformat()],
        [last_night().isoformat()],  # the test ran across 03:15
    )
    # Both processes registered their jobs in one shared store: one row per job.
    stored = db_session.scalars(select(apscheduler_jobs.c.id).order_by(apscheduler_jobs.c.id))
    assert stored.all() == ["import_watch", "maintenance", "roadmap_digest"]
    # Each file moved once, to done/ or failed/, its name prefixed with the import time.
    moved_names = sorted(
        f"{folder.parent.name}/{folder.name}/{path.name.split('_', 1)[1]}"
        for folder in moved
        if folder.is_dir()
        for path in folder.iterdir()
    )
    assert moved_names == [
        "france-travail/done/ft_2024-07-01.csv",
        "solis/done/solis_2024-07-01.csv",
        "solis/done/solis_2024-07-08.csv",
        "solis/failed/mauvais.csv",
    ]


def test_import_folder_interval_comes_from_the_environment(tmp_path):
    environ = {"PILOTAGE_INSTANCE_DIR": str(tmp_path), "PILOTAGE_IMPORT_WATCH_SECONDS": "5"}
    assert load_settings(environ).import_watch_seconds == 5
    assert load_settings({"PILOTAGE_INSTANCE_DIR": str(tmp_path)}).import_watch_seconds == 60
    engine = make_engine(f"sqlite:///{tmp_path / 'jobs.sqlite3'}")
    try:
        job = build_scheduler(engine, watch_imports=True, import_watch_seconds=5).get_job(
            "import_watch"
        )
        assert job.trigger.interval == dt.timedelta(seconds=5)
    finally:
        engine.dispose()


def test_a_claim_left_by_a_killed_import_is_taken_over_after_an_hour(
    settings, db_session, tmp_path
):
    # A scheduler killed mid-import (SIGKILL, or stopped after its --stop-timeout) rolled
    # its import back but left the file's claim `running`. Without a take-over the file
    # would stay in the folder for ever, never imported nor moved.
    make_territory(db_session, "35-REDON")
    depot = tmp_path / "depot"
    folder = depot / "35-redon"
    _drop(folder, "solis", "solis_2024-07-01.csv", SAMPLES / "solis_beneficiaires.csv")
    big = tmp_path / "big.csv"
    write_solis_file(big, 50)
    _drop(folder, "solis", "solis_2024-07-08.csv", big)
    job = "import:35-REDON:solis"
    killed = file_sha256(folder / "solis" / "solis_2024-07-01.csv")[:40]
    busy = file_sha256(folder / "solis" / "solis_2024-07-08.csv")[:40]
    db_session.add_all(
        [
            JobRun(job_id=job, slot=killed, status="running", started_at=utcnow() - HOURS_2),
            # Claimed 5 minutes ago: maybe still being imported by a live process.
            JobRun(job_id=job, slot=busy, status="running", started_at=utcnow() - MINUTES_5),
        ]
    )
    db_session.commit()
    engine = make_engine(settings.database_url)
    try:
        watched = settings.with_overrides(import_dir=depot)
        summary = import_pending(engine, watched, dt.datetime.now())
    finally:
        engine.dispose()
    assert summary == "1 fichier(s) importé(s), 0 en échec"
    db_session.expire_all()
    batches = db_session.execute(select(ImportBatch.file_name, ImportBatch.status)).all()
    assert [(name, str(status)) for name, status in batches] == [("solis_2024-07-01.csv", "loaded")]
    runs = dict(db_session.execute(select(JobRun.slot, JobRun.status)).all())
    assert runs == {killed: "ok", busy: "running"}
    assert sorted(path.name for path in (folder / "solis").iterdir() if path.is_file()) == [
        "solis_2024-07-08.csv"  # left to the live claim's owner
    ]
