"""The benchmark's pandas baseline (bench/pandas_baseline.py) agrees with the engine.

The baseline is a second, independent reading of docs/indicators.md: on the
bench generator's data (3 seeds) and on the demo territory, for a year seen
at its last day, a period cut by `as_of` (open windows, facts after `as_of`)
and one month, every indicator's value, numerator and denominator (plus the
delays' mean, p75 and count and the splits' cells) must be equal, and so
must the breakdown of `taux_orientes_15j` by site.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from bench import pandas_baseline
from bench.agreement import disagreements, engine_summaries, rate_cells
from bench.generate_frames import BENCH_PARAMS, TABLES, frames_of, generate_tables
from dashboard.demo import generate_demo, pilot_start_for
from metrics.frames import Frames
from metrics.orientation import taux_orientes_15j
from metrics.params import Params
from metrics.registry import REGISTRY, compute_all
from tests.metrics.demo_frames import frames_from_demo

YEAR = (dt.date(2024, 1, 1), dt.date(2024, 12, 31), dt.date(2024, 12, 31))
CUT = (dt.date(2024, 3, 1), dt.date(2024, 6, 30), dt.date(2024, 5, 15))
MONTH = (dt.date(2024, 12, 1), dt.date(2024, 12, 31), dt.date(2024, 12, 31))
PERIODS = [YEAR, CUT, MONTH]
# Every threshold moved away from its default, the pilot started on 01/01/2024.
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
SIZE = 3000


def engine_and_baseline(frames, tables, period, params):
    start, end, as_of = period
    engine = engine_summaries(compute_all(frames, start, end, as_of, params))
    baseline = pandas_baseline.compute_all(tables, start, end, as_of, params)
    return engine, baseline


def assert_agree(frames, tables, period, params) -> dict:
    engine, baseline = engine_and_baseline(frames, tables, period, params)
    assert list(baseline) == list(REGISTRY)
    assert disagreements(engine, baseline) == []
    start, end, as_of = period
    by_site = taux_orientes_15j(
        frames, period_start=start, period_end=end, as_of=as_of, params=params, by="site"
    )
    expected = rate_cells(by_site.breakdown)
    assert pandas_baseline.orientes_15j_by_site(tables, start, end, as_of, params) == expected
    return engine


@pytest.fixture(scope="module", params=[11, 12, 13])
def generated(request):
    tables = generate_tables(SIZE, 3, request.param)
    return frames_of(tables), pandas_baseline.to_pandas(tables)


@pytest.fixture(scope="module")
def demo():
    frames = frames_from_demo(generate_demo(size=1400))
    tables = pandas_baseline.to_pandas({name: getattr(frames, name) for name in TABLES})
    return frames, tables


@pytest.mark.parametrize("period", PERIODS, ids=["year", "cut", "month"])
def test_baseline_agrees_with_the_engine_on_generated_data(generated, period):
    frames, tables = generated
    engine = assert_agree(frames, tables, period, BENCH_PARAMS)
    if period == YEAR:
        # Not a vacuous agreement: every rate of the year has people to count.
        empty = [
            code
            for code, summary in engine.items()
            if summary["denominator"] == 0 or summary.get("count") == 0
        ]
        assert empty == []


@pytest.mark.slow
def test_baseline_agrees_with_other_thresholds_and_default_params(generated):
    frames, tables = generated
    assert_agree(frames, tables, YEAR, OTHER_PARAMS)
    assert_agree(frames, tables, CUT, Params())


@pytest.mark.slow
@pytest.mark.parametrize("period", PERIODS, ids=["year", "cut", "month"])
def test_baseline_agrees_with_the_engine_on_the_demo(demo, period):
    frames, tables = demo
    assert_agree(frames, tables, period, Params(pilot_start=pilot_start_for(YEAR[2])))


def test_a_one_day_shift_of_the_window_is_caught(generated):
    # The generator notifies some entrants exactly 15 days after T0: a baseline that
    # counted 16 days as in time (orientation_days=16) must disagree on this rate.
    frames, tables = generated
    start, end, as_of = YEAR
    engine = engine_summaries(compute_all(frames, start, end, as_of, BENCH_PARAMS))
    shifted = Params(orientation_days=16, pilot_start=BENCH_PARAMS.pilot_start)
    baseline = pandas_baseline.compute_all(tables, start, end, as_of, shifted)
    lines = disagreements(engine, baseline)
    assert any(line.startswith("taux_orientes_15j.numerator") for line in lines)
    assert all(line.startswith("taux_orientes_15j.") for line in lines)


def test_baseline_agrees_with_the_engine_on_empty_tables():
    # A territory before its first import: no entrant (0), every rate None over 0.
    frames = Frames.empty()
    tables = pandas_baseline.to_pandas({name: getattr(frames, name) for name in TABLES})
    engine = assert_agree(frames, tables, MONTH, BENCH_PARAMS)
    assert engine["nouveaux_entrants"] == {"value": 0, "numerator": 0, "denominator": None}
    assert engine["taux_orientation"] == {"value": None, "numerator": 0, "denominator": 0}


def test_rates_round_halves_away_from_zero():
    # 2/3 = 66.666... -> 66.7; 1/8 = 12.5 exactly; 1/16 = 6.25 -> 6.3 (half up);
    # an empty denominator has no value.
    assert pandas_baseline.percent(2, 3) == 66.7
    assert pandas_baseline.percent(1, 8) == 12.5
    assert pandas_baseline.percent(1, 16) == 6.3
    assert pandas_baseline.percent(0, 0) is None
    # A median of 22.25 days -> 22.3; a mean of -9/4 = -2.25 -> -2.3 (away from zero).
    assert pandas_baseline.round_one(22.25) == 22.3
    assert pandas_baseline.round_one(Fraction(-9, 4)) == -2.3


def test_disagreements_name_each_differing_figure():
    # Same value, denominators 3 and 4: one line for the denominator only.
    reference = {"taux_orientation": {"value": 66.7, "numerator": 2, "denominator": 3}}
    other = {"taux_orientation": {"value": 66.7, "numerator": 2, "denominator": 4}}
    assert disagreements(reference, other) == ["taux_orientation.denominator: 3 != 4"]
    assert disagreements(reference, {}) == ["taux_orientation: absent d'un côté"]
