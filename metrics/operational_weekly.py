"""Week-on-week change of the COMOP's figures, site by site.

For one period, the figures are taken at `as_of` (the end of the week looked
at) and at `as_of - 7 days` (the end of the week before): the size of each
list of metrics.operational, and taux_orientes_15j (in time / counted, the
same entrants as the `attente_orientation` list). A site is the person's
(the referent's for `referents_au_dessus_cible`); people without a site are
grouped under `site = None`. The total row is computed over everyone, not
summed from the rows, so a rate stays a rate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from metrics.frames import Frames
from metrics.operational import orientation_windows
from metrics.operational_lists import EVERYONE, LISTS, Narrowing, narrowed, operational_list
from metrics.params import DEFAULT_PARAMS, Params
from metrics.rounding import percentage

WEEK = dt.timedelta(days=7)
RATE_CODE = "taux_orientes_15j"


@dataclass(frozen=True)
class Figures:
    """One site's figures on one day: list sizes by code, and the rate's two counts."""

    counts: dict[str, int] = field(default_factory=dict)
    in_time: int = 0
    counted: int = 0

    @property
    def rate(self) -> float | None:
        """taux_orientes_15j of these entrants (None without any counted entrant)."""
        return percentage(self.in_time, self.counted)


@dataclass(frozen=True)
class SiteWeek:
    """A site's figures this week (`now`) and the week before (`before`); site None = unknown;
    `total` marks the row of every site together."""

    site: str | None
    now: Figures
    before: Figures
    total: bool = False

    def change(self, code: str) -> int:
        """How many more (or fewer) rows the list `code` has than a week before."""
        return self.now.counts.get(code, 0) - self.before.counts.get(code, 0)

    @property
    def rate_change(self) -> float | None:
        """The rate's change in points, one decimal; None when either rate is missing."""
        if self.now.rate is None or self.before.rate is None:
            return None
        return round(self.now.rate - self.before.rate, 1)


def _figures_by_site(
    frames: Frames,
    dates: tuple[dt.date, dt.date, dt.date],
    params: Params,
    narrowing: Narrowing,
) -> tuple[dict[str | None, Figures], Figures]:
    """Per site, then for everyone: the figures on one day (memoised on the frames: the
    day looked at now is the week before of the next week's table)."""

    def build() -> tuple[dict[str | None, Figures], Figures]:
        return _build_figures(frames, dates, params, narrowing)

    return frames.derived(("comop_weekly_figures", dates, params, narrowing), build, dated=True)


def _build_figures(
    frames: Frames,
    dates: tuple[dt.date, dt.date, dt.date],
    params: Params,
    narrowing: Narrowing,
) -> tuple[dict[str | None, Figures], Figures]:
    period_start, period_end, as_of = dates
    window = {"period_start": period_start, "period_end": period_end, "as_of": as_of}
    counts: dict[str | None, dict[str, int]] = {}
    totals: dict[str, int] = {}
    for code in LISTS:
        rows = operational_list(code, frames, **window, params=params, narrowing=narrowing)
        totals[code] = rows.height
        for site, size in rows.group_by("site").len().iter_rows():
            counts.setdefault(site, {})[code] = int(size)
    entrants = narrowed(orientation_windows(frames, **window, params=params), narrowing)
    rates = {
        site: (int(in_time), int(size))
        for site, in_time, size in entrants.group_by("site")
        .agg(pl.col("in_time").sum(), pl.len())
        .iter_rows()
    }
    sites = set(counts) | set(rates)
    figures = {site: Figures(counts.get(site, {}), *rates.get(site, (0, 0))) for site in sites}
    everyone = Figures(totals, int(entrants["in_time"].sum()), entrants.height)
    return figures, everyone


def week_on_week(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
    narrowing: Narrowing = EVERYONE,
) -> list[SiteWeek]:
    """Each site's figures at as_of and at as_of - 7 days, sites by name (unknown last),
    then the total row. A site with nothing on either day is left out."""
    now, now_total = _figures_by_site(frames, (period_start, period_end, as_of), params, narrowing)
    before, before_total = _figures_by_site(
        frames, (period_start, period_end, as_of - WEEK), params, narrowing
    )
    sites = sorted(set(now) | set(before), key=lambda site: (site is None, site or ""))
    rows = [SiteWeek(site, now.get(site, Figures()), before.get(site, Figures())) for site in sites]
    rows.append(SiteWeek(None, now_total, before_total, total=True))
    return rows
