"""`pilotage import solis` end to end, on SQLite and PostgreSQL, with the sample export."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select, text

from dashboard import imports
from dashboard.models import Beneficiary, ImportBatch, Orientation, QuarantinedRow, RightsPeriod

SAMPLE = Path(__file__).parent / "data" / "samples" / "solis_beneficiaires.csv"
ARGS = ("--territory", "35-REDON", "--extracted-on", "2024-07-01")


@pytest.fixture
def run_cli(redon_cli):
    return redon_cli


def _content(db) -> dict[str, object]:
    """What the import wrote, independent of ids and batches."""
    people = db.scalars(select(Beneficiary.pseudonym).order_by(Beneficiary.pseudonym)).all()
    orientations = db.execute(
        select(
            Beneficiary.pseudonym,
            Orientation.decided_on,
            Orientation.notified_on,
            Orientation.dominante,
            Orientation.organisme,
        )
        .join(Beneficiary)
        .order_by(Beneficiary.pseudonym)
    ).all()
    rights = db.execute(
        select(
            Beneficiary.pseudonym,
            RightsPeriod.rights_opened_on,
            RightsPeriod.notification_received_on,
            RightsPeriod.duties_start_on,
            RightsPeriod.exit_on,
        )
        .join(Beneficiary)
        .order_by(Beneficiary.pseudonym)
    ).all()
    return {"people": people, "orientations": orientations, "rights": rights}


def test_sample_imports_with_expected_counts(run_cli, db_session):
    code, out, err = run_cli("import", "solis", str(SAMPLE), *ARGS)
    assert code == 0, err
    assert "créations              19 (personnes)" in out and "lignes rejetées        1" in out
    assert db_session.scalar(select(func.count()).select_from(Beneficiary)) == 19
    row = db_session.scalar(select(QuarantinedRow))
    assert (row.row_number, row.reasons) == (5, ["Date orientation : date impossible : 31/02/2024"])
    code, out, _ = run_cli("quarantine", str(row.batch_id))
    assert code == 0 and "ligne 5 : Date orientation : date impossible : 31/02/2024" in out


def test_second_import_of_the_same_file_is_a_no_op(run_cli, db_session):
    run_cli("import", "solis", str(SAMPLE), *ARGS)
    before = _content(db_session)
    code, out, _ = run_cli("import", "solis", str(SAMPLE), *ARGS)
    assert code == 0 and "Fichier déjà importé (lot n° 1) : rien n'a changé." in out
    db_session.expire_all()
    assert _content(db_session) == before
    statuses = db_session.scalars(select(ImportBatch.status).order_by(ImportBatch.id)).all()
    assert statuses == ["loaded", "unchanged"]


def _rewrite(tmp_path: Path, name: str, transform) -> Path:
    with SAMPLE.open(encoding="cp1252", newline="") as handle:
        lines = list(csv.reader(handle, delimiter=";"))
    header, rows = transform(lines[0], lines[1:])
    target = tmp_path / name
    if name.endswith(".xlsx"):
        book = Workbook()
        sheet = book.active
        for line in [header, *rows]:
            sheet.append(line)
        book.save(target)
    else:
        with target.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, delimiter=",").writerows([header, *rows])
    return target


def _shuffled_upper_extra(header, rows):
    order = list(reversed(range(len(header))))
    new_header = [header[i].upper() for i in order] + ["Commentaire agent"]
    return new_header, [[row[i] for i in order] + ["à revoir"] for row in rows]


@pytest.mark.parametrize(
    ("name", "transform"),
    [
        ("solis_melange.csv", _shuffled_upper_extra),
        ("solis.xlsx", lambda header, rows: (header, rows)),
    ],
)
def test_same_data_in_another_shape_gives_the_same_database(
    run_cli, db_session, settings, tmp_path, name, transform
):
    run_cli("import", "solis", str(SAMPLE), *ARGS)
    expected = _content(db_session)
    db_session.execute(text("DELETE FROM beneficiary"))
    db_session.commit()
    code, out, err = run_cli("import", "solis", str(_rewrite(tmp_path, name, transform)), *ARGS)
    assert code == 0, (out, err)
    db_session.expire_all()
    assert _content(db_session) == expected
    if name.endswith(".csv"):
        assert "colonnes ignorées : Commentaire agent" in out


def test_missing_required_column_writes_nothing(run_cli, db_session, tmp_path):
    broken = _rewrite(
        tmp_path,
        "sans_date.csv",
        lambda h, rows: (
            [c for c in h if c != "Date ouverture droits"],
            [[v for c, v in zip(h, r, strict=True) if c != "Date ouverture droits"] for r in rows],
        ),
    )
    code, out, _ = run_cli("import", "solis", str(broken), *ARGS)
    assert code == 1
    assert "Colonne obligatoire absente : « Date ouverture droits »" in out
    assert db_session.scalar(select(func.count()).select_from(Beneficiary)) == 0
    assert db_session.scalar(select(ImportBatch.status)) == "failed"


def test_crash_mid_file_leaves_the_database_unchanged(run_cli, db_session, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK_ROWS", 5)
    original = imports.CONNECTORS["solis"]
    calls = []

    def crash_on_third_chunk(db, territory_id, batch_id, records):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disque plein")
        return original.write(db, territory_id, batch_id, records)

    monkeypatch.setitem(
        imports.CONNECTORS,
        "solis",
        imports.Connector(
            original.source, original.profile, original.parse_row, crash_on_third_chunk
        ),
    )
    code, out, _ = run_cli("import", "solis", str(SAMPLE), *ARGS)
    assert code == 1 and "rien n'a été enregistré" in out and "disque plein" not in out
    assert len(calls) == 3
    for model in (Beneficiary, RightsPeriod, Orientation, QuarantinedRow):
        assert db_session.scalar(select(func.count()).select_from(model)) == 0
    assert db_session.scalar(select(ImportBatch.status)) == "failed"


def test_strict_mode_refuses_the_file_but_keeps_the_rejected_row(run_cli, db_session):
    code, out, _ = run_cli("import", "solis", str(SAMPLE), *ARGS, "--strict")
    assert code == 1 and "Mode strict : 1 ligne(s) rejetée(s)" in out
    assert db_session.scalar(select(func.count()).select_from(Beneficiary)) == 0
    assert db_session.scalar(select(QuarantinedRow.row_number)) == 5


def test_dry_run_records_nothing(run_cli, db_session):
    code, out, _ = run_cli("import", "solis", str(SAMPLE), *ARGS, "--dry-run")
    assert code == 0 and "simulation" in out
    assert db_session.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_no_name_or_nir_reaches_the_database(run_cli, db_session, engine):
    run_cli("import", "solis", str(SAMPLE), *ARGS)
    dump = []
    with engine.connect() as connection:
        for table in (
            "beneficiary",
            "beneficiary_link",
            "rights_period",
            "orientation",
            "quarantined_row",
            "import_batch",
            "referent",
            "site",
        ):
            dump += [str(row) for row in connection.execute(text(f"SELECT * FROM {table}"))]
    blob = "\n".join(dump)
    for secret in (
        "Le Goff",
        "Durand",
        "Gaëlle",
        "1040635257392",
        "104063525739218",
        "6626571",
        "28/06/2004",
        "2004-06-28",
    ):
        assert secret not in blob, secret


def test_unknown_file_and_source_are_bad_arguments(run_cli, tmp_path):
    code, _, err = run_cli("import", "solis", str(tmp_path / "absent.csv"), *ARGS)
    assert code == 2 and "Fichier introuvable" in err
    shutil.copy(SAMPLE, tmp_path / "x.csv")
    code, _, err = run_cli("import", "caf", str(tmp_path / "x.csv"), *ARGS)
    assert code == 2 and "Valeur invalide pour SOURCE : choisissez parmi " in err
    assert "solis" in err.split("parmi", 1)[1]


def test_a_territory_profile_reads_renamed_headers(run_cli, db_session, tmp_path):
    renamed = _rewrite(
        tmp_path,
        "solis_morbihan.csv",
        lambda h, rows: (
            [
                {"N° allocataire": "Matricule CAF", "Date ouverture droits": "Date OD"}.get(c, c)
                for c in h
            ],
            rows,
        ),
    )
    code, out, _ = run_cli("import", "solis", str(renamed), *ARGS)
    assert code == 1 and "« N° allocataire »" in out
    profile = tmp_path / "morbihan.toml"
    profile.write_text(
        'source = "solis"\n[columns]\ncaf_number = "Matricule CAF"\nrights_opened_on = "Date OD"\n',
        encoding="utf-8",
    )
    code, out, err = run_cli("import", "solis", str(renamed), *ARGS, "--profile", str(profile))
    assert code == 0, (out, err)
    assert db_session.scalar(select(func.count()).select_from(Beneficiary)) == 19
    assert (
        db_session.scalar(select(ImportBatch.profile).where(ImportBatch.status == "loaded"))
        == "morbihan.toml"
    )
    bad = tmp_path / "bad.toml"
    bad.write_text("[columns]\nnumero = 'x'\n", encoding="utf-8")
    code, _, err = run_cli("import", "solis", str(renamed), *ARGS, "--profile", str(bad))
    assert code == 2 and "Champ(s) inconnu(s) dans le profil : numero." in err


def test_logs_of_a_failing_import_hold_no_identity(run_cli, caplog, monkeypatch, tmp_path):
    """Even the unexpected-error path (which logs the exception) leaks no identifier."""
    original = imports.CONNECTORS["solis"]

    def crash(db, territory_id, batch_id, records):
        raise RuntimeError(f"{len(records)} enregistrements")

    monkeypatch.setitem(
        imports.CONNECTORS,
        "solis",
        imports.Connector(original.source, original.profile, original.parse_row, crash),
    )
    caplog.set_level("DEBUG")
    code, out, err = run_cli("import", "solis", str(SAMPLE), *ARGS)
    assert code == 1
    text = caplog.text + out + err
    assert "Import of solis_beneficiaires.csv failed" in caplog.text
    for secret in ("Le Goff", "Durand", "1040635257392", "6626571", "28/06/2004"):
        assert secret not in text, secret


def test_progress_is_reported_after_each_chunk(settings, engine, db_session, monkeypatch):
    from dashboard.db import make_session_factory
    from tests.helpers import make_territory

    make_territory(db_session, "35-REDON")
    db_session.commit()
    monkeypatch.setattr(imports, "CHUNK_ROWS", 8)
    seen: list[imports.ImportProgress] = []
    report = imports.run_import(
        make_session_factory(engine),
        "solis",
        SAMPLE,
        "35-REDON",
        pseudonym_key="k",
        extracted_on=dt.date(2024, 7, 1),
        progress=seen.append,
    )
    # 20 data rows in chunks of 8: 8, 16, 20. The sample (3 KB) fits in the reader's
    # first 8 KB buffer, so the share of the file read is 1 from the first chunk on.
    assert report.status == "loaded"
    assert seen == [imports.ImportProgress(rows, 1.0) for rows in (8, 16, 20)]
