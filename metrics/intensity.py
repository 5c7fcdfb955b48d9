"""Intensive accompaniment: people with at least 15 hours of activity a week.

The weeks measured at `as_of` are the 4 complete ISO weeks before the week
of `as_of`: those whose Monday is in [M - 28 days, M - 7 days], M being
the Monday on or before `as_of` (as_of Wednesday 20/03/2024 -> M = 18/03,
weeks of 19/02, 26/02, 04/03 and 11/03). A week without a row counts as 0
hours; several rows of one person in one week add up.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from metrics.accompaniment import dates_details
from metrics.breakdown import Dimension, check_dimension, rate_cells, with_group
from metrics.frames import Frames
from metrics.params import DEFAULT_PARAMS, Params
from metrics.periods import check_period
from metrics.persons import POSITION, person_index
from metrics.population import oriented_stock
from metrics.result import Definition, IndicatorResult
from metrics.rounding import percentage

STOCK_DIMENSIONS = frozenset(Dimension) - {Dimension.COHORTE}
WEEKS = 4
# Sums of float hours are compared to the threshold at this precision (14.9 + 15.1 = 30).
HOURS_DECIMALS = 6

PART_INTENSIF_15H = Definition(
    "part_intensif_15h",
    "Part des personnes accompagnées en accompagnement intensif (15 heures)",
    "%",
    "higher",
)


def measured_weeks(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The Mondays of the first and the last of the 4 complete weeks before `as_of`'s week."""
    monday = as_of - dt.timedelta(days=as_of.weekday())
    return monday - dt.timedelta(days=7 * WEEKS), monday - dt.timedelta(days=7)


def mean_weekly_hours(frames: Frames, as_of: dt.date) -> pl.DataFrame:
    """pidx, hours_total and mean_hours over the measured weeks (people with at least one
    row in them; everyone else has 0 hours); memoised."""

    def build() -> pl.DataFrame:
        first, last = measured_weeks(as_of)
        totals = (
            frames.activity_hours.lazy()
            .filter(pl.col("week_start").is_between(first, last))
            .group_by("beneficiary_id")
            .agg(pl.col("hours").sum().round(HOURS_DECIMALS).alias("hours_total"))
            .collect()
        )
        return totals.select(
            person_index(frames).positions(totals["beneficiary_id"]),
            "hours_total",
            mean_hours=pl.col("hours_total") / WEEKS,
        )

    return frames.derived(("mean_weekly_hours", as_of), build, dated=True)


def oriented_hours(frames: Frames, as_of: dt.date) -> pl.DataFrame:
    """The people oriented at as_of (`oriented_stock`) with their hours_total over the
    measured weeks (null when they have no row in them); memoised."""

    def build() -> pl.DataFrame:
        hours = mean_weekly_hours(frames, as_of)
        hours_total = person_index(frames).aligned(hours[POSITION], hours["hours_total"])
        oriented = oriented_stock(frames, as_of).filter(pl.col("oriented"))
        return oriented.with_columns(hours_total=hours_total.gather(oriented[POSITION]))

    return frames.derived(("oriented_hours", as_of), build, dated=True)


def part_intensif_15h(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
    by: Dimension | str | None = None,
) -> IndicatorResult:
    """Share of the people in accompaniment at as_of with at least 15 hours of activity a
    week on average over the last 4 complete weeks.

    Denominator: people subject to droits et devoirs at as_of with an
    orientation decided on or before as_of (taux_orientation's numerator).
    Weeks: the 4 whose Monday is in [M - 28 days, M - 7 days], M the Monday
    on or before as_of. Numerator: those whose activity hours in these weeks
    add up to at least 4 x 15 = 60 (a mean of 15.0 counts, 14.9 does not);
    a week without a row counts as 0 hours. People without any hours in
    these weeks: details["sans_heures"]. The period is not used: this is a
    stock at as_of; organisme and dominante: the orientation in force.
    """
    check_period(period_start, period_end, as_of)
    dimension = check_dimension(by, STOCK_DIMENSIONS)
    threshold = params.intensive_hours
    facts = oriented_hours(frames, as_of).with_columns(
        intensive=pl.col("hours_total").fill_null(0.0) >= WEEKS * threshold
    )
    numerator, denominator = int(facts["intensive"].sum()), facts.height
    breakdown = None
    if dimension is not None:
        grouped = with_group(facts, dimension, frames, as_of)
        breakdown = rate_cells(grouped, "intensive", dimension, [])
    first, _ = measured_weeks(as_of)
    details = {
        "sans_heures": int(facts["hours_total"].is_null().sum()),
        "semaines": [first + dt.timedelta(days=7 * week) for week in range(WEEKS)],
        "seuil_heures": threshold,
        **dates_details(period_start, period_end, as_of),
    }
    return PART_INTENSIF_15H.result(
        percentage(numerator, denominator), numerator, denominator, breakdown, details
    )
