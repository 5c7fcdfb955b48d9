"""Cibles et trajectoires: the sample rows by hand, then `pilotage import targets` end to
end on SQLite and PostgreSQL (no-op re-import, newer file updating one point)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select, text

from connectors import targets
from connectors.profiles import match_headers
from connectors.rows import ParseContext, RowReader
from dashboard.models import ImportBatch, IndicatorTarget, QuarantinedRow
from tests.helpers import report_counts, write_csv

SAMPLE = Path(__file__).parent / "data" / "samples" / "cibles.csv"
ARGS = ("--territory", "35-REDON", "--extracted-on", "2024-07-01", "--format", "json")
D = dt.date
CONTEXT = ParseContext("k", D(2024, 7, 1), 2024)

# The sample by hand: lines 2-4 are the taux_orientes_15j trajectory (T0 40, then 60, 80,
# 100; line 4 names it by its French label); lines 5-6 the median delay 45 -> 30 -> 15
# days (line 5 by label); line 7 "Taux d'orientation" 80,0 with T0 70,5.
EXPECTED = [
    ("taux_orientes_15j", D(2024, 1, 1), D(2024, 6, 30), 60.0, 40.0),
    ("taux_orientes_15j", D(2024, 7, 1), D(2024, 12, 31), 80.0, None),
    ("taux_orientes_15j", D(2025, 1, 1), D(2025, 6, 30), 100.0, None),
    ("delai_orientation_median_j", D(2024, 1, 1), D(2024, 6, 30), 30.0, 45.0),
    ("delai_orientation_median_j", D(2024, 7, 1), D(2024, 12, 31), 15.0, None),
    ("taux_orientation", D(2024, 1, 1), D(2024, 12, 31), 80.0, 70.5),
]
# Lines 8 ("Nombre de PMSMP": no such indicator) and 9 (a contracting rate of 140 %).
REJECTED = [
    (8, ["Indicateur : indicateur inconnu : Nombre de PMSMP"]),
    (9, ["Cible : taux hors de 0 à 100 % (140)"]),
]


def sample_lines() -> list[list[str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


def parse(lines: list[list[str]]) -> list[tuple[object, RowReader]]:
    mapping = match_headers(lines[0], targets.PROFILE)
    results = []
    for number, cells in enumerate(lines[1:], start=2):
        row = {**dict(zip(lines[0], cells, strict=True)), "__row__": number}
        reader = RowReader(row, mapping, targets.PROFILE)
        results.append((targets.parse_row(reader, CONTEXT), reader))
    return results


def as_tuple(record) -> tuple:
    return (
        record.indicator_code,
        record.period_start,
        record.period_end,
        record.target_value,
        record.baseline_value,
    )


def test_sample_rows_by_hand():
    mapping = match_headers(sample_lines()[0], targets.PROFILE)
    assert mapping.unknown == () and len(mapping.columns) == 5
    results = parse(sample_lines())
    assert [as_tuple(record) for record, _ in results if record] == EXPECTED
    rejected = [(r.row["__row__"], r.reasons) for record, r in results if record is None]
    assert rejected == REJECTED


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("60 %", 60.0),
        ("60%", 60.0),
        ("60,0", 60.0),
        ("60", 60.0),
        ("12.5", 12.5),
        ("1 234,5", 1234.5),
    ],
)
def test_values_with_or_without_percent_sign(raw, value):
    assert targets.parse_value(raw) == value


@pytest.mark.parametrize("raw", ["soixante", "nan", "inf", "60 % environ"])
def test_unreadable_values(raw):
    with pytest.raises(ValueError, match="nombre illisible"):
        targets.parse_value(raw)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("TAUX_ORIENTES_15J", "taux_orientes_15j"),
        ("taux orientes 15j", "taux_orientes_15j"),
        ("Part des nouveaux entrants orientés en 15 jours", "taux_orientes_15j"),
        ("délai médian d'orientation (jours)", "delai_orientation_median_j"),
        ("Taux d'orientation", "taux_orientation"),
        ("Taux de contractualisation", "taux_contrat_engagement"),
        ("Part en accompagnement intensif (15 h)", "part_intensif_15h"),
        ("nouveaux_entrants", "nouveaux_entrants"),
    ],
)
def test_indicator_codes_and_labels(raw, code):
    assert targets.parse_indicator(raw) == code


def test_every_label_points_to_a_known_code():
    assert set(targets.INDICATOR_LABELS.values()) <= set(targets.INDICATOR_CODES)
    assert len(set(targets.INDICATOR_CODES)) == len(targets.INDICATOR_CODES) == 20


def test_bare_fractions_of_rates_are_excel_percentages():
    header = sample_lines()[0]
    lines = [
        header,
        ["taux_orientation", "01/01/2024", "31/12/2024", "0.8", "0,7"],  # 80 %, T0 70 %
        ["taux_orientation", "01/01/2025", "31/12/2025", "1", "1 %"],  # 100 %, T0 1 % as typed
        ["delai_orientation_median_j", "01/01/2024", "31/12/2024", "0.5", ""],  # half a day
    ]
    assert [(r.target_value, r.baseline_value) for r, _ in parse(lines)] == [
        (80.0, 70.0),
        (100.0, 1.0),
        (0.5, None),
    ]


def test_a_bad_row_lists_every_reason():
    header = sample_lines()[0]
    lines = [
        header,
        ["part_intensif_15h", "31/12/2024", "01/01/2024", "-5 %", "101"],
        ["delai_orientation_median_j", "01/01/2024", "31/02/2024", "-3", ""],
        ["", "", "", "", ""],
    ]
    assert [reader.reasons for _, reader in parse(lines)] == [
        [
            "Fin de période (01/01/2024) précède Début de période (31/12/2024)",
            "Cible : taux hors de 0 à 100 % (-5)",
            "Valeur de référence (T0) : taux hors de 0 à 100 % (101)",
        ],
        ["Fin de période : date impossible : 31/02/2024", "Cible : valeur négative (-3)"],
        [
            "Indicateur : valeur manquante",
            "Début de période : valeur manquante",
            "Fin de période : valeur manquante",
            "Cible : valeur manquante",
        ],
    ]


# --- end to end through the CLI, on both backends -----------------------------------


@pytest.fixture
def run_cli(redon_json_cli):
    return redon_json_cli


def stored(db) -> list[tuple]:
    columns = (
        IndicatorTarget.indicator_code,
        IndicatorTarget.period_start,
        IndicatorTarget.period_end,
        IndicatorTarget.target_value,
        IndicatorTarget.baseline_value,
    )
    return [tuple(row) for row in db.execute(select(*columns).order_by(IndicatorTarget.id))]


def test_sample_import_then_same_file_again(run_cli, db_session):
    code, report, err = run_cli("import", "targets", str(SAMPLE), *ARGS)
    assert code == 0, err
    assert report_counts(report) == (8, 6, 0, 0, 2)  # 8 rows: the 6 of EXPECTED, 2 rejected
    assert stored(db_session) == EXPECTED
    quarantined = db_session.execute(
        select(QuarantinedRow.row_number, QuarantinedRow.reasons).order_by("row_number")
    ).all()
    assert [tuple(row) for row in quarantined] == REJECTED
    code, report, _ = run_cli("import", "targets", str(SAMPLE), *ARGS)
    assert code == 0 and report["status"] == "unchanged"
    db_session.expire_all()
    assert stored(db_session) == EXPECTED


def test_newer_file_updates_one_point_and_adds_one(run_cli, db_session, tmp_path):
    run_cli("import", "targets", str(SAMPLE), *ARGS)
    lines = sample_lines()
    lines[3][3] = "90 %"  # line 4: the mid-2025 target lowered from 100 to 90
    lines.append(["taux_orientes_15j", "01/07/2025", "31/12/2025", "100 %", ""])
    code, report, err = run_cli(
        "import", "targets", str(write_csv(tmp_path, "v2.csv", lines)), *ARGS
    )
    assert code == 0, err
    # 9 rows: 2 still rejected; of the 7 good ones 1 new, 1 changed, 6 - 1 = 5 unchanged.
    assert report_counts(report) == (9, 1, 1, 5, 2)
    expected = list(EXPECTED)
    expected[2] = (*EXPECTED[2][:3], 90.0, None)
    expected.append(("taux_orientes_15j", D(2025, 7, 1), D(2025, 12, 31), 100.0, None))
    db_session.expire_all()
    assert stored(db_session) == expected


def test_excel_sheet_with_date_and_percentage_cells(run_cli, db_session, tmp_path):
    book = Workbook()
    book.active.append(sample_lines()[0])
    # As Excel stores them: real dates, and 60 % / 40 % in percentage-formatted cells.
    book.active.append(["taux_orientes_15j", D(2024, 1, 1), D(2024, 6, 30), 0.6, 0.4])
    book.active.append(["delai_orientation_median_j", D(2024, 1, 1), D(2024, 6, 30), 30, 45])
    for cell in ("D2", "E2"):
        book.active[cell].number_format = "0%"
    book.save(tmp_path / "cibles.xlsx")
    code, report, err = run_cli("import", "targets", str(tmp_path / "cibles.xlsx"), *ARGS)
    assert code == 0 and report_counts(report) == (2, 2, 0, 0, 0), err
    assert stored(db_session) == [EXPECTED[0], EXPECTED[3]]


def test_duplicate_point_goes_to_quarantine(run_cli, db_session, tmp_path):
    lines = [*sample_lines(), ["taux_orientes_15j", "01/04/2024", "30/06/2024", "65", ""]]
    code, report, _ = run_cli("import", "targets", str(write_csv(tmp_path, "d.csv", lines)), *ARGS)
    assert code == 0 and report_counts(report) == (9, 6, 0, 0, 3)  # line 10 repeats line 2's key
    reasons = db_session.scalar(
        select(QuarantinedRow.reasons).where(QuarantinedRow.row_number == 10)
    )
    assert reasons == [
        "cible en double dans le fichier (même indicateur et même fin de période qu'à la "
        "ligne 2) : seule la première est importée"
    ]
    assert db_session.scalar(select(IndicatorTarget.target_value).limit(1)) == 60.0


def test_missing_target_column_writes_nothing(run_cli, db_session, tmp_path):
    lines = [row[:3] + row[4:] for row in sample_lines()]
    code, report, _ = run_cli("import", "targets", str(write_csv(tmp_path, "c.csv", lines)), *ARGS)
    assert code == 1 and "Colonne obligatoire absente : « Cible »" in report["message"]
    assert db_session.scalar(select(func.count()).select_from(IndicatorTarget)) == 0
    assert db_session.scalar(select(ImportBatch.status)) == "failed"


def test_no_personal_data_in_the_profile_or_the_database(run_cli, engine):
    assert not any(field.identifying for field in targets.PROFILE.fields)
    run_cli("import", "targets", str(SAMPLE), *ARGS)
    with engine.connect() as connection:
        blob = "\n".join(
            str(row)
            for table in ("indicator_target", "quarantined_row", "import_batch")
            for row in connection.execute(text(f"SELECT * FROM {table}"))
        )
    for secret in ("Le Goff", "Durand", "1040635257392", "6626571"):  # the SOLIS sample's
        assert secret not in blob
