"""Results of the accompaniment: returns to employment (of which durable), exits from the RSA.

A return to employment is an `outcomes` row (an employment started on
`started_on`). It is *durable* when the row says so (`durable`) or when
its contract is a CDI, a business creation, or a CDD / interim contract of
6 months or more (`duration_months >= 6`), the usual France Travail rule.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from metrics.accompaniment import dates_details
from metrics.breakdown import Dimension, check_dimension, rate_cells, with_group
from metrics.frames import Frames
from metrics.params import DEFAULT_PARAMS, Params
from metrics.periods import ONE_DAY, check_period
from metrics.persons import POSITION, person_index
from metrics.population import (
    first_decision,
    subject_positions,
    subject_positions_during,
    with_current_orientation,
)
from metrics.result import Definition, IndicatorResult
from metrics.rounding import percentage

# One row per person: a breakdown by month has no meaning for people without an event.
PERSON_DIMENSIONS = frozenset(Dimension) - {Dimension.COHORTE}
DURABLE_MONTHS = 6
DURABLE_TYPES = ("CDI", "creation")
DURABLE_IF_LONG_TYPES = ("CDD", "interim")

TAUX_RETOUR_EMPLOI = Definition(
    "taux_retour_emploi",
    "Taux de retour à l'emploi des personnes accompagnées",
    "%",
    "higher",
)
TAUX_RETOUR_EMPLOI_DURABLE = Definition(
    "taux_retour_emploi_durable",
    "Taux de retour à l'emploi durable des personnes accompagnées",
    "%",
    "higher",
)
TAUX_SORTIE_RSA = Definition(
    "taux_sortie_rsa",
    "Taux de sortie du RSA",
    "%",
    "higher",
)


def durable_expr() -> pl.Expr:
    """An `outcomes` row is a durable employment (see the module docstring)."""
    long_enough = pl.col("duration_months").fill_null(0.0) >= DURABLE_MONTHS
    return (
        pl.col("durable")
        | pl.col("contract_type").is_in(DURABLE_TYPES)
        | (pl.col("contract_type").is_in(DURABLE_IF_LONG_TYPES) & long_enough)
    )


def accompanied_during(
    frames: Frames, period_start: dt.date, period_end: dt.date, as_of: dt.date
) -> pl.Series:
    """People in accompaniment during [period_start, min(period_end, as_of)]: subject to
    droits et devoirs on at least one of its days and with an orientation decided on or
    before its last day. Their sorted positions (`pidx`)."""
    last_day = min(period_end, as_of)
    subject = subject_positions_during(frames, period_start, last_day)
    oriented = first_decision(frames).gather(subject) <= last_day
    return subject.filter(oriented.fill_null(False))


def _flagged(
    frames: Frames, people: pl.Series, events: pl.DataFrame, column: str
) -> tuple[pl.DataFrame, int]:
    """`people` (positions) as a frame with a bool `column`: the person has a row in
    `events` (with beneficiary_id); and how many people with events are not in `people`."""
    index = person_index(frames)
    marked = index.mask(index.positions(events["beneficiary_id"]))
    facts = pl.DataFrame([people, marked.gather(people).alias(column)])
    return facts, int(marked.sum()) - int(facts[column].sum())


def employment_facts(
    frames: Frames,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    durable_only: bool,
) -> tuple[pl.DataFrame, int]:
    """The people in accompaniment during the period with `found` (an employment, durable
    if asked, started in the period), and how many people started one outside of
    accompaniment (memoised)."""

    def build() -> tuple[pl.DataFrame, int]:
        last_day = min(period_end, as_of)
        starts = frames.outcomes.filter(pl.col("started_on").is_between(period_start, last_day))
        if durable_only:
            starts = starts.filter(durable_expr())
        accompanied = accompanied_during(frames, period_start, period_end, as_of)
        return _flagged(frames, accompanied, starts, "found")

    key = ("employment_facts", period_start, period_end, as_of, durable_only)
    return frames.derived(key, build, dated=True)


def exit_facts(
    frames: Frames, period_start: dt.date, period_end: dt.date, as_of: dt.date
) -> pl.DataFrame:
    """The stock the period opens with (subject on period_start or the day before) with
    `exited`: an exit_on in [period_start, min(period_end, as_of)] (memoised)."""

    def build() -> pl.DataFrame:
        last_day = min(period_end, as_of)
        index = person_index(frames)
        stock = index.mask(subject_positions(frames, period_start - ONE_DAY))
        stock.scatter(subject_positions(frames, period_start), True)
        exits = frames.rights.filter(pl.col("exit_on").is_between(period_start, last_day))
        facts, _ = _flagged(frames, stock.arg_true().alias(POSITION), exits, "exited")
        return facts

    return frames.derived(("exit_facts", period_start, period_end, as_of), build, dated=True)


def _person_rate(
    definition: Definition,
    facts: pl.DataFrame,
    column: str,
    frames: Frames,
    as_of: dt.date,
    dimension: Dimension | None,
    details: dict,
) -> IndicatorResult:
    numerator, denominator = int(facts[column].sum()), facts.height
    breakdown = None
    if dimension is not None:
        if dimension in (Dimension.ORGANISME, Dimension.DOMINANTE):
            facts = with_current_orientation(facts, frames, as_of)
        grouped = with_group(facts, dimension, frames, as_of)
        breakdown = rate_cells(grouped, column, dimension, [])
    return definition.result(
        percentage(numerator, denominator), numerator, denominator, breakdown, details
    )


def _employment_rate(
    definition: Definition,
    frames: Frames,
    dates: tuple[dt.date, dt.date, dt.date],
    by: Dimension | str | None,
    durable_only: bool,
) -> IndicatorResult:
    period_start, period_end, as_of = dates
    check_period(period_start, period_end, as_of)
    dimension = check_dimension(by, PERSON_DIMENSIONS)
    facts, outside = employment_facts(frames, period_start, period_end, as_of, durable_only)
    details = {
        "accompagnes": facts.height,
        "emplois_hors_accompagnement": outside,
        **dates_details(period_start, period_end, as_of),
    }
    return _person_rate(definition, facts, "found", frames, as_of, dimension, details)


def taux_retour_emploi(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
    by: Dimension | str | None = None,
) -> IndicatorResult:
    """Share of the people in accompaniment during the period who started a job in it.

    In accompaniment: subject to droits et devoirs on at least one day of
    [period_start, min(period_end, as_of)] (a rights row with
    duties_start_on <= that last day, duties_end_on null or >= period_start,
    exit_on null or > period_start) and with an orientation decided on or
    before that last day. Numerator: those with an outcomes row whose
    started_on falls in [period_start, min(period_end, as_of)] (any contract
    type). Jobs of people outside the denominator are counted apart
    (details["emplois_hors_accompagnement"]). No by="cohorte"; organisme and
    dominante: the orientation in force at as_of.
    """
    return _employment_rate(
        TAUX_RETOUR_EMPLOI, frames, (period_start, period_end, as_of), by, False
    )


def taux_retour_emploi_durable(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
    by: Dimension | str | None = None,
) -> IndicatorResult:
    """Share of the people in accompaniment during the period who started a durable job in it.

    Same denominator as taux_retour_emploi. Numerator: those with an
    outcomes row started in the period that is durable: durable is true, or
    contract_type is CDI or creation, or contract_type is CDD or interim with
    duration_months >= 6 (6 months durable, 5 months not).
    """
    return _employment_rate(
        TAUX_RETOUR_EMPLOI_DURABLE, frames, (period_start, period_end, as_of), by, True
    )


def taux_sortie_rsa(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
    by: Dimension | str | None = None,
) -> IndicatorResult:
    """Share of the people subject to droits et devoirs when the period opens who left the
    RSA during it.

    Denominator: people subject on period_start or on the day before (see
    covers: someone whose first day out, exit_on, is period_start was in the
    stock the period opens with). Numerator: those with a rights row whose
    exit_on (first day out of the RSA) falls in [period_start,
    min(period_end, as_of)]: an exit on period_start counts, one the day
    before does not (the person is not in the stock). Consecutive periods
    share no exit. No by="cohorte"; organisme and dominante: the orientation
    in force at as_of.
    """
    check_period(period_start, period_end, as_of)
    dimension = check_dimension(by, PERSON_DIMENSIONS)
    facts = exit_facts(frames, period_start, period_end, as_of)
    details = {"stock_debut": facts.height, **dates_details(period_start, period_end, as_of)}
    return _person_rate(TAUX_SORTIE_RSA, facts, "exited", frames, as_of, dimension, details)
