"""The import report as a person reads it in a terminal (French)."""

from __future__ import annotations

from dashboard.imports import ImportReport

STATUS_LABELS = {
    "loaded": "Import réussi",
    "unchanged": "Fichier déjà importé",
    "failed": "Import refusé",
}


def describe(report: ImportReport) -> str:
    lines = [f"{STATUS_LABELS.get(report.status, report.status)} : {report.file_name}"]
    if report.message:
        lines.append(report.message)
    if report.status == "loaded":
        lines += [
            f"  lignes lues            {report.rows_read}",
            f"  personnes créées       {report.created}",
            f"  personnes mises à jour {report.updated}",
            f"  personnes inchangées   {report.unchanged}",
            f"  lignes rejetées        {report.quarantined}",
            f"  données au             {report.extracted_on}",
        ]
        loaded_rows = report.rows_read - report.quarantined
        if report.matched is not None and loaded_rows:
            share = round(100 * report.matched / loaded_rows)
            lines.append(
                f"  {share} % des lignes ({report.matched} sur {loaded_rows}) rattachées à un "
                "bénéficiaire déjà connu d'une autre source"
            )
        if report.batch_id is None:
            lines.append("  (simulation : rien n'a été enregistré)")
    elif report.quarantined:
        lines.append(f"  lignes rejetées        {report.quarantined}")
    if report.quarantined and report.batch_id:
        lines.append(f"  détail des rejets : pilotage quarantine {report.batch_id}")
    if report.unknown_columns:
        lines.append("  colonnes ignorées : " + ", ".join(report.unknown_columns))
    return "\n".join(lines)
