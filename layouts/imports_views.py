"""What the imports page shows of the data: report, freshness, match rate, history, quarantine.

Pure builders: plain data in (from dashboard/queries.py and the import
report), components out; every empty state is a sentence.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from dash import html

from dashboard.import_report import STATUS_LABELS
from dashboard.imports import ImportReport
from layouts import ids
from layouts.format import format_count, format_date

PARIS = ZoneInfo("Europe/Paris")
BATCH_STATUS = {
    "loaded": "Chargé",
    "unchanged": "Déjà importé",
    "failed": "Refusé",
    "running": "En cours",
}


def local_time(moment: dt.datetime | None) -> str:
    """A stored (naive UTC) timestamp as Paris time: 12/03/2024 14:05."""
    if moment is None:
        return "—"
    return moment.replace(tzinfo=dt.UTC).astimezone(PARIS).strftime("%d/%m/%Y %H:%M")


def match_share(matched: int, base: int) -> int:
    """Rounded percentage, as the terminal report gives it (dashboard/import_report.py)."""
    return round(100 * matched / base)


def _table(headers: list[str], rows: list[list], class_name: str = "table") -> html.Table:
    return html.Table(
        [
            html.Thead(html.Tr([html.Th(header, scope="col") for header in headers])),
            html.Tbody([html.Tr([html.Td(cell) for cell in row]) for row in rows]),
        ],
        className=class_name,
    )


def _empty(text: str) -> html.P:
    return html.P(text, className="empty")


def report_view(report: ImportReport, source_label: str, dry_run: bool) -> html.Div:
    """The import report of an upload (the same facts as `pilotage import`)."""
    title = STATUS_LABELS.get(report.status, report.status)
    if dry_run and report.status == "loaded":
        title = "Vérification réussie (simulation)"
    kind = "success" if report.status == "loaded" else "info"
    kind = "error" if report.status == "failed" else kind
    items = [html.P(f"{title} : {report.file_name} ({source_label})", className="report-title")]
    if report.message:
        items.append(html.P(report.message))
    if report.status == "loaded":
        facts = [
            ("Lignes lues", format_count(report.rows_read)),
            (f"Créations ({report.unit})", format_count(report.created)),
            ("Mises à jour", format_count(report.updated)),
            ("Sans changement", format_count(report.unchanged)),
            ("Lignes rejetées", format_count(report.quarantined)),
            ("Données au", format_date(dt.date.fromisoformat(report.extracted_on))),
        ]
        items.append(
            html.Dl(
                [part for label, value in facts for part in (html.Dt(label), html.Dd(value))],
                className="report-counts",
                id=ids.IMPORTS_REPORT_COUNTS,
            )
        )
        if report.matched is not None and report.match_base:
            share = match_share(report.matched, report.match_base)
            items.append(
                html.P(
                    f"{share} % des lignes ({format_count(report.matched)} sur "
                    f"{format_count(report.match_base)}) rattachées à un bénéficiaire déjà "
                    "connu d'une autre source."
                )
            )
        if dry_run:
            items.append(html.P("Simulation : rien n'a été enregistré.", className="report-note"))
    elif report.quarantined:
        items.append(html.P(f"Lignes rejetées : {format_count(report.quarantined)}"))
    if report.quarantined and report.batch_id:
        items.append(html.P("Les lignes rejetées figurent ci-dessous, dans la quarantaine."))
    if report.notes:
        items += [html.P("À vérifier :"), html.Ul([html.Li(note) for note in report.notes])]
    if report.unknown_columns:
        items.append(html.P("Colonnes ignorées : " + ", ".join(report.unknown_columns)))
    return html.Div(items, className=f"import-report alert alert-{kind}")


def freshness_view(freshness: dict[str, dict], names: dict[str, str], today: dt.date) -> object:
    if not freshness:
        return _empty("Aucun import pour ce territoire : les sources n'ont encore rien envoyé.")
    rows = []
    for source, entry in freshness.items():
        extracted = entry.get("extracted_on")
        age = f"il y a {format_count((today - extracted).days)} jour(s)" if extracted else "—"
        rows.append(
            [
                names.get(source, source),
                format_date(extracted) if extracted else "aucune donnée chargée",
                age,
                local_time(entry.get("imported_at")),
                BATCH_STATUS.get(entry.get("last_status") or "", "—"),
            ]
        )
    return _table(
        ["Source", "Données au", "Âge", "Dernier import réussi", "Dernière tentative"], rows
    )


def match_view(match: dict[str, tuple[int, int]], names: dict[str, str]) -> object:
    if not match:
        return _empty("Aucune personne chargée : le rapprochement se calculera après un import.")
    rows = [
        [
            names.get(source, source),
            format_count(people),
            format_count(matched),
            f"{match_share(matched, people)} %" if people else "—",
        ]
        for source, (people, matched) in sorted(match.items())
    ]
    return _table(
        ["Source", "Personnes présentes", "Dont connues d'une autre source", "Taux"], rows
    )


def history_view(batches: list[dict], names: dict[str, str]) -> object:
    if not batches:
        return _empty("Aucun lot importé pour cette sélection.")
    rows = [
        [
            str(b["id"]),
            local_time(b["started_at"]),
            names.get(str(b["source"]), str(b["source"])),
            b["file_name"],
            BATCH_STATUS.get(str(b["status"]), str(b["status"])),
            format_count(b["rows_read"]),
            format_count(b["rows_loaded"]),
            format_count(b["rows_updated"]),
            format_count(b["rows_quarantined"]),
            format_date(b["extracted_on"]) if b["extracted_on"] else "—",
            b["user_login"] or "commande ou tâche planifiée",
            b["message"] or "",
        ]
        for b in batches
    ]
    headers = [
        "Lot",
        "Début",
        "Source",
        "Fichier",
        "Statut",
        "Lues",
        "Créées",
        "Mises à jour",
        "Rejetées",
        "Données au",
        "Par",
        "Message",
    ]
    return html.Div(_table(headers, rows, "table table-compact"), className="table-scroll")


def unknown_columns_view(columns: list[dict], names: dict[str, str]) -> object:
    if not columns:
        return _empty("Aucune colonne inconnue : tous les intitulés reçus sont reconnus.")
    rows = [
        [
            names.get(c["source"], c["source"]),
            c["column"],
            format_count(c["batches"]),
            f"lot n° {c['last_batch_id']}",
        ]
        for c in columns
    ]
    return _table(["Source", "Colonne ignorée", "Lots concernés", "Dernière fois"], rows)


def quarantine_view(rows: list[dict], names: dict[str, str]) -> object:
    if not rows:
        return _empty("Aucune ligne en attente de correction : la quarantaine est vide.")
    body = [
        [
            f"n° {r['batch_id']}",
            names.get(str(r["source"]), str(r["source"])),
            format_count(r["row_number"]),
            html.Ul([html.Li(reason) for reason in r["reasons"]], className="row-reasons"),
            html.Button(
                "Corriger ou écarter",
                id={"type": ids.QUARANTINE_OPEN, "row": r["id"]},
                className="button-secondary",
                n_clicks=0,
            ),
        ]
        for r in rows
    ]
    return html.Div(
        [
            html.P(f"{format_count(len(rows))} ligne(s) en attente.", className="hint"),
            _table(["Lot", "Source", "Ligne", "Motifs", ""], body, "table quarantine-table"),
        ]
    )
