"""The COMOP lists (metrics/operational.py), computed by hand on tiny frames, and their
agreement with the COPIL indicators they detail."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from metrics.accompaniment import taux_premier_rdv_15j
from metrics.appointments import taux_relance_15j
from metrics.operational import (
    absences_sans_relance,
    attente_orientation,
    orientation_windows,
    orientes_sans_rdv,
    referents_au_dessus_cible,
)
from metrics.operational_lists import LISTS, Narrowing, narrowed, operational_list
from metrics.operational_weekly import week_on_week
from metrics.orientation import taux_orientes_15j
from metrics.params import Params
from metrics.portfolios import part_referents_au_dessus_cible
from tests.metrics.builders import (
    appointment,
    d,
    dates,
    make_frames,
    orientation,
    person,
    referent,
    rights,
)

MARCH = dates("2024-03-01", "2024-03-31", "2024-04-30")


def orientation_frames():
    """New entrants of March 2024 seen at 30/04 (15 days: deadline = T0 + 14)."""
    return make_frames(
        people=[
            person(1, site="CDAS A"),
            person(2, site="CDAS A"),
            person(3, site="CDAS B"),
            person(4, site="CDAS B"),
            person(5, site="CDAS A"),
            person(6, site="CDAS A"),
            person(7, site="CDAS B"),
            person(8, site="CDAS A"),
        ],
        rights_rows=[
            rights(1, start="2024-03-01", t0="2024-03-01"),
            rights(2, start="2024-03-01", t0="2024-03-01"),
            rights(3, start="2024-03-10", t0="2024-03-10"),
            rights(4, start="2024-03-25", t0="2024-04-20"),
            rights(5, start="2024-03-05"),  # no T0: left out, as by the indicator
            rights(6, start="2024-02-15", t0="2024-02-15"),  # entered before March
            rights(7, start="2024-03-12", t0="2024-03-12"),
            rights(8, start="2024-03-30", t0="2024-04-12"),
        ],
        orientations=[
            orientation(1, "2024-03-05", "2024-03-10"),  # notified day 10: in time
            orientation(2, "2024-03-20", "2024-03-20", organisme="CD", referent=20),  # late
            # decided in time but notified after as_of: still waiting at 30/04
            orientation(7, "2024-03-20", "2024-05-02", organisme="FT", referent=70),
        ],
    )


def test_waiting_list_holds_the_late_entrants_still_waiting_first():
    rows = attente_orientation(orientation_frames(), **MARCH)
    # 1 in time (10/03 <= 15/03); 4 still within its window (20/04 + 14 = 04/05 > 30/04);
    # 5 without T0 and 6 entered in February are not measured.
    # Still waiting, longest first: 3 (30/04 - 10/03 = 51 days), 7 (30/04 - 12/03 = 49),
    # 8 (30/04 - 12/04 = 18, deadline 26/04 passed); then 2, notified 20/03 (19 days).
    assert rows["beneficiary_id"].to_list() == [3, 7, 8, 2]
    assert rows["days_waiting"].to_list() == [51, 49, 18, 19]
    assert rows["still_waiting"].to_list() == [True, True, True, False]
    assert rows["notified_on"].to_list() == [None, None, None, d("2024-03-20")]
    assert rows["deadline"].to_list()[0] == d("2024-03-24")  # 10/03 + 14
    # 7's entry orientation (decided 20/03) is FT with referent 70, in force at 30/04.
    assert rows.filter(rows["beneficiary_id"] == 7)[["organisme", "referent_id"]].row(0) == (
        "FT",
        70,
    )
    assert rows["site"].to_list() == ["CDAS B", "CDAS B", "CDAS A", "CDAS A"]


def test_waiting_list_is_the_late_part_of_taux_orientes_15j():
    frames = orientation_frames()
    result = taux_orientes_15j(frames, **MARCH)
    # Counted: 1 (in time), 2, 3, 7, 8 (late) -> 1 / 5; the list holds the 4 late ones.
    assert (result.numerator, result.denominator) == (1, 5)
    assert attente_orientation(frames, **MARCH).height == result.denominator - result.numerator
    windows = orientation_windows(frames, **MARCH)
    assert sorted(windows["beneficiary_id"].to_list()) == [1, 2, 3, 7, 8]


def test_a_territory_threshold_moves_the_deadline():
    # With 30 days (deadline T0 + 29), 2 (19 days) is in time; 3 (deadline 08/04), 7
    # (10/04) still late; 8 (deadline 11/05) still within its window.
    rows = attente_orientation(orientation_frames(), **MARCH, params=Params(orientation_days=30))
    assert rows["beneficiary_id"].to_list() == [3, 7]


def appointment_frames():
    """First appointments in March 2024, seen at 30/04 (reminder within 15 days)."""
    return make_frames(
        people=[person(n, site="CDAS A" if n % 2 else "CDAS B") for n in range(11, 18)],
        appointments=[
            appointment(11, "2024-03-04", "absent", kind="orientation", reminder="2024-03-06"),
            appointment(12, "2024-03-05", "absent", kind="orientation", referent=5),
            appointment(13, "2024-03-08", "absent", kind="orientation", reminder="2024-03-30"),
            appointment(14, "2024-03-10", "absent", kind="orientation"),
            appointment(14, "2024-04-10", "planifie", invited="2024-04-01"),
            appointment(15, "2024-04-25", "absent", kind="orientation"),  # April
            appointment(16, "2024-03-28", "absent", kind="orientation"),
            appointment(17, "2024-03-03", "excuse", kind="orientation"),
        ],
    )


def test_absences_without_reminder_within_15_days():
    rows = absences_sans_relance(appointment_frames(), **MARCH)
    # 11 reminded on day 2: followed. 12 and 16: nothing at all (still without), 56 and 33
    # days before 30/04. 13: reminder on 30/03, after its deadline 23/03 (22 days after the
    # absence of 08/03). 14: invited on 01/04 to another appointment, after its deadline
    # 25/03 (22 days after 10/03; tie: by id). 15 missed in April, 17 excused.
    assert rows["beneficiary_id"].to_list() == [12, 16, 13, 14]
    assert rows["days_without"].to_list() == [56, 33, 22, 22]
    assert rows["followed_late_on"].to_list() == [None, None, d("2024-03-30"), d("2024-04-01")]
    assert rows["still_without"].to_list() == [True, True, False, False]
    assert rows["referent_id"].to_list() == [5, None, None, None]  # the appointment's referent
    assert rows["kind"].unique().to_list() == ["orientation"]


def test_absences_list_is_the_late_part_of_taux_relance_15j():
    frames = appointment_frames()
    result = taux_relance_15j(frames, **MARCH)
    # Absences in March: 11, 12, 13, 14, 16; followed in time: 11 -> 1 / 5.
    assert (result.numerator, result.denominator) == (1, 5)
    assert absences_sans_relance(frames, **MARCH).height == 4


def test_an_absence_whose_window_is_open_is_not_listed_yet():
    # Seen at 20/03: 16 (28/03) is not held yet; 12 (deadline 20/03) is still in its
    # window; 13 (23/03) and 14 (25/03) too. Nothing is late.
    rows = absences_sans_relance(
        appointment_frames(), **dates("2024-03-01", "2024-03-31", "2024-03-20")
    )
    assert rows.height == 0


def first_appointment_frames():
    """Orientations of March 2024, seen at 30/04 (first appointment within 15 days)."""
    return make_frames(
        people=[person(n, site="CDAS A") for n in range(21, 28)],
        orientations=[
            orientation(21, "2024-03-01", "2024-03-04"),
            orientation(22, "2024-03-02", "2024-03-05", organisme="CD", referent=9),
            orientation(23, "2024-03-03", "2024-03-06"),
            orientation(24, "2024-03-20"),  # not notified: the decision is the reference
            orientation(25, "2024-04-20", "2024-04-21"),  # April: not this period
            orientation(26, "2024-03-25", "2024-03-28"),
            orientation(27, "2024-03-10", "2024-03-12"),
        ],
        appointments=[
            appointment(21, "2024-03-10", "present", invited="2024-03-05"),
            appointment(23, "2024-04-02", "planifie", invited="2024-03-25"),
            appointment(26, "2024-04-05", "annule", invited="2024-03-29"),
            appointment(27, "2024-03-20", "planifie", invited="2024-05-01"),  # known later
        ],
    )


def test_oriented_people_without_a_first_appointment():
    rows = orientes_sans_rdv(first_appointment_frames(), **MARCH)
    # 21 seen on day 6: in time. Still without, oldest first: 22 (30/04 - 05/03 = 56 days),
    # 27 (its appointment is known only on 01/05: 30/04 - 12/03 = 49), 24 (30/04 - 20/03 =
    # 41, not notified), 26 (its appointment was cancelled: 30/04 - 28/03 = 33); then 23,
    # whose appointment on 02/04 came after its deadline 21/03 (02/04 - 06/03 = 27 days).
    assert rows["beneficiary_id"].to_list() == [22, 27, 24, 26, 23]
    assert rows["days_waiting"].to_list() == [56, 49, 41, 33, 27]
    assert rows["appointment_on"].to_list() == [None, None, None, None, d("2024-04-02")]
    assert rows["notified_on"].to_list()[2] is None
    assert rows["reference_on"].to_list()[2] == d("2024-03-20")
    assert rows.filter(rows["beneficiary_id"] == 22)[["organisme", "referent_id"]].row(0) == (
        "CD",
        9,
    )


def test_first_appointment_list_is_the_late_part_of_taux_premier_rdv_15j():
    frames = first_appointment_frames()
    result = taux_premier_rdv_15j(frames, **MARCH)
    # Orientations of March: 21, 22, 23, 24, 26, 27; in time: 21 -> 1 / 6.
    assert (result.numerator, result.denominator) == (1, 6)
    assert orientes_sans_rdv(frames, **MARCH).height == 5


def portfolio_frames():
    """Referents' portfolios: people subject from 01/01/2024 and their referents."""
    oriented = {31: 1, 32: 1, 33: 1, 34: 2, 35: 2, 36: 3, 37: 3, 38: 99, 39: 3}
    decided = {33: "2024-02-10"}  # 33 joins referent 1 in February
    return make_frames(
        people=[person(n) for n in oriented],
        rights_rows=[
            rights(n, start="2024-01-01", end="2024-03-31" if n == 39 else None) for n in oriented
        ],
        orientations=[
            orientation(n, decided.get(n, "2024-01-05"), "2024-01-06", referent=ref)
            for n, ref in oriented.items()
        ],
        referents=[
            referent(1, "CD", 2, site="CDAS A"),
            referent(2, "FT", 3, site="Agence FT"),
            referent(3, "CD", 1, site="CDAS B"),
        ],
    )


def test_referents_above_their_target():
    frames = portfolio_frames()
    rows = referents_au_dessus_cible(frames, **MARCH)
    # At 30/04: referent 1 has 31, 32, 33 (3 > 2); referent 3 has 36, 37 (2 > 1; 39 left
    # droits et devoirs on 31/03); referent 2 has 2 <= 3; referent 99 has 1 <= 70 (default).
    assert rows["referent_id"].to_list() == [1, 3]
    assert rows["people"].to_list() == [3, 2]
    assert rows["excess"].to_list() == [1, 1]
    assert rows["site"].to_list() == ["CDAS A", "CDAS B"]
    assert part_referents_au_dessus_cible(frames, **MARCH).numerator == 2


def test_the_portfolio_list_of_a_past_period_is_taken_at_its_end():
    # January seen at 30/04: portfolios at 31/01, when 33 was not yet with referent 1
    # (2 people, not above 2); referent 3 then had 36, 37 and 39 (3 > 1).
    january = dates("2024-01-01", "2024-01-31", "2024-04-30")
    rows = operational_list("referents_au_dessus_cible", portfolio_frames(), **january)
    assert rows["referent_id"].to_list() == [3]
    assert rows["people"].to_list() == [3]
    at_end = part_referents_au_dessus_cible(
        portfolio_frames(), **dates("2024-01-01", "2024-01-31", "2024-01-31")
    )
    assert at_end.numerator == 1


def test_narrowing_keeps_the_rows_of_one_site_organisme_or_referent():
    rows = attente_orientation(orientation_frames(), **MARCH)
    assert narrowed(rows, Narrowing(site="CDAS A"))["beneficiary_id"].to_list() == [8, 2]
    assert narrowed(rows, Narrowing(organisme="FT"))["beneficiary_id"].to_list() == [7]
    assert narrowed(rows, Narrowing(referent_id=20))["beneficiary_id"].to_list() == [2]
    # Rows without a value never match a filter on it (3 and 8 have no orientation).
    assert narrowed(rows, Narrowing(site="CDAS B", organisme="CD")).height == 0
    assert narrowed(rows, Narrowing()).height == 4


def test_narrowing_nothing_keeps_every_row_of_a_long_list():
    # Found by bench/load.py on 200,000 people: from 16,384 rows polars 2.1 refused the
    # always-true filter the unnarrowed list went through. 20,000 rows, nothing narrowed:
    # all 20,000 stay; narrowed to one site, the 10,000 rows of site "A" (even ids) stay.
    rows = pl.DataFrame(
        {
            "beneficiary_id": range(20_000),
            "site": ["A", "B"] * 10_000,
            "organisme": ["CD"] * 20_000,
            "referent_id": [1] * 20_000,
        }
    )
    assert narrowed(rows, Narrowing()).height == 20_000
    assert narrowed(rows, Narrowing(site="A", organisme="CD")).height == 10_000


def test_an_unknown_list_is_a_programmer_error():
    with pytest.raises(ValueError, match="Unknown operational list"):
        operational_list("inconnue", orientation_frames(), **MARCH)
    with pytest.raises(ValueError, match="as_of"):
        operational_list(
            "attente_orientation",
            orientation_frames(),
            period_start=dt.date(2024, 3, 1),
            period_end=dt.date(2024, 3, 31),
            as_of="2024-04-30",
        )


def test_every_list_names_a_registered_indicator():
    from metrics.registry import REGISTRY

    assert all(code in REGISTRY for _function, code in LISTS.values())


def test_empty_frames_give_empty_lists():
    from metrics.frames import Frames

    for code in LISTS:
        assert operational_list(code, Frames.empty(), **MARCH).height == 0


def test_week_on_week_per_site():
    rows = week_on_week(orientation_frames(), **MARCH)
    # Seen at 30/04 and at 23/04. CDAS A: 2 and 8 late at 30/04, only 2 at 23/04 (8's
    # deadline is 26/04); its rate: 1 in time over 1, 2, 8 = 33.3 % against 1 / 2 = 50 %.
    # CDAS B: 3 and 7 late on both days, nobody in time (0 %).
    # Orientations of March without an appointment (none is booked): 1 and 2 (A), 7 (B,
    # reference its decision 20/03 as it is notified after 30/04): late on both days.
    assert [(row.site, row.total) for row in rows] == [
        ("CDAS A", False),
        ("CDAS B", False),
        (None, True),
    ]
    site_a, site_b, total = rows
    assert site_a.now.counts["attente_orientation"] == 2
    assert site_a.change("attente_orientation") == 1
    assert (site_a.now.rate, site_a.before.rate, site_a.rate_change) == (33.3, 50.0, -16.7)
    assert site_b.change("attente_orientation") == 0
    assert (site_b.now.rate, site_b.rate_change) == (0.0, 0.0)
    assert (site_a.now.counts["orientes_sans_rdv"], site_b.now.counts["orientes_sans_rdv"]) == (
        2,
        1,
    )
    # Everyone: 4 late now (3 a week before); 1 in time over 5 = 20 % (1 / 4 = 25 %).
    assert total.now.counts == {
        "attente_orientation": 4,
        "absences_sans_relance": 0,
        "orientes_sans_rdv": 3,
        "referents_au_dessus_cible": 0,
    }
    assert (total.now.rate, total.before.rate, total.rate_change) == (20.0, 25.0, -5.0)


def test_week_on_week_narrowed_to_one_organisme():
    rows = week_on_week(orientation_frames(), **MARCH, narrowing=Narrowing(organisme="FT"))
    # Only 7 has an FT orientation: late on both days, in CDAS B, never in time.
    assert [row.site for row in rows] == ["CDAS B", None]
    assert rows[-1].now.counts["attente_orientation"] == 1
    assert (rows[-1].now.rate, rows[-1].rate_change) == (0.0, 0.0)


@pytest.fixture(scope="module")
def demo_frames():
    from dashboard.demo import generate_demo
    from tests.metrics.demo_frames import frames_from_demo

    return frames_from_demo(generate_demo(size=700))


DEMO_DATES = [
    dates("2024-01-01", "2024-12-31", "2024-12-31"),
    dates("2024-07-01", "2024-09-30", "2024-12-31"),
    dates("2024-06-01", "2024-06-30", "2024-09-15"),
    dates("2023-01-01", "2023-12-31", "2024-12-31"),
]
FLOW_RATES = {
    "attente_orientation": taux_orientes_15j,
    "absences_sans_relance": taux_relance_15j,
    "orientes_sans_rdv": taux_premier_rdv_15j,
}


@pytest.mark.slow
@pytest.mark.parametrize("window", DEMO_DATES, ids=lambda w: f"{w['period_start']}-{w['as_of']}")
def test_the_lists_agree_with_the_copil_figures_on_the_demo(demo_frames, window):
    for code, rate in FLOW_RATES.items():
        result = rate(demo_frames, **window)
        rows = operational_list(code, demo_frames, **window)
        assert rows.height == result.denominator - result.numerator, code
    stock_day = min(window["period_end"], window["as_of"])
    above = part_referents_au_dessus_cible(demo_frames, **{**window, "as_of": stock_day})
    rows = operational_list("referents_au_dessus_cible", demo_frames, **window)
    assert rows.height == above.numerator
    # The entrants still waiting are the late ones not notified at as_of.
    waiting = operational_list("attente_orientation", demo_frames, **window)
    assert waiting.filter(waiting["still_waiting"])["notified_on"].null_count() == int(
        waiting["still_waiting"].sum()
    )
    # The weekly table's total row is the lists and the COPIL rate.
    total = week_on_week(demo_frames, **window)[-1]
    assert total.total
    assert total.now.counts["attente_orientation"] == waiting.height
    assert total.now.rate == taux_orientes_15j(demo_frames, **window).value
    per_site = sum(
        row.now.counts.get("attente_orientation", 0) for row in total_rows(demo_frames, window)
    )
    assert per_site == waiting.height


def total_rows(frames, window):
    return [row for row in week_on_week(frames, **window) if not row.total]


@pytest.mark.slow
def test_the_demo_lists_are_not_empty(demo_frames):
    # Guard against an agreement that holds only because everything is empty.
    window = DEMO_DATES[0]
    assert operational_list("attente_orientation", demo_frames, **window).height > 0
    assert operational_list("orientes_sans_rdv", demo_frames, **window).height > 0
    assert operational_list("referents_au_dessus_cible", demo_frames, **window).height > 0
