"""The COMOP page's own URL parameters, beside the shared territory and period.

    /comop?territoire=35-REDON&periode=2024-T3&liste=attente_orientation
          &site=3&organisme=CD&referent=12&semaine=2024-W36

`liste` opens one list (see metrics.operational.LISTS; the COPIL page links
here), `site` and `referent` are database ids (checked against the user's
territory on the server: an id of another territory shows nothing),
`organisme` a code of metrics.categories.ORGANISMES, `semaine` an ISO week
whose Sunday is the day the lists are seen at (never after the latest
extraction). A value that means nothing raises FilterError in French.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from layouts.filters import FIRST_YEAR, FilterError, PageFilters
from metrics.categories import ORGANISMES
from metrics.operational_lists import LIST_OF_INDICATOR, LISTS

DEFAULT_LIST = "attente_orientation"
WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$", re.IGNORECASE)
IDENTIFIER = re.compile(r"^\d{1,12}$")
KEYS = ("liste", "site", "organisme", "referent", "semaine")
WEEKS_OFFERED = 26


@dataclass(frozen=True)
class ComopQuery:
    """What the COMOP asks for beyond territory and period; None = not narrowed."""

    liste: str = DEFAULT_LIST
    site: int | None = None
    organisme: str | None = None
    referent: int | None = None
    semaine: str | None = None

    def params(self) -> dict[str, str]:
        """The URL parameters of this query (the default list and empty values left out)."""
        values = {
            "liste": None if self.liste == DEFAULT_LIST else self.liste,
            "site": None if self.site is None else str(self.site),
            "organisme": self.organisme,
            "referent": None if self.referent is None else str(self.referent),
            "semaine": self.semaine,
        }
        return {key: value for key, value in values.items() if value}


def _identifier(value: str | None, what: str) -> int | None:
    text = (value or "").strip()
    if not text:
        return None
    if not IDENTIFIER.match(text):
        raise FilterError(f"{what} illisible dans l'adresse.")
    return int(text)


def week_sunday(value: str) -> dt.date:
    """The Sunday of an ISO week written `2024-W36`; FilterError when it is not one."""
    match = WEEK.match(value.strip())
    if not match:
        raise FilterError(f"Semaine illisible : « {value} ». Format attendu : 2024-W36.")
    year, week = int(match[1]), int(match[2])
    if not FIRST_YEAR <= year <= 2100:
        raise FilterError(f"Année hors du champ du tableau de bord : {year}.")
    try:
        return dt.date.fromisocalendar(year, week, 7)
    except ValueError:
        raise FilterError(f"L'année {year} n'a pas de semaine {week}.") from None


def week_key(day: dt.date) -> str:
    """The ISO week of `day`, `2024-W36`."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def parse_comop_query(query: str | Mapping[str, str] | None) -> ComopQuery:
    """The COMOP parameters of a query string or of Dash's layout(**query)."""
    if query is None:
        values: Mapping[str, str] = {}
    elif isinstance(query, str):
        values = dict(parse_qsl(query.lstrip("?")))
    else:
        values = query
    liste = (values.get("liste") or "").strip() or DEFAULT_LIST
    if liste not in LISTS:
        raise FilterError(f"Liste inconnue : « {liste} ». Listes possibles : {', '.join(LISTS)}.")
    organisme = (values.get("organisme") or "").strip().upper() or None
    if organisme is not None and organisme not in ORGANISMES:
        raise FilterError(f"Organisme inconnu : « {organisme} ».")
    semaine = (values.get("semaine") or "").strip().upper() or None
    if semaine is not None:
        week_sunday(semaine)
    return ComopQuery(
        liste=liste,
        site=_identifier(values.get("site"), "Site"),
        organisme=organisme,
        referent=_identifier(values.get("referent"), "Référent"),
        semaine=semaine,
    )


def seen_on(query: ComopQuery, latest: dt.date) -> dt.date:
    """The day the lists are seen at: the Sunday of the week asked for, never after
    `latest` (the latest extraction); `latest` without a week."""
    if query.semaine is None:
        return latest
    return min(week_sunday(query.semaine), latest)


def week_options(latest: dt.date, count: int = WEEKS_OFFERED) -> list[dict[str, str]]:
    """The weeks offered, newest first: the week of `latest`, then the `count - 1` before."""
    options = []
    for back in range(count):
        day = latest - dt.timedelta(weeks=back)
        monday = day - dt.timedelta(days=day.weekday())
        sunday = monday + dt.timedelta(days=6)
        year, week, _ = day.isocalendar()
        label = f"Semaine {week} {year} (du {monday:%d/%m} au {sunday:%d/%m/%Y})"
        options.append({"label": label, "value": week_key(day)})
    return options


def with_comop_params(search: str | None, query: ComopQuery) -> str:
    """`search` with its COMOP parameters replaced by `query`'s (others kept, in order)."""
    kept = [(k, v) for k, v in parse_qsl((search or "").lstrip("?")) if k not in KEYS]
    pairs = kept + list(query.params().items())
    return "?" + urlencode(pairs) if pairs else ""


def comop_href(indicator_code: str, filters: PageFilters) -> str | None:
    """The COMOP address of the list behind a COPIL indicator, with the same territory and
    period (`/comop?territoire=...&periode=...&liste=...`); None when no list details it.
    Offer it only to a role that may open the COMOP page (layouts.navigation)."""
    liste = LIST_OF_INDICATOR.get(indicator_code)
    if liste is None:
        return None
    return "/comop" + filters.query(liste=liste)
