"""Who is counted: people subject to droits et devoirs on a day, the period's new entrants,
everyone's orientation in force.

Every function reads only facts dated on or before `as_of`, so a figure
recomputed later for a past committee gives the same number. The tables
that depend on no date are derived once per `Frames`, the dated ones once
per date (see `Frames.derived`); people are designated by their position in
the person index (`metrics.persons`).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from metrics.frames import Frames
from metrics.params import Params
from metrics.periods import ONE_DAY, add_months_expr
from metrics.persons import (
    POSITION,
    Blocks,
    blocks,
    first_per_person,
    person_index,
    with_positions,
)

ENTRANT_COLUMNS = ("beneficiary_id", "entry_on", "notification_received_on", "rights_opened_on")
ORIENTATION_COLUMNS = (
    "decided_on",
    "notified_on",
    "dominante",
    "organisme",
    "referent_id",
    "is_reorientation",
)


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


def rights_by_person(frames: Frames) -> tuple[pl.DataFrame, Blocks]:
    """The rights rows with `pidx`, sorted by pidx, then duties_start_on descending, then
    rights_opened_on (nulls last), and where each person's rows are (memoised)."""

    def build() -> tuple[pl.DataFrame, Blocks]:
        ordered = with_positions(frames, "rights").sort(
            [POSITION, "duties_start_on", "rights_opened_on"],
            descending=[False, True, False],
            nulls_last=True,
            maintain_order=True,
        )
        return ordered, blocks(person_index(frames), ordered[POSITION])

    return frames.derived(("rights_by_person",), build)


def subject_positions(frames: Frames, day: dt.date) -> pl.Series:
    """The sorted positions of the people subject to droits et devoirs on `day` (`covers`)."""

    def build() -> pl.Series:
        subject = rights_by_person(frames)[0].filter(covers(day)).select(POSITION)
        return first_per_person(subject)[POSITION]

    return frames.derived(("subject_positions", day), build, dated=True)


def subject_positions_during(frames: Frames, first: dt.date, last: dt.date) -> pl.Series:
    """The sorted positions of the people subject to droits et devoirs on at least one day
    of [first, last]: a rights row with duties_start_on <= last, duties_end_on null or >=
    first, and exit_on null or > first."""

    def build() -> pl.Series:
        subject = (
            rights_by_person(frames)[0]
            .filter(
                pl.col("duties_start_on").is_not_null()
                & (pl.col("duties_start_on") <= last)
                & (pl.col("duties_end_on").is_null() | (pl.col("duties_end_on") >= first))
                & (pl.col("exit_on").is_null() | (pl.col("exit_on") > first))
            )
            .select(POSITION)
        )
        return first_per_person(subject)[POSITION]

    return frames.derived(("subject_positions_during", first, last), build, dated=True)


def first_rights_opening(frames: Frames) -> pl.Series:
    """Each person's earliest rights_opened_on, aligned on the person index.

    The earliest on or before a day D is this one when it is <= D, none otherwise.
    """

    def build() -> pl.Series:
        earliest = (
            rights_by_person(frames)[0]
            .group_by(POSITION)
            .agg(pl.col("rights_opened_on").min().alias("first_opened_on"))
        )
        return person_index(frames).aligned(earliest[POSITION], earliest["first_opened_on"])

    return frames.derived(("first_rights_opening",), build)


def first_decision(frames: Frames) -> pl.Series:
    """Each person's earliest orientation decided_on, aligned on the person index."""

    def build() -> pl.Series:
        orientations, rows_of = orientations_latest_first(frames)
        # A person's rows come latest first: their last row holds the earliest decision.
        last_rows = rows_of.first + rows_of.count - 1
        return orientations["decided_on"].gather(last_rows)

    return frames.derived(("first_decision",), build)


def orientations_latest_first(frames: Frames) -> tuple[pl.DataFrame, Blocks]:
    """The orientations with `pidx`, each person's latest first: decided_on descending,
    then the re-orientation, then the one notified last (nulls last); and where each
    person's rows are (memoised).

    `source_row`: the row's number in `frames.orientations` (rows equal on
    every sort key keep that order). This order ignores dates: to pick the
    orientation in force at a date, use `latest_per_person`, which breaks
    same-day ties with what was notified by then.
    """

    def build() -> tuple[pl.DataFrame, Blocks]:
        ordered = (
            with_positions(frames, "orientations")
            .with_row_index("source_row")
            .sort(
                [POSITION, "decided_on", "is_reorientation", "notified_on"],
                descending=[False, True, True, True],
                nulls_last=True,
                maintain_order=True,
            )
        )
        ordered = ordered.select(POSITION, "beneficiary_id", *ORIENTATION_COLUMNS, "source_row")
        return ordered, blocks(person_index(frames), ordered[POSITION])

    return frames.derived(("orientations_latest_first",), build)


def latest_per_person(rows: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """One orientation per person of `rows` (rows of `orientations_latest_first`, grouped
    by person): the latest decided; on the same day, the re-orientation, then the one
    notified last by `as_of` (a notification after `as_of` is not known yet and counts as
    none), then the first in the table. Sorted by `pidx`.
    """
    latest_day = rows.filter(pl.col("decided_on") == pl.col("decided_on").max().over(POSITION))
    known_notification = pl.when(pl.col("notified_on") <= as_of).then(pl.col("notified_on"))
    return first_per_person(
        latest_day.sort(
            [POSITION, "is_reorientation", known_notification, "source_row"],
            descending=[False, True, True, False],
            nulls_last=True,
        )
    )


def latest_orientations(frames: Frames, as_of: dt.date) -> pl.DataFrame:
    """Each person's latest orientation decided on or before `as_of` (re-orientations win).

    Two orientations decided the same day: the re-orientation, then the one
    notified last by `as_of`, is kept (`latest_per_person`). One row per person,
    sorted by `pidx`; columns pidx, beneficiary_id, `ORIENTATION_COLUMNS` and
    source_row.
    """

    def build() -> pl.DataFrame:
        decided = orientations_latest_first(frames)[0].filter(pl.col("decided_on") <= as_of)
        return latest_per_person(decided, as_of)

    return frames.derived(("latest_orientations", as_of), build, dated=True)


def latest_orientation_rows(frames: Frames, as_of: dt.date) -> pl.Series:
    """Aligned on the person index: the row of `latest_orientations(frames, as_of)` holding
    the person's orientation in force, null for someone never oriented by `as_of`."""

    def build() -> pl.Series:
        latest = latest_orientations(frames, as_of)
        rows = pl.int_range(0, latest.height, dtype=pl.UInt32, eager=True).alias("row")
        return person_index(frames).aligned(latest[POSITION], rows)

    return frames.derived(("latest_orientation_rows", as_of), build, dated=True)


def with_current_orientation(facts: pl.DataFrame, frames: Frames, as_of: dt.date) -> pl.DataFrame:
    """`facts` (with pidx) plus the organisme and dominante of the orientation in force at
    `as_of` (see `latest_orientations`); null for someone never oriented."""
    rows = latest_orientation_rows(frames, as_of).gather(facts[POSITION])
    latest = latest_orientations(frames, as_of)
    return facts.with_columns(
        organisme=latest["organisme"].gather(rows), dominante=latest["dominante"].gather(rows)
    )


def oriented_stock(frames: Frames, as_of: dt.date) -> pl.DataFrame:
    """People subject at `as_of`, sorted, with their latest orientation's columns (null if
    none). Columns: pidx, oriented (bool), decided_on, dominante, organisme, referent_id."""

    def build() -> pl.DataFrame:
        subject = subject_positions(frames, as_of)
        rows = latest_orientation_rows(frames, as_of).gather(subject)
        latest = latest_orientations(frames, as_of)
        return pl.DataFrame(
            [
                subject,
                rows.is_not_null().alias("oriented"),
                *(
                    latest[column].gather(rows)
                    for column in ("decided_on", "dominante", "organisme", "referent_id")
                ),
            ]
        )

    return frames.derived(("oriented_stock", as_of), build, dated=True)


def entrants(
    frames: Frames, period_start: dt.date, period_end: dt.date, as_of: dt.date, params: Params
) -> pl.DataFrame:
    """`new_entrants` with `pidx` instead of beneficiary_id, sorted by it (memoised)."""
    last_day = min(period_end, as_of)
    months = params.new_entrant_lookback_months

    def build() -> pl.DataFrame:
        rights, rights_rows = rights_by_person(frames)
        starts = (
            rights.filter(pl.col("duties_start_on").is_between(period_start, last_day))
            .select(
                POSITION,
                pl.col("duties_start_on").alias("entry_on"),
                "notification_received_on",
                "rights_opened_on",
            )
            .with_row_index("start")
        )
        keys = starts.select("start", POSITION, "entry_on")
        # (1) subject the day before: one of the person's rights rows covers D - 1.
        pairs = rights_rows.expand(keys)
        spells = rights.select("duties_start_on", "duties_end_on", "exit_on")[pairs["row"]]
        subject_before = pairs.hstack(spells).filter(covers(pl.col("entry_on") - ONE_DAY))
        # (2) followed: an orientation decided in [D - months, D).
        orientations, orientation_rows = orientations_latest_first(frames)
        pairs = orientation_rows.expand(keys)
        decided = orientations.select("decided_on")[pairs["row"]]
        followed = pairs.hstack(decided).filter(
            (pl.col("decided_on") < pl.col("entry_on"))
            & (pl.col("decided_on") >= add_months_expr(pl.col("entry_on"), -months))
        )
        excluded = pl.repeat(False, starts.height, dtype=pl.Boolean, eager=True)
        excluded.scatter(subject_before["start"], True).scatter(followed["start"], True)
        kept = starts.filter(~excluded).sort(
            [POSITION, "entry_on", "notification_received_on", "rights_opened_on"],
            nulls_last=True,
        )
        return first_per_person(kept).select(
            POSITION, "entry_on", "notification_received_on", "rights_opened_on"
        )

    return frames.derived(("entrants", period_start, last_day, months), build, dated=True)


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
    found = entrants(frames, period_start, period_end, as_of, params)
    ids = person_index(frames).ids.gather(found[POSITION]).alias("beneficiary_id")
    return found.with_columns(ids).select(ENTRANT_COLUMNS)
