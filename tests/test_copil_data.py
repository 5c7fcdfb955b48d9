"""The COPIL page's pure helpers: periods, the stock list, French wording of figures."""

from __future__ import annotations

import datetime as dt

import pytest

from callbacks.copil_data import STOCK_CODES, Trajectory, TrajectoryCache
from callbacks.copil_periods import (
    month_count,
    months_label,
    previous_months,
    series_months,
    shift_month,
)
from dashboard.indicator_service import ObservationDays, observation_days
from layouts.copil_format import (
    change_text,
    format_number,
    format_value,
    shown_value,
)
from metrics.registry import REGISTRY
from metrics.result import IndicatorResult
from metrics.trajectory import TargetPoint


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("2024-07", "2024-09", ("2024-04", "2024-06")),  # T3 -> T2
        ("2024-01", "2024-03", ("2023-10", "2023-12")),  # T1 -> T4 of the year before
        ("2024-01", "2024-12", ("2023-01", "2023-12")),  # a year -> the year before
        ("2024-03", "2024-03", ("2024-02", "2024-02")),  # a month -> the month before
        ("2024-11", "2025-02", ("2024-07", "2024-10")),  # 4 custom months -> the 4 before
    ],
)
def test_previous_period_has_the_same_length(first, last, expected):
    assert previous_months(first, last) == expected
    assert month_count(*expected) == month_count(first, last)


def test_month_arithmetic():
    assert shift_month("2024-01", -1) == "2023-12"
    assert shift_month("2024-12", 1) == "2025-01"
    assert shift_month("2024-05", -17) == "2022-12"
    assert month_count("2023-11", "2024-02") == 4


@pytest.mark.parametrize(
    ("first", "last", "label"),
    [
        ("2023-01", "2023-12", "2023"),
        ("2024-04", "2024-06", "T2 2024"),
        ("2024-07", "2024-07", "juillet 2024"),
        ("2024-02", "2024-04", "février 2024 – avril 2024"),  # three months, not a quarter
    ],
)
def test_months_label(first, last, label):
    assert months_label(first, last) == label


def test_observation_days_take_a_past_period_stock_at_its_end():
    june, latest = dt.date(2024, 6, 30), dt.date(2024, 12, 31)
    # Past period: flows at the latest extraction, stocks at the period's end.
    assert observation_days(june, latest) == ObservationDays(flows=latest, stocks=june)
    # Current period (its end after the extraction): both at the extraction.
    december, extraction = dt.date(2024, 12, 31), dt.date(2024, 12, 15)
    assert observation_days(december, extraction) == ObservationDays(extraction, extraction)
    # An as_of asked for is used for everything, even after the period's end.
    asked = dt.date(2024, 8, 1)
    assert observation_days(june, latest, asked) == ObservationDays(asked, asked)


def test_series_months_span_the_targets_up_to_as_of():
    points = [
        TargetPoint(dt.date(2023, 1, 1), dt.date(2023, 6, 30), 60.0, 40.0),
        TargetPoint(dt.date(2023, 7, 1), dt.date(2023, 12, 31), 80.0),
    ]
    # From January 2023 (T0) to March 2024 (as_of's month): 15 months.
    months = series_months(points, dt.date(2024, 3, 10))
    assert months[0] == "2023-01" and months[-1] == "2024-03" and len(months) == 15
    # Without targets: the 12 months up to as_of.
    assert series_months([], dt.date(2024, 3, 10)) == [
        "2023-04", "2023-05", "2023-06", "2023-07", "2023-08", "2023-09",
        "2023-10", "2023-11", "2023-12", "2024-01", "2024-02", "2024-03",
    ]  # fmt: skip
    # Targets set in 2015: 36 months at most, ending on as_of's month.
    old = [TargetPoint(dt.date(2015, 1, 1), dt.date(2015, 12, 31), 50.0)]
    months = series_months(old, dt.date(2024, 3, 10))
    assert (months[0], months[-1], len(months)) == ("2021-04", "2024-03", 36)
    # Targets that start after as_of: just as_of's month.
    late = [TargetPoint(dt.date(2025, 1, 1), dt.date(2025, 6, 30), 50.0)]
    assert series_months(late, dt.date(2024, 3, 10)) == ["2024-03"]


def test_stock_codes_are_the_indicators_whose_period_is_not_used():
    found = {
        code
        for code, indicator in REGISTRY.items()
        if "period is not used" in " ".join(indicator.doc.split())
    }
    assert found == STOCK_CODES


def _rate(value: float | None, suppressed: bool = False) -> IndicatorResult:
    return IndicatorResult(
        code="taux_orientes_15j",
        label="Orientés en 15 jours",
        value=value,
        numerator=None,
        denominator=None,
        unit="%",
        suppressed=suppressed,
    )


def test_values_in_french():
    assert format_number(1396) == "1\u202f396"
    assert format_number(12.25) == "12,3"  # half away from zero
    assert format_number(54.0) == "54"
    assert format_value(19.3, "%") == "19,3\u00a0%"
    assert format_value(54.0, "jours") == "54\u00a0jours"
    assert format_value(None, "%") == "non disponible"


def test_a_hidden_value_is_never_a_number():
    hidden = _rate(None, suppressed=True)
    assert shown_value(hidden, 11) == "secret statistique (< 11)"
    text = change_text(hidden, _rate(40.0), "T2 2024")
    assert text == "Évolution par rapport à T2 2024 : non publiée (secret statistique)"
    # The previous period hidden: no change either (it would give the hidden value back).
    text = change_text(_rate(40.0), _rate(None, suppressed=True), "T2 2024")
    assert "non publiée" in text and "40" not in text


def test_change_says_if_it_is_progress():
    # 45.5 - 42.3 = 3.2 points, a higher rate is better.
    assert change_text(_rate(45.5), _rate(42.3), "T2 2024") == (
        "+3,2\u00a0pt par rapport à T2 2024 (en progrès)"
    )
    assert change_text(_rate(40.0), _rate(42.3), "2023") == (
        "−2,3\u00a0pt par rapport à 2023 (en recul)"
    )
    assert change_text(_rate(40.0), None, "2023") == (
        "Évolution par rapport à 2023 : non disponible"
    )


def test_trajectory_cache_builds_once_per_key_and_stays_bounded():
    cache = TrajectoryCache(size=2)
    builds = []

    def build(code: str):
        def make():
            builds.append(code)
            return Trajectory(code, (), (), stock=False)

        return make

    first = cache.get(("a",), build("a"))
    assert cache.get(("a",), build("a")) is first  # the second call builds nothing
    cache.get(("b",), build("b"))
    cache.get(("a",), build("a"))  # "a" used last: "b" is now the oldest
    cache.get(("c",), build("c"))  # over the size: "b" goes
    cache.get(("a",), build("a"))
    cache.get(("b",), build("b"))
    assert builds == ["a", "b", "c", "b"]
