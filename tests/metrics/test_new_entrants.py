"""Who is a new entrant: duties start in the period, not subject the day before,
no orientation in the 12 months before the start."""

from __future__ import annotations

import pytest

from metrics.orientation import nouveaux_entrants
from metrics.params import DEFAULT_PARAMS, Params
from metrics.population import new_entrants, subject_on
from tests.metrics.builders import d, dates, make_frames, orientation, person, rights

MARCH = ("2024-03-01", "2024-03-31")


def count(frames, as_of="2024-04-30", params=DEFAULT_PARAMS) -> int:
    return nouveaux_entrants(frames, **dates(*MARCH, as_of), params=params).value


@pytest.mark.parametrize(
    ("decided", "is_new"),
    [
        ("2023-09-01", False),  # 6 months before the start 01/03/2024: follow-up in progress
        ("2023-03-01", False),  # exactly 12 months before: still inside [start - 12 months, start)
        ("2023-02-28", True),  # one day more than 12 months before
        ("2023-02-01", True),  # 13 months before
        ("2024-03-01", True),  # on the start day: it is the entry orientation, not a prior one
    ],
)
def test_an_orientation_in_the_12_months_before_the_start_means_follow_up(decided, is_new):
    frames = make_frames(
        rights_rows=[rights(1, t0="2024-03-01", start="2024-03-01")],
        orientations=[orientation(1, decided, decided)],
    )
    assert count(frames) == int(is_new)


def test_the_lookback_is_a_parameter():
    # 6 months before the start; with a 3-month lookback the person is new again.
    frames = make_frames(
        rights_rows=[rights(1, start="2024-03-01")],
        orientations=[orientation(1, "2023-09-01")],
    )
    assert count(frames) == 0
    assert count(frames, params=Params(new_entrant_lookback_months=3)) == 1


@pytest.mark.parametrize(
    ("previous", "is_new"),
    [
        ({"end": "2024-02-29"}, False),  # duties end (included) covers 29/02, the day before
        ({"end": "2024-02-28"}, True),  # one day without duties in between
        ({"exit_on": "2024-02-29"}, True),  # exit day is the first day out: not subject 29/02
        ({"exit_on": "2024-03-01"}, False),  # still subject on 29/02
        ({}, False),  # an open row: subject throughout
    ],
)
def test_subject_the_day_before_is_not_entering(previous, is_new):
    frames = make_frames(
        rights_rows=[
            rights(1, start="2020-01-01", **previous),
            rights(1, opened="2024-03-01", start="2024-03-01"),
        ]
    )
    assert count(frames) == int(is_new)


def test_a_person_entering_twice_in_the_period_counts_once_on_the_first_start():
    # In on 01/03, out after 10/03, in again on 20/03 (gap, no orientation): one entrant.
    frames = make_frames(
        rights_rows=[
            rights(1, t0="2024-03-02", start="2024-03-01", end="2024-03-10"),
            rights(1, opened="2024-03-20", t0="2024-03-21", start="2024-03-20"),
        ]
    )
    entrants = new_entrants(frames, d("2024-03-01"), d("2024-03-31"), d("2024-04-30"), Params())
    assert entrants.to_dicts() == [
        {
            "beneficiary_id": 1,
            "entry_on": d("2024-03-01"),
            "notification_received_on": d("2024-03-02"),
            "rights_opened_on": d("2024-03-01"),
        }
    ]


def test_a_person_leaving_mid_period_is_still_a_new_entrant():
    frames = make_frames(rights_rows=[rights(1, start="2024-03-05", exit_on="2024-03-20")])
    assert count(frames) == 1
    assert subject_on(frames.rights, d("2024-04-30")).height == 0


def test_a_start_after_as_of_is_not_known_yet():
    # Period March, as_of 15/03: the start of 20/03 is in the future.
    frames = make_frames(rights_rows=[rights(1, start="2024-03-05"), rights(2, start="2024-03-20")])
    assert count(frames, as_of="2024-03-15") == 1
    assert count(frames, as_of="2024-03-31") == 2


def test_period_bounds_are_included():
    frames = make_frames(
        rights_rows=[
            rights(1, start="2024-02-29"),
            rights(2, start="2024-03-01"),
            rights(3, start="2024-03-31"),
            rights(4, start="2024-04-01"),
        ]
    )
    assert count(frames) == 2


def test_rights_without_duties_are_not_entrants():
    frames = make_frames(rights_rows=[rights(1, opened="2024-03-01")])
    assert count(frames) == 0


def test_count_breakdown_by_age_band():
    # as_of year 2024: 2000 -> 24 (<26), 1998 -> 26 (26-34), unknown -> inconnu.

    frames = make_frames(
        people=[person(1, birth_year=2000), person(2, birth_year=1998), person(3)],
        rights_rows=[rights(i, start="2024-03-10") for i in (1, 2, 3)],
    )
    result = nouveaux_entrants(frames, **dates(*MARCH, "2024-04-30"), by="age_band")
    assert result.breakdown == {
        "<26": {"value": 1, "numerator": 1, "denominator": None},
        "26-34": {"value": 1, "numerator": 1, "denominator": None},
        "35-49": {"value": 0, "numerator": 0, "denominator": None},
        "50+": {"value": 0, "numerator": 0, "denominator": None},
        "inconnu": {"value": 1, "numerator": 1, "denominator": None},
    }
