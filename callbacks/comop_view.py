"""What the COMOP page shows for one URL, computed on the server from the user's scope.

`comop_view(search)` is shared by the page callback and the two exports, so an
export holds exactly the rows the page shows. The territory comes from
`page_context` (role checked, scope resolved); a site or referent id is looked
up among that territory's own (dashboard/comop_queries.py): an id of another
territory is refused in words and shows no row. Person-level rows are built
only after the role check (comop and admin).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from callbacks.context import PageContext, PageError, page_context
from dashboard.comop_queries import (
    ReferentChoice,
    SiteChoice,
    short_pseudonyms,
    territory_choices,
)
from dashboard.indicator_service import compute_indicators
from dashboard.state import open_session
from layouts.comop_lists import (
    COLUMNS,
    ORGANISME_LABELS,
    Names,
    empty_message,
    grid_rows,
    list_definition,
    list_title,
)
from layouts.comop_query import ComopQuery, parse_comop_query, seen_on, week_key
from layouts.filters import FilterError, month_end
from layouts.format import format_count, format_date
from metrics.operational_lists import LISTS, STOCK_LISTS, Narrowing, operational_list
from metrics.operational_weekly import SiteWeek, week_on_week
from metrics.result import IndicatorResult

MODULE = "comop"
# Rows sent to the grid at most: the head of the list (the most urgent first); the exports
# write every row. 200,000 people make lists of 35,000 rows (8 MB of JSON per click).
GRID_ROW_LIMIT = 1000
SITE_OUTSIDE = "Ce site n'existe pas dans votre territoire : aucune ligne n'est affichée."
REFERENT_OUTSIDE = "Ce référent n'existe pas dans votre territoire : aucune ligne n'est affichée."
NO_DATA = (
    "Aucune donnée chargée pour ce territoire : les listes apparaîtront après le premier "
    "import SOLIS."
)


class ComopRefusedError(PageError):
    """A filter value outside the user's territory: said in French, nothing shown."""


@dataclass(frozen=True)
class ComopView:
    """Everything the page shows for one URL."""

    ctx: PageContext
    query: ComopQuery
    seen: dt.date
    title: str
    definition: str
    columns: list[dict]
    rows: list[dict]
    empty: str
    note: str
    weekly: list[SiteWeek] = field(default_factory=list)
    filters_text: str = ""
    total: int = 0  # rows of the whole list; `rows` holds its head when a limit applies

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)


def period_bounds(ctx: PageContext) -> tuple[dt.date, dt.date]:
    """The first and last day of the period the URL asks for (resolved by page_context)."""
    year, month = (int(part) for part in ctx.filters.month_from.split("-"))
    return dt.date(year, month, 1), month_end(ctx.filters.month_to)


def _narrowing(
    query: ComopQuery, sites: list[SiteChoice], referents: list[ReferentChoice]
) -> Narrowing:
    site_name = None
    if query.site is not None:
        found = [site.name for site in sites if site.site_id == query.site]
        if not found:
            raise ComopRefusedError(SITE_OUTSIDE)
        site_name = found[0]
    if query.referent is not None and query.referent not in {r.referent_id for r in referents}:
        raise ComopRefusedError(REFERENT_OUTSIDE)
    return Narrowing(site=site_name, organisme=query.organisme, referent_id=query.referent)


def _note(result: IndicatorResult | None, code: str, late: int) -> str:
    """The COPIL figure behind the list, so the two can be set side by side."""
    if result is None or result.denominator is None or result.numerator is None:
        return ""
    if code in STOCK_LISTS:
        return (
            f"Indicateur COPIL « {result.label} » : {format_count(result.numerator)} sur "
            f"{format_count(result.denominator)} référents, ceux de cette liste (avant filtres)."
        )
    outside = result.denominator - result.numerator
    return (
        f"Indicateur COPIL « {result.label} » sur la période : "
        f"{format_count(result.numerator)} sur {format_count(result.denominator)} dans le délai, "
        f"{format_count(outside)} hors délai : les personnes de cette liste (avant filtres ; "
        f"{format_count(late)} avec les filtres choisis)."
    )


def _filters_text(
    ctx: PageContext, narrowing: Narrowing, referents: list[ReferentChoice], seen: dt.date
) -> str:
    parts = [f"{ctx.facts.name} ({ctx.facts.code})", f"période : {ctx.filters.label}"]
    parts.append(f"vue au {format_date(seen)}")
    if narrowing.site:
        parts.append(f"site : {narrowing.site}")
    if narrowing.organisme:
        parts.append(f"organisme : {ORGANISME_LABELS.get(narrowing.organisme)}")
    if narrowing.referent_id is not None:
        labels = {r.referent_id: r.label for r in referents}
        parts.append(f"référent : {labels.get(narrowing.referent_id)}")
    return " · ".join(parts)


def comop_view(search: object, with_weekly: bool = True, row_limit: int | None = None) -> ComopView:
    """The view of one URL; PageError (French) for what cannot be shown; 403 for a role
    that may not open the page. A `search` that is not a string (a forged payload) is
    read as an empty query. With `row_limit`, `rows` holds only the list's first rows
    (pseudonyms read for those only); `total` counts them all."""
    search = search if isinstance(search, str) else None
    ctx = page_context(search, MODULE)
    try:
        query = parse_comop_query(search)
    except FilterError as error:
        raise PageError(str(error)) from error
    if not ctx.facts.extractions:
        raise PageError(NO_DATA)
    territory_id = ctx.facts.territory_id
    with open_session() as db:
        sites, referents = territory_choices(db, ctx.facts.frames, territory_id)
        narrowing = _narrowing(query, sites, referents)
        period_start, period_end = period_bounds(ctx)
        seen = seen_on(query, ctx.as_of)
        dates = {"period_start": period_start, "period_end": period_end, "as_of": seen}
        params = ctx.facts.params
        frame = operational_list(
            query.liste, ctx.facts.frames, **dates, params=params, narrowing=narrowing
        )
        shown = frame if row_limit is None else frame.head(row_limit)
        ids = shown["beneficiary_id"].to_list() if "beneficiary_id" in shown.columns else []
        pseudonyms = short_pseudonyms(db, territory_id, ids)
    names = Names(pseudonyms, {r.referent_id: r.code for r in referents})
    indicator_code = LISTS[query.liste][1]
    indicator_day = min(period_end, seen) if query.liste in STOCK_LISTS else seen
    request = ctx.request(codes=[indicator_code], as_of=indicator_day)
    result = compute_indicators(ctx.facts, request, ctx.threshold)[0]
    narrowed = narrowing != Narrowing()
    weekly = []
    if with_weekly:
        weekly = week_on_week(ctx.facts.frames, **dates, params=params, narrowing=narrowing)
    return ComopView(
        ctx=ctx,
        query=query,
        seen=seen,
        title=list_title(query.liste, params),
        definition=list_definition(query.liste, params),
        columns=COLUMNS[query.liste],
        rows=grid_rows(query.liste, shown, names),
        empty=empty_message(query.liste, params, narrowed),
        note=_note(result, query.liste, frame.height),
        weekly=weekly,
        filters_text=_filters_text(ctx, narrowing, referents, seen),
        total=frame.height,
    )


def limit_text(view: ComopView) -> str:
    """What a truncated list says above the grid."""
    return (
        f"Liste de {format_count(view.total)} lignes : seules les "
        f"{format_count(len(view.rows))} premières (dans l'ordre de la liste, les plus "
        "urgentes d'abord) sont affichées, triées et filtrées dans le tableau. Choisissez un "
        "site, un organisme ou un référent pour la réduire ; les exports CSV et Excel "
        "contiennent la liste complète."
    )


def seen_text(view: ComopView) -> str:
    """The status line: which day the lists are seen at, for which period."""
    year, week = week_key(view.seen).split("-W")
    return (
        f"Listes vues au {format_date(view.seen)} (semaine {int(week)} de {year}) · période : "
        f"{view.ctx.filters.label}."
    )
