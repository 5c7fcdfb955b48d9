"""A table cell as the text a person reads: how CSV and Excel values become row text.

See connectors/reading.py's docstring for the rules (ISO dates, integral numbers without
".0", "VRAI"/"FAUX", NUL characters replaced so the cell fails validation visibly).
"""

from __future__ import annotations

import datetime as dt

Cells = list[str | None]

NUL_REPLACEMENT = "\ufffd"
MIDNIGHT = dt.time()
HALF_SECOND = dt.timedelta(microseconds=500_000)


def clean_text(value: str) -> str | None:
    """Stripped text, None when empty; NUL characters replaced, never dropped."""
    return value.replace("\x00", NUL_REPLACEMENT).strip() or None


def excel_cell_text(value: object) -> str | None:
    """An Excel cell's value as the text a person reads (see connectors/reading.py)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):  # rounded to the second: Excel stores day fractions
        value = (value + HALF_SECOND).replace(microsecond=0)
        return value.date().isoformat() if value.time() == MIDNIGHT else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        moment = dt.datetime.combine(dt.date.min, value) + HALF_SECOND
        return moment.time().replace(microsecond=0).isoformat()
    if isinstance(value, dt.timedelta):
        seconds = round(value.total_seconds())
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return clean_text(str(value))
