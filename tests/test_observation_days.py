"""One rule for a period's dates, shared by the COPIL page, the API and the CLI.

Without an as_of asked for, flows are seen at the latest extraction and stocks at
the earlier of the period's end and that extraction (dashboard/indicator_service.py
`observation_days`). A hand-made territory, latest extraction 30/06/2024:

 id  duties (rights)                 orientation
 1   from 01/01/2023                 decided 01/02/2023
 2   from 01/01/2023                 decided 10/05/2024
 3   from 01/01/2023, exit 01/05/24  -
 4   from 15/04/2024                 -
 5   from 01/03/2024, T0 01/03/2024  decided 20/03/2024, notified 10/04/2024

taux_orientation (stock):
- at 31/03/2024: subject 1, 2, 3, 5 (4 not yet) = 4; oriented 1, 5 = 2 -> 50.0 %;
- at 30/06/2024: subject 1, 2, 4, 5 (3 has left) = 4; oriented 1, 2, 5 = 3 -> 75.0 %.
delai_orientation_median_j (flow) of January-March: person 5 entered 01/03 (no rights
the day before, no orientation in the 12 months before). Seen at 30/06 she is notified
10/04: 31 days to 01/04 + 9 = 40 days, count 1. Seen at 31/03 she would not be
notified yet (count 0, no value): flows stay at the latest extraction.
"""

from __future__ import annotations

import datetime as dt

import pytest

from callbacks.context import PageContext
from callbacks.copil_data import published
from dashboard.facts_cache import TerritoryFacts
from dashboard.indicator_service import compute_indicators, indicators_payload, parse_request
from layouts.filters import parse_filters
from metrics.params import DEFAULT_PARAMS
from tests.metrics.builders import make_frames, orientation, person, rights

LATEST = dt.date(2024, 6, 30)
CODES = ["taux_orientation", "delai_orientation_median_j"]


@pytest.fixture(scope="module")
def facts() -> TerritoryFacts:
    frames = make_frames(
        people=[person(n) for n in range(1, 6)],
        rights_rows=[
            rights(1, start="2023-01-01"),
            rights(2, start="2023-01-01"),
            rights(3, start="2023-01-01", exit_on="2024-05-01"),
            rights(4, start="2024-04-15"),
            rights(5, start="2024-03-01", t0="2024-03-01"),
        ],
        orientations=[
            orientation(1, "2023-02-01", "2023-02-03"),
            orientation(2, "2024-05-10", "2024-05-12"),
            orientation(5, "2024-03-20", "2024-04-10"),
        ],
    )
    return TerritoryFacts(
        territory_id=1,
        code="99-TEST",
        name="Test",
        frames=frames,
        targets={},
        params=DEFAULT_PARAMS,
        extractions={"solis": LATEST},
        version=(1,),
    )


def _values(facts, month_from, month_to, as_of=None) -> dict[str, tuple]:
    request = parse_request(month_from, month_to, as_of, codes=CODES)
    results = compute_indicators(facts, request, threshold=None)
    return {r.code: (r.value, r.numerator, r.denominator) for r in results}


def test_api_and_cli_take_a_past_period_stock_at_its_end(facts):
    values = _values(facts, "2024-01", "2024-03")
    assert values["taux_orientation"] == (50.0, 2, 4)  # at 31/03, not 75.0 at 30/06
    assert values["delai_orientation_median_j"][0] == 40.0  # the flow, seen at 30/06
    payload = indicators_payload(facts, parse_request("2024-01", "2024-03", codes=CODES), [])
    assert (payload["as_of"], payload["stock_as_of"]) == ("2024-06-30", "2024-03-31")


def test_current_period_and_an_asked_as_of_use_the_latest_data(facts):
    # The quarter of the extraction: its end is the extraction day.
    assert _values(facts, "2024-04", "2024-06")["taux_orientation"] == (75.0, 3, 4)
    # as_of asked for: every indicator at that day, the stock included.
    asked = _values(facts, "2024-01", "2024-03", as_of="2024-06-30")
    assert asked["taux_orientation"] == (75.0, 3, 4)
    payload = indicators_payload(
        facts, parse_request("2024-01", "2024-03", "2024-06-30", codes=CODES), []
    )
    assert payload["stock_as_of"] == "2024-06-30"


def test_the_copil_page_gives_the_same_figures(facts):
    filters = parse_filters("?periode=2024-T1").resolved(LATEST)
    ctx = PageContext(user=None, facts=facts, filters=filters, as_of=LATEST, threshold=None)
    shown = published(ctx, CODES, "2024-01", "2024-03")
    assert (shown["taux_orientation"].value, shown["delai_orientation_median_j"].value) == (
        50.0,
        40.0,
    )
    assert published(ctx, ["taux_orientation"], "2024-04", "2024-06")["taux_orientation"].value == (
        75.0
    )
