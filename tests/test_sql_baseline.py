"""The benchmark's plain-SQL baseline (bench/sql_baseline.py) agrees with the engine.

Runs against the PostgreSQL of PILOTAGE_TEST_POSTGRES_URL in a database of
its own (created, then dropped); skipped without it, failed when
PILOTAGE_REQUIRE_POSTGRES=1. On the bench generator's data (3 seeds, 3
territories) and on the demo territory: the full set of one territory for a
year, a period cut by `as_of` and one month, the export grouped by
territory against the engine run territory by territory, and the breakdown
of `taux_orientes_15j` by site.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid

import pytest

from bench import sql_baseline
from bench.agreement import disagreements, engine_summaries, rate_cells
from bench.generate_frames import (
    BENCH_PARAMS,
    TABLES,
    frames_of,
    generate_tables,
    split_by_territory,
)
from dashboard.demo import generate_demo, pilot_start_for
from metrics.frames import Frames
from metrics.orientation import taux_orientes_15j
from metrics.params import Params
from metrics.registry import REGISTRY, compute_all
from tests.metrics.demo_frames import frames_from_demo

POSTGRES_URL = os.environ.get("PILOTAGE_TEST_POSTGRES_URL")
REQUIRE_POSTGRES = os.environ.get("PILOTAGE_REQUIRE_POSTGRES") == "1"
YEAR = (dt.date(2024, 1, 1), dt.date(2024, 12, 31), dt.date(2024, 12, 31))
CUT = (dt.date(2024, 3, 1), dt.date(2024, 6, 30), dt.date(2024, 5, 15))
MONTH = (dt.date(2024, 12, 1), dt.date(2024, 12, 31), dt.date(2024, 12, 31))
OTHER_PARAMS = Params(
    orientation_days=30,
    legal_orientation_days=45,
    orientation_months=2,
    new_entrant_lookback_months=6,
    first_appointment_days=30,
    contract_days=3,
    portfolio_target=50,
    intensive_hours=10,
    reminder_days=7,
    pilot_start=dt.date(2024, 1, 1),
)


@pytest.fixture(scope="module")
def connection():
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("PILOTAGE_REQUIRE_POSTGRES=1 mais PILOTAGE_TEST_POSTGRES_URL est absent.")
        pytest.skip("PostgreSQL de test absent : lancez les tests avec scripts/test.sh")
    name = f"test_sqlbase_{uuid.uuid4().hex[:12]}"
    sql_baseline.create_database(POSTGRES_URL, name)
    connection = sql_baseline.connect(sql_baseline.database_url(POSTGRES_URL, name))
    yield connection
    connection.close()
    sql_baseline.drop_database(POSTGRES_URL, name)


def assert_one_territory_agrees(connection, frames, period, params) -> None:
    start, end, as_of = period
    engine = engine_summaries(compute_all(frames, start, end, as_of, params))
    sql = sql_baseline.compute_all(connection, start, end, as_of, params)
    assert list(sql) == [0]
    assert list(sql[0]) == list(REGISTRY)
    assert disagreements(engine, sql[0]) == []
    by_site = taux_orientes_15j(
        frames, period_start=start, period_end=end, as_of=as_of, params=params, by="site"
    )
    expected = rate_cells(by_site.breakdown)
    assert sql_baseline.orientes_15j_by_site(connection, start, end, as_of, params) == expected


@pytest.mark.slow
@pytest.mark.parametrize("seed", [11, 12, 13])
def test_sql_agrees_with_the_engine_on_generated_data(connection, seed):
    tables = generate_tables(3000, 3, seed)
    sql_baseline.load_tables(connection, tables)
    frames = frames_of(tables)
    for period in (YEAR, CUT, MONTH):
        assert_one_territory_agrees(connection, frames, period, BENCH_PARAMS)
    assert_one_territory_agrees(connection, frames, YEAR, OTHER_PARAMS)
    assert_one_territory_agrees(connection, frames, CUT, Params())

    # The export: one grouped pass against the engine run on each territory's tables.
    start, end, as_of = MONTH
    exported = sql_baseline.compute_all(
        connection, start, end, as_of, BENCH_PARAMS, by_territory=True
    )
    assert sorted(exported) == [0, 1, 2]
    for territory, part in split_by_territory(tables).items():
        engine = engine_summaries(compute_all(frames_of(part), start, end, as_of, BENCH_PARAMS))
        assert disagreements(engine, exported[territory], f"territoire {territory}") == []


@pytest.mark.slow
def test_sql_agrees_with_the_engine_on_the_demo(connection):
    frames = frames_from_demo(generate_demo(size=1400))
    sql_baseline.load_tables(connection, {name: getattr(frames, name) for name in TABLES})
    params = Params(pilot_start=pilot_start_for(YEAR[2]))
    for period in (YEAR, CUT, MONTH):
        assert_one_territory_agrees(connection, frames, period, params)


@pytest.mark.slow
def test_a_territory_without_facts_gets_empty_figures(connection):
    # Territory 7 has no row at all: no entrant (0), no rate (None over 0), no delay.
    tables = generate_tables(300, 1, 5)
    sql_baseline.load_tables(connection, tables)
    start, end, as_of = MONTH
    exported = sql_baseline.compute_all(
        connection, start, end, as_of, BENCH_PARAMS, by_territory=True, territories=[0, 7]
    )
    empty = exported[7]
    assert empty["nouveaux_entrants"] == {"value": 0, "numerator": 0, "denominator": None}
    assert empty["taux_orientation"] == {"value": None, "numerator": 0, "denominator": 0}
    assert empty["delai_orientation_median_j"]["count"] == 0
    assert empty["repartition_organisme"]["breakdown"]["FT"] == {"count": 0, "share": None}
    # ... exactly what the engine gives for a territory without any row.
    engine = engine_summaries(compute_all(Frames.empty(), start, end, as_of, BENCH_PARAMS))
    assert disagreements(engine, empty) == []


def test_an_absent_server_is_reported_unreachable():
    # No URL, and a port nobody listens on (1): both unreachable, no exception.
    assert sql_baseline.reachable(None) is False
    assert sql_baseline.reachable("postgresql+psycopg://nobody@127.0.0.1:1/postgres", 1) is False
