"""Referents' portfolios: how many people each referent follows at `as_of`.

A person is in a referent's portfolio at `as_of` when they are subject to
droits et devoirs at `as_of` and their orientation in force at `as_of` (the
latest decided on or before it) names that referent (`referent_id`).
Only referents with at least one person are counted.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from metrics.breakdown import Dimension, check_dimension, mean_cells, rate_cells, with_group
from metrics.frames import Frames
from metrics.params import DEFAULT_PARAMS, Params
from metrics.periods import check_period
from metrics.population import oriented_stock
from metrics.result import Definition, IndicatorResult
from metrics.rounding import exact_mean, percentage

# A referent's organisme, from the referents table ("inconnu" when the referent is not in it).
PORTFOLIO_DIMENSIONS = frozenset({Dimension.ORGANISME})

TAILLE_PORTEFEUILLE = Definition(
    "taille_portefeuille_moyenne",
    "Taille moyenne du portefeuille des référents",
    "personnes",
    "neutral",
)
PART_REFERENTS_AU_DESSUS_CIBLE = Definition(
    "part_referents_au_dessus_cible",
    "Part des référents dont le portefeuille dépasse la cible",
    "%",
    "lower",
)


def referent_counts(frames: Frames, as_of: dt.date) -> pl.DataFrame:
    """One row per referent with at least one person at `as_of`: referent_id, people,
    organisme, portfolio_target (null when the referent is not in the referents
    table); memoised."""

    def build() -> pl.DataFrame:
        counts = (
            oriented_stock(frames, as_of)
            .filter(pl.col("referent_id").is_not_null())
            .group_by("referent_id")
            .agg(pl.len().cast(pl.Int64).alias("people"))
        )
        referents = frames.referents.select("referent_id", "organisme", "portfolio_target")
        return counts.join(referents, on="referent_id", how="left").sort("referent_id")

    return frames.derived(("referent_counts", as_of), build, dated=True)


def portfolios(frames: Frames, as_of: dt.date, params: Params) -> pl.DataFrame:
    """One row per referent with at least one person at `as_of`, sorted by referent_id.

    Columns: referent_id, people, organisme (null when the referent is not in
    the referents table), target (its portfolio_target, or
    params.portfolio_target when unknown), target_known (bool).
    """
    return referent_counts(frames, as_of).select(
        "referent_id",
        "people",
        "organisme",
        target=pl.col("portfolio_target").fill_null(params.portfolio_target),
        target_known=pl.col("portfolio_target").is_not_null(),
    )


def taille_portefeuille_moyenne(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
    by: Dimension | str | None = None,
) -> IndicatorResult:
    """Mean number of people in the portfolio of each referent at as_of.

    A person counts for the referent named (referent_id) by their
    orientation in force at as_of (the latest decided on or before it), when
    they are subject to droits et devoirs at as_of. Referents: those with at
    least one such person (details["referents"]). Value: people / referents,
    one decimal; numerator = people, denominator = referents. The period is
    not used. by="organisme": the referent's organisme (referents table).
    """
    check_period(period_start, period_end, as_of)
    dimension = check_dimension(by, PORTFOLIO_DIMENSIONS)
    facts = portfolios(frames, as_of, params)
    people, referents = int(facts["people"].sum()), facts.height
    breakdown = None
    if dimension is not None:
        grouped = with_group(facts, dimension, frames, as_of)
        breakdown = mean_cells(grouped, "people", dimension, [])
    return TAILLE_PORTEFEUILLE.result(
        exact_mean(people, referents),
        people,
        referents,
        breakdown,
        {"as_of": as_of, "referents": referents},
    )


def part_referents_au_dessus_cible(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
    by: Dimension | str | None = None,
) -> IndicatorResult:
    """Share of the referents whose portfolio at as_of is above their target.

    Referents and portfolios as in taille_portefeuille_moyenne. Above: more
    people than the referent's portfolio_target (strictly; equal is not
    above); a referent missing from the referents table gets the default
    target of 70 (details["cible_par_defaut"]). The period is not used.
    by="organisme": the referent's organisme.
    """
    check_period(period_start, period_end, as_of)
    dimension = check_dimension(by, PORTFOLIO_DIMENSIONS)
    facts = portfolios(frames, as_of, params).with_columns(
        above=pl.col("people") > pl.col("target")
    )
    numerator, denominator = int(facts["above"].sum()), facts.height
    breakdown = None
    if dimension is not None:
        grouped = with_group(facts, dimension, frames, as_of)
        breakdown = rate_cells(grouped, "above", dimension, [])
    details = {
        "as_of": as_of,
        "cible_par_defaut": params.portfolio_target,
        "referents_cible_par_defaut": int((~facts["target_known"]).sum()),
    }
    return PART_REFERENTS_AU_DESSUS_CIBLE.result(
        percentage(numerator, denominator), numerator, denominator, breakdown, details
    )
