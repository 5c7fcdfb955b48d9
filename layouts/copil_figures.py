"""The COPIL page's plotly figures: trajectory, funnel, splits, breakdowns, roadmap.

Large type and DSFR colours for a meeting room; French axis titles and
number separators. A hidden figure is never drawn as a number: a suppressed
month is a gap in the line, a suppressed bar has no height and reads
"secret statistique" (hover text included).

Figures are plain dicts (`{"data": [...], "layout": {...}}`, what `dcc.Graph`
sends to plotly.js) rather than `go.Figure` objects: the objects validate
every property on every call, which cost most of a callback's time. The
layout carries plotly's default template, as a `go.Figure` would, so the
charts look the same. The PDF draws its own charts (layouts/copil_pdf_charts.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import plotly.io as pio

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

Figure = dict[str, Any]  # {"data": [trace, ...], "layout": {...}}, as plotly.js reads it

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
# The template a go.Figure would carry, serialised once; shared by every figure (never mutated).
TEMPLATE = pio.templates[pio.templates.default].to_plotly_json()


def merged(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """`base` updated with `changes`, nested dicts merged key by key (as `update_layout` does)."""
    result = dict(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result


def _layout(
    height: int,
    xaxis: dict[str, Any] | None = None,
    yaxis: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The shared look, then `extra` (a `margin` or `legend` given replaces the default's)."""
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
    layout = {"template": TEMPLATE, **settings, **extra}
    layout["xaxis"] = {"showgrid": False, "linecolor": "#929292", **(xaxis or {})}
    layout["yaxis"] = {
        "gridcolor": "#e5e5e5",
        "zeroline": True,
        "zerolinecolor": "#929292",
        **(yaxis or {}),
    }
    return layout


def _title(text: str) -> dict[str, Any]:
    return {"title": {"text": text}}


def point_label(point: SeriesPoint) -> str:
    """ "juillet 2024" for a month's point, "T3 2024" for a quarter's."""
    return point.label or month_label(point.month)


def trajectory_figure(
    trajectory: Trajectory, unit: str, threshold: int | None, height: int = 420
) -> Figure:
    """Actual value per month (gaps where hidden or empty) and the target path."""
    hover = [
        f"{point_label(point)} : "
        + (secret_text(threshold) if point.suppressed else format_value(point.value, unit))
        for point in trajectory.points
    ]
    data = [
        {
            "type": "scatter",
            "x": [point.day.isoformat() for point in trajectory.points],
            "y": [None if point.suppressed else point.value for point in trajectory.points],
            "name": "Réalisé (valeur du trimestre)"
            if trajectory.by_quarter
            else "Réalisé (valeur du mois)",
            "mode": "lines+markers",
            "line": {"color": BLEU_FRANCE, "width": 3},
            "marker": {"size": 8},
            "connectgaps": False,
            "customdata": hover,
            "hovertemplate": "%{customdata}<extra></extra>",
        }
    ]
    if trajectory.path:
        data.append(
            {
                "type": "scatter",
                "x": [day.isoformat() for day, _ in trajectory.path],
                "y": [target for _, target in trajectory.path],
                "name": "Trajectoire cible",
                "mode": "lines+markers",
                "line": {"color": "#b34000", "width": 3, "dash": "dash"},
                "marker": {"symbol": "diamond", "size": 9},
                "customdata": [
                    f"Cible au {day.strftime('%d/%m/%Y')} : {format_value(target, unit)}"
                    for day, target in trajectory.path
                ],
                "hovertemplate": "%{customdata}<extra></extra>",
            }
        )
    yaxis = _title(AXIS_TITLES[unit])
    if unit == "%":
        yaxis.update(rangemode="tozero", ticksuffix=" %")
    layout = _layout(
        height,
        xaxis={"tickformat": "%m/%Y"},
        yaxis=yaxis,
        margin={"l": 60, "r": 30, "t": 40, "b": 40},
    )
    return {"data": data, "layout": layout}


def _count_text(count: int | None, threshold: int | None, share: float | None = None) -> str:
    if count is None:
        return secret_text(threshold)
    text = format_number(count, 0)
    return text if share is None else f"{text} ({format_number(share)} %)"


def funnel_figure(funnel: Funnel, threshold: int | None, height: int = 480) -> Figure:
    """Horizontal bars, first step on top: the whole cohort behind, the full path in front."""
    labels = [step.label for step in funnel.steps]
    data = [
        {
            "type": "bar",
            "y": labels,
            "x": [step.reached or 0 for step in funnel.steps],
            "orientation": "h",
            "name": "Toute la cohorte (étape atteinte)",
            "marker": {"color": BLEU_CLAIR},
            "width": 0.8,
            "hovertext": [_count_text(step.reached, threshold) for step in funnel.steps],
            "hovertemplate": "%{y} : %{hovertext}<extra>Toute la cohorte</extra>",
        },
        {
            "type": "bar",
            "y": labels,
            "x": [step.count or 0 for step in funnel.steps],
            "orientation": "h",
            "name": "Sur le parcours complet",
            "marker": {"color": BLEU_FRANCE},
            "width": 0.45,
            "text": [_count_text(s.count, threshold, funnel.share(s)) for s in funnel.steps],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertext": [_count_text(step.count, threshold) for step in funnel.steps],
            "hovertemplate": "%{y} : %{hovertext}<extra>Sur le parcours</extra>",
        },
    ]
    layout = _layout(
        height,
        xaxis=_title("Personnes"),
        yaxis={"autorange": "reversed", "automargin": True},
        barmode="overlay",
        margin={"l": 20, "r": 160, "t": 40, "b": 50},
    )
    return {"data": data, "layout": layout}


def split_figure(result: IndicatorResult, threshold: int | None) -> Figure:
    """People per category of a split (`{"count", "share"}` cells), one bar per line."""
    cells = result.breakdown or {}
    keys = list(cells)
    texts = [
        secret_text(threshold)
        if cells[key].get("suppressed")
        else _count_text(cells[key]["count"], threshold, cells[key]["share"])
        for key in keys
    ]
    bar = {
        "type": "bar",
        "y": [category_label(key) for key in keys],
        "x": [cells[key].get("count") or 0 for key in keys],
        "orientation": "h",
        "marker": {"color": BLEU_FRANCE},
        "text": texts,
        "textposition": "outside",
        "cliponaxis": False,
        "hovertext": texts,
        "hovertemplate": "%{y} : %{hovertext}<extra></extra>",
    }
    layout = _layout(
        90 + 44 * len(keys),
        xaxis=_title("Personnes"),
        yaxis={"autorange": "reversed", "automargin": True},
        margin={"l": 20, "r": 150, "t": 10, "b": 60},
    )
    return {"data": [bar], "layout": layout}


def breakdown_figure(result: IndicatorResult, dimension: str, threshold: int | None) -> Figure:
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
    bar = {
        "type": "bar",
        "x": [category_label(key, dimension) for key in keys],
        # A hidden cell is a bar of no height that reads "secret statistique".
        "y": [0 if cell.get("suppressed") else (cell.get("value") or 0) for cell in cells.values()],
        "marker": {"color": BLEU_FRANCE},
        "text": texts,
        "textposition": "outside",
        "cliponaxis": False,
        "hovertext": texts,
        "hovertemplate": "%{x} : %{hovertext}<extra></extra>",
    }
    yaxis = _title(AXIS_TITLES[result.unit])
    if result.unit == "%":
        yaxis.update(range=[0, 115], ticksuffix=" %")
    layout = _layout(420, yaxis=yaxis, margin={"l": 60, "r": 20, "t": 40, "b": 100})
    return {"data": [bar], "layout": layout}


def roadmap_figure(report: RoadmapStatusReport) -> Figure:
    """Actions per axis, stacked by status (abandoned ones left out)."""
    axes = list(report.by_axis)
    data = []
    for status, colour in ROADMAP_COLOURS.items():
        counts = [report.by_axis[axis].counts[status] for axis in axes]
        if not any(counts):
            continue
        data.append(
            {
                "type": "bar",
                "y": axes,
                "x": counts,
                "orientation": "h",
                "name": status.label,
                "marker": {"color": colour},
                "hovertemplate": "%{y} : %{x} action(s)<extra>" + status.label + "</extra>",
            }
        )
    base = _layout(
        120 + 48 * max(len(axes), 1),
        xaxis=_title("Actions"),
        yaxis={"autorange": "reversed", "automargin": True},
        barmode="stack",
    )
    layout = merged(base, {"legend": {"traceorder": "normal"}, "margin": {"t": 40}})
    return {"data": data, "layout": layout}
