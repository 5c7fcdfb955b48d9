"""The one path from a request for indicators to published figures.

The CLI (`pilotage indicators`), the API (/api/v1/indicators), the pages and
the national export all go through here, so they cannot disagree:

    parse_request(strings)  ->  IndicatorRequest      (French errors naming the parameter)
    compute_indicators(facts, request, threshold)      (engine + targets + disclosure)
    indicators_payload(facts, request, results)        (the JSON of the CLI and the API)

Disclosure follows the audience: `copil` and `national` see aggregates
(small cells suppressed, docs/indicators.md "Secret statistique");
operational roles (`comop`, `projet`, `admin`) see exact values.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from dashboard.auth import SessionUser
from dashboard.facts_cache import TerritoryFacts
from dashboard.models import Role, Territory
from dashboard.state import get_state
from metrics.breakdown import Dimension
from metrics.disclosure import disclose
from metrics.registry import REGISTRY
from metrics.result import IndicatorResult
from metrics.trajectory import with_target

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
SCOPES = ("stock", "flux")
FIRST_YEAR, LAST_YEAR = 1900, 2100
MAX_MONTHS = 120
AGGREGATE_ROLES = frozenset({Role.COPIL, Role.NATIONAL})
# Indicators measured at one day whatever the period (their docstring: "the period is
# not used"); tests/test_copil_data.py holds this list equal to the registry's docstrings.
STOCK_CODES = frozenset(
    {
        "taux_orientation",
        "taux_contrat_engagement",
        "taille_portefeuille_moyenne",
        "part_referents_au_dessus_cible",
        "part_intensif_15h",
        "reprise_stock_avancement",
    }
)
# Taken at the stocks' day (`observation_days`): the stocks, and the splits (the stock
# split is one; the flux split counts orientations decided up to min(period end, as_of)).
AT_PERIOD_END_CODES = STOCK_CODES | frozenset({"repartition_organisme", "repartition_dominante"})


class IndicatorRequestError(ValueError):
    """A bad parameter, in a French sentence, with the parameter's name for the API."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class IndicatorRequest:
    """What to compute: the period (whole months), as_of, a breakdown, the split's scope."""

    period_start: dt.date
    period_end: dt.date
    month_from: str
    month_to: str
    as_of: dt.date | None = None
    by: Dimension | None = None
    scope: str = "stock"
    codes: tuple[str, ...] | None = None


def month_bounds(value: str, parameter: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a month written AAAA-MM."""
    match = MONTH.match((value or "").strip())
    if not match:
        raise IndicatorRequestError(
            parameter, f"{parameter} attend un mois au format AAAA-MM (reçu : {value!r})."
        )
    year, month = int(match[1]), int(match[2])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise IndicatorRequestError(
            parameter,
            f"{parameter} doit tomber entre {FIRST_YEAR} et {LAST_YEAR} (reçu : {year}).",
        )
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_request(
    month_from: str | None,
    month_to: str | None,
    as_of: str | dt.date | None = None,
    by: str | None = None,
    scope: str | None = None,
    codes: list[str] | None = None,
    names: dict[str, str] | None = None,
) -> IndicatorRequest:
    """Check and convert the parameters; `names` renames them in messages (`from` -> `--from`)."""
    label = {"from": "from", "to": "to", "as_of": "as_of", "by": "by", "scope": "scope"}
    label.update(names or {})
    if not month_from:
        raise IndicatorRequestError("from", f"{label['from']} est obligatoire (mois AAAA-MM).")
    if not month_to:
        raise IndicatorRequestError("to", f"{label['to']} est obligatoire (mois AAAA-MM).")
    period_start, _ = month_bounds(month_from, label["from"])
    _, period_end = month_bounds(month_to, label["to"])
    if period_start > period_end:
        raise IndicatorRequestError(
            "to", f"{label['from']} ({month_from}) est postérieur à {label['to']} ({month_to})."
        )
    months = (period_end.year - period_start.year) * 12 + period_end.month - period_start.month
    if months + 1 > MAX_MONTHS:
        raise IndicatorRequestError(
            "to", f"La période couvre au plus {MAX_MONTHS} mois ({months + 1} demandés)."
        )
    day = _as_of(as_of, label["as_of"])
    dimension = None
    if by:
        try:
            dimension = Dimension(by)
        except ValueError:
            known = ", ".join(item.value for item in Dimension)
            raise IndicatorRequestError(
                "by", f"Ventilation inconnue : {by!r}. Valeurs possibles : {known}."
            ) from None
    chosen_scope = scope or "stock"
    if chosen_scope not in SCOPES:
        raise IndicatorRequestError(
            "scope", f"{label['scope']} vaut « stock » ou « flux » (reçu : {scope!r})."
        )
    if codes:
        unknown = [code for code in codes if code not in REGISTRY]
        if unknown:
            raise IndicatorRequestError(
                "indicators", f"Indicateur(s) inconnu(s) : {', '.join(unknown)}."
            )
    return IndicatorRequest(
        period_start=period_start,
        period_end=period_end,
        month_from=month_from.strip(),
        month_to=month_to.strip(),
        as_of=day,
        by=dimension,
        scope=chosen_scope,
        codes=tuple(codes) if codes else None,
    )


def _as_of(value: str | dt.date | None, parameter: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return _checked_day(value, parameter)
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise IndicatorRequestError(
            "as_of", f"{parameter} attend une date au format AAAA-MM-JJ (reçu : {value!r})."
        ) from None
    return _checked_day(day, parameter)


def _checked_day(day: dt.date, parameter: str) -> dt.date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise IndicatorRequestError(
            "as_of",
            f"{parameter} doit tomber entre {FIRST_YEAR} et {LAST_YEAR} (reçu : {day.year}).",
        )
    return day


def disclosure_threshold(role: Role | str, threshold: int) -> int | None:
    """The threshold for this role's audience, None when it sees exact values."""
    return threshold if Role(role) in AGGREGATE_ROLES else None


@dataclass(frozen=True)
class ObservationDays:
    """The days a period's indicators are seen at (docs/api.md, docs/copil.md « Dates »).

    `flows`: the as_of of the period's flows (everything known about its people);
    `stocks`: the as_of of the stock indicators (`AT_PERIOD_END_CODES`) and the day
    whose target, trajectory value and status every indicator gets.
    """

    flows: dt.date
    stocks: dt.date


def observation_days(
    period_end: dt.date, latest_extraction: dt.date, as_of: dt.date | None = None
) -> ObservationDays:
    """The one rule of the pages, the API and the CLI for a period's dates.

    An as_of asked for is used for everything. Otherwise flows are seen at the
    latest extraction, and stocks at the earlier of the period's end and the
    latest extraction: a past period shows the stock as it was at its end, the
    current period the latest data.
    """
    if as_of is not None:
        return ObservationDays(flows=as_of, stocks=as_of)
    return ObservationDays(flows=latest_extraction, stocks=min(period_end, latest_extraction))


def latest_extraction(facts: TerritoryFacts) -> dt.date:
    """The newest SOLIS extraction of the territory, else today."""
    return facts.latest_solis or dt.date.today()


def request_days(facts: TerritoryFacts, request: IndicatorRequest) -> ObservationDays:
    """`observation_days` for a request on a territory's facts."""
    return observation_days(request.period_end, latest_extraction(facts), request.as_of)


def effective_as_of(facts: TerritoryFacts, request: IndicatorRequest) -> dt.date:
    """The flows' as_of: as_of asked for, else the newest SOLIS extraction, else today."""
    return request_days(facts, request).flows


def compute_indicators(
    facts: TerritoryFacts,
    request: IndicatorRequest,
    threshold: int | None,
) -> list[IndicatorResult]:
    """Every asked indicator with its target, trajectory and status; suppressed if asked.

    Dates: `observation_days` (stocks at the earlier of the period's end and
    the latest extraction unless as_of is asked; targets at that day).

    An indicator that cannot give the asked breakdown is given without one
    (its `breakdown` stays null), like an unbroken figure in a table of splits.
    """
    days = request_days(facts, request)
    codes = request.codes or tuple(REGISTRY)
    results = []
    for code in codes:
        indicator = REGISTRY[code]
        options: dict[str, object] = {}
        if request.by is not None and request.by in indicator.dimensions:
            options["by"] = request.by
        if indicator.scoped:
            options["scope"] = request.scope
        result = indicator.compute(
            facts.frames,
            period_start=request.period_start,
            period_end=request.period_end,
            as_of=days.stocks if code in AT_PERIOD_END_CODES else days.flows,
            params=facts.params,
            **options,
        )
        result = with_target(result, facts.targets.get(code, []), days.stocks, indicator.direction)
        if threshold is not None:
            result = disclose(result, threshold)
        results.append(result)
    return results


def published_indicators(
    db: Session, user: SessionUser, territory: Territory, request: IndicatorRequest
) -> tuple[TerritoryFacts, list[IndicatorResult]]:
    """What `user` may see of a territory's indicators, through the app's facts cache.

    The caller has resolved `territory` with dashboard.scope.resolve_territory.
    """
    state = get_state()
    facts = state.facts_cache.get(db, territory)
    threshold = disclosure_threshold(user.role, state.settings.disclosure_threshold)
    return facts, compute_indicators(facts, request, threshold)


def indicators_payload(
    facts: TerritoryFacts, request: IndicatorRequest, results: list[IndicatorResult]
) -> dict:
    """The JSON shared by `pilotage indicators --format json` and GET /api/v1/indicators."""
    days = request_days(facts, request)
    return {
        "territory": facts.code,
        "period": {"from": request.month_from, "to": request.month_to},
        "as_of": days.flows.isoformat(),
        "stock_as_of": days.stocks.isoformat(),
        "indicators": [result.as_dict() for result in results],
    }
