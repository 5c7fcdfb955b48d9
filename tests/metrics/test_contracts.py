"""Contracts of engagement: in force among the oriented, within 7 days, within one month."""

from __future__ import annotations

import pytest

from metrics.contracts import taux_contrat_1mois, taux_contrat_7j, taux_contrat_engagement
from metrics.frames import Frames
from tests.metrics.builders import appointment, contract, dates, make_frames, orientation, rights

MARCH = ("2024-03-01", "2024-03-31")
JAN_FEB = ("2024-01-01", "2024-02-29")


@pytest.fixture(scope="module")
def stock():
    """At 30/06/2024, everyone subject since 2023 unless said otherwise.

    1 FT: CER signed 01/05/2024, not ended                 -> in force
    2 FT: signed 01/01/2024, ended 30/06/2024 (on as_of)    -> not in force
    3 CD: signed 01/01/2024, ended 15/07/2024 (after)       -> in force
    4 CD: signed 01/07/2024 (after as_of)                   -> none
    5: not oriented, with a contract                       -> not counted
    6 CD: left on 01/05/2024, with a contract              -> not counted
    7 ML: CEJ ended 2023, PPAE signed 30/06/2024 (on as_of) -> in force
    """
    return make_frames(
        rights_rows=[
            *(rights(number, start="2023-01-01") for number in (1, 2, 3, 4, 5, 7)),
            rights(6, start="2023-01-01", exit_on="2024-05-01"),
        ],
        orientations=[
            orientation(1, "2023-02-01", "2023-02-02", organisme="FT"),
            orientation(2, "2023-02-01", "2023-02-02", organisme="FT"),
            orientation(3, "2023-02-01", "2023-02-02"),
            orientation(4, "2023-02-01", "2023-02-02"),
            orientation(6, "2023-02-01", "2023-02-02"),
            orientation(7, "2023-02-01", "2023-02-02", organisme="ML"),
        ],
        contracts=[
            contract(1, "2024-05-01"),
            contract(2, "2024-01-01", "2024-06-30"),
            contract(3, "2024-01-01", "2024-07-15"),
            contract(4, "2024-07-01"),
            contract(5, "2024-01-01"),
            contract(6, "2024-01-01"),
            contract(7, "2023-03-01", "2023-12-31", kind="CEJ"),
            contract(7, "2024-06-30", kind="PPAE"),
        ],
    )


def test_contract_rate_of_the_oriented(stock):
    # 1, 3, 7 in force / 1, 2, 3, 4, 7 oriented and subject = 3/5 = 60.0.
    result = taux_contrat_engagement(stock, **dates(*MARCH, "2024-06-30"))
    assert (result.value, result.numerator, result.denominator) == (60.0, 3, 5)
    assert result.details["sans_contrat"] == 2


def test_contract_rate_by_organisme(stock):
    # FT: 1 yes, 2 no -> 1/2; CD: 3 yes, 4 no -> 1/2; ML: 7 yes -> 1/1.
    result = taux_contrat_engagement(stock, **dates(*MARCH, "2024-06-30"), by="organisme")
    assert result.breakdown["FT"] == {"value": 50.0, "numerator": 1, "denominator": 2}
    assert result.breakdown["CD"] == {"value": 50.0, "numerator": 1, "denominator": 2}
    assert result.breakdown["ML"] == {"value": 100.0, "numerator": 1, "denominator": 1}
    with pytest.raises(ValueError, match="cohorte"):
        taux_contrat_engagement(stock, **dates(*MARCH, "2024-06-30"), by="cohorte")


def test_no_one_oriented_gives_no_contract_rate():
    result = taux_contrat_engagement(Frames.empty(), **dates(*MARCH, "2024-06-30"))
    assert (result.value, result.numerator, result.denominator) == (None, 0, 0)


@pytest.fixture(scope="module")
def first_appointments():
    """First attended accompaniment appointments around March 2024.

    1: present 04/03, contract 11/03 (day 7)                 -> in time
    2: present 04/03, contract 12/03 (day 8)                 -> late
    3: absent 01/03, present 06/03, contract 06/03 (day 0)   -> in time
    4: present 28/02 and 05/03, contract 06/03               -> first one in February
    5: present 28/03, no contract                            -> late at 30/06, open at 02/04
    6: present 10/03, contract 09/03 (the day before)         -> late
    7: jalon 10/03 and cancelled accompaniment 12/03         -> no first appointment
    8: present 30/03, contract 03/04                         -> in time, open at 02/04
    """
    return make_frames(
        appointments=[
            appointment(1, "2024-03-04"),
            appointment(2, "2024-03-04", time="14:00"),
            appointment(3, "2024-03-01", "absent"),
            appointment(3, "2024-03-06"),
            appointment(4, "2024-02-28"),
            appointment(4, "2024-03-05"),
            appointment(5, "2024-03-28"),
            appointment(6, "2024-03-10"),
            appointment(7, "2024-03-10", kind="jalon"),
            appointment(7, "2024-03-12", "annule"),
            appointment(8, "2024-03-30"),
        ],
        contracts=[
            contract(1, "2024-03-11"),
            contract(2, "2024-03-12"),
            contract(3, "2024-03-06"),
            contract(4, "2024-03-06"),
            contract(6, "2024-03-09"),
            contract(8, "2024-04-03"),
        ],
    )


def test_contract_within_7_days(first_appointments):
    # In time: 1, 3, 8 = 3; denominator 1, 2, 3, 5, 6, 8 = 6 -> 50.0.
    result = taux_contrat_7j(first_appointments, **dates(*MARCH, "2024-06-30"))
    assert (result.value, result.numerator, result.denominator) == (50.0, 3, 6)
    assert result.details["premiers_rdv"] == 6
    assert result.details["fenetre_ouverte"] == 0


def test_contract_within_7_days_leaves_open_windows_out(first_appointments):
    # At 02/04: 5 (deadline 04/04) and 8 (contract of 03/04 not known yet, deadline
    # 06/04) are open: 1, 3 in time / 1, 2, 3, 6 = 2/4 = 50.0.
    result = taux_contrat_7j(first_appointments, **dates(*MARCH, "2024-04-02"))
    assert (result.value, result.numerator, result.denominator) == (50.0, 2, 4)
    assert result.details["fenetre_ouverte"] == 2


def test_contract_within_7_days_by_month(first_appointments):
    # February: 4 (28/02, contract 06/03 = day 7) -> 1/1; March: 3/6.
    result = taux_contrat_7j(
        first_appointments, **dates("2024-02-01", "2024-03-31", "2024-06-30"), by="cohorte"
    )
    assert result.breakdown == {
        "2024-02": {"value": 100.0, "numerator": 1, "denominator": 1},
        "2024-03": {"value": 50.0, "numerator": 3, "denominator": 6},
    }


def test_no_first_appointment_gives_no_rate(first_appointments):
    result = taux_contrat_7j(first_appointments, **dates("2024-05-01", "2024-05-31", "2024-06-30"))
    assert (result.value, result.numerator, result.denominator) == (None, 0, 0)


@pytest.fixture(scope="module")
def notified():
    """Orientations notified in January-February 2024 (a leap year).

    1: notified 31/01, contract 29/02 (31/01 + 1 month = 29/02)   -> in time
    2: notified 31/01, contract 01/03                             -> late
    3: notified 15/01, contract 10/01 (before)                    -> late
    4: notified 20/02, no contract                                -> late at 30/06, open at 15/03
    5: decided 20/01, not notified                                -> not counted
    6: notified 05/01, re-orientation notified 10/02, contract 20/01
       -> the latest notified counts; the contract is before it: late
    7: notified 10/02, contract 10/03 (one month exactly)         -> in time
    """
    return make_frames(
        orientations=[
            orientation(1, "2024-01-30", "2024-01-31", organisme="FT"),
            orientation(2, "2024-01-30", "2024-01-31"),
            orientation(3, "2024-01-12", "2024-01-15"),
            orientation(4, "2024-02-19", "2024-02-20"),
            orientation(5, "2024-01-20"),
            orientation(6, "2024-01-03", "2024-01-05"),
            orientation(6, "2024-02-08", "2024-02-10", reorientation=True),
            orientation(7, "2024-02-09", "2024-02-10", organisme="FT"),
        ],
        contracts=[
            contract(1, "2024-02-29"),
            contract(2, "2024-03-01"),
            contract(3, "2024-01-10"),
            contract(6, "2024-01-20"),
            contract(7, "2024-03-10"),
        ],
    )


def test_contract_within_one_month(notified):
    # In time: 1, 7 = 2; denominator 1, 2, 3, 4, 6, 7 = 6 -> 33.33 -> 33.3.
    result = taux_contrat_1mois(notified, **dates(*JAN_FEB, "2024-06-30"))
    assert (result.value, result.numerator, result.denominator) == (33.3, 2, 6)
    assert result.details["orientations"] == 6


def test_contract_within_one_month_leaves_open_windows_out(notified):
    # At 15/03: 4 (deadline 20/03) is open; 7's contract of 10/03 is known.
    # 1, 7 / 1, 2, 3, 6, 7 = 2/5 = 40.0.
    result = taux_contrat_1mois(notified, **dates(*JAN_FEB, "2024-03-15"))
    assert (result.value, result.numerator, result.denominator) == (40.0, 2, 5)
    assert result.details["fenetre_ouverte"] == 1


def test_contract_within_one_month_by_month_and_organisme(notified):
    # January notifications: 1 in time, 2, 3 late -> 1/3; February: 4, 6 late, 7 in time -> 1/3.
    by_month = taux_contrat_1mois(notified, **dates(*JAN_FEB, "2024-06-30"), by="cohorte").breakdown
    assert by_month == {
        "2024-01": {"value": 33.3, "numerator": 1, "denominator": 3},
        "2024-02": {"value": 33.3, "numerator": 1, "denominator": 3},
    }
    # FT: 1, 7 both in time -> 2/2; CD: 2, 3, 4, 6 late -> 0/4.
    by_organisme = taux_contrat_1mois(
        notified, **dates(*JAN_FEB, "2024-06-30"), by="organisme"
    ).breakdown
    assert by_organisme["FT"] == {"value": 100.0, "numerator": 2, "denominator": 2}
    assert by_organisme["CD"] == {"value": 0.0, "numerator": 0, "denominator": 4}


def test_no_notification_gives_no_rate(notified):
    result = taux_contrat_1mois(notified, **dates("2024-04-01", "2024-04-30", "2024-06-30"))
    assert (result.value, result.numerator, result.denominator) == (None, 0, 0)
