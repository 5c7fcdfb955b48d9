"""COPIL trajectories: a flow whose months are mostly hidden is drawn by quarter.

Hand-made territory, data at 30/06/2024, a target for nouveaux_entrants over
January-June 2024 (so the chart spans 2024-01 .. 2024-06, six months). New
entrants (duties starting on the 10th, nobody subject before, no orientation):

    month   jan feb mar apr may jun
    people    5   5   5   2   3   3

Threshold 11: every month is 0 < n < 11, hidden (6 of 6, more than half): the
chart goes by quarter. T1 = 5 + 5 + 5 = 15 (published); T2 = 2 + 3 + 3 = 8, still
under 11: hidden too (disclosure applies to the quarters as well).
Threshold 3: only April (2) is hidden, 1 of 6: the chart stays monthly.
"""

from __future__ import annotations

import datetime as dt

import pytest

from callbacks.context import PageContext
from callbacks.copil_data import SeriesPoint, _trajectory, mostly_hidden
from callbacks.copil_periods import quarter_of, quarter_spans
from dashboard.facts_cache import TerritoryFacts
from layouts.copil_views import trajectory_view
from layouts.filters import parse_filters
from metrics.params import DEFAULT_PARAMS
from metrics.trajectory import TargetPoint
from tests.metrics.builders import make_frames, person, rights

AS_OF = dt.date(2024, 6, 30)
ENTRANTS = {1: 5, 2: 5, 3: 5, 4: 2, 5: 3, 6: 3}  # month -> people entering that month


@pytest.fixture(scope="module")
def facts() -> TerritoryFacts:
    people, rows, number = [], [], 0
    for month, count in ENTRANTS.items():
        for _ in range(count):
            number += 1
            people.append(person(number))
            rows.append(rights(number, start=f"2024-{month:02d}-10"))
    target = TargetPoint(dt.date(2024, 1, 1), dt.date(2024, 6, 30), 30.0)
    return TerritoryFacts(
        territory_id=1,
        code="99-TEST",
        name="Test",
        frames=make_frames(people=people, rights_rows=rows),
        targets={"nouveaux_entrants": [target]},
        params=DEFAULT_PARAMS,
        extractions={"solis": AS_OF},
        version=(1,),
    )


def _ctx(facts, threshold):
    filters = parse_filters("?periode=2024-T2").resolved(AS_OF)
    return PageContext(user=None, facts=facts, filters=filters, as_of=AS_OF, threshold=threshold)


def _shown(trajectory):
    return [(p.label, p.day, None if p.suppressed else p.value) for p in trajectory.points]


def test_quarter_spans_cut_the_series_at_calendar_quarters():
    assert quarter_of("2024-05") == "2024-04" and quarter_of("2024-12") == "2024-10"
    months = ["2023-11", "2023-12", "2024-01", "2024-02", "2024-03", "2024-04"]
    # A partial first quarter (Nov-Dec), a full one, a partial last one (April).
    assert quarter_spans(months) == [
        ("2023-11", "2023-12"),
        ("2024-01", "2024-03"),
        ("2024-04", "2024-04"),
    ]


def test_mostly_hidden_means_more_than_half():
    def points(*hidden):
        return [SeriesPoint("2024-01", AS_OF, None, flag) for flag in hidden]

    assert mostly_hidden(points(True, True, False))
    assert not mostly_hidden(points(True, False))  # half is not more than half


def test_hidden_months_give_quarters_still_disclosed(facts):
    trajectory = _trajectory(_ctx(facts, 11), "nouveaux_entrants")
    assert trajectory.by_quarter
    assert _shown(trajectory) == [
        ("T1 2024", dt.date(2024, 3, 31), 15),
        ("T2 2024", dt.date(2024, 6, 30), None),  # 8 people: hidden as a quarter too
    ]
    assert trajectory.points[1].suppressed
    view = str(trajectory_view(trajectory, 11))
    assert "Mois masqués (moins de 11 personnes) : affichage par trimestre" in view
    assert "1 trimestre(s) sur 2 non publiés" in view
    assert "T2 2024 : secret statistique" in view  # the hover text, no number
    assert "valeur du trimestre" in view


def test_months_stay_when_few_are_hidden_or_for_exact_roles(facts):
    few = _trajectory(_ctx(facts, 3), "nouveaux_entrants")
    assert not few.by_quarter
    assert [value for _, _, value in _shown(few)] == [5, 5, 5, None, 3, 3]
    exact = _trajectory(_ctx(facts, None), "nouveaux_entrants")
    assert not exact.by_quarter
    assert [value for _, _, value in _shown(exact)] == [5, 5, 5, 2, 3, 3]
    assert "affichage par trimestre" not in str(trajectory_view(few, 3))
