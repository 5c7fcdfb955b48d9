"""Roadmap status: the precedence of the rules, the 14-day window, the summary, by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.models import RoadmapProgress
from metrics.roadmap_status import (
    PROGRESS_VALUES,
    RoadmapItem,
    RoadmapStatus,
    action_status,
    roadmap_status,
    summarise,
)

S = RoadmapStatus
D = dt.date
# Thursday 20 June 2024; as_of + 14 days = Thursday 4 July, + 15 = Friday 5 July.
AS_OF = D(2024, 6, 20)


def item(
    axis: str = "Axe",
    action: str = "Action",
    *,
    start: dt.date | None = None,
    due: dt.date | None = None,
    continuous: bool = False,
    progress: str | None = None,
) -> RoadmapItem:
    return RoadmapItem(
        axis=axis,
        target="Cible",
        action=action,
        start=start,
        due=due,
        continuous=continuous,
        progress=progress,
    )


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        # 1. declared done wins over everything, a passed due date or "continuous" included.
        (item(due=D(2024, 3, 31), progress="realise"), S.FAIT),
        (item(continuous=True, progress="realise"), S.FAIT),
        (item(progress="realise"), S.FAIT),  # done without any date: still done
        # 2. abandoned: its own status, never late even with a passed due date.
        (item(due=D(2024, 3, 31), progress="abandonne"), S.ABANDONNE),
        # 3. continuous before any date rule: "Au fil de l'eau – fin mars" past its end.
        (item(due=D(2024, 3, 31), continuous=True), S.CONTINU),
        (item(continuous=True, progress="non_demarre"), S.CONTINU),
        (item(continuous=True, progress="en_cours"), S.CONTINU),
        # 4. no due date (not understood, or empty), whatever the start or progress.
        (item(), S.A_PRECISER),
        (item(start=D(2024, 1, 1)), S.A_PRECISER),
        (item(progress="en_cours"), S.A_PRECISER),
        # 5. due before as_of and not done: late, declared progress or not.
        (item(due=D(2024, 6, 19)), S.EN_RETARD),
        (item(start=D(2024, 4, 1), due=D(2024, 6, 19), progress="en_cours"), S.EN_RETARD),
        (item(due=D(2024, 6, 19), progress="non_demarre"), S.EN_RETARD),
        # 6. due today is not late yet; due on as_of + 14 is still "soon", + 15 is not.
        (item(due=AS_OF), S.ECHEANCE_PROCHE),
        (item(due=D(2024, 7, 4)), S.ECHEANCE_PROCHE),
        (item(due=D(2024, 7, 5)), S.A_VENIR),
        # ... and "soon" wins over "not started yet": starts 25/06, due 30/06.
        (item(start=D(2024, 6, 25), due=D(2024, 6, 30)), S.ECHEANCE_PROCHE),
        (item(start=D(2024, 4, 1), due=D(2024, 6, 30), progress="en_cours"), S.ECHEANCE_PROCHE),
        # 7. due later than the window: started by the calendar or declared in progress.
        (item(start=D(2024, 6, 1), due=D(2024, 7, 5)), S.EN_COURS),
        (item(start=AS_OF, due=D(2024, 9, 30)), S.EN_COURS),  # starts today: started
        (item(due=D(2024, 9, 30), progress="en_cours"), S.EN_COURS),
        # The calendar says started even if the owners wrote "non démarré" (docs/roadmap.md).
        (item(start=D(2024, 6, 1), due=D(2024, 9, 30), progress="non_demarre"), S.EN_COURS),
        # 8. otherwise: to come (starts tomorrow, or no start and not declared in progress).
        (item(start=D(2024, 6, 21), due=D(2024, 9, 30)), S.A_VENIR),
        (item(due=D(2024, 9, 30), progress="non_demarre"), S.A_VENIR),
    ],
)
def test_precedence_of_the_rules(case, expected):
    assert action_status(case, AS_OF) == expected


@pytest.mark.parametrize(
    ("window", "due", "expected"),
    [
        # A window of 0 days: only an action due today is "soon".
        (0, AS_OF, S.ECHEANCE_PROCHE),
        (0, D(2024, 6, 21), S.A_VENIR),
        # 30 days: 20/06 + 30 = 20/07 is the last day in the window.
        (30, D(2024, 7, 5), S.ECHEANCE_PROCHE),
        (30, D(2024, 7, 20), S.ECHEANCE_PROCHE),
        (30, D(2024, 7, 21), S.A_VENIR),
    ],
)
def test_the_window_is_a_parameter(window, due, expected):
    assert action_status(item(due=due), AS_OF, window_days=window) == expected


def test_bad_window_and_bad_progress_are_refused():
    with pytest.raises(ValueError, match="negative"):
        action_status(item(due=AS_OF), AS_OF, window_days=-1)
    with pytest.raises(ValueError, match="negative"):
        roadmap_status([], AS_OF, window_days=-1)
    with pytest.raises(ValueError, match="Unknown progress"):
        item(progress="fait")  # a status, not a declared progress


def test_progress_values_are_the_models():
    assert PROGRESS_VALUES == tuple(value.value for value in RoadmapProgress)


def test_french_labels():
    assert [(status.value, status.label) for status in RoadmapStatus] == [
        ("fait", "Fait"),
        ("en_retard", "En retard"),
        ("echeance_proche", "Échéance proche"),
        ("en_cours", "En cours"),
        ("a_venir", "À venir"),
        ("continu", "Continu"),
        ("a_preciser", "À préciser"),
        ("abandonne", "Abandonnée"),
    ]


def test_summary_per_axis_and_overall():
    items = [
        # Axis A: done, late, late -> 3 actions, 1/3 done = 33.3 %, 2/3 late = 66.7 %.
        item("A", "a1", due=D(2024, 5, 31), progress="realise"),
        item("A", "a2", due=D(2024, 6, 1)),
        # Axis B (first seen here, between A's actions): soon, abandoned (late by date).
        item("B", "b1", due=D(2024, 7, 1)),
        item("A", "a3", due=D(2024, 6, 19), progress="en_cours"),
        item("B", "b2", due=D(2024, 1, 31), progress="abandonne"),
        # Axis C: continuous, no date, to come -> nothing done, nothing late.
        item("C", "c1", continuous=True),
        item("C", "c2"),
        item("C", "c3", due=D(2024, 12, 31)),
    ]
    report = roadmap_status(items, AS_OF)
    assert [(i.action, status) for i, status in report.actions] == [
        ("a1", S.FAIT),
        ("a2", S.EN_RETARD),
        ("b1", S.ECHEANCE_PROCHE),
        ("a3", S.EN_RETARD),
        ("b2", S.ABANDONNE),
        ("c1", S.CONTINU),
        ("c2", S.A_PRECISER),
        ("c3", S.A_VENIR),
    ]
    assert list(report.by_axis) == ["A", "B", "C"]  # order of first appearance
    a, b, c = report.by_axis.values()
    assert (a.total, a.denominator, a.share_done, a.share_late) == (3, 3, 33.3, 66.7)
    assert a.counts[S.FAIT] == 1 and a.counts[S.EN_RETARD] == 2
    # B: 2 actions, the abandoned one is out of the denominator: 0 / 1 done, 0 / 1 late.
    assert (b.total, b.denominator, b.share_done, b.share_late) == (2, 1, 0.0, 0.0)
    assert b.counts[S.ABANDONNE] == 1 and b.counts[S.EN_RETARD] == 0
    assert (c.total, c.denominator, c.share_done, c.share_late) == (3, 3, 0.0, 0.0)
    # Overall: 8 actions, 7 not abandoned; 1 done -> 1/7 = 14.29 -> 14.3 %;
    # 2 late -> 2/7 = 28.57 -> 28.6 %.
    overall = report.overall
    assert (overall.total, overall.denominator) == (8, 7)
    assert (overall.share_done, overall.share_late) == (14.3, 28.6)
    assert overall.counts == {
        S.FAIT: 1,
        S.EN_RETARD: 2,
        S.ECHEANCE_PROCHE: 1,
        S.EN_COURS: 0,
        S.A_VENIR: 1,
        S.CONTINU: 1,
        S.A_PRECISER: 1,
        S.ABANDONNE: 1,
    }
    assert sum(summary.total for summary in report.by_axis.values()) == overall.total


def test_the_summary_as_json():
    report = roadmap_status([item("A", due=D(2024, 6, 1)), item("B", progress="realise")], AS_OF)
    # 2 actions: 1 late, 1 done -> 50.0 % each, overall and 100.0 / 0.0 per axis.
    zeros = {status.value: 0 for status in RoadmapStatus}
    assert report.as_dict() == {
        "window_days": 14,
        "overall": {
            "counts": {**zeros, "fait": 1, "en_retard": 1},
            "total": 2,
            "denominator": 2,
            "share_done": 50.0,
            "share_late": 50.0,
        },
        "by_axis": [
            {
                "axis": "A",
                "counts": {**zeros, "en_retard": 1},
                "total": 1,
                "denominator": 1,
                "share_done": 0.0,
                "share_late": 100.0,
            },
            {
                "axis": "B",
                "counts": {**zeros, "fait": 1},
                "total": 1,
                "denominator": 1,
                "share_done": 100.0,
                "share_late": 0.0,
            },
        ],
    }


def test_empty_roadmap_has_no_share():
    report = roadmap_status([], AS_OF)
    assert report.actions == () and report.by_axis == {}
    overall = report.overall
    assert (overall.total, overall.denominator, overall.share_done, overall.share_late) == (
        0,
        0,
        None,
        None,
    )
    assert set(overall.counts.values()) == {0}


def test_only_abandoned_actions_have_no_share():
    summary = summarise([S.ABANDONNE, S.ABANDONNE])
    assert (summary.total, summary.denominator, summary.share_done, summary.share_late) == (
        2,
        0,
        None,
        None,
    )
