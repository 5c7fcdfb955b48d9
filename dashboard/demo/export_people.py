"""The rows of the demo's SOLIS and mission locale (I-Milo) extractions.

A SOLIS extraction shows each person as they stand on its date: the rights
dates known by then, droits et devoirs, the orientation in force (the latest
decided), its referent, the CER and the exit. The demo's files are monthly
"movement" extractions: the file of date D lists the people with something
dated after the previous file and up to D (the first file: everything up to
its date). Because a newer row replaces an orientation only by adding the new
decision, the dates are chosen so that every superseded orientation is seen,
notified, in some file before the re-orientation (see `exports.extraction_dates`).

The first accompaniment appointment column is left out: the appointments all
come from the rdv export, and the same appointment written by two sources at
two different times of day would count twice.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import defaultdict

from dashboard.demo import export_labels as labels
from dashboard.demo.identities import DemoIdentity
from dashboard.demo.records import (
    BeneficiaryRecord,
    DemoData,
    OrientationRecord,
    ReferentRecord,
    RightsPeriodRecord,
)
from dashboard.models import ContractKind

SOLIS_HEADERS = (
    "N° allocataire",
    "NIR",
    "Date de naissance",
    "Organisme payeur",
    "Sexe",
    "Situation familiale",
    "Niveau de formation",
    "Site",
    "Date ouverture droits",
    "Date réception flux CAF/MSA",
    "Soumis droits et devoirs",
    "Date début droits et devoirs",
    "Date fin droits et devoirs",
    "Date orientation",
    "Date notification orientation",
    "Dominante",
    "Organisme référent",
    "Référent",
    "Site du référent",
    "Objectif portefeuille du référent",
    "Date signature CER",
    "Date sortie RSA",
    "Motif sortie",
)
MISSION_LOCALE_HEADERS = ("N° allocataire CAF", "Date naissance", "Date entrée CEJ")

Rows = dict[dt.date, list[tuple[str, ...]]]


def file_of(dates: list[dt.date], day: dt.date) -> dt.date:
    """The first extraction dated on or after `day` (the first one for anything earlier)."""
    position = bisect_left(dates, day)
    if position == len(dates):
        raise ValueError(f"{day} est postérieur à la dernière extraction ({dates[-1]}).")
    return dates[position]


def orientations_by_person(data: DemoData) -> dict[int, list[OrientationRecord]]:
    """Each person's orientations, oldest decision first."""
    found: dict[int, list[OrientationRecord]] = defaultdict(list)
    for orientation in sorted(data.orientations, key=lambda item: item.decided_on):
        found[orientation.beneficiary_index].append(orientation)
    return found


def _known(value: dt.date | None, on: dt.date) -> dt.date | None:
    return value if value is not None and value <= on else None


def _orientation_cells(
    orientation: OrientationRecord | None, on: dt.date, referents: dict[str, ReferentRecord]
) -> tuple[str, ...]:
    if orientation is None:
        return ("",) * 7
    referent = referents.get(orientation.referent) if orientation.referent else None
    return (
        labels.day(orientation.decided_on),
        labels.day(_known(orientation.notified_on, on)),
        labels.DOMINANTE[orientation.dominante],
        labels.ORGANISME[orientation.organisme],
        orientation.referent or "",
        (referent.site or "") if referent else "",
        str(referent.portfolio_target) if referent else "",
    )


def _solis_row(
    identity: DemoIdentity,
    person: BeneficiaryRecord,
    period: RightsPeriodRecord,
    orientation: OrientationRecord | None,
    cer_signed_on: dt.date | None,
    on: dt.date,
    referents: dict[str, ReferentRecord],
) -> tuple[str, ...]:
    subject = _known(period.duties_start_on, on) is not None
    exit_on = _known(period.exit_on, on)
    return (
        identity.caf_number,
        identity.nir,
        labels.day(identity.birth_date),
        person.payer.value,
        person.sex.value,
        labels.label(labels.FAMILY, person.family_situation),
        labels.label(labels.EDUCATION, person.education_level),
        person.site or "",
        labels.day(period.rights_opened_on),
        labels.day(_known(period.notification_received_on, on)),
        "Oui" if subject else "Non",
        labels.day(period.duties_start_on) if subject else "",
        labels.day(_known(period.duties_end_on, on)) if subject else "",
        *_orientation_cells(orientation, on, referents),
        labels.day(_known(cer_signed_on, on)),
        labels.day(exit_on),
        labels.label(labels.EXIT_REASON, period.exit_reason) if exit_on else "",
    )


def solis_rows(data: DemoData, identities: list[DemoIdentity], dates: list[dt.date]) -> Rows:
    """Rows of the SOLIS file of each extraction date (one per person with news)."""
    referents = {referent.code: referent for referent in data.referents}
    orientations = orientations_by_person(data)
    cer = {
        contract.beneficiary_index: contract.signed_on
        for contract in data.contracts
        if contract.kind == ContractKind.CER
    }
    files: Rows = defaultdict(list)
    for period in data.rights_periods:
        index = period.beneficiary_index
        own = orientations.get(index, [])
        events = [
            period.rights_opened_on,
            period.notification_received_on,
            period.duties_start_on,
            period.duties_end_on,
            period.exit_on,
            cer.get(index),
            *(item.decided_on for item in own),
            *(item.notified_on for item in own),
        ]
        for on in sorted({file_of(dates, day) for day in events if day is not None}):
            in_force = [item for item in own if item.decided_on <= on]
            files[on].append(
                _solis_row(
                    identities[index],
                    data.beneficiaries[index],
                    period,
                    in_force[-1] if in_force else None,
                    cer.get(index),
                    on,
                    referents,
                )
            )
    return files


def mission_locale_rows(
    data: DemoData, identities: list[DemoIdentity], dates: list[dt.date]
) -> Rows:
    """Rows of the I-Milo file of each extraction date: the CEJ signed since the last one."""
    files: Rows = defaultdict(list)
    for contract in data.contracts:
        if contract.kind == ContractKind.CEJ:
            identity = identities[contract.beneficiary_index]
            files[file_of(dates, contract.signed_on)].append(
                (
                    identity.caf_number,
                    labels.day(identity.birth_date),
                    labels.day(contract.signed_on),
                )
            )
    return files
