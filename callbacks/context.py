"""What every page callback starts from: the user, their territory, the period, the facts.

`page_context(search, module)` is the only door from a callback to data:
- the role is checked against the page (layouts.navigation.PAGES): 403 otherwise;
- the territory comes from the URL but is resolved through the user's scope
  on the server (dashboard/scope.py): a forged code gives the same refusal as
  an unknown one, never another territory's figures;
- the facts come from the app's cache (no query per click once warm);
- indicators are published for the user's audience (disclosure for copil
  and national).
A filter that means nothing raises PageError with a French sentence the
callback shows in place of its content.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_login import current_user
from werkzeug.exceptions import Forbidden

from dashboard.auth import SessionUser
from dashboard.facts_cache import TerritoryFacts
from dashboard.indicator_service import (
    IndicatorRequest,
    compute_indicators,
    disclosure_threshold,
    parse_request,
)
from dashboard.models import Role
from dashboard.scope import ScopeError, resolve_territory
from dashboard.state import get_state, open_session
from layouts.filters import FilterError, PageFilters, parse_filters
from layouts.navigation import page_roles
from metrics.result import IndicatorResult

ROLE_REFUSED = "Votre rôle ne donne pas accès à ces données."


class PageError(Exception):
    """A filter or territory the page cannot show, with the French sentence to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PageContext:
    user: SessionUser
    facts: TerritoryFacts
    filters: PageFilters
    as_of: dt.date
    threshold: int | None

    @property
    def aggregates_only(self) -> bool:
        return self.threshold is not None

    def request(self, **changes: object) -> IndicatorRequest:
        fields = {
            "month_from": self.filters.month_from,
            "month_to": self.filters.month_to,
            "as_of": self.as_of,
        }
        fields.update(changes)
        return parse_request(**fields)  # type: ignore[arg-type]

    def indicators(
        self, codes: list[str] | None = None, by: str | None = None, scope: str | None = None
    ) -> dict[str, IndicatorResult]:
        """The period's indicators for this audience, by code."""
        request = self.request(codes=codes, by=by, scope=scope)
        return {r.code: r for r in compute_indicators(self.facts, request, self.threshold)}


def require_role(module: str) -> SessionUser:
    """The current user if their role may open the page `module`; 403 otherwise."""
    if not current_user.is_authenticated or current_user.role not in page_roles(module):
        raise Forbidden(ROLE_REFUSED)
    return current_user


def page_context(search: str | None, module: str) -> PageContext:
    user = require_role(module)
    if search is not None and not isinstance(search, str):
        raise PageError("Adresse de la page illisible.")
    try:
        filters = parse_filters(search)
    except FilterError as error:
        raise PageError(str(error)) from error
    state = get_state()
    with open_session() as db:
        try:
            territory = resolve_territory(db, user, filters.territory)
        except ScopeError as error:
            raise PageError(error.message) from error
        facts = state.facts_cache.get(db, territory)
    as_of = facts.latest_solis or dt.date.today()
    return PageContext(
        user=user,
        facts=facts,
        filters=filters.resolved(as_of),
        as_of=as_of,
        threshold=disclosure_threshold(Role(user.role), state.settings.disclosure_threshold),
    )
