"""Database faults: PostgreSQL restarting under a serving app, and SQLite under contention.

The restart test runs the app in a real HTTP server (werkzeug, threaded) on a
PostgreSQL cluster of its own (tests/pg_cluster.py), never on the shared test
cluster that other tests use.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, func, select, text
from werkzeug.serving import make_server

from bench.bench_import import write_solis_file
from dashboard import create_app
from dashboard.config import Settings
from dashboard.db import init_db, make_engine, make_session_factory
from dashboard.imports import run_import
from dashboard.models import Beneficiary, ImportBatch, Role
from tests.helpers import CSRF_INPUT, PASSWORD, make_territory, make_user
from tests.pg_cluster import own_cluster

SAMPLES = Path(__file__).parent / "data" / "samples"


def _serve(settings: Settings):
    app = create_app(settings)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return app, server, f"http://127.0.0.1:{server.server_port}"


def _log_in(base: str) -> requests.Session:
    browser = requests.Session()
    page = browser.get(f"{base}/login", timeout=30)
    token = CSRF_INPUT.search(page.text).group(1)
    answer = browser.post(
        f"{base}/login",
        data={"login": "agent", "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302, answer.text[:300]
    return browser


def _connections(admin_url: str, database: str) -> int:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            return connection.scalar(
                text("SELECT count(*) FROM pg_stat_activity WHERE datname = :name"),
                {"name": database},
            )
    finally:
        admin.dispose()


@pytest.mark.slow
def test_app_serves_again_after_postgresql_restarts(tmp_path):
    with own_cluster() as cluster:
        admin = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("CREATE DATABASE pilotage"))
        admin.dispose()
        settings = Settings(
            instance_dir=tmp_path / "instance",
            database_url=cluster.url("pilotage"),
            secret_key=uuid.uuid4().hex,
            pseudonym_key=uuid.uuid4().hex,
        )
        engine = make_engine(settings.database_url)
        init_db(engine)
        with make_session_factory(engine)() as db:
            make_territory(db, "35-REDON")
            make_user(db, "agent", Role.COMOP, "35-REDON")
            db.commit()
        engine.dispose()
        app, server, base = _serve(settings)
        try:
            browser = _log_in(base)
            assert browser.get(f"{base}/", timeout=30).status_code == 200

            cluster.stop("fast")  # every pooled connection of the app is now dead
            cluster.start()
            # No app restart: pool_pre_ping replaces the dead pooled connections, so
            # the very first request after the restart succeeds, with the same cookie.
            # (Without it, this request gets a dead connection and fails.)
            assert browser.get(f"{base}/", timeout=30).status_code == 200

            cluster.stop("fast")
            # While the database is down, a request fails cleanly (the guard loads the
            # user from the database): an error page, never a hang...
            assert browser.get(f"{base}/", timeout=30).status_code >= 500
            cluster.start()
            # ...and the next one, once it is back, succeeds.
            assert browser.get(f"{base}/", timeout=30).status_code == 200

            # Bounded connections: 40 concurrent requests from 8 threads use at most
            # the pool's 5 + 10 overflow connections (SQLAlchemy's QueuePool defaults).
            pool = app.server.extensions["pilotage"].engine.pool
            limit = pool.size() + pool._max_overflow
            peak = [0]

            def hit(_index: int) -> int:
                status = browser.get(f"{base}/", timeout=60).status_code
                peak[0] = max(peak[0], pool.checkedout())
                return status

            with ThreadPoolExecutor(max_workers=8) as workers:
                statuses = list(workers.map(hit, range(40)))
            assert statuses == [200] * 40
            assert peak[0] <= limit == 15
            assert _connections(cluster.url(), "pilotage") <= limit
        finally:
            server.shutdown()
            app.server.extensions["pilotage"].engine.dispose()


@pytest.mark.slow
def test_sqlite_takes_20_concurrent_writers_and_readers(tmp_path):
    """10 imports (the app's own writer) and 10 readers at once on one SQLite file."""
    url = f"sqlite:///{tmp_path / 'pilotage.sqlite3'}"
    engine = make_engine(url)
    init_db(engine)
    sessions = make_session_factory(engine)
    with sessions() as db:
        for number in range(10):
            make_territory(db, f"35-T{number}")
        db.commit()
        assert db.scalar(text("PRAGMA journal_mode")) == "wal"
    # One file of 300 people per territory: each import is one write transaction.
    files = []
    for number in range(10):
        path = tmp_path / f"solis_{number}.csv"
        write_solis_file(path, 300, seed=number)
        files.append(path)
    barrier = threading.Barrier(20)
    errors: list[BaseException] = []

    def write(number: int):
        barrier.wait()
        return run_import(
            sessions,
            "solis",
            files[number],
            f"35-T{number}",
            pseudonym_key="contention",
            extracted_on=dt.date(2024, 7, 1),
        )

    def read(_number: int) -> int:
        barrier.wait()
        seen = 0
        for _ in range(20):
            with sessions() as db:
                seen = max(seen, db.scalar(select(func.count()).select_from(Beneficiary)))
                db.scalar(select(func.count()).select_from(ImportBatch))
        return seen

    def guarded(job, number):
        try:
            return job(number)
        except BaseException as error:  # collected: the assertion below names it
            errors.append(error)
            raise

    with ThreadPoolExecutor(max_workers=20) as workers:
        writes = [workers.submit(guarded, write, number) for number in range(10)]
        reads = [workers.submit(guarded, read, number) for number in range(10)]
        reports = [future.result() for future in writes]
        [future.result() for future in reads]
    assert errors == []
    # No import was turned into a failed batch by "database is locked" either.
    assert [(report.status, report.message) for report in reports] == [("loaded", None)] * 10
    with sessions() as db:
        people = db.scalar(select(func.count()).select_from(Beneficiary))
        assert people == sum(report.created for report in reports) > 0
        assert db.scalar(select(func.count()).select_from(ImportBatch)) == 10
        assert db.scalar(text("PRAGMA journal_mode")) == "wal"
    engine.dispose()
