"""Orientation of the period's new entrants: how many, how fast.

T0 is the day the département received the CAF/MSA notification
(`rights.notification_received_on`). The *entry orientation* of a new
entrant is, among their orientations decided on or after the start of
droits et devoirs (and on or before `as_of`), the first one decided that
was notified by `as_of`; failing that, the first one decided (not yet
notified). A notification dated after `as_of` is not known at `as_of`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from metrics.breakdown import (
    Dimension,
    check_dimension,
    cohort_months,
    count_cells,
    delay_cells,
    rate_cells,
    with_group,
)
from metrics.frames import Frames
from metrics.params import DEFAULT_PARAMS, Params
from metrics.periods import add_months_expr, check_period
from metrics.persons import POSITION, first_per_person
from metrics.population import entrants, orientations_latest_first
from metrics.result import Definition, IndicatorResult
from metrics.rounding import percentage
from metrics.stats import delay_summary

ENTRANT_DIMENSIONS = frozenset(Dimension)

NOUVEAUX_ENTRANTS = Definition("nouveaux_entrants", "Nouveaux entrants", "personnes", "neutral")
TAUX_ORIENTES_15J = Definition(
    "taux_orientes_15j", "Nouveaux entrants orientés en 15 jours et moins", "%", "higher"
)
TAUX_ORIENTES_1MOIS = Definition(
    "taux_orientes_1mois", "Nouveaux entrants orientés en un mois et moins", "%", "higher"
)
TAUX_ORIENTES_6SEM = Definition(
    "taux_orientes_6sem", "Nouveaux entrants orientés en six semaines et moins", "%", "higher"
)
DELAI_ORIENTATION = Definition(
    "delai_orientation_median_j",
    "Délai médian d'orientation des nouveaux entrants",
    "jours",
    "lower",
)


def entrant_facts(
    frames: Frames, period_start: dt.date, period_end: dt.date, as_of: dt.date, params: Params
) -> pl.DataFrame:
    """The period's new entrants with their entry orientation (columns null when none).

    Columns: pidx, entry_on, notification_received_on, rights_opened_on,
    decided_on, notified_on (null unless notified by `as_of`), dominante,
    organisme. Memoised.
    """
    last_day = min(period_end, as_of)
    key = ("entrant_facts", period_start, last_day, as_of, params.new_entrant_lookback_months)

    def build() -> pl.DataFrame:
        found = entrants(frames, period_start, period_end, as_of, params)
        orientations, rows_of = orientations_latest_first(frames)
        pairs = rows_of.expand(found.select(POSITION, "entry_on"))
        columns = orientations.select(
            "decided_on", "notified_on", "dominante", "organisme", "source_row"
        )
        # Orientations equal on every key: the first in the table.
        entry = (
            pairs.hstack(columns[pairs["row"]])
            .filter(pl.col("decided_on").is_between(pl.col("entry_on"), as_of))
            .with_columns(
                notified_known=pl.col("notified_on").is_not_null()
                & (pl.col("notified_on") <= as_of)
            )
            .sort(
                [POSITION, "notified_known", "decided_on", "notified_on", "source_row"],
                descending=[False, True, False, False, False],
                nulls_last=True,
            )
        )
        entry = first_per_person(entry).select(
            POSITION,
            "decided_on",
            pl.when(pl.col("notified_known")).then(pl.col("notified_on")).alias("notified_on"),
            "dominante",
            "organisme",
        )
        return found.join(entry, on=POSITION, how="left")

    return frames.derived(key, build, dated=True)


def _dates_details(period_start: dt.date, period_end: dt.date, as_of: dt.date) -> dict:
    return {"period_start": period_start, "period_end": period_end, "as_of": as_of}


def nouveaux_entrants(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
    by: Dimension | str | None = None,
) -> IndicatorResult:
    """Nouveaux entrants: people entering droits et devoirs in the period with no follow-up.

    A person counts when one of their rights rows starts droits et devoirs
    (duties_start_on) in [period_start, min(period_end, as_of)], no rights
    row of theirs covered the day before (duties_start_on <= day - 1, and
    duties_end_on null or >= day - 1, and exit_on null or > day - 1), and no
    orientation of theirs was decided in [start - 12 months, start). Counted
    once, on the first such start. Value: the number of people.
    """
    check_period(period_start, period_end, as_of)
    dimension = check_dimension(by, ENTRANT_DIMENSIONS)
    facts = entrant_facts(frames, period_start, period_end, as_of, params)
    breakdown = None
    if dimension is not None:
        grouped = with_group(facts, dimension, frames, as_of)
        breakdown = count_cells(grouped, dimension, cohort_months(period_start, period_end))
    count = facts.height
    return NOUVEAUX_ENTRANTS.result(
        count, count, None, breakdown, _dates_details(period_start, period_end, as_of)
    )


@dataclass(frozen=True)
class Window:
    """When an orientation is in time: `deadline(T0)` (a Date expression), its label, and
    whether T0 falls back to the rights opening date when the notification date is unknown."""

    deadline: Callable[[pl.Expr], pl.Expr]
    label: str
    t0_falls_back_to_opening: bool = False


def _window_rate(
    definition: Definition,
    frames: Frames,
    dates: tuple[dt.date, dt.date, dt.date],
    params: Params,
    by: Dimension | str | None,
    window: Window,
) -> IndicatorResult:
    """Share of entrants with a known T0 notified by the deadline, open windows left out."""
    period_start, period_end, as_of = dates
    check_period(period_start, period_end, as_of)
    dimension = check_dimension(by, ENTRANT_DIMENSIONS)
    t0 = pl.col("notification_received_on")
    if window.t0_falls_back_to_opening:
        t0 = pl.coalesce(t0, pl.col("rights_opened_on"))
    facts = entrant_facts(frames, period_start, period_end, as_of, params).with_columns(t0=t0)
    measured = (
        facts.filter(pl.col("t0").is_not_null())
        .with_columns(deadline=window.deadline(pl.col("t0")))
        .with_columns(
            in_time=pl.col("notified_on").is_not_null()
            & (pl.col("notified_on") <= pl.col("deadline"))
        )
        .with_columns(window_open=~pl.col("in_time") & (pl.lit(as_of) <= pl.col("deadline")))
    )
    counted = measured.filter(~pl.col("window_open"))
    numerator, denominator = int(counted["in_time"].sum()), counted.height
    breakdown = None
    if dimension is not None:
        grouped = with_group(counted, dimension, frames, as_of)
        months = cohort_months(period_start, period_end)
        breakdown = rate_cells(grouped, "in_time", dimension, months)
    details = {
        "nouveaux_entrants": facts.height,
        "sans_t0": facts.height - measured.height,
        "fenetre_ouverte": measured.height - counted.height,
        "fenetre": window.label,
    }
    if window.t0_falls_back_to_opening:
        details["t0_ouverture_droits"] = facts.filter(
            pl.col("notification_received_on").is_null() & pl.col("t0").is_not_null()
        ).height
    details.update(_dates_details(period_start, period_end, as_of))
    return definition.result(
        percentage(numerator, denominator), numerator, denominator, breakdown, details
    )


def taux_orientes_15j(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
    by: Dimension | str | None = None,
) -> IndicatorResult:
    """Share of the period's new entrants whose orientation was notified within 15 days of T0.

    T0 = rights.notification_received_on. In time: the entry orientation
    was notified on or before T0 + 14 days (15 days counting T0 as day 1:
    T0 01/03 -> notified by 15/03). Denominator: new entrants with a T0,
    except those not notified in time whose window is still open at as_of
    (as_of <= T0 + 14: details["fenetre_ouverte"]). Entrants without T0 are
    counted apart (details["sans_t0"]).
    """
    offset = params.orientation_days - 1
    return _window_rate(
        TAUX_ORIENTES_15J,
        frames,
        (period_start, period_end, as_of),
        params,
        by,
        Window(lambda t0: t0 + pl.duration(days=offset), f"T0 + {offset} jours"),
    )


def taux_orientes_6sem(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
    by: Dimension | str | None = None,
) -> IndicatorResult:
    """Share of the period's new entrants whose orientation was notified within six weeks of T0.

    As taux_orientes_15j with a 42-day window after T0: in time when
    notified_on - T0 <= 42 days (the legal six weeks of décret 2024-1244).
    """
    days = params.legal_orientation_days
    return _window_rate(
        TAUX_ORIENTES_6SEM,
        frames,
        (period_start, period_end, as_of),
        params,
        by,
        Window(lambda t0: t0 + pl.duration(days=days), f"T0 + {days} jours"),
    )


def taux_orientes_1mois(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
    by: Dimension | str | None = None,
) -> IndicatorResult:
    """Share of the period's new entrants whose orientation was notified within one month of T0.

    In time when notified_on <= T0 + 1 calendar month, clamped to the end of
    a shorter month (31/01/2024 -> 29/02/2024, 30/04 -> 30/05). T0 falls back
    to rights.rights_opened_on when the notification date is unknown
    (details["t0_ouverture_droits"]); otherwise as taux_orientes_15j.
    """
    months = params.orientation_months
    return _window_rate(
        TAUX_ORIENTES_1MOIS,
        frames,
        (period_start, period_end, as_of),
        params,
        by,
        Window(lambda t0: add_months_expr(t0, months), f"T0 + {months} mois", True),
    )


def delai_orientation_median_j(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
    by: Dimension | str | None = None,
) -> IndicatorResult:
    """Median number of days from T0 to the notification of the entry orientation.

    Over the period's new entrants with a T0 whose entry orientation was
    notified on or before as_of, whatever the delay. Value: the median (the
    mean of the two middle values for an even count), one decimal; details:
    mean, p75 (linear interpolation), count, sans_t0 (notified entrants
    without T0), non_notifies (entrants not notified at as_of). by="cohorte"
    gives the median per month of entry (YYYY-MM of the duties start).
    """
    check_period(period_start, period_end, as_of)
    dimension = check_dimension(by, ENTRANT_DIMENSIONS)
    facts = entrant_facts(frames, period_start, period_end, as_of, params)
    notified = facts.filter(pl.col("notified_on").is_not_null())
    measured = notified.filter(pl.col("notification_received_on").is_not_null()).with_columns(
        delay_days=(pl.col("notified_on") - pl.col("notification_received_on")).dt.total_days()
    )
    summary = delay_summary(measured["delay_days"])
    breakdown = None
    if dimension is not None:
        grouped = with_group(measured, dimension, frames, as_of)
        months = cohort_months(period_start, period_end)
        breakdown = delay_cells(grouped, "delay_days", dimension, months)
    details = {
        "mean": summary["mean"],
        "p75": summary["p75"],
        "count": summary["count"],
        "sans_t0": notified.height - measured.height,
        "non_notifies": facts.height - notified.height,
        **_dates_details(period_start, period_end, as_of),
    }
    return DELAI_ORIENTATION.result(summary["median"], None, None, breakdown, details)
