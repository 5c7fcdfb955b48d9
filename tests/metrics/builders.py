"""Tiny hand-made input frames: one helper per table row, dates as ISO strings."""

from __future__ import annotations

import datetime as dt

import polars as pl

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


def d(text: str | None) -> dt.date | None:
    """`2024-03-01` -> date(2024, 3, 1); None stays None."""
    return None if text is None else dt.date.fromisoformat(text)


def person(
    beneficiary_id: int,
    birth_year: int | None = None,
    sex: str | None = None,
    site: str | None = None,
    family_situation: str | None = None,
    education_level: str | None = None,
) -> dict:
    return {
        "beneficiary_id": beneficiary_id,
        "birth_year": birth_year,
        "sex": sex,
        "site": site,
        "family_situation": family_situation,
        "education_level": education_level,
    }


def rights(
    beneficiary_id: int,
    *,
    opened: str | None = None,
    t0: str | None = None,
    start: str | None = None,
    end: str | None = None,
    exit_on: str | None = None,
) -> dict:
    """A rights row; `opened` defaults to the duties start."""
    return {
        "beneficiary_id": beneficiary_id,
        "rights_opened_on": d(opened or start),
        "notification_received_on": d(t0),
        "duties_start_on": d(start),
        "duties_end_on": d(end),
        "exit_on": d(exit_on),
    }


def orientation(
    beneficiary_id: int,
    decided: str,
    notified: str | None = None,
    *,
    organisme: str = "CD",
    dominante: str = "social",
    reorientation: bool = False,
    referent: int | None = None,
) -> dict:
    return {
        "beneficiary_id": beneficiary_id,
        "decided_on": d(decided),
        "notified_on": d(notified),
        "dominante": dominante,
        "organisme": organisme,
        "referent_id": referent,
        "is_reorientation": reorientation,
    }


def appointment(
    beneficiary_id: int,
    day: str,
    status: str = "present",
    *,
    kind: str = "accompagnement",
    invited: str | None = None,
    time: str = "09:30",
    referent: int | None = None,
    reminder: str | None = None,
) -> dict:
    """An appointment on `day` at `time` (scheduled_at is a datetime)."""
    return {
        "beneficiary_id": beneficiary_id,
        "kind": kind,
        "invited_on": d(invited),
        "scheduled_at": dt.datetime.fromisoformat(f"{day}T{time}"),
        "status": status,
        "reminder_on": d(reminder),
        "referent_id": referent,
    }


def contract(
    beneficiary_id: int, signed: str, ended: str | None = None, *, kind: str = "CER"
) -> dict:
    return {
        "beneficiary_id": beneficiary_id,
        "kind": kind,
        "signed_on": d(signed),
        "ended_on": d(ended),
    }


def referent(
    referent_id: int, organisme: str = "CD", target: int = 70, site: str | None = None
) -> dict:
    return {
        "referent_id": referent_id,
        "organisme": organisme,
        "site": site,
        "portfolio_target": target,
    }


def hours(beneficiary_id: int, monday: str, amount: float) -> dict:
    """`amount` hours of activity in the week starting on Monday `monday`."""
    return {"beneficiary_id": beneficiary_id, "week_start": d(monday), "hours": amount}


def outcome(
    beneficiary_id: int,
    started: str,
    contract_type: str = "CDI",
    months: float | None = None,
    *,
    durable: bool = False,
) -> dict:
    return {
        "beneficiary_id": beneficiary_id,
        "started_on": d(started),
        "contract_type": contract_type,
        "duration_months": months,
        "durable": durable,
    }


def make_frames(
    people: list[dict] | None = None,
    rights_rows: list[dict] | None = None,
    orientations: list[dict] | None = None,
    appointments: list[dict] | None = None,
    contracts: list[dict] | None = None,
    referents: list[dict] | None = None,
    activity_hours: list[dict] | None = None,
    outcomes: list[dict] | None = None,
) -> Frames:
    return Frames(
        people=pl.DataFrame(people or [], schema=PEOPLE_SCHEMA),
        rights=pl.DataFrame(rights_rows or [], schema=RIGHTS_SCHEMA),
        orientations=pl.DataFrame(orientations or [], schema=ORIENTATIONS_SCHEMA),
        appointments=pl.DataFrame(appointments or [], schema=APPOINTMENTS_SCHEMA),
        contracts=pl.DataFrame(contracts or [], schema=CONTRACTS_SCHEMA),
        referents=pl.DataFrame(referents or [], schema=REFERENTS_SCHEMA),
        activity_hours=pl.DataFrame(activity_hours or [], schema=ACTIVITY_HOURS_SCHEMA),
        outcomes=pl.DataFrame(outcomes or [], schema=OUTCOMES_SCHEMA),
    )


def dates(period_start: str, period_end: str, as_of: str) -> dict:
    """Keyword arguments of a compute function."""
    return {"period_start": d(period_start), "period_end": d(period_end), "as_of": d(as_of)}
