"""The roadmap timeline of the project team page: one line per action, by axis, by status.

What is drawn, and how (docs/roadmap.md says the same in French):
- an action with a start and a due date: a bar from start to due (both days included);
- an action with a due date only ("Fin mars", "15/03/2024"): a diamond on the due date;
- a continuous action ("Permanent", "Toute l'année"): a hatched bar from its start
  (else the left edge of the chart) to its due date (else the right edge): ongoing;
- an action without any date ("à préciser"): not drawable, listed under the chart.
Colours follow the computed status; a vertical line marks the observation date.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from layouts.format import format_date
from metrics.roadmap_status import RoadmapItem, RoadmapStatus

BAR, MILESTONE, ONGOING = "bar", "milestone", "ongoing"
LABEL_WIDTH = 48
ROW_HEIGHT = 26
MS_PER_DAY = 86_400_000
RIGHT_MARGIN_DAYS = 20

# DSFR-like colours, one per status (the summary chips in assets/projet.css use the same).
STATUS_COLOURS: dict[RoadmapStatus, str] = {
    RoadmapStatus.FAIT: "#18753c",
    RoadmapStatus.EN_RETARD: "#ce0500",
    RoadmapStatus.ECHEANCE_PROCHE: "#b34000",
    RoadmapStatus.EN_COURS: "#0063cb",
    RoadmapStatus.A_VENIR: "#6a6af4",
    RoadmapStatus.CONTINU: "#009081",
    RoadmapStatus.A_PRECISER: "#666666",
    RoadmapStatus.ABANDONNE: "#929292",
}


@dataclass(frozen=True)
class TimelineMark:
    """How one action is drawn: `kind` BAR / MILESTONE / ONGOING, from `start` to `end`."""

    kind: str
    start: dt.date
    end: dt.date


def chart_span(items: Sequence[RoadmapItem], as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The chart's edges: whole months around every date of the roadmap and `as_of`.

    The right edge leaves at least `RIGHT_MARGIN_DAYS` after the last date, so the
    observation line and its label stay inside and ongoing bars visibly go on.
    """
    days = [as_of]
    for item in items:
        days.extend(day for day in (item.start, item.due) if day is not None)
    first, last = min(days), max(days) + dt.timedelta(days=RIGHT_MARGIN_DAYS)
    return first.replace(day=1), last.replace(day=calendar.monthrange(last.year, last.month)[1])


def timeline_mark(item: RoadmapItem, left: dt.date, right: dt.date) -> TimelineMark | None:
    """How `item` is drawn between the chart's edges; None when it has no date to draw."""
    if item.continuous:
        return TimelineMark(ONGOING, item.start or left, item.due or right)
    if item.due is None:
        return None
    if item.start is not None:
        return TimelineMark(BAR, item.start, item.due)
    return TimelineMark(MILESTONE, item.due, item.due)


def _short(text: str) -> str:
    return text if len(text) <= LABEL_WIDTH else text[: LABEL_WIDTH - 1] + "…"


def _labels(items: Sequence[RoadmapItem]) -> list[str]:
    """Short action labels, made unique within an axis (a repeated label would merge lines)."""
    seen: set[tuple[str, str]] = set()
    labels = []
    for item in items:
        label, rank = _short(item.action), 1
        while (item.axis, label) in seen:
            rank += 1
            label = f"{_short(item.action)} ({rank})"
        seen.add((item.axis, label))
        labels.append(label)
    return labels


def _hover(item: RoadmapItem, status: RoadmapStatus) -> list[str]:
    if item.start and item.due:
        dates = f"du {format_date(item.start)} au {format_date(item.due)}"
    elif item.due:
        dates = f"échéance le {format_date(item.due)}"
    else:
        dates = "sans date de fin (action continue)"
    owners = ", ".join(item.owners) or "aucun"
    return [item.action, owners, item.deadline_text or "-", status.label, dates]


HOVER = (
    "<b>%{customdata[0]}</b><br>Porteurs : %{customdata[1]}<br>"
    "Échéance : %{customdata[2]} (%{customdata[4]})<br>Statut : %{customdata[3]}<extra></extra>"
)


def timeline_figure(
    actions: Sequence[tuple[RoadmapItem, RoadmapStatus]], as_of: dt.date
) -> go.Figure | None:
    """The Gantt-style figure of the drawable actions (input order, top down); None if none."""
    items = [item for item, _ in actions]
    left, right = chart_span(items, as_of)
    marks = [timeline_mark(item, left, right) for item in items]
    if not any(marks):
        return None
    labels = _labels(items)
    drawn = [
        (item, status, mark, label)
        for (item, status), mark, label in zip(actions, marks, labels, strict=True)
        if mark is not None
    ]
    figure = go.Figure()
    # An invisible first trace lists every line in the input order: plotly orders
    # categories by first appearance, and the status traces come in status order.
    figure.add_trace(
        go.Scatter(
            x=[as_of.isoformat()] * len(drawn),
            y=[[row[0].axis for row in drawn], [row[3] for row in drawn]],
            mode="markers",
            marker={"opacity": 0},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    for status in RoadmapStatus:
        rows = [row for row in drawn if row[1] is status]
        colour, shown = STATUS_COLOURS[status], False
        for kind in (BAR, ONGOING, MILESTONE):
            part = [row for row in rows if row[2].kind == kind]
            if not part:
                continue
            common = {
                "name": status.label,
                "legendgroup": status.value,
                "showlegend": not shown,
                "y": [[row[0].axis for row in part], [row[3] for row in part]],
                "customdata": [_hover(row[0], status) for row in part],
                "hovertemplate": HOVER,
            }
            shown = True
            if kind == MILESTONE:
                figure.add_trace(
                    go.Scatter(
                        x=[row[2].end.isoformat() for row in part],
                        mode="markers",
                        marker={"symbol": "diamond", "size": 13, "color": colour},
                        **common,
                    )
                )
                continue
            figure.add_trace(
                go.Bar(
                    orientation="h",
                    base=[row[2].start.isoformat() for row in part],
                    x=[((row[2].end - row[2].start).days + 1) * MS_PER_DAY for row in part],
                    marker={
                        "color": colour,
                        "pattern": {"shape": "/" if kind == ONGOING else ""},
                    },
                    **common,
                )
            )
    figure.update_layout(
        barmode="overlay",
        height=140 + ROW_HEIGHT * len(drawn),
        margin={"l": 10, "r": 10, "t": 40, "b": 40},
        plot_bgcolor="#ffffff",
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        font={"family": "Marianne, Segoe UI, Arial, sans-serif", "size": 12},
        shapes=[
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": as_of.isoformat(),
                "x1": as_of.isoformat(),
                "y0": 0,
                "y1": 1,
                "line": {"color": "#161616", "width": 2, "dash": "dot"},
            }
        ],
        annotations=[
            {
                "x": as_of.isoformat(),
                "y": 1,
                "xref": "x",
                "yref": "paper",
                "yanchor": "bottom",
                "text": f"Au {format_date(as_of)}",
                "showarrow": False,
            }
        ],
    )
    figure.update_xaxes(
        type="date",
        range=[left.isoformat(), (right + dt.timedelta(days=1)).isoformat()],
        tickformat="%m/%Y",
        gridcolor="#eeeeee",
    )
    figure.update_yaxes(type="multicategory", autorange="reversed")
    return figure
