"""The demo's export files: made-up identifiers, labels the connectors read back, and
the schedule of the extractions (the files themselves: test_demo_export_files.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from connectors.appointments import parse_appointment_kind
from connectors.france_travail import parse_employment_contract
from connectors.pseudonym import normalise_nir
from connectors.roadmap import parse_progress
from connectors.solis import _exit_reason
from connectors.values import (
    parse_appointment_status,
    parse_dominante,
    parse_education_level,
    parse_family_situation,
    parse_organisme,
)
from dashboard.demo import export_labels as labels
from dashboard.demo import generate_demo
from dashboard.demo.export_follow_up import mondays
from dashboard.demo.export_people import file_of
from dashboard.demo.exports import extraction_dates, month_ends
from dashboard.demo.identities import demo_identities
from dashboard.demo.records import (
    BeneficiaryRecord,
    DemoData,
    OrientationRecord,
)
from dashboard.models import (
    AppointmentKind,
    AppointmentStatus,
    Dominante,
    EducationLevel,
    EmploymentContractType,
    ExitReason,
    FamilySituation,
    Organisme,
    Payer,
    RoadmapProgress,
    Sex,
)

D = dt.date


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return generate_demo(size=300, seed=5)


# --- identifiers -----------------------------------------------------------------------


def test_identities_are_valid_unique_and_recognisably_fake(demo):
    identities = demo_identities(demo)
    assert len(identities) == len(demo.beneficiaries)
    for identity, person in zip(identities, demo.beneficiaries, strict=True):
        body = normalise_nir(identity.nir)  # the control key is checked here
        assert len(identity.nir) == 15 and body == identity.nir[:13]
        assert body[0] == ("2" if person.sex == Sex.F else "1")
        assert body[1:5] == f"{person.birth_year % 100:02d}{identity.birth_date.month:02d}"
        # Born abroad (99), country code 900-999: none exists.
        assert body[5:7] == "99" and body[7] == "9"
        assert identity.birth_date.year == person.birth_year
        assert re.fullmatch(r"99\d{6,}", identity.caf_number)
    # 402 people in a demo of size 300 (the stock at its end is 300).
    unique = (len({i.nir for i in identities}), len({i.caf_number for i in identities}))
    assert unique == (402, 402) == (len(demo.beneficiaries),) * 2
    assert demo_identities(demo) == identities  # the same data, the same identifiers


def test_first_identities_by_hand():
    # Ten people born in the same sex, year and month get order numbers 1 to 10.
    people = [BeneficiaryRecord("p", 1985, Sex.M, None, None, Payer.CAF, None)] * 10
    base = generate_demo(size=50)
    identities = demo_identities(dataclasses.replace(base, beneficiaries=people))
    firsts = {}
    for identity in identities:
        firsts.setdefault(identity.birth_date.month, []).append(identity.nir)
    for month, nirs in firsts.items():
        bodies = [f"185{month:02d}99900{order:03d}" for order in range(1, len(nirs) + 1)]
        assert nirs == [f"{body}{97 - int(body) % 97:02d}" for body in bodies]
    assert [identity.caf_number for identity in identities[:2]] == ["99000000", "99000001"]


# --- labels ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "members", "parse"),
    [
        (labels.FAMILY, FamilySituation, parse_family_situation),
        (labels.EDUCATION, EducationLevel, parse_education_level),
        (labels.ORGANISME, Organisme, parse_organisme),
        (labels.DOMINANTE, Dominante, parse_dominante),
        (labels.EXIT_REASON, ExitReason, _exit_reason),
        (labels.APPOINTMENT_KIND, AppointmentKind, parse_appointment_kind),
        (labels.APPOINTMENT_STATUS, AppointmentStatus, parse_appointment_status),
        (labels.CONTRACT_TYPE, EmploymentContractType, parse_employment_contract),
        (labels.PROGRESS, RoadmapProgress, parse_progress),
    ],
)
def test_every_label_reads_back_to_its_value(table, members, parse):
    assert set(table) == set(members)
    for value, text in table.items():
        assert parse(text) == value, text


def test_cell_formats():
    assert labels.day(D(2024, 3, 5)) == "05/03/2024" and labels.day(None) == ""
    assert labels.moment(dt.datetime(2024, 3, 5, 9, 30)) == "05/03/2024 09:30"
    assert (labels.number(17.5), labels.number(6.0), labels.number(None)) == ("17,5", "6", "")


# --- schedule --------------------------------------------------------------------------


def test_month_ends_and_file_of():
    assert month_ends(D(2024, 1, 15), D(2024, 3, 20)) == [
        D(2024, 1, 31),
        D(2024, 2, 29),
        D(2024, 3, 20),
    ]
    dates = [D(2024, 1, 31), D(2024, 2, 29)]
    assert file_of(dates, D(2020, 5, 1)) == D(2024, 1, 31)  # anything earlier: the first
    assert file_of(dates, D(2024, 1, 31)) == D(2024, 1, 31)
    assert file_of(dates, D(2024, 2, 1)) == D(2024, 2, 29)
    with pytest.raises(ValueError):
        file_of(dates, D(2024, 3, 1))
    # Mondays from the first on or after Sunday 31/12/2023 to the first on or after 10/01.
    assert mondays(D(2023, 12, 31), D(2024, 1, 10)) == [
        D(2024, 1, 1),
        D(2024, 1, 8),
        D(2024, 1, 15),
    ]


def _orientation(person: int, decided: dt.date, notified: dt.date, again: bool):
    return OrientationRecord(person, decided, notified, Dominante.SOCIAL, Organisme.CD, None, again)


def test_extraction_dates_add_what_reorientations_need():
    base = generate_demo(size=50)
    orientations = [
        # Notified 14/06/2022, superseded 08/11/2022: no pilot month end in between:
        # the last month end before the 8th of November, 31/10/2022, is added.
        _orientation(0, D(2022, 6, 10), D(2022, 6, 14), False),
        _orientation(0, D(2022, 11, 8), D(2022, 11, 10), True),
        # 31/10/2022 (just added) lies in [20/10/2022, 05/01/2023): nothing more.
        _orientation(1, D(2022, 10, 18), D(2022, 10, 20), False),
        _orientation(1, D(2023, 1, 5), D(2023, 1, 9), True),
        # Within a month (notified 05/03/2024, superseded 20/03/2024): the notification day.
        _orientation(2, D(2024, 3, 1), D(2024, 3, 5), False),
        _orientation(2, D(2024, 3, 20), D(2024, 3, 22), True),
    ]
    data = dataclasses.replace(base, orientations=orientations)
    pilot = month_ends(D(2023, 1, 1), D(2024, 12, 31))
    assert len(pilot) == 24
    assert extraction_dates(data) == sorted([D(2022, 10, 31), D(2024, 3, 5), *pilot])
