"""The load test's short form: bench/load.py's users against gunicorn on PostgreSQL.

A small territory (the demo's 1,400 people) in a fresh database of the test
cluster, gunicorn with two workers in production mode, four users (one per
role) for 15 seconds. Asserts that no request failed (non-2xx, a Dash answer
that is not JSON or that renders the "page-error" alert) and that every route
and callback of the scenario was requested. Latencies are the bench's to
measure (bench/README.md), not asserted here.
"""

from __future__ import annotations

import importlib.util
import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from dashboard.db import make_engine

POSTGRES_URL = os.environ.get("PILOTAGE_TEST_POSTGRES_URL")
BENCH = Path(__file__).resolve().parent.parent / "bench"


def _bench_load():
    spec = importlib.util.spec_from_file_location("bench_load", BENCH / "load.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def load_database():
    if not POSTGRES_URL:
        if os.environ.get("PILOTAGE_REQUIRE_POSTGRES") == "1":
            pytest.fail("PILOTAGE_REQUIRE_POSTGRES=1 mais PILOTAGE_TEST_POSTGRES_URL est absent.")
        pytest.skip("PostgreSQL de test absent : lancez les tests avec scripts/test.sh")
    name = f"pilotage_load_{uuid.uuid4().hex[:10]}"
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    admin = make_engine(make_url(POSTGRES_URL).set(database="postgres").render_as_string(False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.slow
def test_short_load_has_no_error_and_covers_the_scenario(load_database):
    load = _bench_load()
    territories = load.plan_territories(1, 1400)
    report = load.build_database(load_database, territories)
    assert not report.reused and report.rows > 1400
    # Built once, found again: --reuse skips the build.
    assert load.build_database(load_database, territories, reuse=True).reused

    with load.gunicorn(load_database, workers=2) as server:
        recorder, seconds = load.run_users(server.base_url, users=4, seconds=15, think=0.3)
        server.sample_rss()
    figures = load.summarise(recorder, seconds)

    assert figures["errors"] == 0, figures["error_samples"]
    requested = {name for name, row in figures["routes"].items() if row["requests"]}
    assert set(load.SCENARIO_ROUTES) - requested == set()
    assert server.peak_rss_kib, "the workers' memory was sampled"


def test_only_127_0_0_1_is_a_target():
    load = _bench_load()
    with pytest.raises(SystemExit, match="127.0.0.1"):
        load.run_users("http://example.org:8050", users=1, seconds=1, think=0)
    with pytest.raises(SystemExit, match="127.0.0.1"):
        load.main(["--database", "postgresql+psycopg://u@db.example.org:5432/pilotage_load"])
    with pytest.raises(SystemExit, match="own"):
        load.main(["--database", "postgresql+psycopg://u@127.0.0.1:5432/postgres"])


def test_percentiles_are_nearest_rank():
    load = _bench_load()
    recorder = load.Recorder()
    for ms in range(1, 101):  # 1..100 ms: the p-th percentile is p ms by nearest rank
        recorder.record("GET /", float(ms), None)
    recorder.record("GET /", 1000.0, "HTTP 500")
    row = load.summarise(recorder, 10.0)["routes"]["GET /"]
    # 101 values: p50 is the 51st (51 ms), p95 the 96th (96 ms), p99 the 100th (100 ms).
    assert (row["p50_ms"], row["p95_ms"], row["p99_ms"]) == (51.0, 96.0, 100.0)
    assert row["errors"] == 1 and row["requests"] == 101
