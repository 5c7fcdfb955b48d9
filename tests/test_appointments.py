"""Appointments (`rdv`): sample rows by hand, validation reasons, writer, CLI end to end.

Hand check of tests/data/samples/rendez_vous.csv against solis_beneficiaires.csv:
rendez-vous line N carries the allocataire of SOLIS line N (6626571 on line 2 ...
8712317 on line 15). SOLIS line 5 (9324402) is quarantined for its date
31/02/2024, so no link key of 9324402 is stored: rendez-vous line 5 has no known
person. The 13 other rows are placed:
    line  motif           statut               line  motif           statut
    2     Accompagnement  Absent non excusé    9     Orientation     Absent non excusé
    3     Orientation     Excusé               10    Accompagnement  Excusé
    4     Accompagnement  Absent non excusé    11    Accompagnement  Excusé
    6     Orientation     Présent              12    Accompagnement  Absent non excusé
    7     Accompagnement  Absent non excusé    13    Accompagnement  Excusé
    8     Orientation     Présent              14    Accompagnement  Annulé
                                               15    Orientation     Présent
-> by status: absent 5 (2, 4, 7, 9, 12), excusé 4 (3, 10, 11, 13), présent 3 (6, 8,
15), annulé 1 (14); by kind: orientation 5 (3, 6, 8, 9, 15), accompagnement 8.
Every date is before the extraction (01/07/2024), every invitation precedes its
appointment and every relance is 8 days after its invitation: no row is invalid.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from connectors import appointments, solis
from connectors.appointments import parse_appointment_kind
from connectors.profiles import match_headers
from connectors.pseudonym import caf_birth_key, caf_key
from connectors.reading import iter_rows, open_table
from connectors.rows import QUARANTINE_HIDDEN, ParseContext, RowReader
from dashboard.loading.appointments import UNKNOWN_PERSON, write_appointments
from dashboard.loading.solis import write_solis
from dashboard.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    ImportBatch,
    QuarantinedRow,
    Referent,
    Site,
)
from tests.helpers import make_territory

SAMPLES = Path(__file__).parent / "data" / "samples"
SAMPLE = SAMPLES / "rendez_vous.csv"
SOLIS_SAMPLE = SAMPLES / "solis_beneficiaires.csv"
ARGS = ("--territory", "35-REDON", "--extracted-on", "2024-07-01")
KEY = "cle-de-test"
CONTEXT = ParseContext(KEY, dt.date(2024, 7, 1), 2024)
HEADER = "N° allocataire;Motif;Date invitation;Date RDV;Statut;Relance;Structure"


def parse(path: Path, module=appointments) -> list[tuple[int, object, RowReader]]:
    table = open_table(path)
    mapping = match_headers(list(table.headers), module.PROFILE)
    results = []
    for chunk in iter_rows(table):
        for row in chunk:
            reader = RowReader(row, mapping, module.PROFILE)
            results.append((row["__row__"], module.parse_row(reader, CONTEXT), reader))
    return results


def write_csv(tmp_path: Path, name: str, lines: list[str], header: str = HEADER) -> Path:
    target = tmp_path / name
    target.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return target


def reasons_of(tmp_path: Path, line: str, header: str = HEADER) -> list[str]:
    [(_, record, reader)] = parse(write_csv(tmp_path, "rdv.csv", [line], header))
    assert record is None
    return reader.reasons


# --- rows -------------------------------------------------------------------------------


def test_sample_rows_are_all_valid_with_the_hand_counted_kinds_and_statuses():
    results = parse(SAMPLE)
    assert [line for line, record, _ in results if record is None] == []
    records = {line: record for line, record, _ in results}
    assert len(records) == 14
    absent, excuse = AppointmentStatus.ABSENT, AppointmentStatus.EXCUSE
    present, annule = AppointmentStatus.PRESENT, AppointmentStatus.ANNULE
    assert [records[n].status for n in range(2, 16)] == [
        absent, excuse, absent, annule, present, absent, present,
        absent, excuse, excuse, absent, excuse, annule, present,
    ]  # fmt: skip
    orientation = {n for n, r in records.items() if r.kind == AppointmentKind.ORIENTATION}
    assert orientation == {3, 5, 6, 8, 9, 15}  # the 8 others are "Accompagnement"


def test_first_row_by_hand():
    line, record, reader = parse(SAMPLE)[0]
    # 6626571;Accompagnement;13/03/2024;27/03/2024 09:30;Absent non excusé;21/03/2024;CDAS Redon
    assert (line, record.row_number) == (2, 2)
    assert record.link_keys == (caf_key(KEY, "6626571"),)
    assert (record.invited_on, record.scheduled_at, record.reminder_on) == (
        dt.date(2024, 3, 13),
        dt.datetime(2024, 3, 27, 9, 30),
        dt.date(2024, 3, 21),
    )
    assert (record.site, record.referent) == ("CDAS Redon", None)
    assert record.raw_values["N° allocataire"] == QUARANTINE_HIDDEN
    assert "6626571" not in str(record.raw_values)


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("Orientation", AppointmentKind.ORIENTATION),
        ("Diagnostic", AppointmentKind.ORIENTATION),
        ("RDV d'orientation", AppointmentKind.ORIENTATION),
        ("1er rendez-vous", AppointmentKind.ORIENTATION),
        ("Accompagnement", AppointmentKind.ACCOMPAGNEMENT),
        ("1er RDV accompagnement", AppointmentKind.ACCOMPAGNEMENT),
        ("Entretien de suivi", AppointmentKind.ACCOMPAGNEMENT),
        ("Jalon", AppointmentKind.JALON),
        ("ENTRETIEN JALON", AppointmentKind.JALON),
    ],
)
def test_motif_spellings(raw, kind):
    assert parse_appointment_kind(raw) == kind


def test_every_problem_of_a_row_is_a_reason(tmp_path):
    # Invitation 05/07 after the extraction (01/07) and after the appointment (20/06);
    # relance 01/06 before the invitation; unknown motif and status.
    line = "1234567;Visite;05/07/2024;20/06/2024 10:00;Reporté;01/06/2024;CDAS Redon"
    assert reasons_of(tmp_path, line) == [
        "Motif : type de rendez-vous inconnu : Visite",
        "Statut : statut de rendez-vous inconnu : Reporté",
        "Date invitation : date postérieure à l'extraction (05/07/2024)",
        "Date RDV (20/06/2024) précède Date invitation (05/07/2024)",
        "Relance (01/06/2024) précède Date invitation (05/07/2024)",
    ]


@pytest.mark.parametrize(
    ("line", "reasons"),
    [
        (
            "1234567;Orientation;;le 27 mars;Présent;;",
            ["Date RDV : date illisible : le 27 mars (attendu : jj/mm/aaaa)"],
        ),
        (";Jalon;;31/04/2024 10:00;Présent;;", [
            "N° allocataire : valeur manquante", "Date RDV : date impossible : 31/04/2024 10:00",
        ]),
        ("12;Jalon;;02/04/2024 10:00;Présent;;", [
            "Numéro d'allocataire invalide : 5 à 13 chiffres attendus.",
        ]),
        # An appointment after the extraction is planned: it cannot have been attended.
        ("1234567;Jalon;;15/07/2024 14:00;Présent;;", [
            "statut « Présent » pour un rendez-vous à venir",
        ]),
        ("1234567;Jalon;;15/07/2024 14:00;Absent non excusé;;", [
            "statut « Absent non excusé » pour un rendez-vous à venir",
        ]),
        ("1234567;Jalon;01/06/2024;15/07/2025 14:00;;;", [
            "Date RDV : date plus d'un an après l'extraction (15/07/2025)",
        ]),
        ("1234567;Jalon;;15/06/2024 14:00;;05/07/2024;", [
            "Relance : date postérieure à l'extraction (05/07/2024)",
        ]),
    ],
)  # fmt: skip
def test_rejected_rows(tmp_path, line, reasons):
    assert reasons_of(tmp_path, line) == reasons


def test_planned_appointments(tmp_path):
    lines = [
        "1234567;Jalon;20/06/2024;15/07/2024 14:00;;;",  # future, empty status
        "1234567;Jalon;20/06/2024;16/07/2024 14:00;Annulé;;",  # future, cancelled
        "1234567;Jalon;20/06/2024;17/07/2024 14:00;Prévu;;",  # future, "Prévu"
        "1234567;Jalon;20/06/2024;01/07/2024 14:00;Présent;;",  # the extraction day
        "1234567;Jalon;20/06/2024;28/06/2024;;;",  # past, outcome not entered, no time
    ]
    results = parse(write_csv(tmp_path, "rdv.csv", lines))
    assert [(r.status, r.scheduled_at.day, r.scheduled_at.hour) for _, r, _ in results] == [
        (AppointmentStatus.PLANIFIE, 15, 14),
        (AppointmentStatus.ANNULE, 16, 14),
        (AppointmentStatus.PLANIFIE, 17, 14),
        (AppointmentStatus.PRESENT, 1, 14),
        (AppointmentStatus.PLANIFIE, 28, 0),
    ]


def test_birth_date_gives_the_more_precise_link_key_first(tmp_path):
    header = "Numéro CAF;Date de naissance;Type de rendez-vous;Date du rendez-vous;Présence"
    path = write_csv(tmp_path, "rdv.csv", ["6626571;28/06/2004;Jalon;02/05/2024;Venu"], header)
    [(_, record, reader)] = parse(path)
    assert record.link_keys == (
        caf_birth_key(KEY, "6626571", dt.date(2004, 6, 28)),
        caf_key(KEY, "6626571"),
    )
    assert reader.quarantine_values()["Date de naissance"] == QUARANTINE_HIDDEN


# --- writer -----------------------------------------------------------------------------


@pytest.fixture
def territory(db_session):
    territory = make_territory(db_session, "35-REDON")
    db_session.commit()
    solis_records = [record for _, record, _ in parse(SOLIS_SAMPLE, solis) if record]
    write_solis(db_session, territory.id, None, solis_records)
    return territory


def sample_records() -> list[appointments.AppointmentRecord]:
    return [record for _, record, _ in parse(SAMPLE)]


def statuses(db) -> list[str]:
    query = select(Appointment.status).where(Appointment.source == "rdv")
    return sorted(db.scalars(query))


def test_writer_places_13_rows_and_rejects_the_unknown_person(db_session, territory):
    counts = write_appointments(db_session, territory.id, None, sample_records())
    assert (counts.created, counts.updated, counts.unchanged, counts.matched) == (13, 0, 0, 13)
    [rejected] = counts.rejected
    assert (rejected["row_number"], rejected["reasons"]) == (5, [UNKNOWN_PERSON])
    assert rejected["raw_values"]["N° allocataire"] == QUARANTINE_HIDDEN
    assert rejected["raw_values"]["Structure"] == "CDAS Guichen"
    # 5 absent + 4 excusé + 3 présent + 1 annulé (module docstring).
    assert statuses(db_session) == ["absent"] * 5 + ["annule"] + ["excuse"] * 4 + ["present"] * 3
    # The three CDAS of the file are those SOLIS created: no new site.
    assert db_session.scalar(select(func.count()).select_from(Site)) == 3


def test_newer_extraction_updates_the_status_without_duplicating(db_session, territory):
    records = sample_records()
    write_appointments(db_session, territory.id, None, records)
    again = write_appointments(db_session, territory.id, None, records)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 13)
    # Line 14 (9325844, 11/05/2024): "Annulé" became "Présent" in the newer file.
    newer = [
        dataclasses.replace(r, status=AppointmentStatus.PRESENT) if r.row_number == 14 else r
        for r in records
    ]
    counts = write_appointments(db_session, territory.id, None, newer)
    assert (counts.created, counts.updated, counts.unchanged) == (0, 1, 12)
    assert statuses(db_session) == ["absent"] * 5 + ["excuse"] * 4 + ["present"] * 4


def test_an_appointment_solis_already_holds_is_left_to_solis(db_session, territory, tmp_path):
    # SOLIS line 3 (2037020) has its first accompaniment appointment on 11/03/2024,
    # stored at midnight as "present"; the same appointment in the tool, as absent.
    path = write_csv(tmp_path, "rdv.csv", ["2037020;Accompagnement;01/03/2024;11/03/2024;Absent;;"])
    counts = write_appointments(db_session, territory.id, None, [r for _, r, _ in parse(path)])
    assert (counts.created, counts.unchanged, counts.matched, counts.rejected) == (0, 1, 1, [])
    query = select(Appointment.source, Appointment.status).where(
        Appointment.scheduled_at == dt.datetime(2024, 3, 11)
    )
    assert db_session.execute(query).all() == [("solis", "present")]


def test_birth_date_key_site_and_referent(db_session, territory, tmp_path):
    # 6626571 born 28/06/2004 is SOLIS line 2. REF001 is a SOLIS referent, left as SOLIS
    # stored it (MSA: the organisme of its last SOLIS row, line 20). AG07 and "Mission
    # locale de Redon" are new: the new referent's organisme comes from the site's name.
    header = "N° allocataire;Date de naissance;Motif;Date RDV;Statut;Structure;Référent"
    lines = [
        "6626571;28/06/2004;Jalon;02/05/2024;Présent;CDAS Redon;REF001",
        "6626571;28/06/2004;Jalon;03/05/2024;Présent;Mission locale de Redon;AG07",
    ]
    path = write_csv(tmp_path, "rdv.csv", lines, header)
    counts = write_appointments(db_session, territory.id, None, [r for _, r, _ in parse(path)])
    assert (counts.created, counts.matched) == (2, 2)
    query = (
        select(Referent.code, Referent.organisme, Site.name, Site.kind)
        .select_from(Appointment)
        .join(Referent, Appointment.referent_id == Referent.id)
        .join(Site, Appointment.site_id == Site.id)
        .order_by(Appointment.scheduled_at)
    )
    assert db_session.execute(query).all() == [
        ("REF001", "MSA", "CDAS Redon", "CDAS"),
        ("AG07", "ML", "Mission locale de Redon", "MISSION_LOCALE"),
    ]
    assert db_session.scalar(select(func.count()).select_from(Referent)) == 7  # 6 + AG07


# --- command line, both backends -------------------------------------------------------


@pytest.fixture
def run_cli(redon_cli):
    return redon_cli


def rdv_batch_id(db) -> int:
    return db.scalar(select(ImportBatch.id).where(ImportBatch.source == "rdv"))


def test_solis_then_rdv_end_to_end(run_cli, db_session):
    assert run_cli("import", "solis", str(SOLIS_SAMPLE), *ARGS)[0] == 0
    code, out, err = run_cli("import", "rdv", str(SAMPLE), *ARGS)
    assert code == 0, err
    # 14 rows read, 13 appointments created, 1 row rejected (line 5). The match line
    # counts over the rows loaded: 13 placed out of 14 - 1 = 13 -> 100 %.
    assert "lignes lues            14" in out
    assert "créations              13 (rendez-vous)" in out
    assert "lignes rejetées        1" in out
    assert (
        "93 % des lignes (13 sur 14) rattachées à un bénéficiaire déjà connu d'une autre source"
        in out
    )
    by_status = dict(
        db_session.execute(
            select(Appointment.status, func.count())
            .where(Appointment.source == "rdv")
            .group_by(Appointment.status)
        ).all()
    )
    assert by_status == {"absent": 5, "excuse": 4, "present": 3, "annule": 1}
    by_kind = dict(
        db_session.execute(
            select(Appointment.kind, func.count())
            .where(Appointment.source == "rdv")
            .group_by(Appointment.kind)
        ).all()
    )
    assert by_kind == {"orientation": 5, "accompagnement": 8}
    batch_id = rdv_batch_id(db_session)
    [row] = db_session.scalars(select(QuarantinedRow).where(QuarantinedRow.batch_id == batch_id))
    assert (row.row_number, row.reasons) == (5, [UNKNOWN_PERSON])
    code, out, _ = run_cli("quarantine", str(batch_id))
    assert code == 0 and f"ligne 5 : {UNKNOWN_PERSON}" in out and "9324402" not in out


def test_newer_rdv_extraction_through_the_cli(run_cli, db_session, tmp_path):
    run_cli("import", "solis", str(SOLIS_SAMPLE), *ARGS)
    run_cli("import", "rdv", str(SAMPLE), *ARGS)
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    # Line 14 (9325844): the cancelled appointment of 11/05/2024 is now "Excusé".
    lines[13] = lines[13].replace("Annulé", "Excusé")
    newer = write_csv(tmp_path, "rendez_vous_2024-07-15.csv", lines[1:], lines[0])
    code, out, _ = run_cli("import", "rdv", str(newer), "--territory", "35-REDON")
    assert code == 0
    assert "mises à jour           1" in out and "sans changement        12" in out
    assert statuses(db_session) == ["absent"] * 5 + ["excuse"] * 5 + ["present"] * 3


def test_rdv_without_solis_quarantines_every_row(run_cli, db_session):
    code, out, _ = run_cli("import", "rdv", str(SAMPLE), *ARGS)
    assert code == 1 and "Aucune ligne valide : rien n'a été importé." in out
    assert db_session.scalar(select(func.count()).select_from(Appointment)) == 0
    assert db_session.scalar(select(ImportBatch.status)) == "failed"
    kept = db_session.scalars(select(QuarantinedRow).order_by(QuarantinedRow.row_number)).all()
    assert [row.row_number for row in kept] == list(range(2, 16))
    assert all(row.reasons == [UNKNOWN_PERSON] for row in kept)


def test_no_caf_number_reaches_the_database(run_cli, engine):
    run_cli("import", "solis", str(SOLIS_SAMPLE), *ARGS)
    run_cli("import", "rdv", str(SAMPLE), *ARGS)
    dump = []
    with engine.connect() as connection:
        for table in ("appointment", "quarantined_row", "import_batch", "site", "referent"):
            dump += [str(row) for row in connection.execute(text(f"SELECT * FROM {table}"))]
    blob = "\n".join(dump)
    caf_numbers = [line.split(";")[0] for line in SAMPLE.read_text("utf-8").splitlines()[1:]]
    assert len(caf_numbers) == 14
    for secret in (*caf_numbers, "Le Goff", "Durand", "1040635257392"):
        assert secret not in blob, secret
