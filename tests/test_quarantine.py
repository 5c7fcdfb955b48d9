"""Correcting and discarding quarantined rows (dashboard/quarantine.py), on both backends.

The sample SOLIS export (tests/data/samples) has one bad row: line 5, whose
orientation date is 31/02/2024. The sample targets file has two: line 8 (an
unknown indicator, "Nombre de PMSMP") and line 9 (a rate of 140 %).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from connectors.pseudonym import pseudonymise
from dashboard.auth import SessionUser
from dashboard.db import make_session_factory
from dashboard.facts import facts_version
from dashboard.imports import run_import
from dashboard.models import (
    AuditLog,
    Beneficiary,
    ImportBatch,
    IndicatorTarget,
    Orientation,
    QuarantinedRow,
    RightsPeriod,
    Role,
)
from dashboard.quarantine import (
    ALREADY_DONE,
    UNKNOWN_ROW,
    QuarantineError,
    correct_row,
    discard_row,
    quarantine_entry,
)
from dashboard.queries import cross_source_match
from tests.helpers import make_territory, make_user

SAMPLES = Path(__file__).parent / "data" / "samples"
# Line 5 of the SOLIS sample, as the export gives it (the identifiers the
# administrator re-enters from the original file).
NIR, CAF_NUMBER, BIRTH_DATE = "1630435180260 22", "9324402", "11/04/1963"
IDENTIFYING = ("N° allocataire", "NIR", "Date de naissance")


def _actor(user, territory) -> SessionUser:
    return SessionUser(
        user.id, user.login, Role.ADMIN, territory.id, territory.code, territory.name, 0
    )


@pytest.fixture
def redon(db_session, engine, settings):
    """35-REDON with an administrator, the SOLIS and targets samples imported."""
    territory = make_territory(db_session, "35-REDON", "Redon")
    admin = make_user(db_session, "redon.admin", Role.ADMIN, "35-REDON")
    db_session.commit()
    sessions = make_session_factory(engine)
    for source, name, day in (
        ("solis", "solis_beneficiaires.csv", dt.date(2024, 7, 1)),
        ("targets", "cibles.csv", dt.date(2024, 1, 15)),
    ):
        report = run_import(
            sessions, source, SAMPLES / name, "35-REDON",
            pseudonym_key=settings.pseudonym_key, extracted_on=day,
        )  # fmt: skip
        assert report.status == "loaded", report.message
    return territory, _actor(admin, territory)


def _row(db, source: str, line: int) -> QuarantinedRow:
    return db.scalar(
        select(QuarantinedRow)
        .join(ImportBatch)
        .where(ImportBatch.source == source, QuarantinedRow.row_number == line)
    )


def _values(entry, **by_header: str) -> dict[int, str]:
    """The form as the page sends it: every field's current value, some replaced."""
    values = {item.index: item.value or "" for item in entry.fields}
    for item in entry.fields:
        if item.header in by_header:
            values[item.index] = by_header[item.header]
    return values


def _count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def test_entry_hides_identifiers_and_places_reasons(db_session, redon):
    territory, _ = redon
    entry = quarantine_entry(db_session, territory.id, _row(db_session, "solis", 5).id)
    by_header = {item.header: item for item in entry.fields}
    assert {h for h, item in by_header.items() if item.hidden} == set(IDENTIFYING)
    assert all(by_header[h].value is None for h in IDENTIFYING)
    # Names are dropped by the connector: not even offered for editing.
    assert "Nom" not in by_header and "Prénom" not in by_header
    assert by_header["Date orientation"].value == "31/02/2024"
    assert by_header["Date orientation"].reasons == (
        "Date orientation : date impossible : 31/02/2024",
    )
    assert entry.row_reasons == () and entry.correctable
    assert "ressaisissez" in entry.note


def test_corrected_solis_row_is_loaded_through_the_connector(db_session, redon, settings):
    territory, actor = redon
    row = _row(db_session, "solis", 5)
    entry = quarantine_entry(db_session, territory.id, row.id)
    version_before = facts_version(db_session, territory.id)
    result = correct_row(
        db_session, actor, territory.id, row.id,
        _values(entry, **{"Date orientation": "28/02/2024", "NIR": NIR,
                          "N° allocataire": CAF_NUMBER, "Date de naissance": BIRTH_DATE}),
        pseudonym_key=settings.pseudonym_key,
    )  # fmt: skip
    assert result.loaded, result.reasons
    # One new person: the 19 valid rows of the file, plus this one.
    assert (result.created, result.updated) == (1, 0)
    db_session.expire_all()
    assert _count(db_session, Beneficiary) == 20
    # The person carries the NIR's pseudonym, as the file row would have given.
    person = db_session.scalar(
        select(Beneficiary).where(
            Beneficiary.pseudonym == pseudonymise(settings.pseudonym_key, nir=NIR)
        )
    )
    assert person is not None and person.birth_year == 1963
    orientation = db_session.scalar(
        select(Orientation).where(Orientation.beneficiary_id == person.id)
    )
    assert (orientation.decided_on, orientation.notified_on) == (
        dt.date(2024, 2, 28),
        dt.date(2024, 3, 7),
    )
    assert (orientation.dominante, orientation.organisme) == ("emploi", "ML")
    rights = db_session.scalar(select(RightsPeriod).where(RightsPeriod.beneficiary_id == person.id))
    assert rights.rights_opened_on == dt.date(2024, 2, 13)
    # The row is marked corrected; its identifiers are still hidden.
    stored = db_session.get(QuarantinedRow, row.id)
    assert stored.status == "corrected"
    assert stored.raw_values["Date orientation"] == "28/02/2024"
    assert all(stored.raw_values[h] == "(pseudonymisé)" for h in IDENTIFYING)
    # The load is a batch of its own, by the administrator: the facts version moves.
    batch = db_session.get(ImportBatch, result.batch_id)
    assert (batch.status, batch.user_id, batch.rows_read, batch.rows_loaded) == (
        "loaded", actor.user_id, 1, 1,
    )  # fmt: skip
    assert facts_version(db_session, territory.id) != version_before
    entry_log = db_session.scalar(select(AuditLog).where(AuditLog.action == "quarantine_corrected"))
    assert entry_log.user_id == actor.user_id
    assert entry_log.details["changed"] == {
        "Date orientation": {"before": "31/02/2024", "after": "28/02/2024"}
    }
    assert sorted(entry_log.details["re_entered"]) == sorted(IDENTIFYING)
    # No identifier is stored anywhere in clear.
    kept = json.dumps(
        [stored.raw_values, [log.details for log in db_session.scalars(select(AuditLog))]],
        ensure_ascii=False,
    )
    for secret in ("1630435180260", CAF_NUMBER, BIRTH_DATE, "1963-04-11"):
        assert secret not in kept


def test_still_invalid_row_stays_in_quarantine_with_new_reasons(db_session, redon, settings):
    territory, actor = redon
    row = _row(db_session, "solis", 5)
    entry = quarantine_entry(db_session, territory.id, row.id)
    batches = _count(db_session, ImportBatch)
    result = correct_row(
        db_session, actor, territory.id, row.id,
        _values(entry, **{"Date orientation": "30/02/2024", "NIR": NIR,
                          "N° allocataire": CAF_NUMBER, "Date de naissance": BIRTH_DATE}),
        pseudonym_key=settings.pseudonym_key,
    )  # fmt: skip
    assert not result.loaded
    assert result.reasons == ["Date orientation : date impossible : 30/02/2024"]
    db_session.expire_all()
    assert db_session.get(QuarantinedRow, row.id).status == "pending"
    assert _count(db_session, Beneficiary) == 19
    assert _count(db_session, ImportBatch) == batches
    assert _count(db_session, AuditLog) == 0


def test_identifiers_must_be_re_entered(db_session, redon, settings):
    territory, actor = redon
    row = _row(db_session, "solis", 5)
    entry = quarantine_entry(db_session, territory.id, row.id)
    result = correct_row(
        db_session, actor, territory.id, row.id,
        _values(entry, **{"Date orientation": "28/02/2024", "NIR": NIR}),
        pseudonym_key=settings.pseudonym_key,
    )  # fmt: skip
    assert not result.loaded
    assert result.reasons == [
        "N° allocataire : à ressaisir depuis l'export d'origine (valeur non conservée)",
        "Date de naissance : à ressaisir depuis l'export d'origine (valeur non conservée)",
    ]
    assert _count(db_session, Beneficiary) == 19


def test_targets_row_corrected_and_another_discarded(db_session, redon, settings):
    territory, actor = redon
    rate = _row(db_session, "targets", 9)
    unknown = _row(db_session, "targets", 8)
    entry = quarantine_entry(db_session, territory.id, rate.id)
    assert entry.note is None  # no identifier in a targets file: nothing to re-enter
    result = correct_row(
        db_session, actor, territory.id, rate.id, _values(entry, Cible="90 %"),
        pseudonym_key=settings.pseudonym_key,
    )  # fmt: skip
    assert result.loaded and result.created == 1
    discard_row(db_session, actor, territory.id, unknown.id)
    db_session.expire_all()
    point = db_session.scalar(
        select(IndicatorTarget).where(IndicatorTarget.indicator_code == "taux_contrat_engagement")
    )
    # Line 9: 01/01/2024 - 31/12/2024, target now 90 %, baseline 85 % as in the file.
    assert (point.period_start, point.period_end, point.target_value, point.baseline_value) == (
        dt.date(2024, 1, 1), dt.date(2024, 12, 31), 90.0, 85.0,
    )  # fmt: skip
    assert db_session.get(QuarantinedRow, unknown.id).status == "discarded"
    actions = db_session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions == ["quarantine_corrected", "quarantine_discarded"]
    discarded = db_session.scalar(select(AuditLog).where(AuditLog.action == "quarantine_discarded"))
    assert discarded.details["reasons"] == ["Indicateur : indicateur inconnu : Nombre de PMSMP"]
    with pytest.raises(QuarantineError, match=ALREADY_DONE):
        discard_row(db_session, actor, territory.id, unknown.id)
    with pytest.raises(QuarantineError, match=ALREADY_DONE):
        correct_row(
            db_session, actor, territory.id, rate.id, {}, pseudonym_key=settings.pseudonym_key
        )


def test_rows_of_another_territory_are_refused(db_session, redon, settings):
    _, _ = redon
    other = make_territory(db_session, "75-PARIS", "Paris")
    paris_admin = make_user(db_session, "paris.admin", Role.ADMIN, "75-PARIS")
    db_session.commit()
    actor = _actor(paris_admin, other)
    row = _row(db_session, "solis", 5)
    for forged in (row.id, str(row.id), None, True, 10**9):
        with pytest.raises(QuarantineError, match=UNKNOWN_ROW):
            quarantine_entry(db_session, other.id, forged)
        with pytest.raises(QuarantineError, match=UNKNOWN_ROW):
            discard_row(db_session, actor, other.id, forged)
    assert db_session.get(QuarantinedRow, row.id).status == "pending"


def test_unknown_person_row_loads_once_the_person_is_corrected_in(
    db_session, engine, redon, settings
):
    """The appointments sample has 14 rows, one per CAF number; 13 are people of the
    SOLIS sample, the 14th (9324402) is the person of the quarantined SOLIS line 5."""
    territory, actor = redon
    run_import(
        make_session_factory(engine), "rdv", SAMPLES / "rendez_vous.csv", "35-REDON",
        pseudonym_key=settings.pseudonym_key, extracted_on=dt.date(2024, 7, 1),
    )  # fmt: skip
    # SOLIS: 19 people, 13 of them with an appointment; rdv: 13 people, all from SOLIS.
    assert cross_source_match(db_session, territory.id) == {"solis": (19, 13), "rdv": (13, 13)}
    appointment = _row(db_session, "rdv", 5)  # line 5 of the file: the 4th data row
    entry = quarantine_entry(db_session, territory.id, appointment.id)
    assert entry.row_reasons == (
        "personne inconnue : aucun bénéficiaire importé (SOLIS) ne porte ce numéro d'allocataire",
    )
    re_entered = _values(entry, **{"N° allocataire": CAF_NUMBER})
    still = correct_row(
        db_session, actor, territory.id, appointment.id, re_entered,
        pseudonym_key=settings.pseudonym_key,
    )  # fmt: skip
    assert not still.loaded and still.reasons == list(entry.row_reasons)
    person = _row(db_session, "solis", 5)
    person_entry = quarantine_entry(db_session, territory.id, person.id)
    assert correct_row(
        db_session, actor, territory.id, person.id,
        _values(person_entry, **{"Date orientation": "28/02/2024", "NIR": NIR,
                                 "N° allocataire": CAF_NUMBER, "Date de naissance": BIRTH_DATE}),
        pseudonym_key=settings.pseudonym_key,
    ).loaded  # fmt: skip
    loaded = correct_row(
        db_session, actor, territory.id, appointment.id, re_entered,
        pseudonym_key=settings.pseudonym_key,
    )  # fmt: skip
    assert loaded.loaded and loaded.created == 1
    # Now 20 SOLIS people, 14 with an appointment; 14 rdv people, all known to SOLIS.
    assert cross_source_match(db_session, territory.id) == {"solis": (20, 14), "rdv": (14, 14)}


def test_rows_of_a_refused_file_can_only_be_discarded(db_session, engine, settings):
    territory = make_territory(db_session, "35-REDON", "Redon")
    admin = make_user(db_session, "redon.admin", Role.ADMIN, "35-REDON")
    db_session.commit()
    actor = _actor(admin, territory)
    report = run_import(
        make_session_factory(engine), "solis", SAMPLES / "solis_beneficiaires.csv", "35-REDON",
        pseudonym_key=settings.pseudonym_key, extracted_on=dt.date(2024, 7, 1), strict=True,
    )  # fmt: skip
    assert report.status == "failed"  # strict mode: the one bad row refuses the file
    row = db_session.scalar(select(QuarantinedRow))
    entry = quarantine_entry(db_session, territory.id, row.id)
    assert not entry.correctable and "refusé en entier" in entry.note
    with pytest.raises(QuarantineError, match="refusé en entier"):
        correct_row(db_session, actor, territory.id, row.id, {}, pseudonym_key="k")
    discard_row(db_session, actor, territory.id, row.id)
    assert db_session.get(QuarantinedRow, row.id).status == "discarded"
