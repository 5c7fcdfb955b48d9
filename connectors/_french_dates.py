"""French calendar vocabulary for the parsers of free-text cells (pure, stdlib only).

`normalize` folds case, accents, apostrophes, dashes and spaces so that the
patterns below only ever see lower-case ASCII-like text. The tables (months
with their usual abbreviations, ordinals) are meant to be shared by every
parser that reads French dates written by hand.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date

# Typographic apostrophes and primes -> "'".
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u201b\u02bc\u00b4`\u2032", "'"))
# Hyphens, en/em dashes, minus signs -> "-".
_DASHES = re.compile(r"[\u2010-\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d]")

MONTHS: dict[str, int] = {
    "janvier": 1,
    "janv": 1,
    "jan": 1,
    "fevrier": 2,
    "fevr": 2,
    "fev": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juill": 7,
    "juil": 7,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "sep": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "decembre": 12,
    "dec": 12,
}
"""Normalised month names and abbreviations -> month number."""

ORDINALS: dict[str, int] = {
    **dict.fromkeys(("1", "1er", "1ere", "1re", "1e", "premier", "premiere"), 1),
    **dict.fromkeys(("2", "2e", "2eme", "2ieme", "2nd", "2nde", "2d", "deuxieme"), 2),
    **dict.fromkeys(("second", "seconde"), 2),
    **dict.fromkeys(("3", "3e", "3eme", "3ieme", "troisieme"), 3),
    **dict.fromkeys(("4", "4e", "4eme", "4ieme", "quatrieme"), 4),
}
"""Normalised French ordinals (as used before "trimestre" / "semestre") -> number."""


def _alternation(words: dict[str, int]) -> str:
    # Longest first, so that "septembre" wins over "sept" and "sep".
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


MONTH_PATTERN = rf"(?:{_alternation(MONTHS)})(?!\w)\.?"
"""Regex matching one month name or abbreviation (optional trailing dot), not captured."""

ORDINAL_PATTERN = rf"(?:{_alternation(ORDINALS)})(?!\w)"
"""Regex matching one ordinal from `ORDINALS`, not captured."""


def normalize(text: str) -> str:
    """Fold `text` for matching: case, accents, apostrophes, dashes and spaces.

    "Mi–Juillet" -> "mi-juillet", "Au fil de l’eau" -> "au fil de l'eau". Runs of
    white space (new lines included) become one space; the result is stripped.
    """
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_APOSTROPHES))
    bare = "".join(char for char in folded if not unicodedata.combining(char))
    bare = _DASHES.sub("-", bare.translate(_APOSTROPHES))
    return " ".join(bare.split())


def month_number(word: str) -> int | None:
    """The month number of a normalised month name or abbreviation ("sept." -> 9)."""
    return MONTHS.get(word.rstrip("."))


def last_day(year: int, month: int) -> date:
    """The last day of `month` in `year` (raises ValueError for impossible years)."""
    return date(year, month, calendar.monthrange(year, month)[1])
