"""The COPIL page's plotly figures: trajectory, funnel, splits, breakdowns, roadmap.

Large type and DSFR colours for a meeting room; French axis titles and
number separators. A hidden figure is never drawn as a number: a suppressed
month is a gap in the line, a suppressed bar has no height and reads
"secret statistique" (hover text included).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import plotly.graph_objects as go

from layouts.copil_format import (
    category_label,
    format_number,
    format_value,
    secret_text,
)
from layouts.filters import month_label
from metrics.funnel import Funnel
from metrics.result import IndicatorResult
from metrics.roadmap_status import RoadmapStatus, RoadmapStatusReport

if TYPE_CHECKING:  # the data module imports the page context; figures need only its shape
    from callbacks.copil_data import SeriesPoint, Trajectory

BLEU_FRANCE = "#000091"
BLEU_CLAIR = "#cacafb"
GRIS = "#666666"
FONT = 'Marianne, "Segoe UI", Arial, "Liberation Sans", sans-serif'
GRAPH_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["lasso2d"]}
AXIS_TITLES = {"%": "Taux (%)", "jours": "Délai (jours)", "personnes": "Personnes"}
ROADMAP_COLOURS = {
    RoadmapStatus.FAIT: "#18753c",
    RoadmapStatus.EN_COURS: "#0063cb",
    RoadmapStatus.ECHEANCE_PROCHE: "#b34000",
    RoadmapStatus.EN_RETARD: "#ce0500",
    RoadmapStatus.A_VENIR: "#929292",
    RoadmapStatus.CONTINU: "#6a6af4",
    RoadmapStatus.A_PRECISER: "#cecece",
}


def _layout(figure: go.Figure, height: int, **extra: Any) -> go.Figure:
    settings: dict[str, Any] = {
        "height": height,
        "separators": ", ",
        "font": {"family": FONT, "size": 16, "color": "#161616"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 60, "r": 30, "t": 30, "b": 60},
        # Above the plot: below it, a legend runs into the axis title on short charts.
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        "hoverlabel": {"font": {"size": 15}},
        # Bar labels keep a readable size instead of shrinking to the bar.
        "uniformtext": {"minsize": 13, "mode": "show"},
    }
    figure.update_layout(**{**settings, **extra})
    figure.update_xaxes(showgrid=False, linecolor="#929292")
    figure.update_yaxes(gridcolor="#e5e5e5", zeroline=True, zerolinecolor="#929292")
    return figure


def point_label(point: SeriesPoint) -> str:
    """ "juillet 2024" for a month's point, "T3 2024" for a quarter's."""
    return point.label or month_label(point.month)


def trajectory_figure(
    trajectory: Trajectory, unit: str, threshold: int | None, height: int = 420
) -> go.Figure:
    """Actual value per month (gaps where hidden or empty) and the target path."""
    days = [point.day for point in trajectory.points]
    values = [None if point.suppressed else point.value for point in trajectory.points]
    hover = [
        f"{point_label(point)} : "
        + (secret_text(threshold) if point.suppressed else format_value(point.value, unit))
        for point in trajectory.points
    ]
    figure = go.Figure(
        go.Scatter(
            x=days,
            y=values,
            name="Réalisé (valeur du trimestre)"
            if trajectory.by_quarter
            else "Réalisé (valeur du mois)",
            mode="lines+markers",
            line={"color": BLEU_FRANCE, "width": 3},
            marker={"size": 8},
            connectgaps=False,
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    if trajectory.path:
        figure.add_trace(
            go.Scatter(
                x=[day for day, _ in trajectory.path],
                y=[target for _, target in trajectory.path],
                name="Trajectoire cible",
                mode="lines+markers",
                line={"color": "#b34000", "width": 3, "dash": "dash"},
                marker={"symbol": "diamond", "size": 9},
                customdata=[
                    f"Cible au {day.strftime('%d/%m/%Y')} : {format_value(target, unit)}"
                    for day, target in trajectory.path
                ],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    _layout(
        figure, height, yaxis_title=AXIS_TITLES[unit], margin={"l": 60, "r": 30, "t": 40, "b": 40}
    )
    figure.update_xaxes(tickformat="%m/%Y")
    if unit == "%":
        figure.update_yaxes(rangemode="tozero", ticksuffix=" %")
    return figure


def _count_text(count: int | None, threshold: int | None, share: float | None = None) -> str:
    if count is None:
        return secret_text(threshold)
    text = format_number(count, 0)
    return text if share is None else f"{text} ({format_number(share)} %)"


def funnel_figure(funnel: Funnel, threshold: int | None, height: int = 480) -> go.Figure:
    """Horizontal bars, first step on top: the whole cohort behind, the full path in front."""
    labels = [step.label for step in funnel.steps]
    reached = [step.reached or 0 for step in funnel.steps]
    counts = [step.count or 0 for step in funnel.steps]
    figure = go.Figure()
    figure.add_trace(
        go.Bar(
            y=labels,
            x=reached,
            orientation="h",
            name="Toute la cohorte (étape atteinte)",
            marker_color=BLEU_CLAIR,
            width=0.8,
            hovertext=[_count_text(step.reached, threshold) for step in funnel.steps],
            hovertemplate="%{y} : %{hovertext}<extra>Toute la cohorte</extra>",
        )
    )
    figure.add_trace(
        go.Bar(
            y=labels,
            x=counts,
            orientation="h",
            name="Sur le parcours complet",
            marker_color=BLEU_FRANCE,
            width=0.45,
            text=[_count_text(s.count, threshold, funnel.share(s)) for s in funnel.steps],
            textposition="outside",
            cliponaxis=False,
            hovertext=[_count_text(step.count, threshold) for step in funnel.steps],
            hovertemplate="%{y} : %{hovertext}<extra>Sur le parcours</extra>",
        )
    )
    _layout(figure, height, barmode="overlay", xaxis_title="Personnes")
    figure.update_layout(margin={"l": 20, "r": 160, "t": 40, "b": 50})
    figure.update_yaxes(autorange="reversed", automargin=True)
    return figure


def split_figure(result: IndicatorResult, threshold: int | None) -> go.Figure:
    """People per category of a split (`{"count", "share"}` cells), one bar per line."""
    cells = result.breakdown or {}
    keys = list(cells)
    texts = [
        secret_text(threshold)
        if cells[key].get("suppressed")
        else _count_text(cells[key]["count"], threshold, cells[key]["share"])
        for key in keys
    ]
    figure = go.Figure(
        go.Bar(
            y=[category_label(key) for key in keys],
            x=[cells[key].get("count") or 0 for key in keys],
            orientation="h",
            marker_color=BLEU_FRANCE,
            text=texts,
            textposition="outside",
            cliponaxis=False,
            hovertext=texts,
            hovertemplate="%{y} : %{hovertext}<extra></extra>",
        )
    )
    _layout(
        figure,
        90 + 44 * len(keys),
        xaxis_title="Personnes",
        margin={"l": 20, "r": 150, "t": 10, "b": 60},
    )
    figure.update_yaxes(autorange="reversed", automargin=True)
    return figure


def breakdown_figure(result: IndicatorResult, dimension: str, threshold: int | None) -> go.Figure:
    """One bar per category: the rate, with its numerator and denominator as text."""
    cells = result.breakdown or {}
    keys = list(cells)
    texts = []
    for key in keys:
        cell = cells[key]
        if cell.get("suppressed"):
            texts.append(secret_text(threshold))
        elif cell.get("value") is None:
            texts.append("aucune personne")
        else:
            texts.append(
                f"{format_value(cell['value'], result.unit)} "
                f"({format_number(cell['numerator'], 0)} / {format_number(cell['denominator'], 0)})"
            )
    figure = go.Figure(
        go.Bar(
            x=[category_label(key, dimension) for key in keys],
            # A hidden cell is a bar of no height that reads "secret statistique".
            y=[
                0 if cell.get("suppressed") else (cell.get("value") or 0) for cell in cells.values()
            ],
            marker_color=BLEU_FRANCE,
            text=texts,
            textposition="outside",
            cliponaxis=False,
            hovertext=texts,
            hovertemplate="%{x} : %{hovertext}<extra></extra>",
        )
    )
    _layout(
        figure,
        420,
        yaxis_title=AXIS_TITLES[result.unit],
        margin={"l": 60, "r": 20, "t": 40, "b": 100},
    )
    if result.unit == "%":
        figure.update_yaxes(range=[0, 115], ticksuffix=" %")
    return figure


def roadmap_figure(report: RoadmapStatusReport) -> go.Figure:
    """Actions per axis, stacked by status (abandoned ones left out)."""
    axes = list(report.by_axis)
    figure = go.Figure()
    for status, colour in ROADMAP_COLOURS.items():
        counts = [report.by_axis[axis].counts[status] for axis in axes]
        if not any(counts):
            continue
        figure.add_trace(
            go.Bar(
                y=axes,
                x=counts,
                orientation="h",
                name=status.label,
                marker_color=colour,
                hovertemplate="%{y} : %{x} action(s)<extra>" + status.label + "</extra>",
            )
        )
    _layout(figure, 120 + 48 * max(len(axes), 1), barmode="stack", xaxis_title="Actions")
    figure.update_layout(legend={"traceorder": "normal"}, margin={"t": 40})
    figure.update_yaxes(autorange="reversed", automargin=True)
    return figure
