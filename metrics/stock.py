"""Orientation of the people subject to droits et devoirs (the stock) and its split.

A person's orientation at `as_of` is their latest orientation decided on
or before `as_of`: a re-orientation replaces the orientation before it.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from metrics.breakdown import Dimension, check_dimension, rate_cells, with_group
from metrics.categories import DOMINANTES, ORGANISMES, UNKNOWN
from metrics.frames import Frames
from metrics.params import DEFAULT_PARAMS, Params
from metrics.periods import check_period
from metrics.population import oriented_stock
from metrics.result import Definition, IndicatorResult
from metrics.rounding import percentage

STOCK_DIMENSIONS = frozenset(Dimension) - {Dimension.COHORTE}
SCOPES = ("stock", "flux")

TAUX_ORIENTATION = Definition(
    "taux_orientation",
    "Taux d'orientation des personnes soumises aux droits et devoirs",
    "%",
    "higher",
)
REPARTITION_ORGANISME = Definition(
    "repartition_organisme",
    "Répartition des personnes orientées par organisme référent",
    "personnes",
    "neutral",
)
REPARTITION_DOMINANTE = Definition(
    "repartition_dominante",
    "Répartition des personnes orientées par dominante",
    "personnes",
    "neutral",
)


def taux_orientation(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
    by: Dimension | str | None = None,
) -> IndicatorResult:
    """Share of the people subject to droits et devoirs at as_of who have a valid orientation.

    Denominator: people with a rights row such that duties_start_on <= as_of,
    duties_end_on null or >= as_of, and exit_on null or > as_of. Numerator:
    those with an orientation decided on or before as_of (the latest one is
    their orientation; by="organisme" / "dominante" use it). The period is
    not used: this is a stock at as_of.
    """
    check_period(period_start, period_end, as_of)
    dimension = check_dimension(by, STOCK_DIMENSIONS)
    stock = oriented_stock(frames, as_of)
    numerator, denominator = int(stock["oriented"].sum()), stock.height
    breakdown = None
    if dimension is not None:
        grouped = with_group(stock, dimension, frames, as_of)
        breakdown = rate_cells(grouped, "oriented", dimension, [])
    return TAUX_ORIENTATION.result(
        percentage(numerator, denominator),
        numerator,
        denominator,
        breakdown,
        {"as_of": as_of, "non_orientes": denominator - numerator},
    )


def _oriented_rows(
    frames: Frames, period_start: dt.date, period_end: dt.date, as_of: dt.date, scope: str
) -> pl.DataFrame:
    if scope == "stock":
        return oriented_stock(frames, as_of).filter(pl.col("oriented"))
    if scope == "flux":
        last_day = min(period_end, as_of)
        return frames.orientations.filter(pl.col("decided_on").is_between(period_start, last_day))
    raise ValueError(f"Unknown scope {scope!r}; expected one of {SCOPES}.")


def _repartition(
    definition: Definition,
    column: str,
    categories: tuple[str, ...],
    frames: Frames,
    dates: tuple[dt.date, dt.date, dt.date],
    scope: str,
    by: object,
) -> IndicatorResult:
    period_start, period_end, as_of = dates
    check_period(period_start, period_end, as_of)
    if by is not None:
        raise ValueError(f"{definition.code} is a breakdown itself and takes no `by`.")
    rows = _oriented_rows(frames, period_start, period_end, as_of, scope)
    counts = dict(rows.group_by(pl.col(column).fill_null(UNKNOWN)).agg(pl.len()).iter_rows())
    total = rows.height
    keys = list(categories) + sorted(key for key in counts if key not in categories)
    breakdown = {
        key: {"count": int(counts.get(key, 0)), "share": percentage(int(counts.get(key, 0)), total)}
        for key in keys
    }
    details: dict = {"scope": scope, "as_of": as_of}
    if scope == "flux":
        details.update(
            period_start=period_start,
            period_end=period_end,
            reorientations=int(rows["is_reorientation"].sum()),
        )
    return definition.result(None, None, total, breakdown, details)


def repartition_organisme(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
    by: None = None,
    scope: str = "stock",
) -> IndicatorResult:
    """Split of orientations by organisme référent, all seven organismes listed.

    scope="stock" (default): the people counted in taux_orientation's
    numerator, each by their latest orientation at as_of. scope="flux": every
    orientation (re-orientations included) decided in [period_start,
    min(period_end, as_of)]. breakdown = {organisme: {"count", "share"}} in
    the order FT, CD, ML, CAP_EMPLOI, MSA, CCAS, OTHER; denominator = total;
    value and numerator are None.
    """
    return _repartition(
        REPARTITION_ORGANISME,
        "organisme",
        ORGANISMES,
        frames,
        (period_start, period_end, as_of),
        scope,
        by,
    )


def repartition_dominante(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
    by: None = None,
    scope: str = "stock",
) -> IndicatorResult:
    """Split of orientations by dominante (emploi, socio_professionnel, social).

    Same populations as repartition_organisme (scope "stock" or "flux");
    breakdown = {dominante: {"count", "share"}}, all three listed.
    """
    return _repartition(
        REPARTITION_DOMINANTE,
        "dominante",
        DOMINANTES,
        frames,
        (period_start, period_end, as_of),
        scope,
        by,
    )
