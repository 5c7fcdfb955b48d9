"""The "Dossier COPIL" as a PDF (reportlab), A4 landscape: the printed twin of the page.

`render_dossier(dossier, generated_on)` returns the PDF's bytes: title,
territory, period, "Données au ...", the cards table, a trajectory chart per
headline indicator with a target, the funnel, the roadmap summary and the
headline indicators' French definitions; every
page carries a footer with the territory, the period and the page number. A
hidden figure reads "secret statistique (< 11)", as on the page. The standard
Helvetica font covers French (WinAnsi): the few characters it lacks are
replaced (`pdf_text`).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from layouts.copil_definitions import plain_definition
from layouts.copil_format import (
    STATUS_COLOURS,
    change_text,
    format_target,
    format_value,
    secret_text,
    shown_value,
    status_label,
)
from layouts.copil_pdf_charts import (
    BLEU_FRANCE,
    CHART_WIDTH,
    GRID,
    count_text,
    funnel_drawing,
    pdf_text,
    trajectory_drawing,
)
from layouts.copil_views import ROADMAP_COLUMNS, quarter_note
from layouts.format import format_date
from metrics.funnel import Funnel
from metrics.registry import REGISTRY
from metrics.roadmap_status import RoadmapStatusReport

if TYPE_CHECKING:
    from callbacks.copil_data import Card, Dossier, Trajectory

PAGE = landscape(A4)
MARGIN = 12 * mm
HEADER_BACKGROUND = colors.HexColor("#eeeeee")


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName="Helvetica", fontSize=10)
    return {
        "title": ParagraphStyle("title", parent=base["Title"], alignment=0, textColor=BLEU_FRANCE),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], textColor=colors.black),
        "h3": ParagraphStyle("h3", parent=base["Heading4"], fontSize=10.5, spaceAfter=2),
        "lead": ParagraphStyle("lead", parent=body, fontSize=13, leading=17),
        "body": body,
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=11.5),
        "note": ParagraphStyle("note", parent=body, fontSize=8.5, textColor=colors.grey),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(pdf_text(text)), style)


def _table(rows: list[list[object]], widths: list[float], numeric_from: int = 1) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_BACKGROUND),
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTSIZE", (0, 0), (-1, -1), 9.5),
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (numeric_from, 1), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table


def cards_table(cards: list[Card], threshold: int | None, styles: dict) -> Table:
    cell = styles["cell"]
    rows: list[list[object]] = [["Indicateur", "Valeur", "Cible", "Évolution", "Statut"]]
    extra = []
    for index, card in enumerate(cards, start=1):
        result = card.result
        rows.append(
            [
                _p(result.label, cell),
                _p(shown_value(result, threshold), cell),
                _p(format_target(result), cell),
                _p(change_text(result, card.previous, card.previous_label), cell),
                _p(status_label(result.status), cell),
            ]
        )
        if result.status in STATUS_COLOURS:
            text, background = STATUS_COLOURS[result.status]
            extra.append(("BACKGROUND", (4, index), (4, index), colors.HexColor(background)))
    widths = [88 * mm, 34 * mm, 26 * mm, 88 * mm, 36 * mm]
    table = _table(rows, widths)
    table.setStyle(TableStyle([("ALIGN", (1, 1), (-1, -1), "LEFT"), *extra]))
    return table


def _trajectory_block(trajectory: Trajectory, threshold: int | None, styles: dict) -> list:
    hidden = sum(1 for point in trajectory.points if point.suppressed)
    block = [_p(REGISTRY[trajectory.code].label, styles["h3"]), trajectory_drawing(trajectory)]
    if trajectory.by_quarter:
        block.append(_p(quarter_note(threshold), styles["note"]))
    if hidden:
        grain = "trimestre(s)" if trajectory.by_quarter else "mois"
        note = (
            f"{hidden} {grain} sur {len(trajectory.points)} non publiés ({secret_text(threshold)})."
        )
        block.append(_p(note, styles["note"]))
    return block


def trajectories_grid(trajectories: list[Trajectory], threshold: int | None, styles: dict) -> list:
    blocks = [_trajectory_block(item, threshold, styles) for item in trajectories]
    rows = [blocks[index : index + 2] for index in range(0, len(blocks), 2)]
    if rows and len(rows[-1]) == 1:
        rows[-1].append("")
    grid = Table(rows, colWidths=[CHART_WIDTH + 6 * mm] * 2)
    grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [grid]


def funnel_table(funnel: Funnel, threshold: int | None, styles: dict) -> Table:
    rows: list[list[object]] = [
        ["Étape", "Sur le parcours complet", "Part des entrants", "Toute la cohorte"]
    ]
    for step in funnel.steps:
        share = funnel.share(step)
        rows.append(
            [
                _p(step.label, styles["cell"]),
                pdf_text(count_text(step.count, threshold)),
                "—" if share is None else pdf_text(format_value(share, "%")),
                pdf_text(count_text(step.reached, threshold)),
            ]
        )
    return _table(rows, [90 * mm, 50 * mm, 40 * mm, 50 * mm])


def roadmap_table(report: RoadmapStatusReport) -> Table:
    header = ["Axe", *[status.label for status in ROADMAP_COLUMNS], "Autres", "Part faite"]
    rows: list[list[object]] = [[pdf_text(text) for text in header]]
    for axis, summary in [*report.by_axis.items(), ("Ensemble", report.overall)]:
        others = summary.total - sum(summary.counts[status] for status in ROADMAP_COLUMNS)
        done = "—" if summary.share_done is None else format_value(summary.share_done, "%")
        counts = [str(summary.counts[status]) for status in ROADMAP_COLUMNS]
        rows.append([pdf_text(axis), *counts, str(others), pdf_text(done)])
    table = _table(rows, [80 * mm, 22 * mm, 22 * mm, 22 * mm, 30 * mm, 22 * mm, 22 * mm, 24 * mm])
    table.setStyle(TableStyle([("FONTNAME", (0, len(rows) - 1), (-1, -1), "Helvetica-Bold")]))
    return table


def definitions_block(cards: list[Card], styles: dict) -> list:
    """The French definition of each headline indicator (docs/indicators.md)."""
    parts: list = []
    for card in cards:
        parts.append(_p(REGISTRY[card.result.code].label, styles["h3"]))
        parts.append(_p(plain_definition(card.result.code), styles["cell"]))
    return parts


def story(dossier: Dossier, generated_on: dt.date) -> list:
    styles = _styles()
    threshold = dossier.threshold
    parts: list = [
        _p(f"Dossier COPIL — {dossier.territory_name} ({dossier.territory_code})", styles["title"]),
        _p(dossier.period_title, styles["lead"]),
        _p(
            f"Données au {format_date(dossier.as_of)} · édité le {format_date(generated_on)}",
            styles["body"],
        ),
        Spacer(1, 4 * mm),
        _p("Indicateurs clés", styles["h2"]),
        cards_table(dossier.cards, threshold, styles),
    ]
    if threshold:
        note = f"Les effectifs de moins de {threshold} personnes ne sont pas publiés."
        parts.append(_p(note, styles["note"]))
    parts += [PageBreak(), _p("Trajectoires des indicateurs ciblés", styles["h2"])]
    if dossier.trajectories:
        parts += trajectories_grid(dossier.trajectories, threshold, styles)
    else:
        parts.append(_p("Aucun indicateur clé n'a de cible pour ce territoire.", styles["body"]))
    parts += [PageBreak(), _p("Parcours des nouveaux entrants", styles["h2"])]
    if dossier.funnel.entrants == 0:
        parts.append(_p("Aucun nouvel entrant sur la période.", styles["body"]))
    else:
        parts.append(funnel_drawing(dossier.funnel, threshold))
        parts.append(Spacer(1, 3 * mm))
        parts.append(funnel_table(dossier.funnel, threshold, styles))
        parts.append(
            _p(
                "Bleu foncé, sur le parcours complet : personnes qui ont franchi l'étape et "
                "toutes les précédentes ; bleu clair, toute la cohorte : personnes qui ont "
                "franchi l'étape.",
                styles["note"],
            )
        )
    parts += [PageBreak(), _p("Feuille de route", styles["h2"])]
    if dossier.roadmap.overall.total:
        parts.append(roadmap_table(dossier.roadmap))
        parts.append(_p(f"Statuts au {format_date(dossier.roadmap.as_of)}.", styles["note"]))
    else:
        parts.append(_p("La feuille de route ne compte aucune action.", styles["body"]))
    parts += [PageBreak(), _p("Définitions des indicateurs clés", styles["h2"])]
    parts += definitions_block(dossier.cards, styles)
    return parts


def render_dossier(dossier: Dossier, generated_on: dt.date) -> bytes:
    """The PDF of the dossier (A4 landscape), dated and titled."""
    buffer = io.BytesIO()
    title = f"Dossier COPIL — {dossier.territory_name} — {dossier.period_title}"
    footer = pdf_text(
        f"Dossier COPIL · {dossier.territory_name} · {dossier.period_title} · "
        f"données au {format_date(dossier.as_of)}"
    )

    def on_page(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.grey)
        canvas.drawString(MARGIN, 7 * mm, footer)
        canvas.drawRightString(PAGE[0] - MARGIN, 7 * mm, f"page {document.page}")
        canvas.restoreState()

    document = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=14 * mm,
        title=pdf_text(title),
        author="Pilotage RSA",
        subject="Dossier du comité de pilotage",
        lang="fr-FR",
    )
    document.build(story(dossier, generated_on), onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
