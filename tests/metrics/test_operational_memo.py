"""The COMOP lists and week-on-week figures are built once per set of arguments on a
`Frames` (metrics.memo), and the memo never changes a figure: a narrowing filters the
memoised list, another day, period or threshold builds another one.

Frames: `orientation_frames` of tests/metrics/test_operational.py (March 2024 entrants,
15-day window: deadline = T0 + 14).
"""

from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal

import metrics.operational_weekly as weekly
from metrics.operational import attente_orientation
from metrics.operational_lists import LISTS, Narrowing, operational_list, whole_list
from metrics.params import Params
from tests.metrics.builders import dates
from tests.metrics.test_operational import MARCH, orientation_frames

CODE = "attente_orientation"


def _counting_list(monkeypatch) -> list[int]:
    """Replace the waiting list's function by one that counts its builds."""
    calls: list[int] = []
    compute, indicator = LISTS[CODE]

    def counted(*args, **kwargs) -> pl.DataFrame:
        calls.append(1)
        return compute(*args, **kwargs)

    monkeypatch.setitem(LISTS, CODE, (counted, indicator))
    return calls


def test_narrowings_of_one_list_filter_a_list_built_once(monkeypatch):
    calls = _counting_list(monkeypatch)
    frames = orientation_frames()
    everyone = operational_list(CODE, frames, **MARCH)
    site_a = operational_list(CODE, frames, **MARCH, narrowing=Narrowing(site="CDAS A"))
    ft = operational_list(CODE, frames, **MARCH, narrowing=Narrowing(organisme="FT"))
    assert len(calls) == 1
    # Late at 30/04, still waiting first (test_operational): 3 and 7 (CDAS B), 8, then 2
    # (CDAS A); 7 alone has an FT orientation.
    assert everyone["beneficiary_id"].to_list() == [3, 7, 8, 2]
    assert site_a["beneficiary_id"].to_list() == [8, 2]
    assert ft["beneficiary_id"].to_list() == [7]
    day = MARCH["as_of"]
    memoised = whole_list(CODE, frames, MARCH["period_start"], MARCH["period_end"], day)
    assert memoised is whole_list(CODE, frames, MARCH["period_start"], MARCH["period_end"], day)
    assert_frame_equal(memoised, attente_orientation(orientation_frames(), **MARCH))


def test_another_day_or_threshold_builds_another_list(monkeypatch):
    calls = _counting_list(monkeypatch)
    frames = orientation_frames()
    operational_list(CODE, frames, **MARCH)
    week_before = operational_list(CODE, frames, **dates("2024-03-01", "2024-03-31", "2024-04-07"))
    # At 07/04: 3 (T0 10/03, not notified: 28 days) and 7 (T0 12/03, notified only on 02/05:
    # 26 days) still waiting; 2 notified 20/03, late (19 days); 8's T0 (12/04) is after
    # 07/04, its window not over; 1 in time.
    assert week_before["beneficiary_id"].to_list() == [3, 7, 2]
    assert week_before["days_waiting"].to_list() == [28, 26, 19]
    thirty = operational_list(CODE, frames, **MARCH, params=Params(orientation_days=30))
    # 30 days (test_operational): 2 (19 days) in time, 8 within its window: 3 and 7 left.
    assert thirty["beneficiary_id"].to_list() == [3, 7]
    assert len(calls) == 3


def test_week_on_week_figures_are_memoised_per_narrowing(monkeypatch):
    builds: list[Narrowing] = []
    build = weekly._build_figures

    def counted(frames, days, params, narrowing):
        builds.append(narrowing)
        return build(frames, days, params, narrowing)

    monkeypatch.setattr(weekly, "_build_figures", counted)
    frames = orientation_frames()
    everyone = weekly.week_on_week(frames, **MARCH)
    ft = weekly.week_on_week(frames, **MARCH, narrowing=Narrowing(organisme="FT"))
    assert weekly.week_on_week(frames, **MARCH) == everyone
    # Two days (30/04 and 23/04) for each narrowing, none built again.
    assert len(builds) == 4
    # The same figures as on fresh frames: the memo kept each narrowing apart.
    fresh = orientation_frames()
    assert everyone == weekly.week_on_week(fresh, **MARCH)
    assert ft == weekly.week_on_week(fresh, **MARCH, narrowing=Narrowing(organisme="FT"))
    # FT: only 7 is in the waiting list at 30/04 (total row); everyone: 3, 7, 8 and 2.
    assert ft[-1].now.counts[CODE] == 1
    assert everyone[-1].now.counts[CODE] == 4
