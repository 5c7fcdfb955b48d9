"""Runs missed while no scheduler ran are caught up once at start (dashboard/scheduler.py).

The clock is injected (`now`); what was already run is the job_run table.
2024-07-01 is a Monday: the digest fires Mondays at 07:00, the maintenance
every night at 03:15 (Europe/Paris).
"""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from dashboard.models import JobRun, utcnow
from dashboard.scheduler import (
    DIGEST_TRIGGER,
    MAINTENANCE_TRIGGER,
    catch_up_missed_runs,
    previous_fire_time,
    start_scheduler,
    stop_scheduler,
)

PARIS = ZoneInfo("Europe/Paris")
WEDNESDAY_10H = dt.datetime(2024, 7, 3, 10, 0, tzinfo=PARIS)


def _runs(db) -> list[tuple[str, str, str]]:
    db.expire_all()
    rows = db.execute(select(JobRun.job_id, JobRun.slot, JobRun.status)).all()
    return sorted(tuple(row) for row in rows)


def test_previous_fire_time_of_the_nightly_and_weekly_schedules():
    # Wednesday 10:00: the last night run was that morning at 03:15, the last
    # digest Monday 1 July at 07:00.
    assert previous_fire_time(MAINTENANCE_TRIGGER, WEDNESDAY_10H) == dt.datetime(
        2024, 7, 3, 3, 15, tzinfo=PARIS
    )
    assert previous_fire_time(DIGEST_TRIGGER, WEDNESDAY_10H) == dt.datetime(
        2024, 7, 1, 7, 0, tzinfo=PARIS
    )
    # Wednesday 02:00 is before that night's run: the last one was Tuesday's.
    two_am = dt.datetime(2024, 7, 3, 2, 0, tzinfo=PARIS)
    assert previous_fire_time(MAINTENANCE_TRIGGER, two_am).date() == dt.date(2024, 7, 2)
    # Monday 07:00 exactly: that very run.
    monday_7h = dt.datetime(2024, 7, 1, 7, 0, tzinfo=PARIS)
    assert previous_fire_time(DIGEST_TRIGGER, monday_7h) == monday_7h


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_missed_runs_are_run_once_coalesced_into_the_last_slot(engine, db_session):
    # The scheduler was down from Sunday 30 June to Wednesday 3 July at 10:00: the
    # nights of 1, 2 and 3 July and the digest of Monday 1 July were missed.
    db_session.add_all(
        [
            JobRun(job_id="maintenance", slot="2024-06-30", status="ok", started_at=utcnow()),
            JobRun(job_id="roadmap_digest", slot="2024-06-24", status="ok", started_at=utcnow()),
        ]
    )
    db_session.commit()
    assert catch_up_missed_runs(engine, WEDNESDAY_10H) == ["maintenance", "roadmap_digest"]
    # One run each, for the last missed slot only (not three nights).
    assert _runs(db_session) == [
        ("maintenance", "2024-06-30", "ok"),
        ("maintenance", "2024-07-03", "ok"),
        ("roadmap_digest", "2024-06-24", "ok"),
        ("roadmap_digest", "2024-07-01", "ok"),
    ]
    # A second start the same day (or a second scheduler process) runs nothing more.
    assert catch_up_missed_runs(engine, WEDNESDAY_10H + dt.timedelta(hours=1)) == []
    assert len(_runs(db_session)) == 4


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_nothing_is_caught_up_when_the_last_slots_were_claimed(engine, db_session):
    db_session.add_all(
        [
            JobRun(job_id="maintenance", slot="2024-07-03", status="ok", started_at=utcnow()),
            # Another process is working this Monday's digest right now.
            JobRun(job_id="roadmap_digest", slot="2024-07-01", started_at=utcnow()),
        ]
    )
    db_session.commit()
    assert catch_up_missed_runs(engine, WEDNESDAY_10H) == []
    # Before 03:15 on the 4th, the night of the 4th is not due yet.
    assert catch_up_missed_runs(engine, dt.datetime(2024, 7, 4, 3, 0, tzinfo=PARIS)) == []
    assert _runs(db_session) == [
        ("maintenance", "2024-07-03", "ok"),
        ("roadmap_digest", "2024-07-01", "running"),
    ]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_start_scheduler_catches_up_the_last_night_at_once(settings, db_session):
    # A fresh database: no run ever. Starting the scheduler runs the last night's
    # maintenance now, not at the next 03:15.
    last_night = previous_fire_time(MAINTENANCE_TRIGGER, dt.datetime.now(PARIS))
    scheduler = start_scheduler(settings)
    try:
        deadline = time.monotonic() + 20
        while ("maintenance", last_night.date().isoformat(), "ok") not in _runs(db_session):
            assert time.monotonic() < deadline, _runs(db_session)
            time.sleep(0.1)
        # The catch-up is this process's one-off job: not in the shared job store.
        assert {job.id for job in scheduler.get_jobs(jobstore="default")} == {
            "maintenance",
            "roadmap_digest",
        }
    finally:
        assert stop_scheduler(scheduler, wait_seconds=20)
