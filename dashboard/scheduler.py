"""APScheduler jobs, with their job store in the database and one run per slot.

`pilotage serve` runs the scheduler inside the web process; with several
web workers (gunicorn), run `pilotage scheduler` as one dedicated process
instead. Either way each job takes a row of `job_run` for its slot before
working (`run_once`), so a slot is never worked twice, even if two
schedulers are started by mistake.

Jobs are module-level functions without arguments (APScheduler stores them
by reference); they reach the database through the scheduler's own engine,
created by `start_scheduler` and disposed when the scheduler shuts down.

A nightly or weekly run missed while no scheduler was running is caught up
once at start (`catch_up_missed_runs`): the slot of each job's last scheduled
time is worked if no process claimed it, whatever the number of slots missed.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections.abc import Callable
from zoneinfo import ZoneInfo

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine, text, update
from sqlalchemy.exc import IntegrityError

from dashboard.config import DEFAULT_IMPORT_WATCH_SECONDS, Settings
from dashboard.db import make_engine
from dashboard.models import JobRun, apscheduler_jobs, utcnow

logger = logging.getLogger(__name__)
TIMEZONE = "Europe/Paris"
MAINTENANCE_TRIGGER = CronTrigger(hour=3, minute=15, timezone=TIMEZONE)
DIGEST_TRIGGER = CronTrigger(day_of_week="mon", hour=7, minute=0, timezone=TIMEZONE)
# How far back a missed run is looked for: longer than the longest schedule (a week).
CATCH_UP_LOOKBACK = dt.timedelta(days=8)
_engine: Engine | None = None
_settings: Settings | None = None
# Set when the scheduler is asked to stop: the import folder job stops between files.
_stopping = threading.Event()


def run_once(
    engine: Engine,
    job_id: str,
    slot: str,
    work: Callable[[Engine], str],
    stale_after: dt.timedelta | None = None,
) -> bool:
    """Run `work` for (job_id, slot) unless some process already claimed that slot.

    Returns False when the slot was already taken. The claim is committed
    before the work starts; the outcome (ok / failed and message) after.

    A process killed during the work (SIGKILL, OOM, power cut) leaves its
    claim `running` for ever. With `stale_after`, such a claim older than that
    is taken over and the work done again: only for work that is safe to
    repeat (an import is: under its territory lock, a file already loaded is
    a no-op).
    """
    try:
        with engine.begin() as connection:
            connection.execute(
                JobRun.__table__.insert().values(
                    job_id=job_id, slot=slot, started_at=utcnow(), status="running"
                )
            )
    except IntegrityError:
        if stale_after is None or not _take_over_stale_claim(engine, job_id, slot, stale_after):
            logger.info("Job %s slot %s already claimed by another process", job_id, slot)
            return False
        logger.warning("Job %s slot %s: stale claim taken over, work done again", job_id, slot)
    status, message = "ok", None
    try:
        message = work(engine)
    except Exception as error:
        status, message = "failed", f"{type(error).__name__}: {error}"
        logger.exception("Job %s slot %s failed", job_id, slot)
    with engine.begin() as connection:
        connection.execute(
            update(JobRun)
            .where(JobRun.job_id == job_id, JobRun.slot == slot)
            .values(status=status, message=message, finished_at=utcnow())
        )
    return True


def _take_over_stale_claim(
    engine: Engine, job_id: str, slot: str, stale_after: dt.timedelta
) -> bool:
    """Claim again a slot left `running` for longer than `stale_after`; one process wins."""
    now = utcnow()
    with engine.begin() as connection:
        taken = connection.execute(
            update(JobRun)
            .where(
                JobRun.job_id == job_id,
                JobRun.slot == slot,
                JobRun.status == "running",
                JobRun.started_at < now - stale_after,
            )
            .values(started_at=now, message=None, finished_at=None)
        )
    return taken.rowcount == 1


def database_maintenance(engine: Engine) -> str:
    """Keep the database compact and its planner statistics fresh."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            # Fold the WAL back into the database file so it does not grow forever.
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.exec_driver_sql("PRAGMA optimize")
            return "wal_checkpoint + optimize"
        # As the tables' owner, whatever role the scheduler connects as (migration 0007).
        connection.execute(text("SELECT pilotage_analyze(NULL)"))
        connection.commit()
        return "analyze"


def previous_fire_time(trigger: BaseTrigger, now: dt.datetime) -> dt.datetime | None:
    """The trigger's last fire time at or before `now` (aware), within CATCH_UP_LOOKBACK."""
    previous, fire = None, trigger.get_next_fire_time(None, now - CATCH_UP_LOOKBACK)
    while fire is not None and fire <= now:
        previous = fire
        fire = trigger.get_next_fire_time(fire, fire + dt.timedelta(seconds=1))
    return previous


def _now() -> dt.datetime:
    return dt.datetime.now(ZoneInfo(TIMEZONE))


def run_maintenance(engine: Engine, now: dt.datetime) -> bool:
    """The maintenance of the last night due at `now` (its slot: that night's date)."""
    night = previous_fire_time(MAINTENANCE_TRIGGER, now)
    return night is not None and run_once(
        engine, "maintenance", night.date().isoformat(), database_maintenance
    )


def nightly_maintenance() -> None:
    """APScheduler entry point: database maintenance, once per night."""
    if _engine is None:
        raise RuntimeError("start_scheduler() was not called in this process.")
    run_maintenance(_engine, _now())


def watch_import_folder() -> None:
    """APScheduler entry point: import the settled files of PILOTAGE_IMPORT_DIR."""
    from dashboard.import_watch import import_pending

    if _engine is None or _settings is None:
        raise RuntimeError("start_scheduler() was not called in this process.")
    logger.info(import_pending(_engine, _settings, dt.datetime.now(), should_stop=_stopping.is_set))


def roadmap_digest_work(monday: dt.date) -> Callable[[Engine], str]:
    """The Monday digest's work: every territory's counts of late / due-soon actions, as JSON.

    The lists themselves are computed on demand (project team page, `pilotage
    roadmap --due-within 14`) from the same pure function; the run keeps when
    it ran and what it found, in `job_run.message` (docs/roadmap.md).
    """
    from dashboard.db import make_session_factory
    from dashboard.roadmap import digest_counts

    def work(engine: Engine) -> str:
        with make_session_factory(engine)() as db:
            return json.dumps(digest_counts(db, monday), ensure_ascii=False, sort_keys=True)

    return work


def run_roadmap_digest(engine: Engine, now: dt.datetime) -> bool:
    """The digest of the last Monday due at `now` (its slot: that Monday's date)."""
    from dashboard.roadmap import DIGEST_JOB_ID
    from metrics.roadmap_status import week_monday

    monday_run = previous_fire_time(DIGEST_TRIGGER, now)
    if monday_run is None:
        return False
    monday = week_monday(monday_run.date())
    return run_once(engine, DIGEST_JOB_ID, monday.isoformat(), roadmap_digest_work(monday))


def weekly_roadmap_digest() -> None:
    """APScheduler entry point: the list of late and due-soon actions, each Monday."""
    if _engine is None:
        raise RuntimeError("start_scheduler() was not called in this process.")
    run_roadmap_digest(_engine, _now())


def catch_up_missed_runs(engine: Engine, now: dt.datetime) -> list[str]:
    """Work once, now, the last scheduled slot of each cron job if nobody claimed it.

    Returns the ids of the jobs run. Nights (or Mondays) missed while no scheduler
    ran are coalesced: only the last one's slot is worked. A slot already claimed
    (done, failed or running) is left alone, and `run_once` keeps two schedulers
    starting together from both running it. The regular runs use the same slots.
    """
    from dashboard.roadmap import DIGEST_JOB_ID

    jobs = (("maintenance", run_maintenance), (DIGEST_JOB_ID, run_roadmap_digest))
    return [job_id for job_id, run in jobs if run(engine, now)]


def catch_up_at_start() -> None:
    """APScheduler entry point, once at start: the runs missed while no scheduler ran."""
    if _engine is None:
        raise RuntimeError("start_scheduler() was not called in this process.")
    ran = catch_up_missed_runs(_engine, _now())
    if ran:
        logger.warning("Tâches manquées rattrapées au démarrage : %s", ", ".join(ran))


def build_scheduler(
    engine: Engine,
    watch_imports: bool = False,
    roadmap_digest: bool = False,
    import_watch_seconds: int = DEFAULT_IMPORT_WATCH_SECONDS,
) -> BaseScheduler:
    """A background scheduler whose job store is the database of `engine`.

    The import folder is looked into every `import_watch_seconds`
    (PILOTAGE_IMPORT_WATCH_SECONDS, one minute by default; the fault tests
    shorten it to see several passes in seconds).

    The job store disposes `engine` at shutdown: give the scheduler an engine
    of its own, not the web application's.
    """
    store = SQLAlchemyJobStore(engine=engine, tablename=apscheduler_jobs.name)
    scheduler = BackgroundScheduler(jobstores={"default": store}, timezone=TIMEZONE)
    scheduler.add_job(
        nightly_maintenance,
        MAINTENANCE_TRIGGER,
        id="maintenance",
        name="Maintenance de la base (nuit)",
        replace_existing=True,
        coalesce=True,
        misfire_grace_time=3600,
    )
    if roadmap_digest:
        scheduler.add_job(
            weekly_roadmap_digest,
            DIGEST_TRIGGER,
            id="roadmap_digest",
            name="Actions en retard et à échéance proche (lundi)",
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=24 * 3600,
        )
    if watch_imports:
        scheduler.add_job(
            watch_import_folder,
            IntervalTrigger(seconds=import_watch_seconds, timezone=TIMEZONE),
            id="import_watch",
            name="Import des fichiers déposés",
            replace_existing=True,
            coalesce=True,
            max_instances=1,
        )
    return scheduler


def start_scheduler(settings: Settings) -> BaseScheduler:
    """Start the jobs in a background thread, on an engine of their own.

    The catch-up of missed runs is a one-off job of this process only (kept in
    memory, not in the shared job store), run by the same thread pool: stopping
    the scheduler waits for it as for any running job.
    """
    global _engine, _settings
    _engine, _settings = make_engine(settings.database_url), settings
    _stopping.clear()
    scheduler = build_scheduler(
        _engine,
        watch_imports=settings.import_dir is not None,
        roadmap_digest=True,
        import_watch_seconds=settings.import_watch_seconds,
    )
    scheduler.add_jobstore(MemoryJobStore(), "local")
    scheduler.add_job(
        catch_up_at_start, "date", id="catch_up", name="Rattrapage des tâches manquées",
        jobstore="local",
    )  # fmt: skip
    scheduler.start()
    return scheduler


def stop_scheduler(scheduler: BaseScheduler, wait_seconds: float | None = None) -> bool:
    """Stop the scheduler after its running jobs; False if they outlast `wait_seconds`.

    The import folder job stops before its next file. Without `wait_seconds`,
    waits as long as the running jobs last.
    """
    _stopping.set()
    if wait_seconds is None:
        scheduler.shutdown()
    else:
        stopper = threading.Thread(target=scheduler.shutdown, name="scheduler-stop", daemon=True)
        stopper.start()
        stopper.join(wait_seconds)
        if stopper.is_alive():
            return False
    # The scheduler thread may take one more connection after the job store's dispose().
    if _engine is not None:
        _engine.dispose()
    return True
