"""Mission locale (I-Milo): sample rows by hand, writer, `pilotage import` on both backends."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from connectors import mission_locale, solis
from connectors.mission_locale import AGE_REASON
from connectors.profiles import match_headers
from connectors.pseudonym import pseudonymise
from connectors.rows import QUARANTINE_HIDDEN, ParseContext, RowReader
from dashboard.cli import main
from dashboard.loading.mission_locale import write_mission_locale
from dashboard.loading.solis import write_solis
from dashboard.models import (
    Appointment,
    Beneficiary,
    BeneficiaryLink,
    Contract,
    EmploymentContractType,
    EmploymentOutcome,
    Referent,
)
from tests.helpers import make_territory
from tests.test_france_travail import ARGS, SAMPLES, SOLIS_SAMPLE, count, parse, records

SAMPLE = SAMPLES / "mission_locale_imilo.csv"
FT_SAMPLE = SAMPLES / "france_travail_suivi.csv"
KEY = "cle-de-test"

# The five young people of the sample, each also in SOLIS with the same CAF number and
# birth date (read by hand in both files): I-Milo line -> (CAF, birth, SOLIS NIR body,
# first reception).
PEOPLE = {
    2: ("6626571", dt.date(2004, 6, 28), "1040635257392", dt.date(2024, 3, 24)),
    3: ("2235053", dt.date(2005, 6, 3), "2050635401264", dt.date(2024, 4, 7)),
    4: ("5136591", dt.date(1999, 11, 3), "1991135196219", dt.date(2024, 4, 13)),
    5: ("9325844", dt.date(2001, 9, 3), "1010935713676", dt.date(2024, 5, 11)),
    6: ("4007994", dt.date(2002, 6, 26), "1020635893997", dt.date(2024, 3, 29)),
}


def sample_lines() -> list[list[str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter=","))


def one_row(**cells: str):
    """Sample line 6 (4007994: first reception 29/03/2024, CEJ 01/04/2024, Emploi 17/06/2024,
    Alternance), with some cells replaced."""
    headers = sample_lines()[0]
    values = dict(zip(headers, sample_lines()[5], strict=True)) | cells
    _, record, reader = parse(mission_locale, [headers, [values[h] for h in headers]])[0]
    return record, reader.reasons


# --- rows --------------------------------------------------------------------------


def test_every_sample_row_loads_with_every_column_claimed():
    assert match_headers(sample_lines()[0], mission_locale.PROFILE).unknown == ()
    results = parse(mission_locale, sample_lines())
    # Ages at first reception: 19, 18, 24, 22, 21; every CEJ after the first reception.
    # Line 5 starts a training on 05/07/2024, after the 01/07/2024 extraction: a
    # training is not stored, so its (planned) start is not read.
    assert [(line, reader.reasons) for line, _, reader in results] == [
        (line, []) for line in range(2, 7)
    ]


def test_identity_and_facts_by_hand():
    by_line = {line: record for line, record, _ in parse(mission_locale, sample_lines())}
    for line, (caf, birth, _, reception) in PEOPLE.items():
        record = by_line[line]
        assert record.pseudonym == pseudonymise(KEY, caf_number=caf, birth_date=birth)
        assert (
            record.link_keys[1]
            == hmac.new(KEY.encode(), f"caf:{caf}".encode(), hashlib.sha256).hexdigest()
        )
        assert (record.birth_year, record.first_reception_on) == (birth.year, reception)
    assert by_line[4].adviser == "ML-4" and by_line[4].cej_entry_on == dt.date(2024, 4, 25)
    # Only line 6 is in a job ("Emploi", "Alternance"); line 2 is a jobseeker whose
    # "Intérim" is a past job, lines 3-5 are in training.
    assert [by_line[n].employment_started_on for n in range(2, 6)] == [None] * 4
    assert (by_line[6].employment_started_on, by_line[6].contract_type) == (
        dt.date(2024, 6, 17),
        EmploymentContractType.ALTERNANCE,
    )


@pytest.mark.parametrize(
    ("situation", "nature", "expected"),
    [
        ("En emploi", "", EmploymentContractType.AUTRE),
        ("CDI", "", EmploymentContractType.CDI),
        ("Emploi", "Contrat d'apprentissage", EmploymentContractType.ALTERNANCE),
        ("emploi - CDD", "Intérim", EmploymentContractType.INTERIM),
    ],
)
def test_employment_situations(situation, nature, expected):
    record, reasons = one_row(**{"Situation": situation, "Nature contrat": nature})
    assert reasons == [] and record.contract_type == expected


def test_other_situations_are_not_read():
    record, reasons = one_row(
        **{"Situation": "Scolarité", "Date début situation": "31/02/2024", "Nature contrat": "?"}
    )
    assert reasons == [] and record.employment_started_on is None


@pytest.mark.parametrize(
    ("cells", "reasons"),
    [
        # Born 01/03/1998: 26 on 29/03/2024. Born 30/03/1998: still 25 the day before.
        ({"Date naissance": "01/03/1998"}, [AGE_REASON]),
        ({"Date naissance": "30/03/2008"}, [AGE_REASON]),  # 15
        ({"Date premier accueil": "", "Date naissance": "01/04/1998"}, [AGE_REASON]),  # at CEJ
        (
            {"Date entrée CEJ": "28/03/2024"},
            ["Date entrée CEJ (28/03/2024) précède Date premier accueil (29/03/2024)"],
        ),
        (
            {"Date début situation": "02/07/2024"},
            ["Date début situation : date postérieure à l'extraction (02/07/2024)"],
        ),
        (
            {"Date début situation": ""},
            ["Date début situation : valeur manquante (situation en emploi)"],
        ),
        ({"Nature contrat": "Stage"}, ["Nature contrat : type de contrat inconnu : Stage"]),
        ({"N° allocataire CAF": ""}, ["N° allocataire CAF : valeur manquante"]),
        # The birth date is identifying: reasons never quote it.
        ({"Date naissance": "31/02/2002"}, ["Date naissance : date impossible ou illisible"]),
        ({"Date naissance": ""}, ["Date naissance : valeur manquante"]),
        # No reception nor CEJ date: the age is checked at the extraction (01/07/2024).
        (
            {"Date premier accueil": "", "Date entrée CEJ": "", "Date naissance": "01/07/1998"},
            [AGE_REASON],
        ),
        (
            {"Date naissance": "02/07/2024"},
            ["Date naissance : date postérieure à l'extraction", AGE_REASON],
        ),
    ],
)
def test_every_problem_has_its_reason(cells, reasons):
    assert one_row(**cells) == (None, reasons)


def test_age_25_the_day_before_the_26th_birthday_is_accepted():
    record, reasons = one_row(**{"Date naissance": "30/03/1998"})
    assert reasons == [] and record.birth_year == 1998


def test_quarantined_values_hide_identity():
    headers = sample_lines()[0]
    row = dict(zip(headers, sample_lines()[1], strict=True)) | {"Date naissance": "01/01/1990"}
    reader = RowReader(row, match_headers(headers, mission_locale.PROFILE), mission_locale.PROFILE)
    assert mission_locale.parse_row(reader, ParseContext(KEY, dt.date(2024, 7, 1), 2024)) is None
    kept = reader.quarantine_values()
    for column in ("Numéro dossier i-milo", "N° allocataire CAF", "Date naissance"):
        assert kept[column] == QUARANTINE_HIDDEN
    assert kept["Date premier accueil"] == "24/03/2024"


# --- writer ------------------------------------------------------------------------


@pytest.fixture
def territory(db_session):
    territory = make_territory(db_session, "35-REDON")
    db_session.commit()
    return territory


def _solis_records() -> list:
    with SOLIS_SAMPLE.open(encoding="cp1252", newline="") as handle:
        return records(solis, list(csv.reader(handle, delimiter=";")))


def test_alone_every_young_person_is_created(db_session, territory):
    counts = write_mission_locale(
        db_session, territory.id, None, records(mission_locale, sample_lines())
    )
    db_session.commit()
    assert (counts.created, counts.updated, counts.unchanged, counts.matched) == (5, 0, 0, 0)
    # 5 people (2 link keys each); 5 first receptions; 5 CEJ; 1 return to employment
    # (line 6, alternance without duration: not durable); advisers ML-1, ML-6, ML-4, ML-3.
    assert count(db_session, Beneficiary) == 5 and count(db_session, BeneficiaryLink) == 10
    assert sorted(db_session.scalars(select(Beneficiary.birth_year))) == [
        1999,
        2001,
        2002,
        2004,
        2005,
    ]
    assert count(db_session, Appointment) == 5 and count(db_session, Contract) == 5
    assert set(db_session.scalars(select(Contract.kind))) == {"CEJ"}
    outcome = db_session.execute(
        select(EmploymentOutcome.contract_type, EmploymentOutcome.durable)
    ).all()
    assert outcome == [("alternance", False)]
    assert sorted(db_session.scalars(select(Referent.code))) == ["ML-1", "ML-3", "ML-4", "ML-6"]
    assert set(db_session.scalars(select(Referent.organisme))) == {"ML"}
    again = write_mission_locale(
        db_session, territory.id, None, records(mission_locale, sample_lines())
    )
    # Found again through their link keys, but known only from the mission locale.
    assert (again.created, again.updated, again.unchanged, again.matched) == (0, 0, 5, 0)


def test_after_solis_each_row_lands_on_the_solis_beneficiary(db_session, territory):
    write_solis(db_session, territory.id, None, _solis_records())
    counts = write_mission_locale(
        db_session, territory.id, None, records(mission_locale, sample_lines())
    )
    db_session.commit()
    assert (counts.created, counts.updated, counts.unchanged, counts.matched) == (0, 5, 0, 5)
    assert count(db_session, Beneficiary) == 19 and count(db_session, BeneficiaryLink) == 38
    for caf, _, nir, reception in PEOPLE.values():
        owner = db_session.scalar(
            select(Beneficiary.pseudonym)
            .join(Appointment)
            .where(
                Appointment.source == "mission-locale",
                Appointment.scheduled_at == dt.datetime.combine(reception, dt.time()),
            )
        )
        assert owner == pseudonymise(KEY, nir=nir), caf


# --- pilotage import ---------------------------------------------------------------


@pytest.fixture
def run_cli(redon_cli):
    return redon_cli


def test_cli_alone(run_cli, db_session):
    code, out, err = run_cli("import", "mission-locale", str(SAMPLE), *ARGS)
    assert code == 0, err
    assert (
        "créations              5 (personnes)" in out
        and "0 % des lignes (0 sur 5) rattachées" in out
    )


def test_cli_solis_then_france_travail_then_mission_locale(run_cli, db_session, settings):
    assert run_cli("import", "solis", str(SOLIS_SAMPLE), *ARGS)[0] == 0
    assert run_cli("import", "france-travail", str(FT_SAMPLE), *ARGS)[0] == 0
    code, out, err = run_cli("import", "mission-locale", str(SAMPLE), *ARGS)
    assert code == 0, err
    assert (
        "100 % des lignes (5 sur 5) rattachées à un bénéficiaire déjà connu d'une autre source"
        in out
    )
    assert "créations              0 (personnes)" in out and "lignes rejetées        0" in out
    db_session.expire_all()
    assert count(db_session, Beneficiary) == 19
    # ML3561020 (5136591, born 03/11/1999) is SOLIS line 10 (NIR 1991135196219 65), also
    # France Travail's 6037932B: one person with a SOLIS, an FT and an ML appointment.
    person = db_session.scalar(
        select(Beneficiary.id).where(
            Beneficiary.pseudonym == pseudonymise(settings.pseudonym_key, nir="1991135196219")
        )
    )
    sources = db_session.scalars(
        select(Appointment.source).where(Appointment.beneficiary_id == person)
    )
    assert sorted(sources) == ["france-travail", "mission-locale", "solis"]


def test_cli_no_identifier_reaches_the_database(run_cli, engine):
    run_cli("import", "mission-locale", str(SAMPLE), *ARGS)
    with engine.connect() as connection:
        tables = [
            "beneficiary", "beneficiary_link", "appointment", "contract",
            "employment_outcome", "quarantined_row", "import_batch", "referent",
        ]  # fmt: skip
        blob = "\n".join(
            str(row)
            for table in tables
            for row in connection.execute(text(f"SELECT * FROM {table}"))
        )
    for row in sample_lines()[1:]:
        birth = dt.datetime.strptime(row[2], "%d/%m/%Y").date()
        for secret in (row[0], row[1], row[2], birth.isoformat()):
            assert secret not in blob, secret


def test_solis_after_mission_locale_adopts_the_young_people_instead_of_duplicating(
    tmp_path, settings, monkeypatch, capsys, db_session
):
    """Mission locale first (5 young people from CAF number + birth date), SOLIS second:
    the 5 are the same people as SOLIS lines 2, 6, 10, 14 and 18, so SOLIS must end
    with 19 beneficiaries, not 24, and the 5 now carry their NIR pseudonym."""
    monkeypatch.setenv("PILOTAGE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("PILOTAGE_INSTANCE_DIR", str(settings.instance_dir))
    monkeypatch.setenv("PILOTAGE_PSEUDONYM_KEY", settings.pseudonym_key)
    samples = Path(__file__).parent / "data" / "samples"
    assert main(["territory", "add", "35-REDON", "--name", "Redon", "--departement", "35"]) == 0
    args = ["--territory", "35-REDON", "--extracted-on", "2024-07-01"]
    assert main(["import", "mission-locale", str(samples / "mission_locale_imilo.csv"), *args]) == 0
    assert main(["import", "solis", str(samples / "solis_beneficiaires.csv"), *args]) == 0
    capsys.readouterr()
    assert db_session.scalar(select(func.count()).select_from(Beneficiary)) == 19
    nir_pseudonym = pseudonymise(settings.pseudonym_key, nir="2050635401264 92")  # 2235053
    person = db_session.scalar(select(Beneficiary).where(Beneficiary.pseudonym == nir_pseudonym))
    contracts = db_session.scalars(
        select(Contract.kind).where(Contract.beneficiary_id == person.id)
    )
    assert list(contracts) == ["CEJ"]
