"""Rounding, month arithmetic and the delay summary."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import polars as pl
import pytest

from metrics.periods import add_months, add_months_expr, months_between, years_completed_expr
from metrics.rounding import exact_mean, percentage, round_half_away
from metrics.stats import delay_summary


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (2, 3, 66.7),  # 66.666...
        (1, 8, 12.5),
        (1, 16, 6.3),  # 6.25: half away from zero (banker's rounding would give 6.2)
        (1, 40, 2.5),
        (3, 40, 7.5),
        (1, 3, 33.3),
        (0, 5, 0.0),
        (5, 5, 100.0),
        (0, 0, None),  # nothing to measure is None, not 0
    ],
)
def test_percentage(numerator, denominator, expected):
    assert percentage(numerator, denominator) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(22.75, 22.8), (12.25, 12.3), (-0.25, -0.3), (0.05, 0.1), (Fraction(1, 3), 0.3), (7, 7.0)],
)
def test_round_half_away_from_zero(value, expected):
    assert round_half_away(value) == expected


def test_counts_are_checked():
    with pytest.raises(ValueError, match="negative"):
        percentage(-1, 3)
    with pytest.raises(ValueError, match="exceeds"):
        percentage(4, 3)
    assert exact_mean(0, 0) is None
    assert exact_mean(43, 3) == 14.3


MONTH_CASES = [
    (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
    (dt.date(2023, 1, 31), 1, dt.date(2023, 2, 28)),
    (dt.date(2024, 3, 15), 1, dt.date(2024, 4, 15)),
    (dt.date(2024, 4, 30), 1, dt.date(2024, 5, 30)),
    (dt.date(2024, 3, 31), 1, dt.date(2024, 4, 30)),
    (dt.date(2024, 12, 31), 1, dt.date(2025, 1, 31)),
    (dt.date(2024, 2, 29), -12, dt.date(2023, 2, 28)),
    (dt.date(2024, 3, 1), -12, dt.date(2023, 3, 1)),
]


@pytest.mark.parametrize(("day", "months", "expected"), MONTH_CASES)
def test_add_months_clamps_to_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(("day", "months", "expected"), MONTH_CASES)
def test_polars_month_offset_agrees(day, months, expected):
    frame = pl.DataFrame({"day": [day, None]}, schema={"day": pl.Date})
    shifted = frame.select(add_months_expr(pl.col("day"), months))["day"].to_list()
    assert shifted == [expected, None]


def test_months_between():
    assert months_between(dt.date(2024, 11, 15), dt.date(2025, 2, 1)) == [
        "2024-11",
        "2024-12",
        "2025-01",
        "2025-02",
    ]


@pytest.mark.parametrize(
    ("since", "as_of", "years"),
    [
        (dt.date(2019, 6, 30), dt.date(2024, 6, 30), 5),
        (dt.date(2019, 7, 1), dt.date(2024, 6, 30), 4),
        (dt.date(2020, 2, 29), dt.date(2021, 2, 28), 0),
        (dt.date(2020, 2, 29), dt.date(2021, 3, 1), 1),
    ],
)
def test_years_completed(since, as_of, years):
    frame = pl.DataFrame({"since": [since]})
    assert frame.select(years_completed_expr(pl.col("since"), as_of)).item() == years


def test_delay_summary():
    # 3, 5, 9, 100: median 7.0, mean 117 / 4 = 29.25 -> 29.3, p75 at 2.25: 9 + 0.25 * 91 = 31.75
    # -> 31.8.
    summary = delay_summary(pl.Series([100, 3, None, 9, 5]))
    assert summary == {"median": 7.0, "mean": 29.3, "p75": 31.8, "count": 4}
    assert delay_summary(pl.Series([], dtype=pl.Int64))["median"] is None
