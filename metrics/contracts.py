"""Contracts of engagement (CER, PPAE, CE, CEJ): coverage of the oriented, delays.

A contract is known at `as_of` when signed on or before `as_of`; it is in
force at `as_of` when, besides, ended_on is null or after `as_of`.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from metrics.accompaniment import dates_details, first_attended
from metrics.breakdown import Dimension, check_dimension, cohort_months, rate_cells, with_group
from metrics.frames import Frames
from metrics.params import DEFAULT_PARAMS, Params
from metrics.periods import add_months_expr, check_period
from metrics.persons import POSITION, first_per_person, person_index
from metrics.population import (
    orientations_latest_first,
    oriented_stock,
    with_current_orientation,
)
from metrics.result import Definition, IndicatorResult
from metrics.rounding import percentage

CONTRACT_DIMENSIONS = frozenset(Dimension)
STOCK_DIMENSIONS = frozenset(Dimension) - {Dimension.COHORTE}
# Décret 2024-1244: the contract is signed within one month of the orientation's notification.
CONTRACT_MONTHS = 1

TAUX_CONTRAT_ENGAGEMENT = Definition(
    "taux_contrat_engagement",
    "Taux de contractualisation des personnes orientées",
    "%",
    "higher",
)
TAUX_CONTRAT_7J = Definition(
    "taux_contrat_7j",
    "Contrats signés dans les 7 jours du premier rendez-vous d'accompagnement",
    "%",
    "higher",
)
TAUX_CONTRAT_1MOIS = Definition(
    "taux_contrat_1mois",
    "Contrats signés dans le mois de la notification de l'orientation",
    "%",
    "higher",
)


def _in_time(facts: pl.DataFrame, frames: Frames, as_of: dt.date, start: str) -> pl.DataFrame:
    """`facts` (one row per person: pidx, beneficiary_id, `start` and `deadline` dates) with
    `in_time` (a contract signed on a day in [start, deadline], on or before as_of) and
    `window_open`."""
    followed = (
        facts.select(POSITION, "beneficiary_id", start, "deadline")
        .join(
            frames.contracts.select("beneficiary_id", "signed_on"), on="beneficiary_id", how="inner"
        )
        .filter(
            pl.col("signed_on").is_between(pl.col(start), pl.col("deadline"))
            & (pl.col("signed_on") <= as_of)
        )
        .select(POSITION)
    )
    return facts.with_columns(
        in_time=pl.col(POSITION).is_in(followed[POSITION].implode())
    ).with_columns(window_open=~pl.col("in_time") & (pl.lit(as_of) <= pl.col("deadline")))


def contracted_stock(frames: Frames, as_of: dt.date) -> pl.DataFrame:
    """The people oriented at as_of (`oriented_stock`) with `contracted`: a contract in
    force at as_of (memoised)."""

    def build() -> pl.DataFrame:
        oriented = oriented_stock(frames, as_of).filter(pl.col("oriented"))
        in_force = frames.contracts.filter(
            (pl.col("signed_on") <= as_of)
            & (pl.col("ended_on").is_null() | (pl.col("ended_on") > as_of))
        )
        index = person_index(frames)
        contracted = index.mask(index.positions(in_force["beneficiary_id"]))
        return oriented.with_columns(contracted=contracted.gather(oriented[POSITION]))

    return frames.derived(("contracted_stock", as_of), build, dated=True)


def attended_contract_facts(
    frames: Frames, period_start: dt.date, period_end: dt.date, as_of: dt.date, days: int
) -> pl.DataFrame:
    """The first attended appointments taux_contrat_7j measures, with deadline, in_time
    and window_open (memoised)."""

    def build() -> pl.DataFrame:
        last_day = min(period_end, as_of)
        appointments = first_attended(frames).filter(
            pl.col("appointment_on").is_between(period_start, last_day)
        )
        deadline = pl.col("appointment_on") + pl.duration(days=days)
        return _in_time(
            appointments.with_columns(deadline=deadline), frames, as_of, "appointment_on"
        )

    key = ("attended_contract_facts", period_start, period_end, as_of, days)
    return frames.derived(key, build, dated=True)


def notified_contract_facts(
    frames: Frames, period_start: dt.date, period_end: dt.date, as_of: dt.date
) -> pl.DataFrame:
    """The orientations taux_contrat_1mois measures, with deadline, in_time and
    window_open (memoised)."""

    def build() -> pl.DataFrame:
        last_day = min(period_end, as_of)
        notified = (
            orientations_latest_first(frames)[0]
            .filter(pl.col("notified_on").is_between(period_start, last_day))
            .sort(
                [POSITION, "notified_on", "decided_on", "is_reorientation"],
                descending=[False, True, True, True],
            )
        )
        notified = first_per_person(notified).with_columns(
            deadline=add_months_expr(pl.col("notified_on"), CONTRACT_MONTHS)
        )
        return _in_time(notified, frames, as_of, "notified_on")

    key = ("notified_contract_facts", period_start, period_end, as_of)
    return frames.derived(key, build, dated=True)


def _window_result(
    definition: Definition,
    facts: pl.DataFrame,
    frames: Frames,
    dates: tuple[dt.date, dt.date, dt.date],
    dimension: Dimension | None,
    cohort_column: str,
    details: dict,
) -> IndicatorResult:
    period_start, period_end, as_of = dates
    counted = facts.filter(~pl.col("window_open"))
    numerator, denominator = int(counted["in_time"].sum()), counted.height
    breakdown = None
    if dimension is not None:
        grouped = with_group(counted, dimension, frames, as_of, cohort_column)
        breakdown = rate_cells(
            grouped, "in_time", dimension, cohort_months(period_start, period_end)
        )
    details = {
        **details,
        "fenetre_ouverte": facts.height - counted.height,
        **dates_details(period_start, period_end, as_of),
    }
    return definition.result(
        percentage(numerator, denominator), numerator, denominator, breakdown, details
    )


def taux_contrat_engagement(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
    by: Dimension | str | None = None,
) -> IndicatorResult:
    """Share of the people oriented at as_of who have a contract of engagement in force.

    Denominator: taux_orientation's numerator (people subject to droits et
    devoirs at as_of with an orientation decided on or before as_of).
    Numerator: those with a contract (CER, PPAE, CE or CEJ) signed on or
    before as_of and not ended (ended_on null or after as_of). The period is
    not used: this is a stock at as_of; by="organisme" / "dominante" use the
    orientation in force.
    """
    check_period(period_start, period_end, as_of)
    dimension = check_dimension(by, STOCK_DIMENSIONS)
    facts = contracted_stock(frames, as_of)
    numerator, denominator = int(facts["contracted"].sum()), facts.height
    breakdown = None
    if dimension is not None:
        grouped = with_group(facts, dimension, frames, as_of)
        breakdown = rate_cells(grouped, "contracted", dimension, [])
    return TAUX_CONTRAT_ENGAGEMENT.result(
        percentage(numerator, denominator),
        numerator,
        denominator,
        breakdown,
        {"as_of": as_of, "sans_contrat": denominator - numerator},
    )


def taux_contrat_7j(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
    by: Dimension | str | None = None,
) -> IndicatorResult:
    """Share of the period's first attended accompaniment appointments followed by a
    contract signed within 7 days.

    Appointments: each person's first accompaniment appointment with status
    present (on or before as_of), when its day falls in [period_start,
    min(period_end, as_of)]. In time: a contract signed on or before as_of
    with signed_on - the appointment's day between 0 and 7 days (day 7 in
    time, day 8 late). Appointments without such a contract whose window is
    still open at as_of (as_of <= day + 7) are left out
    (details["fenetre_ouverte"]). by="cohorte": month of the appointment;
    organisme, dominante: the orientation in force at as_of.
    """
    check_period(period_start, period_end, as_of)
    dimension = check_dimension(by, CONTRACT_DIMENSIONS)
    days = params.contract_days
    facts = attended_contract_facts(frames, period_start, period_end, as_of, days)
    if dimension in (Dimension.ORGANISME, Dimension.DOMINANTE):
        facts = with_current_orientation(facts, frames, as_of)
    return _window_result(
        TAUX_CONTRAT_7J,
        facts,
        frames,
        (period_start, period_end, as_of),
        dimension,
        "appointment_on",
        {"premiers_rdv": facts.height, "fenetre": f"rendez-vous + {days} jours"},
    )


def taux_contrat_1mois(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
    by: Dimension | str | None = None,
) -> IndicatorResult:
    """Share of the orientations notified in the period followed by a contract signed
    within one calendar month of the notification.

    Orientations: each person's latest orientation (by notified_on) notified
    in [period_start, min(period_end, as_of)]. In time: a contract signed on
    or before as_of on a day in [notified_on, notified_on + 1 calendar
    month], clamped to the end of a shorter month (31/01/2024 -> 29/02/2024).
    Orientations without such a contract whose window is still open at as_of
    are left out (details["fenetre_ouverte"]). by="cohorte": month of the
    notification; organisme, dominante: those of the orientation.
    """
    check_period(period_start, period_end, as_of)
    dimension = check_dimension(by, CONTRACT_DIMENSIONS)
    facts = notified_contract_facts(frames, period_start, period_end, as_of)
    return _window_result(
        TAUX_CONTRAT_1MOIS,
        facts,
        frames,
        (period_start, period_end, as_of),
        dimension,
        "notified_on",
        {"orientations": facts.height, "fenetre": f"notification + {CONTRACT_MONTHS} mois"},
    )
