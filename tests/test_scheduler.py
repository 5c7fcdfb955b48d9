"""Scheduled jobs: stored in the database, and each slot worked exactly once."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from dashboard.db import make_engine
from dashboard.models import JobRun, apscheduler_jobs
from dashboard.scheduler import build_scheduler, database_maintenance, run_once


def test_a_slot_runs_once_even_when_claimed_twice(engine, db_session):
    calls = []

    def work(_engine):
        calls.append(1)
        return "fait"

    assert run_once(engine, "maintenance", "2024-03-01", work) is True
    assert run_once(engine, "maintenance", "2024-03-01", work) is False
    assert run_once(engine, "maintenance", "2024-03-02", work) is True
    assert len(calls) == 2
    rows = db_session.execute(select(JobRun.slot, JobRun.status, JobRun.message)).all()
    assert sorted(rows) == [("2024-03-01", "ok", "fait"), ("2024-03-02", "ok", "fait")]


def test_concurrent_claims_of_one_slot_run_the_work_once(engine, db_session):
    calls = []
    barrier = threading.Barrier(4)

    def claim():
        barrier.wait()
        run_once(engine, "import", "slot-1", lambda _engine: calls.append(1) or "ok")

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert db_session.scalar(select(func.count()).select_from(JobRun)) == 1


def test_a_failing_job_is_recorded_as_failed(engine, db_session):
    def broken(_engine):
        raise ValueError("fichier illisible")

    assert run_once(engine, "import", "slot-2", broken) is True
    status, message = db_session.execute(select(JobRun.status, JobRun.message)).one()
    assert status == "failed" and "fichier illisible" in message


def test_maintenance_runs_on_the_backend(engine):
    expected = "wal_checkpoint + optimize" if engine.dialect.name == "sqlite" else "analyze"
    assert database_maintenance(engine) == expected


def test_job_store_lives_in_the_database(settings, db_session):
    scheduler_engine = make_engine(settings.database_url)
    scheduler = build_scheduler(scheduler_engine)
    scheduler.start(paused=True)
    try:
        ids = db_session.scalars(select(apscheduler_jobs.c.id)).all()
        assert ids == ["maintenance"]
        assert scheduler.get_job("maintenance").next_run_time.hour == 3
    finally:
        scheduler.shutdown()
        # The scheduler thread may take one more connection after the job store's dispose().
        scheduler_engine.dispose()


def test_import_watch_job_exists_only_with_an_import_folder(settings):
    scheduler_engine = make_engine(settings.database_url)
    try:
        assert build_scheduler(scheduler_engine).get_job("import_watch") is None
        watching = build_scheduler(scheduler_engine, watch_imports=True)
        job = watching.get_job("import_watch")
        assert job is not None and job.name == "Import des fichiers déposés"
    finally:
        scheduler_engine.dispose()
