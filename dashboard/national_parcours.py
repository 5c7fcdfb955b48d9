"""The parcours volet of the national export: one record per person entered in the month.

The people are exactly those counted by the indicator `nouveaux_entrants`
for the same month and as_of (metrics.population.new_entrants); their
dates come from the territory's facts, their pseudonym from the database.
Only facts dated on or before as_of are used.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.facts_cache import TerritoryFacts
from dashboard.models import Beneficiary
from metrics.frames import Frames
from metrics.population import new_entrants

ID_CHUNK = 5000


def _first_orientation_appointments(frames: Frames, entrants: pl.DataFrame, as_of: dt.date):
    """beneficiary_id -> the first orientation appointment not cancelled, from rights opening."""
    rows = (
        frames.appointments.join(entrants, on="beneficiary_id")
        .filter(
            (pl.col("kind") == "orientation")
            & (pl.col("status") != "annule")
            & (pl.col("scheduled_at").dt.date() >= pl.col("rights_opened_on"))
            & (pl.col("scheduled_at").dt.date() <= as_of)
        )
        .group_by("beneficiary_id")
        .agg(pl.col("scheduled_at").min().dt.date().alias("day"))
    )
    return dict(rows.iter_rows())


def _orientations(frames: Frames, entrants: pl.DataFrame, as_of: dt.date):
    """beneficiary_id -> (decided_on, dominante) of the latest orientation decided from the
    entry to as_of."""
    rows = (
        frames.orientations.join(entrants, on="beneficiary_id")
        .filter(pl.col("decided_on").is_between(pl.col("entry_on"), pl.lit(as_of)))
        .sort("decided_on", "dominante")
        .group_by("beneficiary_id")
        .agg(pl.col("decided_on").last(), pl.col("dominante").last())
    )
    return {person: (day, dominante) for person, day, dominante in rows.iter_rows()}


def _accompaniments(frames: Frames, entrants: pl.DataFrame, as_of: dt.date):
    """beneficiary_id -> sorted dates of accompaniment appointments attended since the entry."""
    rows = (
        frames.appointments.join(entrants, on="beneficiary_id")
        .with_columns(pl.col("scheduled_at").dt.date().alias("day"))
        .filter(
            (pl.col("kind") == "accompagnement")
            & (pl.col("status") == "present")
            & pl.col("day").is_between(pl.col("entry_on"), pl.lit(as_of))
        )
        .group_by("beneficiary_id")
        .agg(pl.col("day").unique().sort())
    )
    return dict(rows.iter_rows())


def _hours(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _weekly_hours(frames: Frames, entrants: pl.DataFrame, as_of: dt.date) -> dict[int, str]:
    """beneficiary_id -> "2024-03-04=6|2024-03-11=7.5": hours per week since the entry week."""
    rows = (
        frames.activity_hours.join(entrants, on="beneficiary_id")
        .filter(
            (pl.col("week_start") > pl.col("entry_on") - pl.duration(days=7))
            & (pl.col("week_start") <= as_of)
        )
        .group_by("beneficiary_id", "week_start")
        .agg(pl.col("hours").sum())
        .sort("beneficiary_id", "week_start")
    )
    weeks: dict[int, list[str]] = {}
    for person, week, hours in rows.iter_rows():
        weeks.setdefault(person, []).append(f"{week.isoformat()}={_hours(hours)}")
    return {person: "|".join(items) for person, items in weeks.items()}


def _pseudonyms(db: Session, territory_id: int, ids: list[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for start in range(0, len(ids), ID_CHUNK):
        chunk = ids[start : start + ID_CHUNK]
        found.update(
            db.execute(
                select(Beneficiary.id, Beneficiary.pseudonym).where(
                    Beneficiary.territory_id == territory_id, Beneficiary.id.in_(chunk)
                )
            ).all()
        )
    return found


def parcours_records(
    db: Session,
    facts: TerritoryFacts,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
) -> list[dict[str, Any]]:
    """One dict per person entered in [period_start, period_end] (sources of the schema),
    ordered by entry date then pseudonym."""
    frames = facts.frames
    entrants = new_entrants(frames, period_start, period_end, as_of, facts.params)
    ids = entrants["beneficiary_id"].to_list()
    pseudonyms = _pseudonyms(db, facts.territory_id, ids)
    orientation_days = _first_orientation_appointments(frames, entrants, as_of)
    orientations = _orientations(frames, entrants, as_of)
    accompaniments = _accompaniments(frames, entrants, as_of)
    weekly = _weekly_hours(frames, entrants, as_of)
    records = [
        {
            "pseudonym": pseudonyms[row["beneficiary_id"]],
            "rights_opened_on": row["rights_opened_on"],
            "notification_received_on": row["notification_received_on"],
            "entry_on": row["entry_on"],
            "orientation_appointment_on": orientation_days.get(row["beneficiary_id"]),
            "orientation_decided_on": orientations.get(row["beneficiary_id"], (None, None))[0],
            "dominante": orientations.get(row["beneficiary_id"], (None, None))[1],
            "accompaniment_appointments": accompaniments.get(row["beneficiary_id"], []),
            "weekly_activity_hours": weekly.get(row["beneficiary_id"]),
            "unavailable": None,
        }
        for row in entrants.iter_rows(named=True)
    ]
    return sorted(records, key=lambda record: (record["entry_on"], record["pseudonym"]))
