"""Reading one raw row through a profile: typed values, and every reason it is bad.

A `RowReader` never raises for a bad cell: it records a French reason and
returns None, so that a rejected row lists all its problems at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from connectors.profiles import HeaderMapping, Profile
from connectors.values import parse_bool, parse_date, parse_datetime, parse_decimal
from dashboard.models import Referent, Site

# Longest texts the database keeps (its column sizes): a longer cell rejects its row
# (PostgreSQL would refuse the whole file; SQLite would keep it whole).
SITE_NAME_MAX = Site.__table__.c.name.type.length
REFERENT_CODE_MAX = Referent.__table__.c.code.type.length
# A reason quotes at most this much of a cell (the cell itself stays whole in quarantine).
REASON_MAX = 300

T = TypeVar("T")


@dataclass(frozen=True)
class ParseContext:
    """What a connector needs besides the row: the key, the file's date, the roadmap year."""

    pseudonym_key: str = field(repr=False)
    extracted_on: dt.date
    year: int


QUARANTINE_HIDDEN = "(pseudonymisé)"


class RowReader:
    def __init__(self, row: dict[str, str | None], mapping: HeaderMapping, profile: Profile):
        self.row = row
        self.mapping = mapping
        self.profile = profile
        self.reasons: list[str] = []
        if row.get("__extra__"):
            self.reasons.append("la ligne a plus de cellules que l'en-tête")

    def raw(self, name: str) -> str | None:
        header = self.mapping.columns.get(name)
        value = self.row.get(header) if header else None
        return value.strip() or None if value else None

    def label(self, name: str) -> str:
        return self.mapping.columns.get(name) or self.profile.field(name).spellings[0]

    def _parsed(self, name: str, parser: Callable[[str], T], required: bool) -> T | None:
        value = self.raw(name)
        if value is None:
            if required:
                self.reasons.append(f"{self.label(name)} : valeur manquante")
            return None
        try:
            return parser(value)
        except ValueError as error:
            reason = f"{self.label(name)} : {error}"
            if len(reason) > REASON_MAX:
                reason = reason[: REASON_MAX - 1] + "…"
            self.reasons.append(reason)
            return None

    def text(self, name: str, required: bool = False, max_length: int | None = None) -> str | None:
        """The cell as text; longer than `max_length` characters, a reason is recorded."""
        value = self._parsed(name, str, required)
        if value is not None and max_length is not None and len(value) > max_length:
            self.reasons.append(
                f"{self.label(name)} : texte trop long ({len(value)} caractères, "
                f"{max_length} au plus)"
            )
        return value

    def date(self, name: str, required: bool = False) -> dt.date | None:
        return self._parsed(name, parse_date, required)

    def datetime(self, name: str, required: bool = False) -> dt.datetime | None:
        return self._parsed(name, parse_datetime, required)

    def decimal(self, name: str, required: bool = False) -> float | None:
        return self._parsed(name, parse_decimal, required)

    def boolean(self, name: str, required: bool = False) -> bool | None:
        return self._parsed(name, parse_bool, required)

    def choice(self, name: str, parser: Callable[[str], T], required: bool = False) -> T | None:
        return self._parsed(name, parser, required)

    def not_after(self, name: str, value: dt.date | None, limit: dt.date) -> None:
        """Dates after the extraction date cannot be true."""
        if value is not None and value > limit:
            self.reasons.append(
                f"{self.label(name)} : date postérieure à l'extraction ({value:%d/%m/%Y})"
            )

    def ordered(self, first: str, first_value, second: str, second_value) -> None:  # noqa: ANN001
        """`second` cannot come before `first` (e.g. notification before opening)."""
        if first_value is not None and second_value is not None and second_value < first_value:
            self.reasons.append(
                f"{self.label(second)} ({second_value:%d/%m/%Y}) précède "
                f"{self.label(first)} ({first_value:%d/%m/%Y})"
            )

    def quarantine_values(self) -> dict[str, str | None]:
        """The row as kept in quarantine: identifying and dropped columns hidden."""
        hidden = {
            self.mapping.columns[item.name]
            for item in self.profile.fields
            if item.identifying and item.name in self.mapping.columns
        } | set(self.mapping.dropped)
        return {
            header: (QUARANTINE_HIDDEN if header in hidden and value else value)
            for header, value in self.row.items()
            if not header.startswith("__")
        }
