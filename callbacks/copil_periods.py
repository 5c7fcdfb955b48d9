"""Month arithmetic of the COPIL page: previous period, labels, a trajectory's months.

Months are written AAAA-MM, as in the URL filters (layouts/filters.py).
"""

from __future__ import annotations

import datetime as dt

from layouts.filters import month_label
from metrics.periods import add_months
from metrics.trajectory import TargetPoint

# A trajectory chart spans the targets' first date to as_of, at most this many months.
MAX_SERIES_MONTHS = 36
DEFAULT_SERIES_MONTHS = 12


def _month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def shift_month(month: str, months: int) -> str:
    """`2024-01` moved by `months` months (`shift_month("2024-01", -1)` -> `2023-12`)."""
    year, number = (int(part) for part in month.split("-"))
    return _month_key(add_months(dt.date(year, number, 1), months))


def month_count(first: str, last: str) -> int:
    (y1, m1), (y2, m2) = ((int(p) for p in month.split("-")) for month in (first, last))
    return (y2 - y1) * 12 + (m2 - m1) + 1


def previous_months(first: str, last: str) -> tuple[str, str]:
    """The period of the same length that ends the month before `first`."""
    length = month_count(first, last)
    return shift_month(first, -length), shift_month(first, -1)


def months_label(first: str, last: str) -> str:
    """ "2023", "T2 2024", "juillet 2024" or "janvier 2024 – mars 2024"."""
    year, start = (int(part) for part in first.split("-"))
    length = month_count(first, last)
    if length == 12 and start == 1:
        return str(year)
    if length == 3 and start % 3 == 1:
        return f"T{start // 3 + 1} {year}"
    if first == last:
        return month_label(first)
    return f"{month_label(first)} – {month_label(last)}"


def series_months(points: list[TargetPoint], as_of: dt.date) -> list[str]:
    """From the first target's start (or 12 months back) to as_of's month, 36 at most."""
    last = _month_key(as_of)
    if points:
        first = _month_key(min(point.period_start for point in points))
    else:
        first = shift_month(last, 1 - DEFAULT_SERIES_MONTHS)
    first = max(first, shift_month(last, 1 - MAX_SERIES_MONTHS))
    if first > last:
        first = last
    return [shift_month(first, step) for step in range(month_count(first, last))]


def quarter_of(month: str) -> str:
    """The first month of `month`'s calendar quarter (`2024-05` -> `2024-04`)."""
    year, number = (int(part) for part in month.split("-"))
    return f"{year:04d}-{(number - 1) // 3 * 3 + 1:02d}"


def quarter_spans(months: list[str]) -> list[tuple[str, str]]:
    """Consecutive months grouped by calendar quarter: (first, last) of each group.

    The series' first and last quarters may be partial (it starts at the targets'
    start and ends at as_of's month): only the months of the series are taken.
    """
    spans: list[tuple[str, str]] = []
    for month in months:
        if spans and quarter_of(spans[-1][0]) == quarter_of(month):
            spans[-1] = (spans[-1][0], month)
        else:
            spans.append((month, month))
    return spans
