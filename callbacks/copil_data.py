"""What the COPIL page and its PDF pack show, computed from a `PageContext`.

Everything comes from the territory's cached facts (no query per click),
except the feuille de route, read through dashboard/roadmap.py.

Dates: one rule with the API and the CLI, `observation_days` of
dashboard/indicator_service.py (the page never asks for an as_of):
- stock indicators (`STOCK_CODES`: "the period is not used") and the splits
  are taken at the earlier of the period's end and as_of (the latest
  extraction), so a past quarter shows its own stock, not today's;
- flows are computed at as_of (everything known about the period's people),
  and every indicator's target, trajectory value and status are those in
  force at that earlier day.
The previous period has the same number of months and ends the month before
(callbacks/copil_periods.py).

Results are memoised per facts version (`memoised`: the territory, the
facts' version and every argument are in the key): a period's indicators
computed for one callback (the cards' previous period, the page then the
PDF) are not computed again, and the funnel's counts serve every audience
(disclosure is applied after).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TypeVar

from flask import current_app, has_app_context

from callbacks.context import PageContext
from callbacks.copil_periods import months_label, previous_months, quarter_spans, series_months
from callbacks.view_cache import ViewCache
from dashboard.indicator_service import STOCK_CODES, compute_indicators
from dashboard.roadmap import load_roadmap
from dashboard.state import open_session
from layouts.copil import HEADLINE_CODES, SPLIT_CODES
from layouts.filters import month_end, month_label
from metrics.funnel import Funnel, disclose_funnel, path_funnel
from metrics.result import IndicatorResult
from metrics.roadmap_status import RoadmapStatusReport, roadmap_status
from metrics.trajectory import path

T = TypeVar("T")

CACHE_KEY = "copil_trajectories"  # the TrajectoryCache, in the Flask server's extensions
MAX_CACHED_TRAJECTORIES = 64
RESULTS_KEY = "copil_results"  # memoised results (indicators, funnels), in the same place
MAX_CACHED_RESULTS = 128


@dataclass(frozen=True)
class Card:
    """A headline indicator: its published result and the previous period's."""

    result: IndicatorResult
    previous: IndicatorResult | None
    previous_label: str


@dataclass(frozen=True)
class SeriesPoint:
    month: str  # AAAA-MM: the month, or the last month of a quarter's point
    day: dt.date  # the last day of that month (where the point is drawn)
    value: float | None
    suppressed: bool
    label: str = ""  # French: "juillet 2024", "T3 2024" (month_label of `month` if empty)


@dataclass(frozen=True)
class Trajectory:
    """Values of one indicator and its target path (corners of `metrics.trajectory`).

    Points are monthly; for a flow whose monthly points are mostly hidden
    (`mostly_hidden`), quarterly (`by_quarter`): a quarter's cohort is bigger, and
    each quarterly figure goes through the same disclosure.
    """

    code: str
    points: tuple[SeriesPoint, ...]
    path: tuple[tuple[dt.date, float], ...]
    stock: bool  # each point is the stock at the month's end, not the month's flow
    by_quarter: bool = False


def published(
    ctx: PageContext,
    codes: list[str],
    first: str,
    last: str,
    by: str | None = None,
    scope: str | None = None,
    memo: bool = True,
) -> dict[str, IndicatorResult]:
    """The indicators of the months [first, last] for this audience (dates: module docstring).

    Memoised unless `memo` is false (a trajectory's many points: their cache is the chart's).
    """
    request = ctx.request(
        month_from=first, month_to=last, as_of=None, codes=codes, by=by, scope=scope
    )

    def compute() -> dict[str, IndicatorResult]:
        return {r.code: r for r in compute_indicators(ctx.facts, request, ctx.threshold)}

    if not memo:
        return compute()
    key = ("published", tuple(codes), first, last, by, scope, ctx.threshold, ctx.as_of)
    return dict(memoised(ctx, key, compute))  # a copy: the memoised dict stays as built


def memoised(ctx: PageContext, key: tuple[Hashable, ...], build: Callable[[], T]) -> T:
    """`build()` once per territory and facts version for `key` (every other argument).

    The memo belongs to the app; outside one (a script, a pure test) `build()` is called.
    """
    if not has_app_context():
        return build()
    cache = current_app.extensions.setdefault(RESULTS_KEY, ViewCache(MAX_CACHED_RESULTS))
    return cache.get((ctx.facts.territory_id, ctx.facts.version, *key), build)


def headline_cards(ctx: PageContext) -> list[Card]:
    """The headline indicators of the period, each with the previous period's value."""
    first, last = ctx.filters.month_from, ctx.filters.month_to
    current = published(ctx, list(HEADLINE_CODES), first, last)
    before_first, before_last = previous_months(first, last)
    previous = published(ctx, list(HEADLINE_CODES), before_first, before_last)
    label = months_label(before_first, before_last)
    return [Card(current[code], previous.get(code), label) for code in HEADLINE_CODES]


class TrajectoryCache(ViewCache):
    """Trajectories already computed, by everything they depend on; bounded, one per app.

    A trajectory does not depend on the period the page shows, only on the
    territory's facts (their version), the indicator, the audience's threshold
    and as_of: a period change then costs no recomputation. Values are
    immutable and already published for their audience.
    """

    def __init__(self, size: int = MAX_CACHED_TRAJECTORIES) -> None:
        super().__init__(size)


def trajectory(ctx: PageContext, code: str) -> Trajectory:
    """One indicator month by month (the month's flow, or the stock at its end) and its path."""
    cache = current_app.extensions.setdefault(CACHE_KEY, TrajectoryCache())
    key = (ctx.facts.territory_id, ctx.facts.version, code, ctx.threshold, ctx.as_of)
    return cache.get(key, lambda: _trajectory(ctx, code))


def mostly_hidden(points: list[SeriesPoint]) -> bool:
    """More than half of the points are hidden by disclosure."""
    return sum(1 for point in points if point.suppressed) * 2 > len(points)


def _point(ctx: PageContext, code: str, first: str, last: str) -> SeriesPoint:
    result = published(ctx, [code], first, last, memo=False)[code]
    label = month_label(first) if first == last else months_label(first, last)
    return SeriesPoint(last, month_end(last), result.value, result.suppressed, label)


def _trajectory(ctx: PageContext, code: str) -> Trajectory:
    """Monthly points; by quarter for a flow whose months are mostly hidden."""
    targets = ctx.facts.targets.get(code, [])
    months = series_months(targets, ctx.as_of)
    stock = code in STOCK_CODES
    points = [_point(ctx, code, month, month) for month in months]
    by_quarter = not stock and ctx.threshold is not None and mostly_hidden(points)
    if by_quarter:
        points = [_point(ctx, code, first, last) for first, last in quarter_spans(months)]
    return Trajectory(code, tuple(points), tuple(path(targets)), stock, by_quarter)


def funnel(ctx: PageContext) -> Funnel:
    """The path of the period's new entrants at as_of, disclosed for aggregate roles."""
    start = dt.date.fromisoformat(ctx.filters.month_from + "-01")
    end = month_end(ctx.filters.month_to)
    found = memoised(
        ctx,
        ("funnel", start, end, ctx.as_of),  # the params belong to the facts' version
        lambda: path_funnel(
            ctx.facts.frames,
            period_start=start,
            period_end=end,
            as_of=ctx.as_of,
            params=ctx.facts.params,
        ),
    )
    return found if ctx.threshold is None else disclose_funnel(found, ctx.threshold)


def splits(ctx: PageContext, scope: str) -> dict[str, IndicatorResult]:
    """repartition_dominante and repartition_organisme for the scope (stock or flux)."""
    return published(
        ctx, list(SPLIT_CODES), ctx.filters.month_from, ctx.filters.month_to, scope=scope
    )


def breakdown(ctx: PageContext, code: str, by: str) -> IndicatorResult:
    return published(ctx, [code], ctx.filters.month_from, ctx.filters.month_to, by=by)[code]


def roadmap(ctx: PageContext) -> RoadmapStatusReport:
    """The feuille de route's statuses at as_of (the data's date, like every figure here)."""
    with open_session() as db:
        items = load_roadmap(db, ctx.facts.territory_id)
    return roadmap_status(items, ctx.as_of)


def period_title(ctx: PageContext) -> str:
    """ "Année 2024 (janvier 2024 – décembre 2024)" : the label and its months."""
    first, last = ctx.filters.month_from, ctx.filters.month_to
    months = month_label(first) if first == last else f"{month_label(first)} – {month_label(last)}"
    return f"{ctx.filters.label} ({months})"


@dataclass(frozen=True)
class Dossier:
    """Everything the "Dossier COPIL" shows (page in dossier mode and PDF)."""

    territory_name: str
    territory_code: str
    period_title: str
    as_of: dt.date
    threshold: int | None
    cards: list[Card]
    trajectories: list[Trajectory]
    funnel: Funnel
    roadmap: RoadmapStatusReport


def dossier(ctx: PageContext) -> Dossier:
    """The pack: cards, a trajectory per headline indicator with a target, funnel, roadmap."""
    return Dossier(
        territory_name=ctx.facts.name,
        territory_code=ctx.facts.code,
        period_title=period_title(ctx),
        as_of=ctx.as_of,
        threshold=ctx.threshold,
        cards=headline_cards(ctx),
        trajectories=[trajectory(ctx, code) for code in targeted_codes(ctx)],
        funnel=funnel(ctx),
        roadmap=roadmap(ctx),
    )


def targeted_codes(ctx: PageContext) -> list[str]:
    """The headline indicators the territory set a target for, in the cards' order."""
    return [code for code in HEADLINE_CODES if ctx.facts.targets.get(code)]
