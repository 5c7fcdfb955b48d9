"""Taking over the existing caseload: people already subject when the pilot started.

The pilot start is the territory's `Params.pilot_start`; until it is set
the indicator has no value.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from metrics.accompaniment import STATUS_PRESENT, dates_details
from metrics.breakdown import Dimension, check_dimension, rate_cells, with_group
from metrics.frames import Frames
from metrics.params import DEFAULT_PARAMS, Params
from metrics.periods import check_period
from metrics.persons import person_index
from metrics.population import subject_positions, with_current_orientation
from metrics.result import Definition, IndicatorResult
from metrics.rounding import percentage

STOCK_DIMENSIONS = frozenset(Dimension) - {Dimension.COHORTE}

REPRISE_STOCK_AVANCEMENT = Definition(
    "reprise_stock_avancement",
    "Avancement de la reprise du stock (personnes vues depuis le lancement)",
    "%",
    "higher",
)


def takeover_facts(frames: Frames, pilot_start: dt.date, as_of: dt.date) -> pl.DataFrame:
    """The people subject on `pilot_start` with `seen`: an appointment of any kind with
    status present on a day in [pilot_start, as_of] (memoised)."""

    def build() -> pl.DataFrame:
        attended = frames.appointments.filter(
            (pl.col("status") == STATUS_PRESENT)
            & pl.col("scheduled_at").dt.date().is_between(pilot_start, as_of)
        )
        index = person_index(frames)
        seen = index.mask(index.positions(attended["beneficiary_id"]))
        subject = subject_positions(frames, pilot_start)
        return pl.DataFrame([subject, seen.gather(subject).alias("seen")])

    return frames.derived(("takeover_facts", pilot_start, as_of), build, dated=True)


def reprise_stock_avancement(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
    by: Dimension | str | None = None,
) -> IndicatorResult:
    """Share of the people already subject to droits et devoirs at the pilot start who
    have been seen at an attended appointment since.

    Denominator: people subject on Params.pilot_start (see covers), whether
    or not they are still subject at as_of. Numerator: those with an
    appointment of any kind with status present on a day in [pilot_start,
    as_of]. Value None (details["pilot_start"] None) while the pilot start
    is not set, or when as_of is before it. The period is not used;
    organisme and dominante: the orientation in force at as_of.
    """
    check_period(period_start, period_end, as_of)
    dimension = check_dimension(by, STOCK_DIMENSIONS)
    start = params.pilot_start
    details = {"pilot_start": start, **dates_details(period_start, period_end, as_of)}
    if start is None or as_of < start:
        return REPRISE_STOCK_AVANCEMENT.result(None, None, None, None, details)
    facts = takeover_facts(frames, start, as_of)
    numerator, denominator = int(facts["seen"].sum()), facts.height
    breakdown = None
    if dimension is not None:
        if dimension in (Dimension.ORGANISME, Dimension.DOMINANTE):
            facts = with_current_orientation(facts, frames, as_of)
        grouped = with_group(facts, dimension, frames, as_of)
        breakdown = rate_cells(grouped, "seen", dimension, [])
    return REPRISE_STOCK_AVANCEMENT.result(
        percentage(numerator, denominator), numerator, denominator, breakdown, details
    )
