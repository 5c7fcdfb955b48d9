"""Convert the demo territory's records into the indicator frames (tests only).

The demo references people by index and referents by code; here the index
is the beneficiary_id and referents are numbered in their list order.
"""

from __future__ import annotations

from enum import Enum

import polars as pl

from dashboard.demo import DemoData
from metrics.frames import (
    ACTIVITY_HOURS_SCHEMA,
    APPOINTMENTS_SCHEMA,
    CONTRACTS_SCHEMA,
    ORIENTATIONS_SCHEMA,
    OUTCOMES_SCHEMA,
    PEOPLE_SCHEMA,
    REFERENTS_SCHEMA,
    RIGHTS_SCHEMA,
    Frames,
)


def _value(item: Enum | None) -> str | None:
    return None if item is None else str(item.value)


def frames_from_demo(data: DemoData) -> Frames:
    referent_ids = {referent.code: number for number, referent in enumerate(data.referents, 1)}
    people = [
        {
            "beneficiary_id": index,
            "birth_year": person.birth_year,
            "sex": _value(person.sex),
            "site": person.site,
            "family_situation": _value(person.family_situation),
            "education_level": _value(person.education_level),
        }
        for index, person in enumerate(data.beneficiaries)
    ]
    rights = [
        {
            "beneficiary_id": period.beneficiary_index,
            "rights_opened_on": period.rights_opened_on,
            "notification_received_on": period.notification_received_on,
            "duties_start_on": period.duties_start_on,
            "duties_end_on": period.duties_end_on,
            "exit_on": period.exit_on,
        }
        for period in data.rights_periods
    ]
    orientations = [
        {
            "beneficiary_id": item.beneficiary_index,
            "decided_on": item.decided_on,
            "notified_on": item.notified_on,
            "dominante": _value(item.dominante),
            "organisme": _value(item.organisme),
            "referent_id": referent_ids.get(item.referent) if item.referent else None,
            "is_reorientation": item.is_reorientation,
        }
        for item in data.orientations
    ]
    appointments = [
        {
            "beneficiary_id": item.beneficiary_index,
            "kind": _value(item.kind),
            "invited_on": item.invited_on,
            "scheduled_at": item.scheduled_at,
            "status": _value(item.status),
            "reminder_on": item.reminder_on,
            "referent_id": referent_ids.get(item.referent) if item.referent else None,
        }
        for item in data.appointments
    ]
    contracts = [
        {
            "beneficiary_id": item.beneficiary_index,
            "kind": _value(item.kind),
            "signed_on": item.signed_on,
            "ended_on": item.ended_on,
        }
        for item in data.contracts
    ]
    referents = [
        {
            "referent_id": referent_ids[referent.code],
            "organisme": _value(referent.organisme),
            "site": referent.site,
            "portfolio_target": referent.portfolio_target,
        }
        for referent in data.referents
    ]
    activity_hours = [
        {
            "beneficiary_id": item.beneficiary_index,
            "week_start": item.week_start,
            "hours": item.hours,
        }
        for item in data.activity_hours
    ]
    outcomes = [
        {
            "beneficiary_id": item.beneficiary_index,
            "started_on": item.started_on,
            "contract_type": _value(item.contract_type),
            "duration_months": item.duration_months,
            "durable": item.durable,
        }
        for item in data.employment_outcomes
    ]
    return Frames(
        people=pl.DataFrame(people, schema=PEOPLE_SCHEMA),
        rights=pl.DataFrame(rights, schema=RIGHTS_SCHEMA),
        orientations=pl.DataFrame(orientations, schema=ORIENTATIONS_SCHEMA),
        appointments=pl.DataFrame(appointments, schema=APPOINTMENTS_SCHEMA),
        contracts=pl.DataFrame(contracts, schema=CONTRACTS_SCHEMA),
        referents=pl.DataFrame(referents, schema=REFERENTS_SCHEMA),
        activity_hours=pl.DataFrame(activity_hours, schema=ACTIVITY_HOURS_SCHEMA),
        outcomes=pl.DataFrame(outcomes, schema=OUTCOMES_SCHEMA),
    )
