"""Vectorised helpers of the demo generator: day numbers, exact quotas, record columns.

Inside the generator a date is an integer day number (days since 1970-01-01,
as numpy's `datetime64[D]`), so that 200,000 people are drawn with array
operations; the helpers here convert back to `datetime.date` objects, sharing
one object per distinct value to keep large demos light in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

EPOCH = dt.date(1970, 1, 1)
MINUTES_PER_DAY = 24 * 60


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01."""
    return (day - EPOCH).days


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by `months` calendar months, clamped to the end of shorter months."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = dt.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))


def monday_on_or_before(days: np.ndarray) -> np.ndarray:
    """The Monday of each day's ISO week (1970-01-01 was a Thursday)."""
    return days - (days + 3) % 7


def exact_counts(total: int, shares: Sequence[float]) -> np.ndarray:
    """Split `total` into integer counts proportional to `shares` (largest remainder)."""
    weights = np.asarray(shares, dtype=float)
    raw = total * weights / weights.sum()
    counts = np.floor(raw).astype(np.int64)
    missing = total - int(counts.sum())
    if missing > 0:
        order = np.argsort(-(raw - counts), kind="stable")
        counts[order[:missing]] += 1
    return counts


def exact_codes(rng: np.random.Generator, total: int, shares: Sequence[float]) -> np.ndarray:
    """`total` category codes whose counts match `shares` exactly, in random order."""
    codes = np.repeat(np.arange(len(shares)), exact_counts(total, shares))
    return rng.permutation(codes)


def draw_codes(rng: np.random.Generator, total: int, shares: Sequence[float]) -> np.ndarray:
    """`total` independent category codes drawn with probabilities `shares`."""
    weights = np.asarray(shares, dtype=float)
    return rng.choice(len(weights), size=total, p=weights / weights.sum())


def integers(rng: np.random.Generator, low: int, high: int, total: int) -> np.ndarray:
    """`total` integers uniform in [low, high] (both included)."""
    return rng.integers(low, high + 1, size=total)


def as_dates(days: np.ndarray, valid: np.ndarray | None = None) -> list[dt.date | None]:
    """Day numbers to dates (None where `valid` is False), one object per distinct day."""
    days = np.asarray(days, dtype=np.int64)
    if valid is None:
        valid = np.ones(days.shape, dtype=bool)
    if days.size == 0:
        return []
    unique, inverse = np.unique(np.where(valid, days, 0), return_inverse=True)
    lookup = unique.astype("datetime64[D]").tolist()
    values = [lookup[i] for i in inverse.tolist()]
    for position in np.flatnonzero(~valid).tolist():
        values[position] = None
    return values


def as_datetimes(days: np.ndarray, minutes: np.ndarray) -> list[dt.datetime]:
    """Day numbers plus minutes after midnight to naive datetimes."""
    stamps = np.asarray(days, dtype=np.int64) * MINUTES_PER_DAY + np.asarray(minutes)
    return stamps.astype("datetime64[m]").tolist()


def as_objects(
    codes: np.ndarray, values: Sequence[object], valid: np.ndarray | None = None
) -> list:
    """Category codes to the matching objects of `values` (None where `valid` is False)."""
    lookup = list(values)
    result = [lookup[code] for code in np.asarray(codes, dtype=np.int64).tolist()]
    if valid is not None:
        for position in np.flatnonzero(~valid).tolist():
            result[position] = None
    return result


def as_floats(values: np.ndarray) -> list[float | None]:
    """Floats with NaN as None, one object per distinct value."""
    array = np.asarray(values, dtype=float)
    if array.size == 0:
        return []
    nan = np.isnan(array)
    unique, inverse = np.unique(np.where(nan, 0.0, array), return_inverse=True)
    lookup = unique.tolist()
    result: list[float | None] = [lookup[i] for i in inverse.tolist()]
    for position in np.flatnonzero(nan).tolist():
        result[position] = None
    return result


def as_ints(values: np.ndarray) -> list[int]:
    """Python ints, one object per distinct value."""
    array = np.asarray(values, dtype=np.int64)
    if array.size == 0:
        return []
    unique, inverse = np.unique(array, return_inverse=True)
    lookup = unique.tolist()
    return [lookup[i] for i in inverse.tolist()]
