"""Who is counted: people subject to droits et devoirs on a day, the period's new entrants.

Every function reads only facts dated on or before `as_of`, so a figure
recomputed later for a past committee gives the same number.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from metrics.frames import Frames
from metrics.params import Params
from metrics.periods import ONE_DAY, add_months_expr

ENTRANT_COLUMNS = ("beneficiary_id", "entry_on", "notification_received_on", "rights_opened_on")


def covers(day: pl.Expr | dt.date) -> pl.Expr:
    """A rights row makes its person subject to droits et devoirs on `day`.

    duties_start_on <= day, and duties_end_on (the last day subject) is null
    or >= day, and exit_on (the first day out) is null or > day.
    """
    day_expr = day if isinstance(day, pl.Expr) else pl.lit(day, dtype=pl.Date)
    return (
        pl.col("duties_start_on").is_not_null()
        & (pl.col("duties_start_on") <= day_expr)
        & (pl.col("duties_end_on").is_null() | (pl.col("duties_end_on") >= day_expr))
        & (pl.col("exit_on").is_null() | (pl.col("exit_on") > day_expr))
    )


def subject_on(rights: pl.DataFrame, day: dt.date) -> pl.DataFrame:
    """The distinct `beneficiary_id`s subject to droits et devoirs on `day`, sorted."""
    return rights.filter(covers(day)).select("beneficiary_id").unique().sort("beneficiary_id")


def subject_during(rights: pl.DataFrame, first: dt.date, last: dt.date) -> pl.DataFrame:
    """The distinct `beneficiary_id`s subject to droits et devoirs on at least one day of
    [first, last], sorted: a rights row with duties_start_on <= last, duties_end_on null
    or >= first, and exit_on null or > first."""
    return (
        rights.filter(
            pl.col("duties_start_on").is_not_null()
            & (pl.col("duties_start_on") <= last)
            & (pl.col("duties_end_on").is_null() | (pl.col("duties_end_on") >= first))
            & (pl.col("exit_on").is_null() | (pl.col("exit_on") > first))
        )
        .select("beneficiary_id")
        .unique()
        .sort("beneficiary_id")
    )


def new_entrants(
    frames: Frames, period_start: dt.date, period_end: dt.date, as_of: dt.date, params: Params
) -> pl.DataFrame:
    """The period's new entrants: one row per person, columns `ENTRANT_COLUMNS`.

    A person enters on a day D in [period_start, min(period_end, as_of)] when
    one of their rights rows has duties_start_on = D, and
    (1) no rights row of theirs covers D - 1 (see `covers`): they were not
        subject to droits et devoirs the day before, and
    (2) no orientation of theirs was decided in [D - 12 months, D): no
        follow-up was in progress.
    A person with several such days in the period enters on the first one.
    `notification_received_on` (T0) and `rights_opened_on` come from the row
    that starts on D (with two such rows, the one carrying a T0 first).
    """
    last_day = min(period_end, as_of)
    starts = (
        frames.rights.filter(pl.col("duties_start_on").is_between(period_start, last_day))
        .select(
            "beneficiary_id",
            pl.col("duties_start_on").alias("entry_on"),
            "notification_received_on",
            "rights_opened_on",
        )
        .with_columns(day_before=pl.col("entry_on") - ONE_DAY)
    )
    subject_day_before = (
        starts.select("beneficiary_id", "entry_on", "day_before")
        .join(frames.rights, on="beneficiary_id", how="inner")
        .filter(covers(pl.col("day_before")))
        .select("beneficiary_id", "entry_on")
    )
    followed = (
        starts.select("beneficiary_id", "entry_on")
        .join(frames.orientations.select("beneficiary_id", "decided_on"), on="beneficiary_id")
        .filter(
            (pl.col("decided_on") < pl.col("entry_on"))
            & (
                pl.col("decided_on")
                >= add_months_expr(pl.col("entry_on"), -params.new_entrant_lookback_months)
            )
        )
        .select("beneficiary_id", "entry_on")
    )
    return (
        starts.join(subject_day_before, on=["beneficiary_id", "entry_on"], how="anti")
        .join(followed, on=["beneficiary_id", "entry_on"], how="anti")
        .sort(
            ["beneficiary_id", "entry_on", "notification_received_on", "rights_opened_on"],
            nulls_last=True,
        )
        .group_by("beneficiary_id", maintain_order=True)
        .first()
        .select(ENTRANT_COLUMNS)
    )


def latest_orientations(orientations: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """Each person's latest orientation decided on or before `as_of` (re-orientations win).

    Two orientations decided the same day: the re-orientation, then the one
    notified last, is kept.
    """
    return (
        orientations.filter(pl.col("decided_on") <= as_of)
        .sort(
            ["beneficiary_id", "decided_on", "is_reorientation", "notified_on"],
            descending=[False, True, True, True],
            nulls_last=True,
        )
        .group_by("beneficiary_id", maintain_order=True)
        .first()
    )


def oriented_stock(frames: Frames, as_of: dt.date) -> pl.DataFrame:
    """People subject at `as_of`, with their latest orientation's columns (null if none).

    Columns: beneficiary_id, oriented (bool), decided_on, dominante, organisme.
    """
    latest = latest_orientations(frames.orientations, as_of).select(
        "beneficiary_id", "decided_on", "dominante", "organisme"
    )
    return (
        subject_on(frames.rights, as_of)
        .join(latest, on="beneficiary_id", how="left")
        .with_columns(oriented=pl.col("decided_on").is_not_null())
    )


def first_rights_opening(rights: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """Each person's earliest rights_opened_on on or before `as_of` (seniority in the RSA)."""
    return (
        rights.filter(pl.col("rights_opened_on") <= as_of)
        .group_by("beneficiary_id")
        .agg(pl.col("rights_opened_on").min().alias("first_opened_on"))
    )


def with_current_orientation(
    facts: pl.DataFrame, orientations: pl.DataFrame, as_of: dt.date
) -> pl.DataFrame:
    """`facts` (with beneficiary_id) plus the organisme and dominante of the orientation in
    force at `as_of` (see `latest_orientations`); null for someone never oriented."""
    latest = latest_orientations(orientations, as_of).select(
        "beneficiary_id", "organisme", "dominante"
    )
    return facts.join(latest, on="beneficiary_id", how="left")
