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
            f"  créations              {report.created} ({report.unit})",
            f"  mises à jour           {report.updated}",
            f"  sans changement        {report.unchanged}",
            f"  lignes rejetées        {report.quarantined}",
            f"  données au             {report.extracted_on}",
        ]
        if report.matched is not None and report.match_base:
            # Rows the writer could not place on a known person count in the base.
            share = round(100 * report.matched / report.match_base)
            lines.append(
                f"  {share} % des lignes ({report.matched} sur {report.match_base}) rattachées "
                "à un bénéficiaire déjà connu d'une autre source"
            )
        if report.batch_id is None:
            lines.append("  (simulation : rien n'a été enregistré)")
    elif report.quarantined:
        lines.append(f"  lignes rejetées        {report.quarantined}")
    if report.quarantined and report.batch_id:
        lines.append(f"  détail des rejets : pilotage quarantine {report.batch_id}")
    if report.notes:
        lines.append("  à vérifier :")
        lines += [f"    {note}" for note in report.notes]
    if report.unknown_columns:
        lines.append("  colonnes ignorées : " + ", ".join(report.unknown_columns))
    return "\n".join(lines)
