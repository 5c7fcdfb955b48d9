"""Intensive accompaniment: a mean of 15 hours a week over the last 4 complete weeks."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from metrics.frames import ACTIVITY_HOURS_SCHEMA, check_activity_hours
from metrics.intensity import measured_weeks, part_intensif_15h
from metrics.params import Params
from tests.metrics.builders import dates, hours, make_frames, orientation, rights

# as_of Wednesday 20/03/2024: its week starts on 18/03, the 4 weeks measured start on
# 19/02, 26/02, 04/03 and 11/03.
AS_OF = dates("2024-03-01", "2024-03-31", "2024-03-20")
WEEKS = ("2024-02-19", "2024-02-26", "2024-03-04", "2024-03-11")
NINE = (14.9, 15.1, 15.1, 14.9)


@pytest.fixture(scope="module")
def intensity():
    """Everyone subject since 2023 and oriented (CD) unless said otherwise.

    1 FT: 15, 15, 15, 15                    -> mean 15.0: intensive
    2 FT: 14.9 x 4                          -> mean 14.9: not intensive
    3: 20, 20, 20, no row for 11/03         -> 60 / 4 = 15.0: intensive (missing week = 0)
    4: 20, 20, 19.5, no row for 11/03       -> 59.5 / 4 = 14.875: not intensive
    5: 40 in the week of 12/02 and 40 in the week of as_of -> none measured: 0
    6: not oriented, 20 x 4                 -> not counted
    7: no hours                             -> 0
    8: left on 01/03, 20 x 4                -> not counted
    9: 14.9, 15.1, 15.1, 14.9               -> 60 / 4 = 15.0: intensive
    """
    rows = [
        *(hours(1, week, 15.0) for week in WEEKS),
        *(hours(2, week, 14.9) for week in WEEKS),
        *(hours(3, week, 20.0) for week in WEEKS[:3]),
        hours(4, WEEKS[0], 20.0),
        hours(4, WEEKS[1], 20.0),
        hours(4, WEEKS[2], 19.5),
        hours(5, "2024-02-12", 40.0),
        hours(5, "2024-03-18", 40.0),
        *(hours(6, week, 20.0) for week in WEEKS),
        *(hours(8, week, 20.0) for week in WEEKS),
        *(hours(9, week, amount) for week, amount in zip(WEEKS, NINE, strict=True)),
    ]
    return make_frames(
        rights_rows=[
            *(rights(number, start="2023-01-01") for number in (1, 2, 3, 4, 5, 6, 7, 9)),
            rights(8, start="2023-01-01", exit_on="2024-03-01"),
        ],
        orientations=[
            orientation(1, "2023-02-01", "2023-02-02", organisme="FT"),
            orientation(2, "2023-02-01", "2023-02-02", organisme="FT"),
            *(orientation(number, "2023-02-01", "2023-02-02") for number in (3, 4, 5, 7, 8, 9)),
        ],
        activity_hours=rows,
    )


def test_measured_weeks():
    # Sunday 24/03 still measures the weeks of 19/02 to 11/03; Monday 25/03 moves on.
    assert measured_weeks(dt.date(2024, 3, 20)) == (dt.date(2024, 2, 19), dt.date(2024, 3, 11))
    assert measured_weeks(dt.date(2024, 3, 24)) == (dt.date(2024, 2, 19), dt.date(2024, 3, 11))
    assert measured_weeks(dt.date(2024, 3, 25)) == (dt.date(2024, 2, 26), dt.date(2024, 3, 18))


def test_intensive_share(intensity):
    # Intensive 1, 3, 9 / oriented 1, 2, 3, 4, 5, 7, 9 = 3/7 = 42.857 -> 42.9.
    result = part_intensif_15h(intensity, **AS_OF)
    assert (result.value, result.numerator, result.denominator) == (42.9, 3, 7)
    # 5 and 7 have no hours in the 4 weeks.
    assert result.details["sans_heures"] == 2
    assert result.details["semaines"][0] == dt.date(2024, 2, 19)
    assert result.details["semaines"][-1] == dt.date(2024, 3, 11)


def test_intensive_share_by_organisme(intensity):
    # FT: 1 yes, 2 no -> 1/2; CD: 3, 9 yes, 4, 5, 7 no -> 2/5.
    result = part_intensif_15h(intensity, **AS_OF, by="organisme")
    assert result.breakdown["FT"] == {"value": 50.0, "numerator": 1, "denominator": 2}
    assert result.breakdown["CD"] == {"value": 40.0, "numerator": 2, "denominator": 5}
    with pytest.raises(ValueError, match="cohorte"):
        part_intensif_15h(intensity, **AS_OF, by="cohorte")


def test_the_threshold_is_a_parameter(intensity):
    # At 14 hours 2 (14.9) and 4 (14.875) join: 5/7 = 71.4.
    result = part_intensif_15h(intensity, **AS_OF, params=Params(intensive_hours=14))
    assert (result.value, result.numerator) == (71.4, 5)


def test_later_weeks_are_not_known_earlier(intensity):
    # At Monday 25/03 the weeks are 26/02, 04/03, 11/03, 18/03: 1 = 45 (11.25 a week),
    # 2 = 44.7, 3 = 40, 4 = 39.5, 5 = 40 (week of 18/03), 9 = 45.1, 7 = 0: no one.
    result = part_intensif_15h(intensity, **dates("2024-03-01", "2024-03-31", "2024-03-25"))
    assert (result.value, result.numerator, result.denominator) == (0.0, 0, 7)


def test_activity_hours_frame_is_checked():
    frame = pl.DataFrame(
        {"beneficiary_id": [1], "week_start": [dt.date(2024, 3, 4)], "hours": [15]}
    )
    assert check_activity_hours(frame).schema == pl.Schema(ACTIVITY_HOURS_SCHEMA)
    with pytest.raises(ValueError, match="not a Monday"):
        check_activity_hours(frame.with_columns(week_start=pl.lit(dt.date(2024, 3, 5))))
    with pytest.raises(ValueError, match="hours"):
        check_activity_hours(frame.with_columns(hours=pl.lit("15")))
