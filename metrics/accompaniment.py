"""Start of the accompaniment: the first accompaniment act, the first appointment.

An *accompaniment act* is an attended accompaniment appointment (kind
"accompagnement", status "present", on its scheduled day) or the signature
of a contract of engagement (`contracts.signed_on`), or a week with hours of
activity (`activity_hours.week_start`, its Monday). Only acts dated on or
before `as_of` are known.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from metrics.breakdown import (
    Dimension,
    check_dimension,
    cohort_months,
    delay_cells,
    rate_cells,
    with_group,
)
from metrics.frames import Frames
from metrics.params import DEFAULT_PARAMS, Params
from metrics.periods import check_period
from metrics.persons import POSITION, activity_people, first_per_person, person_index
from metrics.population import (
    latest_per_person,
    orientations_latest_first,
    rights_by_person,
    with_current_orientation,
)
from metrics.result import Definition, IndicatorResult
from metrics.rounding import percentage
from metrics.stats import delay_summary

ACCOMPANIMENT_DIMENSIONS = frozenset(Dimension)
KIND_ACCOMPAGNEMENT = "accompagnement"
STATUS_PRESENT = "present"
STATUS_ANNULE = "annule"

DELAI_PREMIER_ACCOMPAGNEMENT = Definition(
    "delai_premier_accompagnement_median_j",
    "Délai médian entre l'ouverture des droits et le premier acte d'accompagnement",
    "jours",
    "lower",
)
TAUX_PREMIER_RDV_15J = Definition(
    "taux_premier_rdv_15j",
    "Orientations suivies d'un premier rendez-vous d'accompagnement en 15 jours et moins",
    "%",
    "higher",
)


def dates_details(period_start: dt.date, period_end: dt.date, as_of: dt.date) -> dict:
    """The dates an indicator was computed for, as its details carry them."""
    return {"period_start": period_start, "period_end": period_end, "as_of": as_of}


def first_attended(frames: Frames) -> pl.DataFrame:
    """Each person's first attended accompaniment appointment, whatever its date (memoised).

    Columns: pidx, beneficiary_id, appointment_on (the scheduled day); sorted
    by pidx. The first on or before a day D is this one when it is <= D, none
    otherwise.
    """

    def build() -> pl.DataFrame:
        attended = (
            frames.appointments.filter(
                (pl.col("kind") == KIND_ACCOMPAGNEMENT) & (pl.col("status") == STATUS_PRESENT)
            )
            .group_by("beneficiary_id")
            .agg(pl.col("scheduled_at").dt.date().min().alias("appointment_on"))
        )
        positions = person_index(frames).positions(attended["beneficiary_id"])
        return (
            attended.with_columns(positions)
            .sort(POSITION)
            .select(POSITION, "beneficiary_id", "appointment_on")
        )

    return frames.derived(("first_attended",), build)


def first_acts(frames: Frames) -> pl.DataFrame:
    """Each person's first accompaniment act, whatever its date (memoised; the first act on
    or before a day D is this one when it is <= D, none otherwise).

    Columns: pidx, act_on; sorted by pidx.
    """

    def build() -> pl.DataFrame:
        index = person_index(frames)
        attended = first_attended(frames)
        signed = frames.contracts.group_by("beneficiary_id").agg(pl.col("signed_on").min())
        # A week of activity counts from its Monday (the export gives weeks, not days).
        active = activity_people(frames).filter(pl.col("first_active_week").is_not_null())
        firsts = [
            index.aligned(attended[POSITION], attended["appointment_on"]),
            index.aligned(index.positions(signed["beneficiary_id"]), signed["signed_on"]),
            index.aligned(index.positions(active["beneficiary_id"]), active["first_active_week"]),
        ]
        return (
            pl.DataFrame(firsts)
            .with_row_index(POSITION)
            .select(POSITION, act_on=pl.min_horizontal(*(first.name for first in firsts)))
            .filter(pl.col("act_on").is_not_null())
        )

    return frames.derived(("first_acts",), build)


def first_act_facts(
    frames: Frames, period_start: dt.date, period_end: dt.date, as_of: dt.date
) -> pl.DataFrame:
    """The people whose first act falls in [period_start, min(period_end, as_of)], with the
    opening of its rights (`spell_opening`) and delay_days (act_on - opened_on); memoised."""

    def build() -> pl.DataFrame:
        last_day = min(period_end, as_of)
        acts = first_acts(frames).filter(pl.col("act_on").is_between(period_start, last_day))
        return spell_opening(frames, acts).with_columns(
            delay_days=(pl.col("act_on") - pl.col("opened_on")).dt.total_days()
        )

    key = ("first_act_facts", period_start, period_end, as_of)
    return frames.derived(key, build, dated=True)


def spell_opening(frames: Frames, acts: pl.DataFrame) -> pl.DataFrame:
    """`acts` (pidx, act_on; one row per person, sorted) with `opened_on`: the rights
    opening of the spell.

    The spell is the person's rights row whose duties_start_on is the latest on
    or before act_on (rows starting the same day: the earliest rights_opened_on);
    opened_on is null when there is no such row or it has no opening date.
    """
    rights, rows_of = rights_by_person(frames)
    pairs = rows_of.expand(acts.select(POSITION, "act_on"))
    spells = pairs.hstack(rights.select("duties_start_on", "rights_opened_on")[pairs["row"]])
    # A person's rights rows come latest start first, then earliest opening (nulls last).
    openings = first_per_person(spells.filter(pl.col("duties_start_on") <= pl.col("act_on")))
    return acts.join(
        openings.select(POSITION, pl.col("rights_opened_on").alias("opened_on")),
        on=POSITION,
        how="left",
    )


def accompaniment_appointments(frames: Frames) -> pl.DataFrame:
    """The accompaniment appointments not cancelled: beneficiary_id, day and known_on (the
    day the appointment was known: invited_on, or else its day); memoised."""

    def build() -> pl.DataFrame:
        day = pl.col("scheduled_at").dt.date()
        return frames.appointments.filter(
            (pl.col("kind") == KIND_ACCOMPAGNEMENT) & (pl.col("status") != STATUS_ANNULE)
        ).select(
            "beneficiary_id",
            day.alias("day"),
            pl.coalesce(pl.col("invited_on"), day).alias("known_on"),
        )

    return frames.derived(("accompaniment_appointments",), build)


def delai_premier_accompagnement_median_j(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
    by: Dimension | str | None = None,
) -> IndicatorResult:
    """Median number of days from the rights opening to the first accompaniment act.

    First act: the earliest, on or before as_of, of the person's attended
    accompaniment appointments (kind accompagnement, status present, on the
    scheduled day), contract signatures (signed_on) and weeks with hours of
    activity (week_start, the Monday). Counted: people whose first act falls in
    [period_start, min(period_end, as_of)]. Rights opening: rights_opened_on
    of the person's rights row whose duties_start_on is the latest on or
    before the act (people without one: details["sans_ouverture"]). Value:
    the median, one decimal; details: mean, p75 (linear interpolation),
    count. by="cohorte" gives the median per month of the act; organisme and
    dominante are those of the orientation in force at as_of.
    """
    check_period(period_start, period_end, as_of)
    dimension = check_dimension(by, ACCOMPANIMENT_DIMENSIONS)
    facts = first_act_facts(frames, period_start, period_end, as_of)
    measured = facts.filter(pl.col("opened_on").is_not_null())
    summary = delay_summary(measured["delay_days"])
    breakdown = None
    if dimension is not None:
        facts_with_orientation = with_current_orientation(measured, frames, as_of)
        grouped = with_group(facts_with_orientation, dimension, frames, as_of, "act_on")
        months = cohort_months(period_start, period_end)
        breakdown = delay_cells(grouped, "delay_days", dimension, months)
    details = {
        "mean": summary["mean"],
        "p75": summary["p75"],
        "count": summary["count"],
        "sans_ouverture": facts.height - measured.height,
        **dates_details(period_start, period_end, as_of),
    }
    return DELAI_PREMIER_ACCOMPAGNEMENT.result(summary["median"], None, None, breakdown, details)


def first_appointment_facts(
    frames: Frames, period_start: dt.date, period_end: dt.date, as_of: dt.date, days: int
) -> pl.DataFrame:
    """The orientations taux_premier_rdv_15j measures (each person's latest decided in
    [period_start, min(period_end, as_of)]) with reference_on, deadline, in_time and
    window_open (memoised)."""

    def build() -> pl.DataFrame:
        in_period = orientations_latest_first(frames)[0].filter(
            pl.col("decided_on").is_between(period_start, min(period_end, as_of))
        )
        orientations = latest_per_person(in_period, as_of).with_columns(
            reference_on=pl.when(pl.col("notified_on") <= as_of)
            .then(pl.col("notified_on"))
            .otherwise(pl.col("decided_on"))
        )
        orientations = orientations.with_columns(
            deadline=pl.col("reference_on") + pl.duration(days=days)
        )
        followed = (
            orientations.select(POSITION, "beneficiary_id", "reference_on", "deadline")
            .join(accompaniment_appointments(frames), on="beneficiary_id", how="inner")
            .filter(
                (pl.col("known_on") <= as_of)
                & pl.col("day").is_between(pl.col("reference_on"), pl.col("deadline"))
            )
            .select(POSITION)
        )
        return orientations.with_columns(
            in_time=pl.col(POSITION).is_in(followed[POSITION].implode())
        ).with_columns(window_open=~pl.col("in_time") & (pl.lit(as_of) <= pl.col("deadline")))

    key = ("first_appointment_facts", period_start, period_end, as_of, days)
    return frames.derived(key, build, dated=True)


def taux_premier_rdv_15j(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
    by: Dimension | str | None = None,
) -> IndicatorResult:
    """Share of the period's orientations followed by a first accompaniment appointment
    within 15 days of their notification.

    Orientations: each person's latest orientation decided in [period_start,
    min(period_end, as_of)]. Reference day: notified_on, or decided_on when
    the orientation is not notified at as_of (details["sans_notification"]).
    In time: an accompaniment appointment (kind accompagnement, any status
    but annule) known at as_of (invited_on, or else its day, on or before
    as_of) is scheduled on a day in [reference, reference + 15 days]
    (day 15 in time, day 16 late). Orientations without such an appointment
    whose window is still open at as_of (as_of <= reference + 15) are left
    out of the denominator (details["fenetre_ouverte"]). by="cohorte": month
    of the decision; organisme, dominante: those of the orientation.
    """
    check_period(period_start, period_end, as_of)
    dimension = check_dimension(by, ACCOMPANIMENT_DIMENSIONS)
    days = params.first_appointment_days
    facts = first_appointment_facts(frames, period_start, period_end, as_of, days)
    counted = facts.filter(~pl.col("window_open"))
    numerator, denominator = int(counted["in_time"].sum()), counted.height
    breakdown = None
    if dimension is not None:
        grouped = with_group(counted, dimension, frames, as_of, "decided_on")
        months = cohort_months(period_start, period_end)
        breakdown = rate_cells(grouped, "in_time", dimension, months)
    details = {
        "orientations": facts.height,
        "fenetre_ouverte": facts.height - counted.height,
        "sans_notification": facts.filter(
            pl.col("notified_on").is_null() | (pl.col("notified_on") > as_of)
        ).height,
        "fenetre": f"notification + {days} jours",
        **dates_details(period_start, period_end, as_of),
    }
    return TAUX_PREMIER_RDV_15J.result(
        percentage(numerator, denominator), numerator, denominator, breakdown, details
    )
