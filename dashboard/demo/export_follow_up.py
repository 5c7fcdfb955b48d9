"""The rows of the demo's appointments (rdv) and France Travail extractions.

- rdv: an appointment is listed once, complete, in the monthly file that
  follows its last date (invitation, appointment, reminder), with its status.
- France Travail: one file every Monday (the last one on the demo's end day). It
  lists the people with activity hours in the week before ("S-1"; the last file:
  the week under way), saying which week in « Semaine des heures »,
  and the people whose PPAE / contrat d'engagement or return to employment is
  dated since the previous file; each row also repeats the person's contract
  and employment known by then, as an FT extraction does. Facts dated before
  the first file go into it. The first interview column is left out (the
  appointments come from the rdv export only).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from dashboard.demo import export_labels as labels
from dashboard.demo.export_people import Rows, file_of
from dashboard.demo.identities import DemoIdentity
from dashboard.demo.records import ContractRecord, DemoData, EmploymentOutcomeRecord
from dashboard.models import ContractKind

RDV_HEADERS = (
    "N° allocataire",
    "Date de naissance",
    "Motif",
    "Date invitation",
    "Date RDV",
    "Statut",
    "Relance",
    "Structure",
    "Référent",
)
FRANCE_TRAVAIL_HEADERS = (
    "NIR",
    "Numéro CAF",
    "Date signature PPAE / CE",
    "Semaine des heures",
    "Heures d'activité S-1",
    "Date reprise d'emploi",
    "Type de contrat",
    "Durée contrat (mois)",
)
FRANCE_TRAVAIL_CONTRACTS = (ContractKind.PPAE, ContractKind.CE)
WEEK = dt.timedelta(days=7)


def rdv_rows(data: DemoData, identities: list[DemoIdentity], dates: list[dt.date]) -> Rows:
    """Rows of the rdv file of each extraction date."""
    files: Rows = defaultdict(list)
    for item in data.appointments:
        identity = identities[item.beneficiary_index]
        days = (item.invited_on, item.scheduled_at.date(), item.reminder_on)
        files[file_of(dates, max(day for day in days if day is not None))].append(
            (
                identity.caf_number,
                labels.day(identity.birth_date),
                labels.APPOINTMENT_KIND[item.kind],
                labels.day(item.invited_on),
                labels.moment(item.scheduled_at),
                labels.APPOINTMENT_STATUS[item.status],
                labels.day(item.reminder_on),
                item.site or "",
                item.referent or "",
            )
        )
    return files


def mondays(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every Monday from the first on or after `first` to the first on or after `last`."""
    day = first + dt.timedelta(days=-first.weekday() % 7)
    found = [day]
    while found[-1] < last:
        found.append(found[-1] + WEEK)
    return found


def france_travail_dates(data: DemoData) -> list[dt.date]:
    """The Mondays of the France Travail files, from the pilot start to the last fact.

    A Monday after the demo's end becomes the end itself: the last file is extracted
    on the end day, with the hours of the week then under way (the generator gives
    hours for every week that starts by the end), so every source's data is "as of"
    the same day.
    """
    last = max(
        [item.week_start + WEEK for item in data.activity_hours]
        + [item.signed_on for item in data.contracts if item.kind in FRANCE_TRAVAIL_CONTRACTS]
        + [item.started_on for item in data.employment_outcomes]
        + [data.pilot_start]
    )
    return sorted({min(day, data.end) for day in mondays(data.pilot_start, last)})


def _latest(items: list, day: dt.date, attribute: str):  # noqa: ANN202 (a record or None)
    known = [item for item in items if getattr(item, attribute) <= day]
    return known[-1] if known else None


def france_travail_rows(
    data: DemoData, identities: list[DemoIdentity], dates: list[dt.date]
) -> Rows:
    """Rows of the France Travail file of each Monday in `dates`."""
    contracts: dict[int, list[ContractRecord]] = defaultdict(list)
    for item in sorted(data.contracts, key=lambda record: record.signed_on):
        if item.kind in FRANCE_TRAVAIL_CONTRACTS:
            contracts[item.beneficiary_index].append(item)
    jobs: dict[int, list[EmploymentOutcomeRecord]] = defaultdict(list)
    for item in sorted(data.employment_outcomes, key=lambda record: record.started_on):
        jobs[item.beneficiary_index].append(item)
    news: dict[dt.date, set[int]] = defaultdict(set)
    for person, items in contracts.items():
        for item in items:
            news[file_of(dates, item.signed_on)].add(person)
    for person, items in jobs.items():
        for item in items:
            news[file_of(dates, item.started_on)].add(person)
    # File date -> person -> (week, hours): the Monday after the week, or the last file.
    hours: dict[dt.date, dict[int, tuple[dt.date, float]]] = defaultdict(dict)
    for item in data.activity_hours:
        on = min(item.week_start + WEEK, dates[-1])
        hours[on][item.beneficiary_index] = (item.week_start, item.hours)
    if not hours.keys() <= set(dates):
        raise ValueError("Des heures d'activité tombent hors des fichiers France Travail.")

    files: Rows = defaultdict(list)
    for on in dates:
        week = hours.get(on, {})
        for person in sorted(news.get(on, set()) | week.keys()):
            identity = identities[person]
            contract = _latest(contracts.get(person, []), on, "signed_on")
            job = _latest(jobs.get(person, []), on, "started_on")
            files[on].append(
                (
                    identity.nir,
                    identity.caf_number,
                    labels.day(contract.signed_on if contract else None),
                    labels.day(week[person][0]) if person in week else "",
                    labels.number(week[person][1] if person in week else None),
                    labels.day(job.started_on if job else None),
                    labels.label(labels.CONTRACT_TYPE, job.contract_type if job else None),
                    labels.number(job.duration_months if job else None),
                )
            )
    return files
