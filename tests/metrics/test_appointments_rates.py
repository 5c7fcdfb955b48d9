"""No-shows at the first appointment and the reminders that follow them within 15 days."""

from __future__ import annotations

import pytest

from metrics.appointments import taux_absence_premier_rdv, taux_relance_15j
from metrics.frames import Frames
from metrics.params import Params
from tests.metrics.builders import appointment, dates, make_frames

MARCH = ("2024-03-01", "2024-03-31")


def _orientation_rdv(number: int, day: str, status: str, **extra) -> dict:
    return appointment(number, day, status, kind="orientation", **extra)


@pytest.fixture(scope="module")
def first_appointments():
    """First appointments (orientation or accompagnement) around March 2024.

    1: absent 05/03, reminder 20/03 (day 15)                       -> followed
    2: absent 05/03, reminder 21/03 (day 16)                       -> not followed
    3: absent 05/03, new appointment invited 12/03 for 25/03       -> followed
    4: absent 05/03, next appointment invited 01/03 (before) 10/03 -> not followed
    5: accompagnement present 07/03                                -> not absent
    6: excused 08/03                                               -> not absent
    7: absent 20/02, then absent 10/03                             -> first one in February
    8: cancelled 02/03, present 12/03                              -> first = 12/03, present
    9: jalon absent 03/03, accompagnement absent 14/03, another one
       on 29/03 (day 15, no invitation date)                       -> first = 14/03, followed
    10: planned 30/03, status still planifie                        -> status unknown
    11: absent 25/03, nothing after                                -> not followed
    """
    return make_frames(
        appointments=[
            _orientation_rdv(1, "2024-03-05", "absent", reminder="2024-03-20"),
            _orientation_rdv(2, "2024-03-05", "absent", reminder="2024-03-21"),
            _orientation_rdv(3, "2024-03-05", "absent"),
            appointment(3, "2024-03-25", "planifie", invited="2024-03-12"),
            _orientation_rdv(4, "2024-03-05", "absent"),
            _orientation_rdv(4, "2024-03-10", "present", invited="2024-03-01"),
            appointment(5, "2024-03-07"),
            _orientation_rdv(6, "2024-03-08", "excuse"),
            _orientation_rdv(7, "2024-02-20", "absent"),
            _orientation_rdv(7, "2024-03-10", "absent"),
            _orientation_rdv(8, "2024-03-02", "annule"),
            _orientation_rdv(8, "2024-03-12", "present"),
            appointment(9, "2024-03-03", "absent", kind="jalon"),
            appointment(9, "2024-03-14", "absent"),
            appointment(9, "2024-03-29", "present"),
            _orientation_rdv(10, "2024-03-30", "planifie"),
            _orientation_rdv(11, "2024-03-25", "absent"),
        ]
    )


def test_absence_rate_at_the_first_appointment(first_appointments):
    # Known statuses: 1, 2, 3, 4, 5, 6, 8, 9, 11 = 9; absent 1, 2, 3, 4, 9, 11 = 6 -> 66.7.
    result = taux_absence_premier_rdv(first_appointments, **dates(*MARCH, "2024-06-30"))
    assert (result.value, result.numerator, result.denominator) == (66.7, 6, 9)
    assert result.details["premiers_rdv"] == 10
    assert result.details["statut_inconnu"] == 1


def test_absence_rate_by_month(first_appointments):
    # February: 7 absent -> 1/1; March: 6/9.
    result = taux_absence_premier_rdv(
        first_appointments, **dates("2024-02-01", "2024-03-31", "2024-06-30"), by="cohorte"
    )
    assert result.breakdown == {
        "2024-02": {"value": 100.0, "numerator": 1, "denominator": 1},
        "2024-03": {"value": 66.7, "numerator": 6, "denominator": 9},
    }


def test_reminder_within_15_days(first_appointments):
    # Absences 1, 2, 3, 4, 9, 11; followed 1 (day 15), 3 (invited day 7), 9 (day 15) -> 3/6.
    result = taux_relance_15j(first_appointments, **dates(*MARCH, "2024-06-30"))
    assert (result.value, result.numerator, result.denominator) == (50.0, 3, 6)
    assert result.details["fenetre_ouverte"] == 0


def test_reminder_windows_still_open_are_left_out(first_appointments):
    # At 22/03: 11 (25/03) is not held yet; 9's appointment of 29/03 is not known yet and
    # its window (to 29/03) is open; 2 and 4 closed on 20/03 -> 1, 3 / 1, 2, 3, 4 = 50.0.
    result = taux_relance_15j(first_appointments, **dates(*MARCH, "2024-03-22"))
    assert (result.value, result.numerator, result.denominator) == (50.0, 2, 4)
    assert result.details["fenetre_ouverte"] == 1


def test_reminder_days_are_a_parameter(first_appointments):
    # With 16 days 2's reminder of day 16 counts: 4/6 = 66.7.
    result = taux_relance_15j(
        first_appointments, **dates(*MARCH, "2024-06-30"), params=Params(reminder_days=16)
    )
    assert (result.value, result.numerator) == (66.7, 4)


def test_no_appointment_gives_no_rate():
    for compute in (taux_absence_premier_rdv, taux_relance_15j):
        result = compute(Frames.empty(), **dates(*MARCH, "2024-06-30"))
        assert (result.value, result.numerator, result.denominator) == (None, 0, 0)
