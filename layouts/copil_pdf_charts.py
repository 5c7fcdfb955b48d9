"""The charts of the PDF dossier, drawn with reportlab.graphics (no browser, no plotly).

Same rule as the page: a hidden month is a gap in the line, a hidden count
reads "secret statistique (< 11)" beside an empty bar.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.units import mm

from layouts.copil_format import format_number, format_value, secret_text
from metrics.funnel import Funnel
from metrics.registry import REGISTRY

if TYPE_CHECKING:
    from callbacks.copil_data import Trajectory

BLEU_FRANCE = colors.HexColor("#000091")
BLEU_CLAIR = colors.HexColor("#cacafb")
ORANGE = colors.HexColor("#b34000")
GRID = colors.HexColor("#dddddd")
CHART_WIDTH, CHART_HEIGHT = 128 * mm, 62 * mm
# Characters Helvetica (WinAnsi) lacks, and what stands for them.
REPLACEMENTS = {"\u202f": "\u00a0", "\u2212": "-", "\u2011": "-"}


def pdf_text(text: str) -> str:
    """`text` with the characters the standard PDF fonts lack replaced."""
    for missing, stand_in in REPLACEMENTS.items():
        text = text.replace(missing, stand_in)
    return text


def count_text(count: int | None, threshold: int | None) -> str:
    return secret_text(threshold) if count is None else format_number(count, 0)


def _month_format(value: float) -> str:
    day = dt.date.fromordinal(int(value))
    return f"{day.month:02d}/{day.year}"


def trajectory_drawing(trajectory: Trajectory) -> Drawing:
    """Monthly values (a gap where hidden) and the target path, as a reportlab line plot."""
    unit = REGISTRY[trajectory.code].unit
    segments: list[list[tuple[int, float]]] = [[]]
    for point in trajectory.points:
        if point.value is None or point.suppressed:
            if segments[-1]:
                segments.append([])
            continue
        segments[-1].append((point.day.toordinal(), point.value))
    segments = [segment for segment in segments if segment]
    path = [(day.toordinal(), value) for day, value in trajectory.path]
    drawing = Drawing(CHART_WIDTH, CHART_HEIGHT)
    series = [*segments, path] if path else segments
    if not series:
        drawing.add(String(10, CHART_HEIGHT / 2, "Aucune valeur publiable", fontName="Helvetica"))
        return drawing
    plot = LinePlot()
    plot.x, plot.y = 34, 26
    plot.width, plot.height = CHART_WIDTH - 46, CHART_HEIGHT - 36
    plot.data = series
    for index in range(len(segments)):
        plot.lines[index].strokeColor = BLEU_FRANCE
        plot.lines[index].strokeWidth = 1.8
        plot.lines[index].symbol = makeMarker("FilledCircle", size=3)
    if path:
        line = plot.lines[len(segments)]
        line.strokeColor, line.strokeWidth, line.strokeDashArray = ORANGE, 1.8, (4, 3)
        line.symbol = makeMarker("FilledDiamond", size=4, fillColor=ORANGE)
    days = [x for serie in series for x, _ in serie]
    values = [y for serie in series for _, y in serie]
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = min(days) - 15, max(days) + 15
    plot.xValueAxis.labelTextFormat = _month_format
    plot.xValueAxis.labels.fontSize = 7
    plot.xValueAxis.labels.fontName = "Helvetica"
    plot.yValueAxis.labels.fontName = "Helvetica"
    plot.yValueAxis.valueMin = 0 if unit == "%" else min(0, min(values))
    plot.yValueAxis.valueMax = 100 if unit == "%" else max(values) * 1.15 + 1
    plot.yValueAxis.labels.fontSize = 7
    if unit == "%":
        plot.yValueAxis.labelTextFormat = "%d %%"
    plot.yValueAxis.gridStrokeColor = GRID
    plot.yValueAxis.visibleGrid = True
    drawing.add(plot)
    legend = "Bleu : réalisé (mois)  ·  Orange pointillé : trajectoire cible"
    drawing.add(
        String(34, 2, pdf_text(legend), fontName="Helvetica", fontSize=7, fillColor=colors.grey)
    )
    return drawing


def funnel_drawing(funnel: Funnel, threshold: int | None) -> Drawing:
    """One line per step: the whole cohort (light bar) and the full path (dark bar)."""
    label_width, row, bar_width = 70 * mm, 7.5 * mm, 150 * mm
    drawing = Drawing(label_width + bar_width + 45 * mm, row * len(funnel.steps) + 4)
    largest = max([step.reached or 0 for step in funnel.steps] + [1])
    for index, step in enumerate(funnel.steps):
        y = drawing.height - (index + 1) * row
        drawing.add(String(0, y + 6, pdf_text(step.label), fontName="Helvetica", fontSize=9))
        reached = (step.reached or 0) / largest * bar_width
        count = (step.count or 0) / largest * bar_width
        drawing.add(
            Rect(label_width, y + 2, reached, row - 4, fillColor=BLEU_CLAIR, strokeColor=None)
        )
        drawing.add(
            Rect(label_width, y + 4, count, row - 8, fillColor=BLEU_FRANCE, strokeColor=None)
        )
        share = funnel.share(step)
        text = count_text(step.count, threshold)
        if share is not None:
            text += f" ({format_value(share, '%')})"
        drawing.add(
            String(
                label_width + max(reached, count) + 4,
                y + 6,
                pdf_text(text),
                fontName="Helvetica",
                fontSize=9,
            )
        )
    return drawing
