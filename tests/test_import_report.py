"""The terminal report of an import, as a person reads it."""

from __future__ import annotations

from dashboard.import_report import describe
from dashboard.imports import ImportReport


def test_loaded_report_with_unit_match_rate_and_notes():
    report = ImportReport(
        "rdv",
        "rendez_vous.csv",
        "loaded",
        batch_id=4,
        rows_read=14,
        created=13,
        quarantined=1,
        matched=13,
        match_base=14,
        extracted_on="2024-07-01",
        unit="rendez-vous",
        notes=["ligne 3 : à vérifier"],
        unknown_columns=["Structure"],
    )
    assert describe(report).splitlines() == [
        "Import réussi : rendez_vous.csv",
        "  lignes lues            14",
        "  créations              13 (rendez-vous)",
        "  mises à jour           0",
        "  sans changement        0",
        "  lignes rejetées        1",
        "  données au             2024-07-01",
        # 13 / 14 = 92.9 % -> 93 %
        "  93 % des lignes (13 sur 14) rattachées à un bénéficiaire déjà connu d'une autre source",
        "  détail des rejets : pilotage quarantine 4",
        "  à vérifier :",
        "    ligne 3 : à vérifier",
        "  colonnes ignorées : Structure",
    ]


def test_refused_and_dry_run_reports():
    refused = ImportReport("solis", "x.csv", "failed", message="Le fichier est vide.")
    assert describe(refused) == "Import refusé : x.csv\nLe fichier est vide."
    dry = ImportReport("solis", "x.csv", "loaded", rows_read=2, created=2)
    assert describe(dry).splitlines()[-1] == "  (simulation : rien n'a été enregistré)"
