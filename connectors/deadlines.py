"""Roadmap cells read the way people write them: deadlines ("échéance estimée") and owners.

Pure functions, no I/O and no clock: a deadline without a year belongs to the
roadmap's year, passed by the caller. Anything not recognised gives
`understood=False` ("échéance à préciser"), never an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import NamedTuple

from connectors._french_dates import (
    MONTH_PATTERN,
    ORDINAL_PATTERN,
    ORDINALS,
    last_day,
    month_number,
    normalize,
)


@dataclass(frozen=True)
class Deadline:
    """One parsed deadline cell.

    `milestones` holds every due date of a multi-deadline cell (sorted), or the
    single due date, or nothing. `understood=False` means "échéance à préciser".
    """

    text: str
    start: date | None = None
    due: date | None = None
    continuous: bool = False
    milestones: tuple[date, ...] = ()
    understood: bool = False


class _Unit(NamedTuple):
    """One deadline expression before its year is resolved."""

    kind: str  # "day", "month", "quarter", "semester", "week" or "invalid"
    number: int  # day of month, month, quarter, semester or ISO week
    month: int  # month of a "day" unit, else 0
    year: int | None  # explicit year, None when the text gives none
    qualifier: str | None  # "debut", "mi", "fin", "courant" or None


_INVALID = _Unit("invalid", 0, 0, None, None)
_MIN_YEAR, _MAX_YEAR = 2000, 2099
_QUALIFIER_DAY = {"debut": 10, "mi": 15}

_YEAR = r"(?:[\s-]*(?P<year>[0-9]{4})(?![0-9]))?"
_QUALIFIER = re.compile(
    r"(?P<qual>debut|mi|fin|courant)[\s-]+(?:du\s+mois\s+)?(?:(?:de|du)\s+|d'\s*)?"
)
_NUMERIC_DATE = re.compile(
    r"(?P<d>[0-9]{1,2})(?P<sep>[/.-])(?P<m>[0-9]{1,2})(?P=sep)(?P<y>[0-9]{4}|[0-9]{2})(?![0-9])"
    r"|(?P<Y>[0-9]{4})-(?P<M>[0-9]{1,2})-(?P<D>[0-9]{1,2})(?![0-9])"
)
_DAY_MONTH = re.compile(rf"(?P<d>[0-9]{{1,2}})(?:er)?\s*(?P<month>{MONTH_PATTERN}){_YEAR}")
_MONTH = re.compile(rf"(?P<month>{MONTH_PATTERN}){_YEAR}")
_QUARTER = re.compile(
    rf"(?:(?P<ord>{ORDINAL_PATTERN})[\s-]*trim(?:estre)?\.?|[tq](?P<num>[1-4]))(?!\w){_YEAR}"
)
_SEMESTER = re.compile(
    rf"(?:(?P<ord>{ORDINAL_PATTERN})[\s-]*sem(?:estre)?\.?|s\s*(?P<num>[12]))(?!\w){_YEAR}"
)
_WEEK = re.compile(
    rf"(?:semaine|sem\.?|s)\s*(?:n\s*°\s*|no\.?\s*)?(?P<num>[0-9]{{1,2}})(?!\w){_YEAR}"
)
_RANGE_SEPARATOR = re.compile(r"\s*(?:/|->|-|>)\s*|\s+(?:a|au|jusqu'\s*(?:a|au|en))\s+|\s+")
_PREFIX = re.compile(
    r"(?:prevue?s?|pour|d'ici|avant|echeances?|au plus tard|estimee?s?|vers|dans|"
    r"en|le|la|au|aux|a|de|du)(?:\s*[:.]\s*|\s+)|d'\s*|[\s:.,()\[\]*-]+"
)
_CONTINUOUS = re.compile(
    r"au fil de l'?\s*eau|en continu|en permanence|\bcontinue?s?\b|\bpermanente?s?\b"
)
_YEAR_ROUND = re.compile(r"toute\s+l'?\s*annee|tout\s+au\s+long\s+de\s+l'?\s*annee")
_LEADING_YEAR = re.compile(r"(?P<year>[0-9]{4})(?![0-9])")
_CELL_SEPARATOR = re.compile(r"[\n\r;\u2022\u00b7\u25aa\u25e6\u25cf\u2023\u2219\u2043]+")
_BULLET = re.compile(r"^[\s*>\-\u2010-\u2015]+")


def _explicit_year(raw: str | None) -> int | None | bool:
    """The year written in the text; False when it is outside 2000-2099."""
    if raw is None:
        return None
    year = int(raw)
    return year if _MIN_YEAR <= year <= _MAX_YEAR else False


def _unit(text: str, pos: int) -> tuple[_Unit, int] | None:
    """The deadline expression starting at `pos`, with its end, or None."""
    qualifier_match = _QUALIFIER.match(text, pos)
    qualifier = qualifier_match["qual"] if qualifier_match else None
    body = qualifier_match.end() if qualifier_match else pos
    if match := _NUMERIC_DATE.match(text, body):
        if match["y"]:
            day, month, raw_year = int(match["d"]), int(match["m"]), match["y"]
            year = 2000 + int(raw_year) if len(raw_year) == 2 else _explicit_year(raw_year)
        else:
            day, month, year = int(match["D"]), int(match["M"]), _explicit_year(match["Y"])
        unit = _Unit("day", day, month, year, None)
    elif match := _DAY_MONTH.match(text, body):
        month = month_number(match["month"]) or 0
        unit = _Unit("day", int(match["d"]), month, _explicit_year(match["year"]), None)
    elif match := _MONTH.match(text, body):
        month = month_number(match["month"]) or 0
        unit = _Unit("month", month, 0, _explicit_year(match["year"]), qualifier)
    elif match := _QUARTER.match(text, body) or _SEMESTER.match(text, body):
        kind = "quarter" if match.re is _QUARTER else "semester"
        number = ORDINALS[match["ord"]] if match["ord"] else int(match["num"])
        unit = _Unit(kind, number, 0, _explicit_year(match["year"]), None)
    elif match := _WEEK.match(text, body):
        unit = _Unit("week", int(match["num"]), 0, _explicit_year(match["year"]), None)
    else:
        return None
    # "Début" / "Mi" only make sense before a month; a year outside 2000-2099 is refused.
    if unit.year is False or (unit.kind != "month" and qualifier in _QUALIFIER_DAY):
        unit = _INVALID
    return unit, match.end()


def _span(unit: _Unit, year: int) -> tuple[date, date] | None:
    """(period start, due) of `unit` in `year`, or None when no such date exists."""
    try:
        if unit.kind == "day":
            day = date(year, unit.month, unit.number)
            return day, day
        if unit.kind == "month":
            last = last_day(year, unit.number)
            due = last.replace(day=_QUALIFIER_DAY.get(unit.qualifier or "", last.day))
            return date(year, unit.number, 1), due
        if unit.kind == "quarter":
            return date(year, 3 * unit.number - 2, 1), last_day(year, 3 * unit.number)
        if unit.kind == "semester" and unit.number in (1, 2):
            return date(year, 6 * unit.number - 5, 1), last_day(year, 6 * unit.number)
        if unit.kind == "week":
            return date.fromisocalendar(year, unit.number, 1), date.fromisocalendar(
                year, unit.number, 7
            )
    except (ValueError, OverflowError):
        return None
    return None


def _single(unit: _Unit, year: int) -> tuple[date | None, date] | None:
    span = _span(unit, year if unit.year is None else unit.year)
    if span is None:
        return None
    # Periods get a start; a point deadline ("Fin mars", a date) does not.
    is_period = unit.kind in ("quarter", "semester", "week") or (
        unit.kind == "month" and unit.qualifier in (None, "courant")
    )
    return (span[0] if is_period else None), span[1]


def _range(first: _Unit, last: _Unit, year: int) -> tuple[date, date] | None:
    """From the start of `first` to the due date of `last`, rolling over a year end."""
    shift_first = shift_last = 0
    if first.year is None and last.year is None:
        first_year = last_year = year
        shift_last = 1
    elif first.year is None:
        first_year = last_year = last.year
        shift_first = -1
    elif last.year is None:
        first_year = last_year = first.year
        shift_last = 1
    else:
        first_year, last_year = first.year, last.year
    begin, end = _span(first, first_year), _span(last, last_year)
    if begin and end and end[1] < begin[0] and (shift_first or shift_last):
        begin = _span(first, first_year + shift_first)
        end = _span(last, last_year + shift_last)
    if begin is None or end is None or end[1] < begin[0]:
        return None
    return begin[0], end[1]


def _strip_prefixes(text: str) -> str:
    while (match := _PREFIX.match(text)) and match.end():
        text = text[match.end() :]
    return text


def _parse_expression(text: str, year: int) -> tuple[date | None, date] | None:
    """A single deadline or a range at the start of `text` (trailing text ignored)."""
    text = _strip_prefixes(text)
    found = _unit(text, 0)
    if found is None:
        return None
    first, end = found
    separator = _RANGE_SEPARATOR.match(text, end)
    second = _unit(text, separator.end()) if separator else None
    if second is not None:
        return _range(first, second[0], year)
    return _single(first, year)


def _parse_piece(text: str, year: int) -> Deadline:
    """One deadline (one line or bullet of a cell); `text` is left for the caller."""
    normalized = normalize(text)
    year_round = _YEAR_ROUND.search(normalized)
    continuous = bool(year_round or _CONTINUOUS.search(normalized))
    rest = _CONTINUOUS.sub(" ", _YEAR_ROUND.sub(" ", normalized))
    if year_round:
        match = _LEADING_YEAR.match(_strip_prefixes(rest))
        explicit = _explicit_year(match["year"] if match else None)
        whole_year = year if explicit is None else explicit
        try:
            return _deadline(date(whole_year, 1, 1), last_day(whole_year, 12), True)
        except (TypeError, ValueError, OverflowError):  # year outside 2000-2099 or absurd
            return Deadline(text="")
    parsed = _parse_expression(rest, year)
    if parsed is None:
        return Deadline(text="", continuous=continuous, understood=continuous)
    return _deadline(parsed[0], parsed[1], continuous)


def _deadline(start: date | None, due: date, continuous: bool) -> Deadline:
    return Deadline("", start, due, continuous, (due,), True)


def parse_deadline(text: str | None, year: int) -> Deadline:
    """Read a roadmap deadline cell ("Fin mars", "S12", "Avril / Mai", "Permanent"...).

    `year` is the roadmap's year, used when the text gives none. A cell with several
    deadlines (one per line, bullet or ";") gets the latest as `due`, the earliest
    start as `start` and every due date in `milestones`. Never raises.
    """
    original = text.strip() if isinstance(text, str) else ""  # None, or NaN from pandas
    pieces = [_BULLET.sub("", piece) for piece in _CELL_SEPARATOR.split(original)]
    pieces = [piece for piece in pieces if piece.strip()]
    if not pieces:
        return Deadline(text=original)
    parsed = [_parse_piece(piece, year) for piece in pieces]
    if len(parsed) == 1:
        return replace(parsed[0], text=original)
    understood = [deadline for deadline in parsed if deadline.understood]
    starts = [deadline.start for deadline in understood if deadline.start]
    dues = sorted({deadline.due for deadline in understood if deadline.due})
    return Deadline(
        text=original,
        start=min(starts, default=None),
        due=dues[-1] if dues else None,
        continuous=any(deadline.continuous for deadline in understood),
        milestones=tuple(dues),
        understood=bool(understood),
    )


_OWNER_SEPARATOR = re.compile(r"[&,/;+\n\r]|\s+et\s+", re.IGNORECASE)
_OWNER_CODES = {
    **dict.fromkeys(("pe", "pole emploi", "france travail", "ft"), "FT"),
    **dict.fromkeys(("dpt", "dept", "departement", "cd", "conseil departemental"), "CD"),
    **dict.fromkeys(("etat", "ddets", "prefecture"), "ETAT"),
    "caf": "CAF",
    "msa": "MSA",
    **dict.fromkeys(("ml", "mission locale", "missions locales"), "ML"),
    **dict.fromkeys(("beta gouv", "betagouv"), "BETA_GOUV"),
}
# "CD35", "DDETS 35", "Conseil départemental 2A": the department number is dropped.
_DEPARTMENT_NUMBER = re.compile(r"\s*(?:[0-9]{2,3}|2a|2b)$")


def _owner_key(owner: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", normalize(owner)).split())


def split_owners(text: str | None) -> tuple[str, ...]:
    """Split a "Responsable(s)" cell into partner codes ("CD, PE / Etat" -> CD, FT, ETAT).

    Known partners become FT, CD, ETAT, CAF, MSA, ML or BETA_GOUV; unknown ones are
    kept as written (stripped). Duplicates are dropped, first-seen order kept.
    """
    owners: dict[str, str] = {}
    for raw in _OWNER_SEPARATOR.split(text if isinstance(text, str) else ""):
        owner = raw.strip(" \t-*\u2022\u00b7\u2010\u2011\u2012\u2013\u2014")
        key = _owner_key(owner)
        if not key:
            continue
        code = _OWNER_CODES.get(key) or _OWNER_CODES.get(_DEPARTMENT_NUMBER.sub("", key))
        owners.setdefault(code or key, code or owner)
    return tuple(owners.values())
