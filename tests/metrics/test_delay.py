"""Median delay from T0 to the notification of the entry orientation."""

from __future__ import annotations

import pytest

from metrics.orientation import delai_orientation_median_j
from tests.metrics.builders import dates, make_frames, orientation, rights

FEB_MARCH = ("2024-02-01", "2024-03-31")


@pytest.fixture(scope="module")
def two_cohorts():
    """Entrants of February and March 2024 (2024 is a leap year: February has 29 days).

    a: T0 05/02, notified 15/02 -> 10 days          (cohort 2024-02)
    b: T0 20/02, notified 04/03 -> 9 + 4 = 13 days  (cohort 2024-02)
    c: T0 01/03, notified 21/03 -> 20 days          (cohort 2024-03)
    d: T0 10/03, notified 10/04 -> 31 days          (cohort 2024-03)
    e: no T0, notified 20/03                        (sans_t0)
    f: T0 20/03, never oriented                     (non_notifies)
    g: T0 25/03, notified 05/07, after as_of 30/06  (non_notifies)
    """
    return make_frames(
        rights_rows=[
            rights(1, t0="2024-02-05", start="2024-02-05"),
            rights(2, t0="2024-02-20", start="2024-02-20"),
            rights(3, t0="2024-03-01", start="2024-03-01"),
            rights(4, t0="2024-03-10", start="2024-03-10"),
            rights(5, start="2024-03-15"),
            rights(6, t0="2024-03-20", start="2024-03-20"),
            rights(7, t0="2024-03-25", start="2024-03-25"),
        ],
        orientations=[
            orientation(1, "2024-02-12", "2024-02-15"),
            orientation(2, "2024-03-01", "2024-03-04"),
            orientation(3, "2024-03-20", "2024-03-21"),
            orientation(4, "2024-04-08", "2024-04-10"),
            orientation(5, "2024-03-18", "2024-03-20"),
            orientation(7, "2024-06-28", "2024-07-05"),
        ],
    )


def test_median_mean_and_third_quartile(two_cohorts):
    # Delays 10, 13, 20, 31: median (13 + 20) / 2 = 16.5; mean 74 / 4 = 18.5;
    # p75 at position 0.75 * 3 = 2.25: 20 + 0.25 * (31 - 20) = 22.75 -> 22.8 (half away).
    result = delai_orientation_median_j(two_cohorts, **dates(*FEB_MARCH, "2024-06-30"))
    assert result.value == 16.5
    assert result.unit == "jours"
    assert (result.numerator, result.denominator) == (None, None)
    assert {key: result.details[key] for key in ("mean", "p75", "count")} == {
        "mean": 18.5,
        "p75": 22.8,
        "count": 4,
    }
    assert result.details["sans_t0"] == 1
    assert result.details["non_notifies"] == 2


def test_median_per_entry_month(two_cohorts):
    # 2024-02: 10, 13 -> median 11.5, mean 11.5, p75 10 + 0.75 * 3 = 12.25 -> 12.3.
    # 2024-03: 20, 31 -> median 25.5, mean 25.5, p75 20 + 0.75 * 11 = 28.25 -> 28.3.
    result = delai_orientation_median_j(
        two_cohorts, **dates(*FEB_MARCH, "2024-06-30"), by="cohorte"
    )
    assert result.breakdown == {
        "2024-02": {"value": 11.5, "mean": 11.5, "p75": 12.3, "count": 2},
        "2024-03": {"value": 25.5, "mean": 25.5, "p75": 28.3, "count": 2},
    }


def test_odd_count_median_is_the_middle_value(two_cohorts):
    # At as_of 05/04, d (notified 10/04) is not known yet: delays 10, 13, 20 -> median 13,
    # mean 43 / 3 = 14.33 -> 14.3, p75 at 1.5: 13 + 0.5 * 7 = 16.5.
    result = delai_orientation_median_j(two_cohorts, **dates(*FEB_MARCH, "2024-04-05"))
    assert result.value == 13.0
    assert (result.details["mean"], result.details["p75"], result.details["count"]) == (
        14.3,
        16.5,
        3,
    )


def test_empty_period_gives_no_delay(two_cohorts):
    may = dates("2024-05-01", "2024-05-31", "2024-06-30")
    result = delai_orientation_median_j(two_cohorts, **may)
    assert result.value is None
    assert result.details["count"] == 0
    assert result.details["mean"] is None


def test_months_without_delays_are_listed_empty(two_cohorts):
    result = delai_orientation_median_j(
        two_cohorts, **dates("2024-03-01", "2024-04-30", "2024-06-30"), by="cohorte"
    )
    assert result.breakdown["2024-04"] == {"value": None, "mean": None, "p75": None, "count": 0}
