"""SOLIS rows of the sample export, read through the profile, checked by hand."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
from pathlib import Path

import pytest

from connectors import solis
from connectors.profiles import match_headers
from connectors.rows import QUARANTINE_HIDDEN, ParseContext, RowReader
from dashboard.models import Dominante, ExitReason, Organisme, Payer, Sex

SAMPLE = Path(__file__).parent / "data" / "samples" / "solis_beneficiaires.csv"
KEY = "cle-de-test"
EXTRACTED_ON = dt.date(2024, 7, 1)
CONTEXT = ParseContext(KEY, EXTRACTED_ON, 2024)


@pytest.fixture(scope="module")
def parsed():
    with SAMPLE.open(encoding="cp1252", newline="") as handle:
        lines = list(csv.reader(handle, delimiter=";"))
    headers, rows = lines[0], lines[1:]
    mapping = match_headers(headers, solis.PROFILE)
    results = []
    for line_number, cells in enumerate(rows, start=2):
        reader = RowReader(dict(zip(headers, cells, strict=True)), mapping, solis.PROFILE)
        results.append((line_number, solis.parse_row(reader, CONTEXT), reader))
    return mapping, results


def test_names_are_dropped_and_nothing_is_unknown(parsed):
    mapping, _ = parsed
    assert mapping.dropped == ("Nom", "Prénom")
    assert mapping.unknown == ()


def test_only_the_impossible_date_is_rejected_with_its_reason(parsed):
    _, results = parsed
    rejected = [(line, reader.reasons) for line, record, reader in results if record is None]
    assert rejected == [(5, ["Date orientation : date impossible : 31/02/2024"])]
    assert sum(record is not None for _, record, _ in results) == 19


def test_quarantined_values_hide_identity(parsed):
    _, results = parsed
    reader = next(reader for line, _, reader in results if line == 5)
    kept = reader.quarantine_values()
    for column in ("N° allocataire", "NIR", "Nom", "Prénom", "Date de naissance"):
        assert kept[column] == QUARANTINE_HIDDEN
    assert kept["Date orientation"] == "31/02/2024"
    assert "Durand" not in str(kept) and "9324402" not in str(kept)


def test_first_row_by_hand(parsed):
    _, results = parsed
    record = results[0][1]
    expected_pseudonym = hmac.new(KEY.encode(), b"nir:1040635257392", hashlib.sha256).hexdigest()
    assert record.pseudonym == expected_pseudonym
    assert (record.birth_year, record.sex, record.payer, record.site) == (
        2004,
        Sex.M,
        Payer.CAF,
        "CDAS Redon",
    )
    assert record.rights_opened_on == dt.date(2024, 2, 25)
    assert record.notification_received_on == dt.date(2024, 3, 1)
    assert record.duties_start_on == dt.date(2024, 2, 25)
    assert (record.orientation_decided_on, record.orientation_notified_on) == (
        dt.date(2024, 3, 19),
        dt.date(2024, 3, 23),
    )
    assert (record.dominante, record.organisme, record.referent) == (
        Dominante.SOCIAL,
        Organisme.CD,
        "REF001",
    )
    assert len(record.link_keys) == 2 and record.pseudonym not in record.link_keys


def test_spellings_normalise(parsed):
    _, results = parsed
    by_line = {line: record for line, record, _ in results}
    assert by_line[3].organisme == Organisme.FT  # "Pôle emploi"
    assert by_line[4].organisme == Organisme.FT  # "PE"
    assert by_line[4].dominante == Dominante.SOCIO_PROFESSIONNEL  # "Socio-professionnel"
    assert by_line[7].organisme == Organisme.CCAS  # "CCAS Redon"
    assert by_line[7].dominante == Dominante.SOCIO_PROFESSIONNEL  # "Equilibré"
    assert by_line[8].organisme == Organisme.FT  # "France Travail"
    assert by_line[8].dominante == Dominante.EMPLOI  # "Professionnel"


def test_not_subject_to_duties_and_exit(parsed):
    _, results = parsed
    by_line = {line: record for line, record, _ in results}
    assert by_line[9].duties_start_on is None  # "N"
    assert (by_line[13].exit_on, by_line[13].exit_reason) == (
        dt.date(2024, 6, 30),
        ExitReason.EMPLOI,
    )


def test_inconsistent_dates_are_each_reported():
    headers = [
        "N° allocataire",
        "Date de naissance",
        "Date ouverture droits",
        "Date réception flux CAF/MSA",
        "Date orientation",
        "Dominante",
        "Sexe",
    ]
    mapping = match_headers(headers, solis.PROFILE)
    row = dict(
        zip(
            headers,
            ["1234567", "01/01/1980", "10/03/2024", "01/03/2024", "15/09/2024", "Emploi", "X"],
            strict=True,
        )
    )
    reader = RowReader(row, mapping, solis.PROFILE)
    assert solis.parse_row(reader, CONTEXT) is None
    assert reader.reasons == [
        "Sexe : sexe inconnu : X",
        "Date orientation : date postérieure à l'extraction (15/09/2024)",
        "Date réception flux CAF/MSA (01/03/2024) précède Date ouverture droits (10/03/2024)",
        "orientation sans dominante ou sans organisme référent",
    ]


def test_family_situation_and_education_level_are_read():
    headers = [
        "N° allocataire",
        "Date de naissance",
        "Date ouverture droits",
        "Situation familiale",
        "Niveau de formation",
    ]
    mapping = match_headers(headers, solis.PROFILE)
    row = dict(
        zip(
            headers,
            ["1234567", "01/01/1980", "10/03/2024", "Parent isolé", "Niveau 3 (CAP, BEP)"],
            strict=True,
        )
    )
    record = solis.parse_row(RowReader(row, mapping, solis.PROFILE), CONTEXT)
    assert (record.family_situation, record.education_level) == ("seul_avec_enfants", "niveau_3")


DEMO_HEADERS = [
    "N° allocataire",
    "Date de naissance",
    "Date ouverture droits",
    "Soumis droits et devoirs",
    "Date début droits et devoirs",
    "Date fin droits et devoirs",
    "Date orientation",
    "Dominante",
    "Organisme référent",
    "Référent",
    "Site du référent",
    "Objectif portefeuille du référent",
]


def _demo_row(*cells: str) -> tuple[solis.SolisRecord | None, RowReader]:
    mapping = match_headers(DEMO_HEADERS, solis.PROFILE)
    reader = RowReader(dict(zip(DEMO_HEADERS, cells, strict=True)), mapping, solis.PROFILE)
    return solis.parse_row(reader, CONTEXT), reader


def test_end_of_duties_and_referent_details_are_read():
    record, _ = _demo_row(
        "1234567", "01/01/1980", "10/01/2024", "Oui", "10/01/2024", "30/06/2024",
        "05/02/2024", "Emploi", "Département", "REF005", "CDAS Guichen", "50",
    )  # fmt: skip
    assert (record.duties_start_on, record.duties_end_on) == (
        dt.date(2024, 1, 10),
        dt.date(2024, 6, 30),
    )
    assert (record.referent, record.referent_site, record.referent_portfolio_target) == (
        "REF005",
        "CDAS Guichen",
        50,
    )


def test_referent_details_without_a_referent_and_duties_of_someone_not_subject_are_left():
    record, reader = _demo_row(
        "1234567", "01/01/1980", "10/01/2024", "Non", "", "30/06/2024",
        "", "", "", "", "CDAS Guichen", "50",
    )  # fmt: skip
    assert reader.reasons == []
    assert (record.duties_start_on, record.duties_end_on) == (None, None)
    assert (record.referent_site, record.referent_portfolio_target) == (None, None)


def test_end_of_duties_before_start_and_a_bad_portfolio_target_are_reported():
    record, reader = _demo_row(
        "1234567", "01/01/1980", "10/01/2024", "Oui", "10/01/2024", "05/01/2024",
        "05/02/2024", "Emploi", "CD", "REF005", "", "0",
    )  # fmt: skip
    assert record is None
    assert reader.reasons == [
        "Objectif portefeuille du référent : nombre de personnes attendu (entier positif) : 0",
        "Date fin droits et devoirs (05/01/2024) précède Date début droits et devoirs (10/01/2024)",
    ]
    _, reader = _demo_row(
        "1234567", "01/01/1980", "10/01/2024", "Oui", "", "",
        "05/02/2024", "Emploi", "CD", "REF005", "", "70,5",
    )  # fmt: skip
    assert reader.reasons == [
        "Objectif portefeuille du référent : nombre de personnes attendu (entier positif) : 70,5"
    ]
