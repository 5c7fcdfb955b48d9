"""Cell parsers and synonym tables, on the spellings the sample exports use."""

from __future__ import annotations

import datetime as dt

import pytest

from connectors.values import (
    fold,
    is_durable,
    parse_appointment_status,
    parse_bool,
    parse_contract_type,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_dominante,
    parse_education_level,
    parse_family_situation,
    parse_organisme,
    parse_sex,
)
from dashboard.models import AppointmentStatus, Dominante, EmploymentContractType, Organisme

D = dt.date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("25/02/2024", D(2024, 2, 25)),
        ("5/3/2024", D(2024, 3, 5)),
        ("25.02.2024", D(2024, 2, 25)),
        ("28/06/04", D(2004, 6, 28)),
        ("19/12/85", D(1985, 12, 19)),
        ("2024-03-09", D(2024, 3, 9)),
        (" 2024-03-09 00:00:00 ", D(2024, 3, 9)),
        ("27/03/2024 09:30", D(2024, 3, 27)),
        # Excel serials: 45292 is 01/01/2024; +31 (January) +29 (February 2024) = 01/03.
        ("45292", D(2024, 1, 1)),
        ("45352", D(2024, 3, 1)),
        ("45352.5", D(2024, 3, 1)),
    ],
)
def test_dates_in_every_accepted_form(raw, expected):
    assert parse_date(raw) == expected


def test_time_part_and_serial_fraction_are_kept():
    assert parse_datetime("27/03/2024 09:30") == dt.datetime(2024, 3, 27, 9, 30)
    assert parse_datetime("2024-03-27T14:00:05") == dt.datetime(2024, 3, 27, 14, 0, 5)
    assert parse_datetime("45352.5") == dt.datetime(2024, 3, 1, 12, 0)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("31/02/2024", "date impossible : 31/02/2024"),
        ("2024-13-01", "date impossible : 2024-13-01"),
        ("demain", "date illisible : demain (attendu : jj/mm/aaaa)"),
        ("2037020", "date illisible : 2037020 (attendu : jj/mm/aaaa)"),  # a CAF number
        ("12345", "date illisible : 12345 (attendu : jj/mm/aaaa)"),  # serial before 1950
    ],
)
def test_bad_dates_say_why_in_french(raw, reason):
    with pytest.raises(ValueError) as error:
        parse_date(raw)
    assert str(error.value) == reason


@pytest.mark.parametrize(
    ("raw", "expected"), [("16,5", 16.5), ("8.5", 8.5), ("12", 12.0), ("1 234,5", 1234.5)]
)
def test_decimal_commas(raw, expected):
    assert parse_decimal(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("PE", Organisme.FT),
        ("Pôle emploi", Organisme.FT),
        ("pole  emploi", Organisme.FT),
        ("FT", Organisme.FT),
        ("France Travail", Organisme.FT),
        ("CDAS", Organisme.CD),
        ("CDAS Redon", Organisme.CD),
        ("Département", Organisme.CD),
        ("CD", Organisme.CD),
        ("CD35", Organisme.CD),
        ("Mission locale", Organisme.ML),
        ("Mission Locale du Pays de Redon", Organisme.ML),
        ("ML", Organisme.ML),
        ("CCAS Redon", Organisme.CCAS),
        ("MSA", Organisme.MSA),
        ("Cap emploi", Organisme.CAP_EMPLOI),
        ("Prestataire", Organisme.OTHER),
    ],
)
def test_organisme_synonyms(raw, expected):
    assert parse_organisme(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Emploi", Dominante.EMPLOI),
        ("Professionnel", Dominante.EMPLOI),
        ("Socio-professionnel", Dominante.SOCIO_PROFESSIONNEL),
        ("Equilibré", Dominante.SOCIO_PROFESSIONNEL),
        ("socio-pro", Dominante.SOCIO_PROFESSIONNEL),
        ("SOCIO_PROFESSIONNEL", Dominante.SOCIO_PROFESSIONNEL),
        ("Social", Dominante.SOCIAL),
        ("Remobilisation", Dominante.SOCIAL),
    ],
)
def test_dominante_synonyms(raw, expected):
    assert parse_dominante(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Présent", AppointmentStatus.PRESENT),
        ("Absent non excusé", AppointmentStatus.ABSENT),
        ("Excusé", AppointmentStatus.EXCUSE),
        ("Annulé", AppointmentStatus.ANNULE),
    ],
)
def test_appointment_statuses_of_the_sample(raw, expected):
    assert parse_appointment_status(raw) == expected


def test_unknown_values_are_refused_with_the_value():
    with pytest.raises(ValueError, match="^organisme inconnu : Banque de France$"):
        parse_organisme("Banque de France")
    with pytest.raises(ValueError, match="^parcours \\(dominante\\) inconnu : Sportif$"):
        parse_dominante("Sportif")


@pytest.mark.parametrize(
    ("contract", "months", "durable"),
    [
        ("CDI", None, True),
        ("CDD", 3, False),
        ("CDD", 6, True),
        ("Intérim", 5.9, False),
        ("interim", 6, True),
        ("Création d'entreprise", None, True),
        ("Alternance", 24, False),
        ("CDD", None, False),
    ],
)
def test_durable_employment(contract, months, durable):
    assert is_durable(parse_contract_type(contract), months) is durable


def test_small_tables():
    assert parse_contract_type("Intérim") == EmploymentContractType.INTERIM
    assert [parse_sex(v) for v in ("F", "M", "Homme", "femme")] == ["F", "M", "M", "F"]
    assert [parse_bool(v) for v in ("O", "N", "oui", "Non")] == [True, False, True, False]
    assert fold("  Échéance  estimée ") == "echeance estimee"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Isolé", "seul"),
        ("Parent isolé", "seul_avec_enfants"),
        ("Isolé avec enfant(s)", "seul_avec_enfants"),
        ("Couple", "couple"),
        ("Couple avec enfant(s)", "couple_avec_enfants"),
        ("COUPLE AVEC ENFANTS", "couple_avec_enfants"),
    ],
)
def test_family_situations(raw, expected):
    assert parse_family_situation(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Sans diplôme", "sans_diplome"),
        ("Infra 3", "sans_diplome"),
        ("Niveau 3 (CAP, BEP)", "niveau_3"),
        ("CAP/BEP", "niveau_3"),
        ("Bac", "niveau_4"),
        ("Bac+2", "niveau_5"),
        ("Niveau 6 (licence)", "niveau_6_plus"),
        ("Master", "niveau_6_plus"),
    ],
)
def test_education_levels(raw, expected):
    assert parse_education_level(raw) == expected


def test_unknown_family_and_education_are_refused():
    with pytest.raises(ValueError, match="^situation familiale inconnue : Pacsé$"):
        parse_family_situation("Pacsé")
    with pytest.raises(ValueError, match="^niveau de formation inconnu : Doctorat honoris$"):
        parse_education_level("Doctorat honoris")
