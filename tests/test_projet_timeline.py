"""How the project team page draws each action (layouts/projet_timeline.py), by hand."""

from __future__ import annotations

import datetime as dt

from layouts.filters import parse_filters
from layouts.projet import roadmap_as_of
from layouts.projet_timeline import (
    BAR,
    MILESTONE,
    MS_PER_DAY,
    ONGOING,
    TimelineMark,
    chart_span,
    timeline_figure,
    timeline_mark,
)
from metrics.roadmap_status import RoadmapItem, RoadmapStatus

D = dt.date
AS_OF = D(2024, 7, 1)
LEFT, RIGHT = D(2024, 1, 1), D(2024, 12, 31)


def item(name="a", **fields) -> RoadmapItem:
    return RoadmapItem(axis=fields.pop("axis", "Axe"), target="", action=name, **fields)


def test_each_kind_of_deadline_has_its_mark():
    # "Avril / Mai": start and due -> a bar.
    assert timeline_mark(item(start=D(2024, 4, 1), due=D(2024, 5, 31)), LEFT, RIGHT) == (
        TimelineMark(BAR, D(2024, 4, 1), D(2024, 5, 31))
    )
    # "Fin mars": due only -> a diamond on the due date.
    assert timeline_mark(item(due=D(2024, 3, 31)), LEFT, RIGHT) == TimelineMark(
        MILESTONE, D(2024, 3, 31), D(2024, 3, 31)
    )
    # "Permanent": no date -> ongoing across the whole chart.
    assert timeline_mark(item(continuous=True), LEFT, RIGHT) == TimelineMark(ONGOING, LEFT, RIGHT)
    # "Au fil de l'eau – fin décembre": continuous with a due date -> ongoing up to it.
    assert timeline_mark(item(continuous=True, due=D(2024, 10, 31)), LEFT, RIGHT) == (
        TimelineMark(ONGOING, LEFT, D(2024, 10, 31))
    )
    # No date at all: not drawable (listed apart).
    assert timeline_mark(item(deadline_text="à voir"), LEFT, RIGHT) is None


def test_chart_span_covers_every_date_in_whole_months_with_a_right_margin():
    items = [item(start=D(2024, 2, 12), due=D(2024, 3, 3)), item(due=D(2024, 6, 20))]
    # Earliest date 12/02 -> 01/02; latest 01/07 (as_of) + 20 days = 21/07 -> 31/07.
    assert chart_span(items, AS_OF) == (D(2024, 2, 1), D(2024, 7, 31))
    assert chart_span([], AS_OF) == (D(2024, 7, 1), D(2024, 7, 31))


def test_figure_draws_one_line_per_dated_action_coloured_by_status():
    actions = [
        (item("bar", start=D(2024, 4, 1), due=D(2024, 5, 31)), RoadmapStatus.EN_RETARD),
        (item("jalon", due=D(2024, 7, 10)), RoadmapStatus.ECHEANCE_PROCHE),
        (item("toujours", axis="Autre", continuous=True), RoadmapStatus.CONTINU),
        (item("flou"), RoadmapStatus.A_PRECISER),
    ]
    figure = timeline_figure(actions, AS_OF)
    traces = {(trace.name, trace.type) for trace in figure.data if trace.name}
    assert traces == {("En retard", "bar"), ("Échéance proche", "scatter"), ("Continu", "bar")}
    late = next(trace for trace in figure.data if trace.name == "En retard")
    # 01/04 to 31/05 both included: 30 + 31 = 61 days.
    assert list(late.base) == ["2024-04-01"] and list(late.x) == [61 * MS_PER_DAY]
    # The first (invisible) trace holds the 3 drawn lines in input order; "flou" is not drawn.
    assert [list(level) for level in figure.data[0].y] == [
        ["Axe", "Axe", "Autre"],
        ["bar", "jalon", "toujours"],
    ]
    assert figure.layout.shapes[0].x0 == "2024-07-01"


def test_nothing_drawable_gives_no_figure():
    assert timeline_figure([(item("flou"), RoadmapStatus.A_PRECISER)], AS_OF) is None
    assert timeline_figure([], AS_OF) is None


def test_observation_date_is_the_period_end_at_the_latest_today():
    today = D(2024, 11, 20)
    assert roadmap_as_of(parse_filters("?periode=2024-T3"), today) == D(2024, 9, 30)
    # The current quarter ends after today: today.
    assert roadmap_as_of(parse_filters("?periode=2024-T4"), today) == today
    assert roadmap_as_of(parse_filters(""), today) == today  # no period resolved yet
