"""Orientation of new entrants within 15 days, six weeks and one month of T0.

The March 2024 scenario (period 01/03/2024-31/03/2024), one line per person:

 id  opened  T0     duties start  orientation decided / notified   remark
  1  01/03   01/03  01/03         10/03 / 15/03 FT                  14 days
  2  01/03   01/03  01/03         12/03 / 16/03 CD                  15 days
  3  02/03   -      04/03         20/03 / 22/03 FT                  no T0
  4  25/03   26/03  25/03         -                                 window open at 05/04
  5  05/03   05/03  05/03 (exit 20/03)  -                           leaves mid-period
  6  10/03   11/03  10/03         01/04 / 10/04 CD                  notified after 05/04
  7  01/03   01/03  01/03         earlier one 01/09/2023            not a new entrant
  8  01/03   01/03  01/03         earlier 01/02/2023 CD, 08/03 / 12/03 FT   11 days
  9  subject since 01/01/2022, second rights row from 15/03        not a new entrant
 11  01/03   01/03  01/03         20/03 / 02/04 ML                  32 days
 12  15/02   20/02  01/03         02/04 / 03/04 CD                  43 days (2024-02 has 29 days)

New entrants: 1, 2, 3, 4, 5, 6, 8, 11, 12 = 9 (7 was oriented 6 months
before its start, 9 was subject the day before; 8's orientation was 13 months
before, so it is one).
"""

from __future__ import annotations

import pytest

from metrics.orientation import (
    nouveaux_entrants,
    taux_orientes_1mois,
    taux_orientes_6sem,
    taux_orientes_15j,
)
from metrics.params import Params
from tests.metrics.builders import dates, make_frames, orientation, rights

MARCH = ("2024-03-01", "2024-03-31")


@pytest.fixture(scope="module")
def march():
    return make_frames(
        rights_rows=[
            rights(1, t0="2024-03-01", start="2024-03-01"),
            rights(2, t0="2024-03-01", start="2024-03-01"),
            rights(3, opened="2024-03-02", start="2024-03-04"),
            rights(4, t0="2024-03-26", start="2024-03-25"),
            rights(5, t0="2024-03-05", start="2024-03-05", exit_on="2024-03-20"),
            rights(6, t0="2024-03-11", start="2024-03-10"),
            rights(7, t0="2024-03-01", start="2024-03-01"),
            rights(8, t0="2024-03-01", start="2024-03-01"),
            rights(9, start="2022-01-01"),
            rights(9, t0="2024-03-16", start="2024-03-15"),
            rights(11, t0="2024-03-01", start="2024-03-01"),
            rights(12, opened="2024-02-15", t0="2024-02-20", start="2024-03-01"),
        ],
        orientations=[
            orientation(1, "2024-03-10", "2024-03-15", organisme="FT"),
            orientation(2, "2024-03-12", "2024-03-16", organisme="CD"),
            orientation(3, "2024-03-20", "2024-03-22", organisme="FT"),
            orientation(6, "2024-04-01", "2024-04-10", organisme="CD"),
            orientation(7, "2023-09-01", "2023-09-05"),
            orientation(8, "2023-02-01", "2023-02-03", organisme="CD"),
            orientation(8, "2024-03-08", "2024-03-12", organisme="FT"),
            orientation(11, "2024-03-20", "2024-04-02", organisme="ML"),
            orientation(12, "2024-04-02", "2024-04-03", organisme="CD"),
        ],
    )


def test_new_entrants_of_march(march):
    result = nouveaux_entrants(march, **dates(*MARCH, "2024-04-05"))
    assert (result.value, result.numerator, result.denominator) == (9, 9, None)
    assert result.unit == "personnes"


def test_15_days_at_5_april(march):
    # T0 known: 1, 2, 4, 5, 6, 8, 11, 12 (3 has none: sans_t0 = 1).
    # Deadline T0 + 14: person 4 (26/03 -> 09/04) is still open at 05/04: left out.
    # Counted: 1 (14 d, in), 2 (15 d, late), 5 (never), 6 (10/04 not known yet),
    # 8 (11 d, in), 11 (32 d), 12 (43 d) -> 2 / 7 = 28.571 -> 28.6.
    result = taux_orientes_15j(march, **dates(*MARCH, "2024-04-05"))
    assert (result.value, result.numerator, result.denominator) == (28.6, 2, 7)
    assert result.details["sans_t0"] == 1
    assert result.details["fenetre_ouverte"] == 1
    assert result.details["nouveaux_entrants"] == 9


def test_15_days_once_every_window_is_closed(march):
    # At 30/06 person 4's window is closed (not oriented: denominator) and 6's
    # notification of 10/04 is known (30 days: late) -> 2 / 8 = 25.0.
    result = taux_orientes_15j(march, **dates(*MARCH, "2024-06-30"))
    assert (result.value, result.numerator, result.denominator) == (25.0, 2, 8)
    assert result.details["fenetre_ouverte"] == 0


def test_six_weeks_at_5_april(march):
    # Deadline T0 + 42: open at 05/04 for 4 (07/05), 5 (16/04), 6 (22/04) -> 3 left out.
    # Counted: 1 (14 in), 2 (15 in), 8 (11 in), 11 (32 in), 12 (43 late) -> 4 / 5 = 80.0.
    result = taux_orientes_6sem(march, **dates(*MARCH, "2024-04-05"))
    assert (result.value, result.numerator, result.denominator) == (80.0, 4, 5)
    assert result.details["fenetre_ouverte"] == 3
    assert result.details["sans_t0"] == 1


def test_six_weeks_once_every_window_is_closed(march):
    # At 30/06: 6 is notified 30 days after T0 (in), 4 and 5 never -> in: 1, 2, 6, 8, 11
    # out: 4, 5, 12 -> 5 / 8 = 62.5.
    result = taux_orientes_6sem(march, **dates(*MARCH, "2024-06-30"))
    assert (result.value, result.numerator, result.denominator) == (62.5, 5, 8)


def test_one_month_at_5_april(march):
    # T0 of 3 falls back to its rights opening 02/03 (deadline 02/04: 22/03 in time).
    # Deadlines T0 + 1 month: 1, 2, 8, 11 -> 01/04; 12 -> 20/03; 4 -> 26/04 (open);
    # 5 -> 05/04 = as_of, still open on its last day; 6 -> 11/04 (open).
    # Counted: 1 in, 2 in, 3 in, 8 in, 11 late (02/04), 12 late (03/04) -> 4 / 6 = 66.7.
    result = taux_orientes_1mois(march, **dates(*MARCH, "2024-04-05"))
    assert (result.value, result.numerator, result.denominator) == (66.7, 4, 6)
    assert result.details["sans_t0"] == 0
    assert result.details["t0_ouverture_droits"] == 1
    assert result.details["fenetre_ouverte"] == 3


def test_15_days_by_organisme_of_the_entry_orientation(march):
    # Counted at 05/04: 1 FT in, 8 FT in (its entry orientation is the 2024 one),
    # 2 CD late, 6 CD (decided 01/04, not notified), 12 CD late, 11 ML late,
    # 5 never oriented -> "inconnu". Totals 2 / 7 as above.
    result = taux_orientes_15j(march, **dates(*MARCH, "2024-04-05"), by="organisme")
    assert result.breakdown == {
        "FT": {"value": 100.0, "numerator": 2, "denominator": 2},
        "CD": {"value": 0.0, "numerator": 0, "denominator": 3},
        "ML": {"value": 0.0, "numerator": 0, "denominator": 1},
        "CAP_EMPLOI": {"value": None, "numerator": 0, "denominator": 0},
        "MSA": {"value": None, "numerator": 0, "denominator": 0},
        "CCAS": {"value": None, "numerator": 0, "denominator": 0},
        "OTHER": {"value": None, "numerator": 0, "denominator": 0},
        "inconnu": {"value": 0.0, "numerator": 0, "denominator": 1},
    }
    assert (result.numerator, result.denominator) == (2, 7)


@pytest.mark.parametrize(
    ("notified", "expected"),
    [
        ("2024-03-14", 100.0),  # 13 days
        ("2024-03-15", 100.0),  # 14 days: the 15th day counting T0, in time
        ("2024-03-16", 0.0),  # 15 days: late
    ],
)
def test_day_14_is_in_time_day_15_is_late(notified, expected):
    frames = make_frames(
        rights_rows=[rights(1, t0="2024-03-01", start="2024-03-01")],
        orientations=[orientation(1, "2024-03-05", notified)],
    )
    result = taux_orientes_15j(frames, **dates(*MARCH, "2024-04-30"))
    assert (result.value, result.denominator) == (expected, 1)


def test_the_pilot_window_follows_the_territory_parameter():
    # orientation_days=30: in time when notified_on - T0 <= 29 (16 days here).
    frames = make_frames(
        rights_rows=[rights(1, t0="2024-03-01", start="2024-03-01")],
        orientations=[orientation(1, "2024-03-05", "2024-03-17")],
    )
    result = taux_orientes_15j(
        frames, **dates(*MARCH, "2024-04-30"), params=Params(orientation_days=30)
    )
    assert result.value == 100.0
    assert result.details["fenetre"] == "T0 + 29 jours"


@pytest.mark.parametrize(
    ("t0", "notified", "in_time"),
    [
        ("2024-01-31", "2024-02-29", 1),  # leap year: 31/01 + 1 month = 29/02
        ("2024-01-31", "2024-03-01", 0),
        ("2023-01-31", "2023-02-28", 1),  # 31/01 + 1 month = 28/02
        ("2023-01-31", "2023-03-01", 0),
        ("2024-04-30", "2024-05-30", 1),  # 30/04 + 1 month = 30/05, not 31/05
        ("2024-04-30", "2024-05-31", 0),
        ("2024-03-15", "2024-04-15", 1),
        ("2024-03-15", "2024-04-16", 0),
    ],
)
def test_one_month_is_a_calendar_month_clamped_to_the_month_end(t0, notified, in_time):
    frames = make_frames(
        rights_rows=[rights(1, t0=t0, start=t0)],
        orientations=[orientation(1, t0, notified)],
    )
    result = taux_orientes_1mois(frames, **dates(t0, t0, "2024-12-31"))
    # One entrant, window closed: 1 / 1 = 100.0 or 0 / 1 = 0.0.
    assert (result.value, result.numerator, result.denominator) == (100.0 * in_time, in_time, 1)


def test_no_t0_at_all_is_counted_apart_even_for_one_month():
    # Both T0 and rights opening unknown: nothing to measure from.
    frames = make_frames(
        rights_rows=[
            {**rights(1, start="2024-03-01"), "rights_opened_on": None},
        ],
        orientations=[orientation(1, "2024-03-05", "2024-03-06")],
    )
    for compute in (taux_orientes_15j, taux_orientes_1mois, taux_orientes_6sem):
        result = compute(frames, **dates(*MARCH, "2024-12-31"))
        assert (result.value, result.numerator, result.denominator) == (None, 0, 0)
        assert result.details["sans_t0"] == 1


@pytest.mark.parametrize("compute", [taux_orientes_15j, taux_orientes_1mois, taux_orientes_6sem])
def test_empty_period_gives_no_value(march, compute):
    result = compute(march, **dates("2025-01-01", "2025-01-31", "2025-02-28"))
    assert (result.value, result.numerator, result.denominator) == (None, 0, 0)


def test_only_open_windows_give_no_value():
    # The only entrant is not oriented yet and its 15 days are not over: nothing counted.
    frames = make_frames(rights_rows=[rights(1, t0="2024-03-25", start="2024-03-25")])
    result = taux_orientes_15j(frames, **dates(*MARCH, "2024-03-31"))
    assert (result.value, result.numerator, result.denominator) == (None, 0, 0)
    assert result.details["fenetre_ouverte"] == 1
