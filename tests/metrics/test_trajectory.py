"""Targets, trajectories and statuses, every expected figure worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.result import IndicatorResult
from metrics.trajectory import (
    Status,
    TargetPoint,
    path,
    status,
    target_in_force,
    trajectory_at,
    with_target,
)

D = dt.date
# Baseline 20 % at 01/01/2023; 40 % by 30/06/2023; 60 % by 31/12/2023; 80 % by 30/06/2024.
POINTS = [
    TargetPoint(D(2023, 7, 1), D(2023, 12, 31), 60.0),
    TargetPoint(D(2023, 1, 1), D(2023, 6, 30), 40.0, baseline=20.0),
    TargetPoint(D(2024, 1, 1), D(2024, 6, 30), 80.0),
]


def test_path_runs_from_the_baseline_through_every_target_in_date_order():
    assert path(POINTS) == [
        (D(2023, 1, 1), 20.0),
        (D(2023, 6, 30), 40.0),
        (D(2023, 12, 31), 60.0),
        (D(2024, 6, 30), 80.0),
    ]


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # Before T0 and on T0: the baseline.
        (D(2022, 12, 1), 20.0),
        (D(2023, 1, 1), 20.0),
        # 01/01 -> 01/04 is 90 days of the 180 to 30/06: 20 + 20 * 90/180 = 30.
        (D(2023, 4, 1), 30.0),
        # On a target's date: that target.
        (D(2023, 6, 30), 40.0),
        # 30/06 -> 30/09 is 92 days of the 184 to 31/12: 40 + 20 * 92/184 = 50.
        (D(2023, 9, 30), 50.0),
        # 30/06 -> 01/07 is 1 day of 184: 40 + 20/184 = 40.1087 -> 40.1.
        (D(2023, 7, 1), 40.1),
        # 31/12/2023 -> 31/03/2024 is 91 days of the 182 to 30/06/2024: 60 + 20 * 91/182 = 70.
        (D(2024, 3, 31), 70.0),
        # After the last target: the last target.
        (D(2025, 1, 1), 80.0),
    ],
)
def test_the_trajectory_is_linear_between_its_corners(as_of, expected):
    assert trajectory_at(POINTS, as_of) == expected


def test_without_a_baseline_the_path_starts_at_the_first_target():
    points = [TargetPoint(D(2024, 1, 1), D(2024, 3, 31), 50.0)]
    assert path(points) == [(D(2024, 3, 31), 50.0)]
    assert trajectory_at(points, D(2024, 2, 1)) == 50.0
    assert trajectory_at([], D(2024, 2, 1)) is None


def test_a_falling_path_for_a_delay():
    # A delay from 45 days at 01/01/2024 to 15 days by 31/12/2024: 365 days between.
    # At 01/10/2024, 274 days in (31+29+31+30+31+30+31+31+30):
    # 45 - 30 * 274/365 = 45 - 22.5205 = 22.4795 -> 22.5.
    points = [TargetPoint(D(2024, 1, 1), D(2024, 12, 31), 15.0, baseline=45.0)]
    assert trajectory_at(points, D(2024, 10, 1)) == 22.5


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (D(2023, 3, 1), 40.0),
        (D(2023, 6, 30), 40.0),
        (D(2023, 7, 1), 60.0),
        (D(2024, 6, 30), 80.0),
        (D(2026, 1, 1), 80.0),
    ],
)
def test_the_target_in_force_is_the_next_one_not_yet_past(as_of, expected):
    assert target_in_force(POINTS, as_of) == expected


@pytest.mark.parametrize(
    ("value", "target", "trajectory", "direction", "expected"),
    [
        # Higher is better: target 60, trajectory 50.
        (60.0, 60.0, 50.0, "higher", Status.ATTEINT),
        (72.5, 60.0, 50.0, "higher", Status.ATTEINT),
        (50.0, 60.0, 50.0, "higher", Status.EN_TRAJECTOIRE),
        (59.9, 60.0, 50.0, "higher", Status.EN_TRAJECTOIRE),
        (45.0, 60.0, 50.0, "higher", Status.A_SURVEILLER),  # 5 points behind
        (44.9, 60.0, 50.0, "higher", Status.HORS_TRAJECTOIRE),  # 5.1 behind
        # Lower is better (a delay): target 15 days, trajectory 30 days.
        (15.0, 15.0, 30.0, "lower", Status.ATTEINT),
        (12.0, 15.0, 30.0, "lower", Status.ATTEINT),
        (30.0, 15.0, 30.0, "lower", Status.EN_TRAJECTOIRE),
        (35.0, 15.0, 30.0, "lower", Status.A_SURVEILLER),
        (36.0, 15.0, 30.0, "lower", Status.HORS_TRAJECTOIRE),
        # No trajectory: measured against the target itself.
        (57.0, 60.0, None, "higher", Status.A_SURVEILLER),
        # Nothing to say.
        (None, 60.0, 50.0, "higher", None),
        (50.0, None, None, "higher", None),
        (50.0, 60.0, 50.0, "neutral", None),
    ],
)
def test_status_is_direction_aware(value, target, trajectory, direction, expected):
    assert status(value, target, trajectory, direction) == expected


def test_status_refuses_an_unknown_direction():
    with pytest.raises(ValueError, match="direction"):
        status(1.0, 2.0, 2.0, "sideways")


def test_with_target_fills_the_result_at_as_of():
    result = IndicatorResult("taux_orientation", "Taux", 47.0, 47, 100, "%")
    # At 30/09/2023: target in force 60, trajectory 50, 47 is 3 points behind.
    filled = with_target(result, POINTS, D(2023, 9, 30), "higher")
    assert (filled.target, filled.trajectory_value, filled.status) == (60.0, 50.0, "a_surveiller")
    assert filled.value == 47.0 and filled.numerator == 47
    assert with_target(result, [], D(2023, 9, 30), "higher") is result


def test_a_period_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="before it starts"):
        TargetPoint(D(2024, 2, 1), D(2024, 1, 31), 10.0)
