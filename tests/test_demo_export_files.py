"""The demo's export files: a one-person territory written out by hand, and the shapes
(encodings, separators, order) of a generated territory's files."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from connectors.reading import open_table
from dashboard.demo import export_labels as labels
from dashboard.demo import generate_demo
from dashboard.demo.exports import SOURCE_ORDER, write_exports
from dashboard.demo.identities import demo_identities
from dashboard.demo.records import (
    ActivityHoursRecord,
    AppointmentRecord,
    BeneficiaryRecord,
    ContractRecord,
    DemoData,
    EmploymentOutcomeRecord,
    IndicatorTargetRecord,
    OrientationRecord,
    ReferentRecord,
    RightsPeriodRecord,
    RoadmapActionRecord,
    SiteRecord,
)
from dashboard.models import (
    AppointmentKind,
    AppointmentStatus,
    ContractKind,
    Dominante,
    EducationLevel,
    EmploymentContractType,
    ExitReason,
    FamilySituation,
    Organisme,
    Payer,
    RoadmapProgress,
    Sex,
    SiteKind,
)

D = dt.date
FT_SITE = "Agence France Travail Redon"


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return generate_demo(size=300, seed=5)


# --- a one-person territory, by hand ----------------------------------------------------


@pytest.fixture
def mini() -> DemoData:
    base = generate_demo(size=50)
    return dataclasses.replace(
        base,
        size=1,
        sites=[SiteRecord("CDAS Redon", SiteKind.CDAS), SiteRecord(FT_SITE, SiteKind.AGENCE_FT)],
        referents=[
            ReferentRecord("REF001", Organisme.CD, "CDAS Redon", 50),
            ReferentRecord("FT01", Organisme.FT, FT_SITE, 70),
        ],
        beneficiaries=[
            BeneficiaryRecord(
                "p" * 64,
                1990,
                Sex.F,
                FamilySituation.SEUL,
                EducationLevel.NIVEAU_4,
                Payer.CAF,
                FT_SITE,
            )
        ],
        rights_periods=[
            RightsPeriodRecord(
                0,
                D(2022, 5, 2),
                D(2022, 5, 4),
                None,
                D(2022, 5, 2),
                D(2024, 6, 20),
                D(2024, 6, 20),
                ExitReason.EMPLOI,
            )  # fmt: skip
        ],
        orientations=[
            OrientationRecord(
                0, D(2022, 6, 10), D(2022, 6, 14), Dominante.SOCIAL, Organisme.CD, "REF001", False
            ),
            OrientationRecord(
                0, D(2022, 11, 8), D(2022, 11, 10), Dominante.EMPLOI, Organisme.FT, "FT01", True
            ),
        ],
        appointments=[
            AppointmentRecord(
                0,
                AppointmentKind.ACCOMPAGNEMENT,
                D(2023, 3, 21),
                dt.datetime(2023, 4, 3, 9, 30),
                AppointmentStatus.PRESENT,
                None,
                FT_SITE,
                "FT01",
            )
        ],
        contracts=[ContractRecord(0, ContractKind.PPAE, D(2023, 4, 5), D(2024, 6, 20))],
        activity_hours=[
            ActivityHoursRecord(0, D(2023, 4, 3), 17.5),
            ActivityHoursRecord(0, D(2023, 4, 10), 0.0),
        ],
        employment_outcomes=[
            EmploymentOutcomeRecord(0, D(2024, 6, 3), EmploymentContractType.CDD, 6.0, True)
        ],
        indicator_targets=[
            IndicatorTargetRecord("taux_orientation", D(2023, 1, 1), D(2023, 6, 30), 75.0, 70.0),
            IndicatorTargetRecord(
                "delai_orientation_median_j", D(2023, 1, 1), D(2023, 6, 30), 38.0, None
            ),
        ],
        roadmap_actions=[
            RoadmapActionRecord(
                "Entrée en parcours",
                "Orienter en 15 jours",
                "Flux quotidien",
                ("CD", "CAF"),
                "Fin mars",
                None,
                None,
                False,
                (),
                None,
                RoadmapProgress.REALISE,
                "Fait; en place",
            )  # fmt: skip
        ],
    )


def _rows(path: Path, encoding: str, separator: str) -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.reader(handle, delimiter=separator))


def test_one_person_files_by_hand(mini, tmp_path):
    files = write_exports(mini, tmp_path)
    identity = demo_identities(mini)[0]
    # SOLIS: her events fall in the files of 31/10/2022 (added: the first orientation,
    # notified 14/06/2022, is superseded on 08/11/2022), 31/01/2023 (re-orientation
    # of 08-10/11/2022, the first pilot month end) and 30/06/2024 (exit of 20/06/2024).
    # rdv: the appointment of 03/04/2023 in April's file. France Travail: Mondays after
    # the hours' weeks (10/04 and 17/04/2023, the PPAE of 05/04/2023 joining the first)
    # and the Monday of the return to work (03/06/2024). No CEJ: no mission locale file.
    assert [(f.source, f.path.name, f.extracted_on, f.rows) for f in files] == [
        ("solis", "solis_2022-10-31.csv", D(2022, 10, 31), 1),
        ("solis", "solis_2023-01-31.csv", D(2023, 1, 31), 1),
        ("france-travail", "france_travail_2023-04-10.csv", D(2023, 4, 10), 1),
        ("france-travail", "france_travail_2023-04-17.csv", D(2023, 4, 17), 1),
        ("rdv", "rendez_vous_2023-04-30.csv", D(2023, 4, 30), 1),
        ("france-travail", "france_travail_2024-06-03.csv", D(2024, 6, 3), 1),
        ("solis", "solis_2024-06-30.csv", D(2024, 6, 30), 1),
        ("targets", "cibles.csv", D(2024, 12, 31), 2),
        ("roadmap", "feuille_de_route_2024-12-31.csv", D(2024, 12, 31), 1),
    ]
    by_name = {f.path.name: f.path for f in files}
    person = [identity.caf_number, identity.nir, labels.day(identity.birth_date), "CAF", "F"]
    person += ["Isolé", "Niveau 4 (Bac)", FT_SITE, "02/05/2022", "04/05/2022", "Oui", "02/05/2022"]
    first = ["10/06/2022", "14/06/2022", "Social", "Département", "REF001", "CDAS Redon", "50"]
    again = ["08/11/2022", "10/11/2022", "Emploi", "France Travail", "FT01", FT_SITE, "70"]
    solis = [
        _rows(by_name[f"solis_{day}.csv"], "cp1252", ";")[1]
        for day in ("2022-10-31", "2023-01-31", "2024-06-30")
    ]
    assert solis == [
        [*person, "", *first, "", "", ""],
        [*person, "", *again, "", "", ""],
        [*person, "20/06/2024", *again, "", "20/06/2024", "Reprise d'emploi"],
    ]
    ft = [
        _rows(by_name[f"france_travail_{day}.csv"], "utf-8-sig", ";")[1]
        for day in ("2023-04-10", "2023-04-17", "2024-06-03")
    ]
    assert ft == [
        [identity.nir, identity.caf_number, "05/04/2023", "03/04/2023", "17,5", "", "", ""],
        [identity.nir, identity.caf_number, "05/04/2023", "10/04/2023", "0", "", "", ""],
        [identity.nir, identity.caf_number, "05/04/2023", "", "", "03/06/2024", "CDD", "6"],
    ]
    assert _rows(by_name["rendez_vous_2023-04-30.csv"], "utf-8", ";")[1] == [
        identity.caf_number, labels.day(identity.birth_date), "Accompagnement", "21/03/2023",
        "03/04/2023 09:30", "Présent", "", FT_SITE, "FT01",
    ]  # fmt: skip
    assert _rows(by_name["cibles.csv"], "utf-8", ";")[1:] == [
        ["taux_orientation", "01/01/2023", "30/06/2023", "75 %", "70 %"],
        ["delai_orientation_median_j", "01/01/2023", "30/06/2023", "38", ""],
    ]
    assert _rows(by_name["feuille_de_route_2024-12-31.csv"], "utf-8", ";")[1] == [
        "Entrée en parcours", "Orienter en 15 jours", "Flux quotidien", "CD, CAF", "Fin mars",
        "", "Réalisé", "Fait; en place",
    ]  # fmt: skip
    assert [f.year for f in files if f.source == "roadmap"] == [2023]


def test_files_are_in_the_shapes_the_connectors_sniff(demo, tmp_path):
    files = write_exports(demo, tmp_path)
    shapes = {}
    for item in files:
        table = open_table(item.path)
        shapes.setdefault(item.source, (table.encoding, table.separator))
    assert shapes == {
        "solis": ("cp1252", ";"),
        "mission-locale": ("utf-8", ","),
        "rdv": ("utf-8", ";"),
        "france-travail": ("utf-8-sig", ";"),
        "targets": ("utf-8", ";"),
        "roadmap": ("utf-8", ";"),
    }
    # Import order: by date, SOLIS first on a given day.
    keys = [(item.extracted_on, SOURCE_ORDER.index(item.source)) for item in files]
    assert keys == sorted(keys)
    # Writing again replaces the files (no file of a previous demo stays).
    (tmp_path / "solis" / "solis_1999-01-31.csv").write_text("x")
    assert len(write_exports(demo, tmp_path)) == len(files)
    assert not (tmp_path / "solis" / "solis_1999-01-31.csv").exists()
