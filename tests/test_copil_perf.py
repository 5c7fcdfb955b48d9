"""What makes the COPIL callbacks cheap: plain-dict figures and results memoised per version.

No timing is asserted (bench/bench_callbacks.py measures): these tests check
that the figures are the plain dicts plotly.js reads, with the look a
go.Figure had, and that a result computed once for a facts version is not
computed again, while a new version, another threshold or another territory
computes it anew.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from flask import Flask

from callbacks import copil_data
from callbacks.context import PageContext
from layouts.copil_figures import TEMPLATE, funnel_figure, roadmap_figure, trajectory_figure
from layouts.filters import PageFilters
from metrics.funnel import Funnel, FunnelStep
from metrics.roadmap_status import RoadmapStatus, RoadmapStatusReport, StatusSummary

AS_OF = dt.date(2024, 12, 31)


def test_a_trajectory_is_a_plain_dict_with_gaps_and_the_template():
    points = (
        copil_data.SeriesPoint("2024-01", dt.date(2024, 1, 31), 40.0, False),
        copil_data.SeriesPoint("2024-02", dt.date(2024, 2, 29), None, True),
    )
    path = ((dt.date(2024, 1, 1), 30.0), (dt.date(2024, 12, 31), 60.0))
    trajectory = copil_data.Trajectory("taux_orientation", points, path, stock=True)
    figure = trajectory_figure(trajectory, "%", 11)
    assert type(figure) is dict and set(figure) == {"data", "layout"}
    actual, target = figure["data"]
    # The hidden February is a gap (None), never its value; dates go as ISO strings.
    assert actual["type"] == "scatter" and actual["y"] == [40.0, None]
    assert actual["x"] == ["2024-01-31", "2024-02-29"]
    assert actual["customdata"][1] == "février 2024 : secret statistique (< 11)"
    assert target["x"] == ["2024-01-01", "2024-12-31"] and target["y"] == [30.0, 60.0]
    layout = figure["layout"]
    assert layout["template"] is TEMPLATE  # plotly's default look, as a go.Figure carried
    assert layout["yaxis"]["title"] == {"text": "Taux (%)"}
    assert layout["yaxis"]["ticksuffix"] == " %" and layout["yaxis"]["rangemode"] == "tozero"
    assert layout["xaxis"] == {"showgrid": False, "linecolor": "#929292", "tickformat": "%m/%Y"}
    assert layout["margin"] == {"l": 60, "r": 30, "t": 40, "b": 40}


def test_the_roadmap_layout_merges_like_update_layout():
    counts = dict.fromkeys(RoadmapStatus, 0)
    counts[RoadmapStatus.FAIT] = 2
    summary = StatusSummary(counts, total=2, denominator=2, share_done=100.0, share_late=0.0)
    report = RoadmapStatusReport(AS_OF, 30, (), {"Axe 1": summary}, summary)
    figure = roadmap_figure(report)
    # One status with actions: one trace; 120 + 48 x 1 axis = 168 px high.
    assert [trace["name"] for trace in figure["data"]] == [RoadmapStatus.FAIT.label]
    layout = figure["layout"]
    assert layout["height"] == 168
    # update_layout(legend=..., margin={"t": 40}) merged into the defaults, not replaced.
    assert layout["legend"] == {
        "orientation": "h",
        "x": 0,
        "y": 1.02,
        "yanchor": "bottom",
        "traceorder": "normal",
    }
    assert layout["margin"] == {"l": 60, "r": 30, "t": 40, "b": 60}


def _funnel(entrants: int, oriented: int) -> Funnel:
    steps = (
        FunnelStep("nouveaux_entrants", "Nouveaux entrants", entrants, entrants),
        FunnelStep("orientes", "Orientés", oriented, oriented),
    )
    return Funnel(dt.date(2024, 1, 1), dt.date(2024, 12, 31), AS_OF, steps)


def test_a_funnel_figure_shows_secret_not_counts():
    figure = funnel_figure(_funnel(40, None), 11)
    front = figure["data"][1]
    # 40 entrants, 100 % of them; the hidden step has no bar and says why.
    assert front["text"] == ["40 (100 %)", "secret statistique (< 11)"]
    assert front["x"] == [40, 0] and figure["layout"]["yaxis"]["autorange"] == "reversed"


# --- memoised results ---------------------------------------------------------------------


def _ctx(month_from: str, month_to: str, threshold=11, version=(1,), territory=1) -> PageContext:
    return PageContext(
        user=SimpleNamespace(role="copil"),
        facts=SimpleNamespace(territory_id=territory, version=version, frames=None, params=None),
        filters=PageFilters(None, "mois", month_from, month_from, month_to),
        as_of=AS_OF,
        threshold=threshold,
    )


@pytest.fixture
def app_context():
    with Flask(__name__).app_context():
        yield


@pytest.fixture
def computed(monkeypatch, app_context) -> list[tuple]:
    """Every computation of indicators, as (first month, last month, threshold)."""
    calls: list[tuple] = []

    def compute(facts, request, threshold):
        calls.append((request.period_start.isoformat()[:7], request.period_end.isoformat()[:7]))
        return [SimpleNamespace(code=code) for code in request.codes]

    monkeypatch.setattr(copil_data, "compute_indicators", compute)
    return calls


def test_the_previous_period_of_the_cards_is_reused(computed):
    copil_data.headline_cards(_ctx("2024-07", "2024-09"))
    # T3 2024, then its previous period T2 2024.
    assert computed == [("2024-07", "2024-09"), ("2024-04", "2024-06")]
    cards = copil_data.headline_cards(_ctx("2024-10", "2024-12"))
    # T4 2024 is new; its previous period, T3 2024, was computed above.
    assert computed[2:] == [("2024-10", "2024-12")]
    assert cards[0].previous is not None
    copil_data.headline_cards(_ctx("2024-10", "2024-12"))
    assert len(computed) == 3  # nothing new


def test_a_new_version_threshold_or_territory_computes_again(computed):
    copil_data.headline_cards(_ctx("2024-07", "2024-09"))
    assert len(computed) == 2
    copil_data.headline_cards(_ctx("2024-07", "2024-09", version=(2,)))
    copil_data.headline_cards(_ctx("2024-07", "2024-09", threshold=None))
    copil_data.headline_cards(_ctx("2024-07", "2024-09", territory=2))
    assert len(computed) == 8  # two periods each time


def test_the_funnel_is_counted_once_and_disclosed_per_audience(monkeypatch, app_context):
    calls = []

    def path_funnel(frames, **dates):
        calls.append(dates)
        return _funnel(40, 5)

    monkeypatch.setattr(copil_data, "path_funnel", path_funnel)
    copil = copil_data.funnel(_ctx("2024-01", "2024-12"))
    admin = copil_data.funnel(_ctx("2024-01", "2024-12", threshold=None))
    assert len(calls) == 1  # the counts serve both audiences
    # 5 oriented people: under the threshold of 11, hidden for copil, exact for admin.
    assert [step.count for step in copil.steps] == [40, None]
    assert [step.count for step in admin.steps] == [40, 5]
    copil_data.funnel(_ctx("2024-01", "2024-12", version=(2,)))
    assert len(calls) == 2
