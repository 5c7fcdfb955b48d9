"""France Travail follow-up: sample rows by hand, writer, `pilotage import` on both backends."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from connectors import france_travail, solis
from connectors.profiles import match_headers
from connectors.rows import QUARANTINE_HIDDEN, ParseContext, RowReader
from dashboard.loading.france_travail import write_france_travail
from dashboard.loading.solis import write_solis
from dashboard.models import (
    ActivityHours,
    Appointment,
    Beneficiary,
    BeneficiaryLink,
    Contract,
    ContractKind,
    EmploymentContractType,
    EmploymentOutcome,
    QuarantinedRow,
    Referent,
)
from tests.helpers import make_territory

SAMPLES = Path(__file__).parent / "data" / "samples"
SAMPLE = SAMPLES / "france_travail_suivi.csv"
SOLIS_SAMPLE = SAMPLES / "solis_beneficiaires.csv"
KEY = "cle-de-test"
CONTEXT = ParseContext(KEY, dt.date(2024, 7, 1), 2024)
ARGS = ("--territory", "35-REDON", "--extracted-on", "2024-07-01")


def _lines(path: Path, encoding: str, delimiter: str) -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


def parse(module, lines, context=CONTEXT) -> list[tuple[int, object, RowReader]]:
    mapping = match_headers(lines[0], module.PROFILE)
    results = []
    for number, cells in enumerate(lines[1:], start=2):
        reader = RowReader(dict(zip(lines[0], cells, strict=True)), mapping, module.PROFILE)
        results.append((number, module.parse_row(reader, context), reader))
    return results


def sample_lines() -> list[list[str]]:
    return _lines(SAMPLE, "utf-8-sig", ";")


def records(module, lines) -> list:
    return [record for _, record, _ in parse(module, lines) if record is not None]


def one_row(context: ParseContext = CONTEXT, **cells: str) -> tuple[object, RowReader]:
    """Sample line 3 (8524829F: registered 2024-02-01, CDD of 3 months), cells replaced."""
    headers = sample_lines()[0]
    values = dict(zip(headers, sample_lines()[2], strict=True)) | cells
    _, record, reader = parse(france_travail, [headers, [values[h] for h in headers]], context)[0]
    return record, reader


def keyed(message: str) -> str:
    return hmac.new(KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


# --- rows --------------------------------------------------------------------------


def test_every_sample_row_loads_and_every_column_is_claimed():
    mapping = match_headers(sample_lines()[0], france_travail.PROFILE)
    assert mapping.unknown == () and mapping.dropped == ()
    results = parse(france_travail, sample_lines())
    # 8 data rows, none inconsistent (7075503B and 4732266A sign the PPAE before the
    # first interview, which is accepted).
    assert [(line, reader.reasons) for line, _, reader in results] == [
        (line, []) for line in range(2, 10)
    ]


def test_first_row_by_hand():
    record = records(france_travail, sample_lines())[0]
    # 2501915C: NIR 285123586819974 -> body 2851235868199; CAF 2037020.
    assert record.pseudonym == keyed("nir:2851235868199")
    assert record.link_keys == (keyed("caf:2037020"),)
    assert (record.adviser, record.first_interview_on) == ("FT81", dt.date(2024, 3, 12))
    assert (record.contract_kind, record.contract_signed_on) == (
        ContractKind.PPAE,
        dt.date(2024, 3, 20),
    )
    # Extracted Monday 01/07/2024: S-1 is the week of Monday 24/06/2024.
    assert (record.week_start, record.weekly_hours) == (dt.date(2024, 6, 24), 12.0)
    assert (record.employment_started_on, record.contract_type) == (
        dt.date(2024, 5, 13),
        EmploymentContractType.CDI,
    )
    assert (record.duration_months, record.durable) == (None, True)


def test_decimal_comma_and_short_cdd():
    by_line = {line: record for line, record, _ in parse(france_travail, sample_lines())}
    assert by_line[3].weekly_hours == 16.5  # "16,5"
    assert by_line[6].weekly_hours == 8.5  # "8,5"
    # 8524829F: CDD of 3 months -> not durable; rows 4 to 9 have no return to employment.
    assert (by_line[3].contract_type, by_line[3].duration_months, by_line[3].durable) == (
        EmploymentContractType.CDD,
        3.0,
        False,
    )
    assert [by_line[n].employment_started_on for n in range(4, 10)] == [None] * 6
    # 7075503B signed on 02/02/2024, before the interview of 04/02/2024: kept.
    assert by_line[4].contract_signed_on == dt.date(2024, 2, 2)


def test_contract_of_engagement_from_2025_and_previous_week():
    later = ParseContext(KEY, dt.date(2025, 3, 5), 2025)  # a Wednesday
    dates = ("2025-01-02", "2025-01-10", "2025-01-15", "2025-02-03")
    columns = ("Date d'inscription", "Date 1er entretien", "Date signature PPAE / CE")
    record, _ = one_row(later, **dict(zip((*columns, "Date reprise d'emploi"), dates, strict=True)))
    assert record.contract_kind == ContractKind.CE
    # 05/03/2025 - 7 days = Wednesday 26/02/2025, whose Monday is 24/02/2025.
    assert record.week_start == dt.date(2025, 2, 24)


def test_cdd_or_interim_without_duration_is_not_durable():
    cdd = one_row(**{"Type de contrat": "CDD", "Durée contrat (mois)": ""})[0]
    interim = one_row(**{"Type de contrat": "CTT", "Durée contrat (mois)": "6"})[0]
    unknown = one_row(**{"Type de contrat": "", "Durée contrat (mois)": ""})[0]
    assert (cdd.contract_type, cdd.durable) == (EmploymentContractType.CDD, False)
    assert (interim.contract_type, interim.durable) == (EmploymentContractType.INTERIM, True)
    assert (unknown.contract_type, unknown.durable) == (EmploymentContractType.AUTRE, False)


@pytest.mark.parametrize(
    ("cells", "reasons"),
    [
        (
            {"Heures d'activité S-1": "-2"},
            ["Heures d'activité S-1 : heures hebdomadaires impossibles : -2"],
        ),
        (
            {"Heures d'activité S-1": "80,5"},
            ["Heures d'activité S-1 : heures hebdomadaires impossibles : 80,5"],
        ),
        (
            {"Date 1er entretien": "2024-07-02"},
            ["Date 1er entretien : date postérieure à l'extraction (02/07/2024)"],
        ),
        (
            {"Date 1er entretien": "2024-01-31", "Date signature PPAE / CE": "2024-01-30"},
            [
                "Date 1er entretien (31/01/2024) précède Date d'inscription (01/02/2024)",
                "Date signature PPAE / CE (30/01/2024) précède Date d'inscription (01/02/2024)",
            ],
        ),
        (
            {"Type de contrat": "", "Durée contrat (mois)": "3"},
            ["durée de contrat sans type de contrat"],
        ),
        (
            {"Date reprise d'emploi": "", "Durée contrat (mois)": "-1"},
            [
                "Durée contrat (mois) : durée de contrat impossible : -1",
                "type ou durée de contrat sans date de reprise d'emploi",
            ],
        ),
        (
            {"Type de contrat": "Bénévolat"},
            ["Type de contrat : type de contrat inconnu : Bénévolat"],
        ),
        ({"NIR": ""}, ["NIR : valeur manquante"]),
        (
            {"NIR": "168123548384825", "Numéro CAF": "123"},
            [
                "NIR invalide : la clé de contrôle ne correspond pas.",
                "Numéro d'allocataire invalide : 5 à 13 chiffres attendus.",
            ],
        ),
    ],
)
def test_every_problem_has_its_reason(cells, reasons):
    record, reader = one_row(**cells)
    assert (record, reader.reasons) == (None, reasons)


def test_quarantined_values_hide_identifiers():
    _, reader = one_row(**{"Heures d'activité S-1": "90"})
    kept = reader.quarantine_values()
    for column in ("Identifiant FT", "NIR", "Numéro CAF"):
        assert kept[column] == QUARANTINE_HIDDEN
    assert kept["Heures d'activité S-1"] == "90" and kept["Conseiller"] == "FT19"


# --- writer ------------------------------------------------------------------------


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


@pytest.fixture
def territory(db_session):
    territory = make_territory(db_session, "35-REDON")
    db_session.commit()
    return territory


def solis_records() -> list:
    return records(solis, _lines(SOLIS_SAMPLE, "cp1252", ";"))


def test_alone_every_person_is_created(db_session, territory):
    counts = write_france_travail(
        db_session, territory.id, None, records(france_travail, sample_lines())
    )
    db_session.commit()
    assert (counts.created, counts.updated, counts.unchanged, counts.matched) == (8, 0, 0, 0)
    # 8 people, 8 distinct CAF numbers -> 8 link keys; 8 first interviews; 8 PPAE
    # (all signed in 2024); 8 weeks of hours; 2 returns to employment (lines 2, 3),
    # the CDI durable; advisers FT81, FT19, FT64, FT29, FT57, FT74, FT44, FT33.
    assert count(db_session, Beneficiary) == 8 and count(db_session, BeneficiaryLink) == 8
    assert count(db_session, Appointment) == 8
    assert set(db_session.scalars(select(Contract.kind))) == {ContractKind.PPAE}
    assert count(db_session, Contract) == 8
    # 12 + 16.5 + 15 + 12 + 8.5 + 15 + 4 + 12 = 95 hours, all in the week of 24/06/2024.
    assert db_session.scalar(select(func.sum(ActivityHours.hours))) == 95.0
    assert set(db_session.scalars(select(ActivityHours.week_start))) == {dt.date(2024, 6, 24)}
    outcomes = db_session.execute(
        select(EmploymentOutcome.contract_type, EmploymentOutcome.durable)
    )
    assert sorted(outcomes) == [("CDD", False), ("CDI", True)]
    assert set(db_session.scalars(select(Referent.organisme))) == {"FT"}
    assert count(db_session, Referent) == 8


def test_after_solis_every_row_matches_and_nobody_is_added(db_session, territory):
    write_solis(db_session, territory.id, None, solis_records())
    counts = write_france_travail(
        db_session, territory.id, None, records(france_travail, sample_lines())
    )
    db_session.commit()
    # The 8 NIRs are those of SOLIS lines 3, 4, 8, 10, 11, 15, 17, 18 (all valid rows):
    # each person already known, each gets new FT facts -> updated.
    assert (counts.created, counts.updated, counts.unchanged, counts.matched) == (0, 8, 0, 8)
    assert count(db_session, Beneficiary) == 19
    # SOLIS already stored the CAF-number-alone keys of these 8 people: 19 x 2 links.
    assert count(db_session, BeneficiaryLink) == 38
    # SOLIS: 10 first appointments; FT: 8 more, on other days than SOLIS's.
    assert count(db_session, Appointment) == 18


def test_twice_changes_nothing_and_a_newer_week_adds_hours(db_session, territory):
    sample = records(france_travail, sample_lines())
    write_france_travail(db_session, territory.id, None, sample)
    again = write_france_travail(db_session, territory.id, None, sample)
    # Known only from France Travail itself: no cross-source match.
    assert (again.created, again.updated, again.unchanged, again.matched) == (0, 0, 8, 0)
    newer = parse(france_travail, sample_lines(), ParseContext(KEY, dt.date(2024, 7, 8), 2024))
    counts = write_france_travail(db_session, territory.id, None, [r for _, r, _ in newer])
    db_session.commit()
    # Extracted 08/07/2024: a second week (01/07/2024) for each of the 8 people.
    assert (counts.created, counts.updated, counts.unchanged) == (0, 8, 0)
    assert count(db_session, ActivityHours) == 16 and count(db_session, Beneficiary) == 8


def test_an_appointment_solis_already_has_is_not_duplicated(db_session, territory):
    write_solis(db_session, territory.id, None, solis_records())
    lines = sample_lines()
    lines[1][6] = "2024-03-11"  # 2037020's first SOLIS appointment is on 11/03/2024
    write_france_travail(db_session, territory.id, None, records(france_travail, lines))
    db_session.commit()
    assert count(db_session, Appointment) == 17  # 10 + 8 - the shared one
    sources = db_session.scalars(
        select(Appointment.source).where(Appointment.scheduled_at == dt.datetime(2024, 3, 11))
    )
    assert list(sources) == ["solis"]


# --- pilotage import ---------------------------------------------------------------


@pytest.fixture
def run_cli(redon_cli):
    return redon_cli


def test_cli_alone_creates_the_people(run_cli, db_session):
    code, out, err = run_cli("import", "france-travail", str(SAMPLE), *ARGS)
    assert code == 0, err
    assert "créations              8 (personnes)" in out and "lignes rejetées        0" in out
    assert "0 % des lignes (0 sur 8) rattachées" in out
    assert count(db_session, Beneficiary) == 8


def test_cli_after_solis_matches_every_row(run_cli, db_session):
    assert run_cli("import", "solis", str(SOLIS_SAMPLE), *ARGS)[0] == 0
    assert count(db_session, Beneficiary) == 19
    code, out, err = run_cli("import", "france-travail", str(SAMPLE), *ARGS)
    assert code == 0, err
    # The 8 FT NIRs are all in SOLIS (checked by hand, spaces aside).
    assert (
        "100 % des lignes (8 sur 8) rattachées à un bénéficiaire déjà connu d'une autre source"
        in out
    )
    assert "créations              0 (personnes)" in out and "mises à jour           8" in out
    db_session.expire_all()
    assert count(db_session, Beneficiary) == 19


def test_cli_bad_row_goes_to_quarantine(run_cli, db_session, tmp_path):
    lines = sample_lines()
    lines[5][8] = "-4"  # line 6 (3733772D): negative hours
    target = tmp_path / "ft.csv"
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(lines)
    code, out, _ = run_cli("import", "france-travail", str(target), *ARGS)
    assert code == 0 and "lignes rejetées        1" in out
    row = db_session.scalar(select(QuarantinedRow))
    assert (row.row_number, row.reasons) == (
        6,
        ["Heures d'activité S-1 : heures hebdomadaires impossibles : -4"],
    )
    assert row.raw_values["NIR"] == QUARANTINE_HIDDEN


def test_cli_no_identifier_reaches_the_database(run_cli, engine):
    run_cli("import", "solis", str(SOLIS_SAMPLE), *ARGS)
    run_cli("import", "france-travail", str(SAMPLE), *ARGS)
    with engine.connect() as connection:
        tables = [
            "beneficiary", "beneficiary_link", "appointment", "contract", "activity_hours",
            "employment_outcome", "quarantined_row", "import_batch", "referent",
        ]  # fmt: skip
        blob = "\n".join(
            str(row)
            for table in tables
            for row in connection.execute(text(f"SELECT * FROM {table}"))
        )
    secrets = [
        value for row in sample_lines()[1:] for value in (row[0], row[1], row[1][:13], row[2])
    ]
    assert len(secrets) == 32
    for secret in secrets:
        assert secret not in blob, secret
