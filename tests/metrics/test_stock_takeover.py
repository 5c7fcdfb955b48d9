"""Taking over the caseload subject at the pilot start: who has been seen since."""

from __future__ import annotations

import datetime as dt

import pytest

from metrics.params import Params
from metrics.takeover import reprise_stock_avancement
from tests.metrics.builders import appointment, dates, make_frames, orientation, rights

PILOT = Params(pilot_start=dt.date(2024, 1, 1))
MARCH = ("2024-03-01", "2024-03-31")


@pytest.fixture(scope="module")
def caseload():
    """Pilot start 01/01/2024; subject since 2023 unless said otherwise.

    1 FT: accompagnement present 15/03           -> seen
    2: present 31/12/2023 (before the start)     -> not seen
    3: absent 15/03                              -> not seen
    4: subject from 02/01/2024, present 15/03    -> not in the caseload taken over
    5: left on 01/03, orientation present 01/02  -> seen (still counted after leaving)
    6: jalon present 01/07 (after as_of)         -> not seen at 30/06
    7: left on 01/01/2024 (first day out)        -> not in the caseload
    """
    return make_frames(
        rights_rows=[
            *(rights(number, start="2023-01-01") for number in (1, 2, 3, 6)),
            rights(4, start="2024-01-02"),
            rights(5, start="2023-01-01", exit_on="2024-03-01"),
            rights(7, start="2023-01-01", exit_on="2024-01-01"),
        ],
        orientations=[orientation(1, "2023-02-01", "2023-02-02", organisme="FT")],
        appointments=[
            appointment(1, "2024-03-15"),
            appointment(2, "2023-12-31"),
            appointment(3, "2024-03-15", "absent"),
            appointment(4, "2024-03-15"),
            appointment(5, "2024-02-01", kind="orientation"),
            appointment(6, "2024-07-01", kind="jalon"),
        ],
    )


def test_takeover_progress(caseload):
    # Caseload 1, 2, 3, 5, 6 = 5; seen 1, 5 = 2 -> 40.0.
    result = reprise_stock_avancement(caseload, **dates(*MARCH, "2024-06-30"), params=PILOT)
    assert (result.value, result.numerator, result.denominator) == (40.0, 2, 5)
    assert result.details["pilot_start"] == dt.date(2024, 1, 1)


def test_takeover_progress_later_and_by_organisme(caseload):
    # At 31/07 6's jalon of 01/07 counts: 3/5; FT: 1 -> 1/1; unknown organisme: 2, 3, 5, 6.
    result = reprise_stock_avancement(
        caseload, **dates(*MARCH, "2024-07-31"), params=PILOT, by="organisme"
    )
    assert (result.value, result.numerator) == (60.0, 3)
    assert result.breakdown["FT"] == {"value": 100.0, "numerator": 1, "denominator": 1}
    assert result.breakdown["inconnu"] == {"value": 50.0, "numerator": 2, "denominator": 4}


def test_no_pilot_start_gives_no_value(caseload):
    result = reprise_stock_avancement(caseload, **dates(*MARCH, "2024-06-30"))
    assert (result.value, result.numerator, result.denominator) == (None, None, None)
    assert result.details["pilot_start"] is None
    before = reprise_stock_avancement(caseload, **dates(*MARCH, "2023-12-31"), params=PILOT)
    assert before.value is None


def test_pilot_start_parameter():
    assert Params.from_mapping({"pilot_start": "2024-01-01"}).pilot_start == dt.date(2024, 1, 1)
    with pytest.raises(ValueError, match="ISO date"):
        Params.from_mapping({"pilot_start": "01/01/2024"})
    with pytest.raises(ValueError, match="pilot_start"):
        Params(pilot_start=dt.datetime(2024, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="intensive_hours"):
        Params(intensive_hours=0)
