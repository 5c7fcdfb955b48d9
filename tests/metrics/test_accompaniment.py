"""First accompaniment act after the rights opening; first appointment after the orientation."""

from __future__ import annotations

import pytest

from metrics.accompaniment import delai_premier_accompagnement_median_j, taux_premier_rdv_15j
from metrics.frames import Frames
from tests.metrics.builders import (
    appointment,
    contract,
    dates,
    hours,
    make_frames,
    orientation,
    rights,
)

MARCH = ("2024-03-01", "2024-03-31")


@pytest.fixture(scope="module")
def first_acts():
    """First accompaniment acts around March 2024 (February 2024 has 29 days).

    1: opened 10/01, attended 05/03, contract 20/03 -> first act 05/03:
       21 + 29 + 5 = 55 days
    2: opened 01/02, absent 20/02 (no act), contract 10/03 -> 29 + 9 = 38 days
    3: opened 01/02, attended 25/02 and 10/03 -> first act in February (24 days)
    4: spell 2020 (exit 2021), new row opened 01/03/2024, attended 21/03 -> 20 days
       (the 2024 row is the latest one starting on or before the act)
    5: opened 01/03, orientation interview 02/03 (not an act), attended 31/03 -> 30 days
    6: attended 15/03, no rights row -> sans_ouverture
    7: opened 01/03, cancelled 12/03, accompaniment planned 10/04 -> no act
    """
    return make_frames(
        rights_rows=[
            rights(1, opened="2024-01-10", start="2024-01-15"),
            rights(2, start="2024-02-01"),
            rights(3, start="2024-02-01"),
            rights(4, start="2020-01-01", exit_on="2021-01-01"),
            rights(4, start="2024-03-01"),
            rights(5, start="2024-03-01"),
            rights(7, start="2024-03-01"),
        ],
        orientations=[orientation(1, "2024-02-01", "2024-02-02", organisme="FT")],
        appointments=[
            appointment(1, "2024-03-05"),
            appointment(2, "2024-02-20", "absent"),
            appointment(3, "2024-02-25", time="14:00"),
            appointment(3, "2024-03-10"),
            appointment(4, "2024-03-21"),
            appointment(5, "2024-03-02", kind="orientation"),
            appointment(5, "2024-03-31", time="14:00"),
            appointment(6, "2024-03-15"),
            appointment(7, "2024-03-12", "annule"),
            appointment(7, "2024-04-10", "planifie"),
        ],
        contracts=[contract(1, "2024-03-20"), contract(2, "2024-03-10")],
    )


def test_median_delay_to_the_first_act(first_acts):
    # March: 55, 38, 20, 30 -> sorted 20, 30, 38, 55: median (30 + 38) / 2 = 34.0;
    # mean 143 / 4 = 35.75 -> 35.8; p75 at 0.75 * 3 = 2.25: 38 + 0.25 * 17 = 42.25 -> 42.3.
    result = delai_premier_accompagnement_median_j(first_acts, **dates(*MARCH, "2024-06-30"))
    assert result.value == 34.0
    assert result.unit == "jours"
    assert (result.numerator, result.denominator) == (None, None)
    assert {key: result.details[key] for key in ("mean", "p75", "count", "sans_ouverture")} == {
        "mean": 35.8,
        "p75": 42.3,
        "count": 4,
        "sans_ouverture": 1,
    }


def test_acts_after_as_of_are_not_known(first_acts):
    # At 25/03: 5's act (31/03) is not known yet: 55, 38, 20 -> median 38;
    # mean 113 / 3 = 37.67 -> 37.7.
    result = delai_premier_accompagnement_median_j(first_acts, **dates(*MARCH, "2024-03-25"))
    assert (result.value, result.details["mean"], result.details["count"]) == (38.0, 37.7, 3)


def test_median_per_month_of_the_act(first_acts):
    # February: 3 (24 days). March: as above.
    result = delai_premier_accompagnement_median_j(
        first_acts, **dates("2024-02-01", "2024-03-31", "2024-06-30"), by="cohorte"
    )
    assert result.breakdown == {
        "2024-02": {"value": 24.0, "mean": 24.0, "p75": 24.0, "count": 1},
        "2024-03": {"value": 34.0, "mean": 35.8, "p75": 42.3, "count": 4},
    }


def test_delay_by_organisme_uses_the_orientation_in_force(first_acts):
    # Only 1 is oriented (FT): FT [55]; 2, 4, 5 never oriented -> inconnu [38, 20, 30].
    result = delai_premier_accompagnement_median_j(
        first_acts, **dates(*MARCH, "2024-06-30"), by="organisme"
    )
    assert result.breakdown["FT"] == {"value": 55.0, "mean": 55.0, "p75": 55.0, "count": 1}
    assert result.breakdown["inconnu"]["value"] == 30.0
    assert result.breakdown["CD"]["count"] == 0


def test_empty_period_gives_no_delay(first_acts):
    result = delai_premier_accompagnement_median_j(
        first_acts, **dates("2024-05-01", "2024-05-31", "2024-06-30")
    )
    assert result.value is None
    assert result.details["count"] == 0


@pytest.fixture(scope="module")
def march_orientations():
    """Orientations decided in March 2024 and the accompaniment appointments after them.

    1: notified 05/03, absent on 20/03 (day 15)          -> in time (any status but annule)
    2: notified 05/03, appointment 21/03 (day 16)        -> late
    3: notified 04/03, cancelled 10/03, present 25/03    -> late (cancellation ignored)
    4: decided 10/03, never notified, appointment 20/03  -> 10 days from the decision, in time
    5: 01/03 notified 02/03, re-orientation 20/03 notified 22/03; appointment 10/03
       -> the latest orientation counts, the appointment is before it: late
    6: decided 20/02 (February)                           -> in February only, late
    7: notified 29/03, no appointment                     -> late at 30/06, open at 10/04
    8: notified 28/03, appointment on 12/04 (day 15) fixed on 01/04 -> in time once known
    """
    return make_frames(
        orientations=[
            orientation(1, "2024-03-01", "2024-03-05"),
            orientation(2, "2024-03-01", "2024-03-05", organisme="FT"),
            orientation(3, "2024-03-02", "2024-03-04"),
            orientation(4, "2024-03-10"),
            orientation(5, "2024-03-01", "2024-03-02"),
            orientation(5, "2024-03-20", "2024-03-22", reorientation=True),
            orientation(6, "2024-02-20", "2024-02-21"),
            orientation(7, "2024-03-28", "2024-03-29"),
            orientation(8, "2024-03-25", "2024-03-28", organisme="FT"),
        ],
        appointments=[
            appointment(1, "2024-03-20", "absent"),
            appointment(2, "2024-03-21"),
            appointment(3, "2024-03-10", "annule"),
            appointment(3, "2024-03-25"),
            appointment(4, "2024-03-20"),
            appointment(5, "2024-03-10"),
            appointment(8, "2024-04-12", "planifie", invited="2024-04-01"),
        ],
    )


def test_first_appointment_within_15_days(march_orientations):
    # In time: 1, 4, 8 = 3; denominator 1, 2, 3, 4, 5, 7, 8 = 7 -> 42.857 -> 42.9.
    result = taux_premier_rdv_15j(march_orientations, **dates(*MARCH, "2024-06-30"))
    assert (result.value, result.numerator, result.denominator) == (42.9, 3, 7)
    assert result.details["orientations"] == 7
    assert result.details["fenetre_ouverte"] == 0
    assert result.details["sans_notification"] == 1


def test_open_windows_are_left_out(march_orientations):
    # At 10/04: 7 (deadline 13/04, no appointment) is left out; 8's appointment of 12/04
    # was fixed on 01/04, so it is known and in time. 1, 4, 8 / 1, 2, 3, 4, 5, 8 = 3/6.
    result = taux_premier_rdv_15j(march_orientations, **dates(*MARCH, "2024-04-10"))
    assert (result.value, result.numerator, result.denominator) == (50.0, 3, 6)
    assert result.details["fenetre_ouverte"] == 1
    # At 31/03: 8's appointment is not fixed yet; 5 (deadline 06/04), 7 and 8 are open:
    # 1, 4 in time / 1, 2, 3, 4 = 2/4.
    result = taux_premier_rdv_15j(march_orientations, **dates(*MARCH, "2024-03-31"))
    assert (result.value, result.numerator, result.denominator) == (50.0, 2, 4)
    assert result.details["fenetre_ouverte"] == 3


def test_first_appointment_by_month_and_organisme(march_orientations):
    # February: 6 late -> 0/1; March: 3/7 as above.
    by_month = taux_premier_rdv_15j(
        march_orientations, **dates("2024-02-01", "2024-03-31", "2024-06-30"), by="cohorte"
    ).breakdown
    assert by_month == {
        "2024-02": {"value": 0.0, "numerator": 0, "denominator": 1},
        "2024-03": {"value": 42.9, "numerator": 3, "denominator": 7},
    }
    # FT: 2 late, 8 in time -> 1/2; CD: 1, 4 in time, 3, 5, 7 late -> 2/5.
    by_organisme = taux_premier_rdv_15j(
        march_orientations, **dates(*MARCH, "2024-06-30"), by="organisme"
    ).breakdown
    assert by_organisme["FT"] == {"value": 50.0, "numerator": 1, "denominator": 2}
    assert by_organisme["CD"] == {"value": 40.0, "numerator": 2, "denominator": 5}


def test_no_orientation_gives_no_rate():
    result = taux_premier_rdv_15j(Frames.empty(), **dates(*MARCH, "2024-06-30"))
    assert (result.value, result.numerator, result.denominator) == (None, 0, 0)


def test_a_week_of_activity_is_an_act_from_its_monday():
    """8: opened 01/03/2024, 0 h the week of Monday 04/03 (no act), 5 h the week of
    Monday 11/03 -> first act 11/03: 10 days. 9: opened 01/03, attended 20/03 and
    activity from 25/03 -> first act 20/03: 19 days. Median of 10 and 19 = 14.5."""
    frames = make_frames(
        rights_rows=[rights(8, start="2024-03-01"), rights(9, start="2024-03-01")],
        appointments=[appointment(9, "2024-03-20")],
        activity_hours=[
            hours(8, "2024-03-04", 0),
            hours(8, "2024-03-11", 5),
            hours(9, "2024-03-25", 20),
        ],
    )
    result = delai_premier_accompagnement_median_j(frames, **dates(*MARCH, "2024-06-30"))
    assert (result.value, result.details["count"]) == (14.5, 2)


def test_same_day_orientations_measure_the_one_notified_by_as_of():
    # Decided the same day 01/03: A to CD notified 05/03, B to FT notified 10/04.
    # At 31/03 only A's notification is known, so A is measured: deadline 05/03 + 15 =
    # 20/03, and the appointment of 19/03 is in time: 1/1. (Measuring B, whose
    # notification is not known yet, would start from its decision: deadline 16/03, late.)
    frames = make_frames(
        orientations=[
            orientation(1, "2024-03-01", "2024-03-05", organisme="CD"),
            orientation(1, "2024-03-01", "2024-04-10", organisme="FT"),
        ],
        appointments=[appointment(1, "2024-03-19")],
    )
    result = taux_premier_rdv_15j(frames, **dates(*MARCH, "2024-03-31"), by="organisme")
    assert (result.value, result.numerator, result.denominator) == (100.0, 1, 1)
    assert result.breakdown["CD"] == {"value": 100.0, "numerator": 1, "denominator": 1}
