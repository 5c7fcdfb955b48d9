"""French number and date formatting for what the pages display."""

from __future__ import annotations

import datetime as dt

NARROW_NBSP = "\u202f"


def format_count(value: int | None, threshold: int | None = None) -> str:
    """`1 396` (French thousands separator), or `< 11` for a suppressed count."""
    if value is None:
        return f"< {threshold}" if threshold else "n.d."
    return f"{value:,}".replace(",", NARROW_NBSP)


def format_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "date inconnue"
