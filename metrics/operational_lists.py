"""The COMOP lists by code, as the COPIL counts them, narrowed to what a COMOP looks at.

`operational_list(code, ...)` computes one list of metrics.operational for a
period and a day; a list of a stock (the referents' portfolios) is taken at
min(period_end, as_of), the reference day at which the COPIL takes its
stocks. `narrowed` keeps the rows of one site, organisme or referent. The
whole list is memoised on the frames (`whole_list`), so the narrowings of
one list, and the week-on-week table, filter a list computed once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from metrics.frames import Frames
from metrics.operational import (
    absences_sans_relance,
    attente_orientation,
    orientes_sans_rdv,
    referents_au_dessus_cible,
)
from metrics.params import DEFAULT_PARAMS, Params
from metrics.periods import check_day


@dataclass(frozen=True)
class Narrowing:
    """What a COMOP looks at: one site (its name), one organisme, one referent; None = all."""

    site: str | None = None
    organisme: str | None = None
    referent_id: int | None = None


EVERYONE = Narrowing()


ListFunction = Callable[..., pl.DataFrame]
# Lists of a stock: taken at min(period_end, as_of), the day the COPIL takes its stocks.
STOCK_LISTS = frozenset({"referents_au_dessus_cible"})
# list code -> (its function, the code of the COPIL indicator whose late part it is)
LISTS: dict[str, tuple[ListFunction, str]] = {
    "attente_orientation": (attente_orientation, "taux_orientes_15j"),
    "absences_sans_relance": (absences_sans_relance, "taux_relance_15j"),
    "orientes_sans_rdv": (orientes_sans_rdv, "taux_premier_rdv_15j"),
    "referents_au_dessus_cible": (referents_au_dessus_cible, "part_referents_au_dessus_cible"),
}
# indicator code -> the list of its late part (what a COPIL figure opens on the COMOP page)
LIST_OF_INDICATOR = {indicator: code for code, (_function, indicator) in LISTS.items()}


def narrowed(rows: pl.DataFrame, narrowing: Narrowing = EVERYONE) -> pl.DataFrame:
    """The rows of a list that match `narrowing` (a None field keeps every row)."""
    conditions = []
    if narrowing.site is not None:
        conditions.append(pl.col("site") == narrowing.site)
    if narrowing.organisme is not None:
        conditions.append(pl.col("organisme") == narrowing.organisme)
    if narrowing.referent_id is not None:
        conditions.append(pl.col("referent_id") == narrowing.referent_id)
    if not conditions:
        # Not filter(pl.lit(True)...): polars 2.1 raises a ShapeError on it from 16,384 rows.
        return rows
    return rows.filter(pl.all_horizontal(conditions).fill_null(False))


def operational_list(
    code: str,
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
    narrowing: Narrowing = EVERYONE,
) -> pl.DataFrame:
    """The list `code` (see LISTS) as the COPIL counts it, narrowed.

    Lists of people are seen at as_of (everything known about the period's
    people); a list of a stock (STOCK_LISTS) at min(period_end, as_of), the
    reference day of the period. ValueError for an unknown code.
    """
    if code not in LISTS:
        raise ValueError(f"Unknown operational list {code!r}; expected one of {', '.join(LISTS)}.")
    check_day("as_of", as_of)
    check_day("period_end", period_end)
    day = min(period_end, as_of) if code in STOCK_LISTS else as_of
    return narrowed(whole_list(code, frames, period_start, period_end, day, params), narrowing)


def whole_list(
    code: str,
    frames: Frames,
    period_start: dt.date,
    period_end: dt.date,
    day: dt.date,
    params: Params = DEFAULT_PARAMS,
) -> pl.DataFrame:
    """The list `code` seen at `day`, not narrowed, built once per set of arguments on these
    frames (metrics.memo): a click on a site, organisme or referent only filters it."""
    compute, _indicator = LISTS[code]

    def build() -> pl.DataFrame:
        return compute(
            frames, period_start=period_start, period_end=period_end, as_of=day, params=params
        )

    key = ("operational_list", code, period_start, period_end, day, params)
    return frames.derived(key, build, dated=True)
