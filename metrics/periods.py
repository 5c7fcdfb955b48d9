"""Calendar arithmetic: months that clamp to the month's end, periods and their months.

"One calendar month after" follows the civil-law reading: the same day
number in the next month, or that month's last day when it is shorter
(31/01/2024 -> 29/02/2024, 30/04 -> 30/05, 31/03 -> 30/04). polars'
`dt.offset_by("<n>mo")` applies the same rule; `add_months` is its plain
Python twin and the tests hold them equal.
"""

from __future__ import annotations

import calendar
import datetime as dt

import polars as pl

ONE_DAY = dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by `months` calendar months, clamped to the end of a shorter month."""
    month_index = day.year * 12 + (day.month - 1) + months
    year, month_zero = divmod(month_index, 12)
    month = month_zero + 1
    last_day = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last_day))


def add_months_expr(expr: pl.Expr, months: int) -> pl.Expr:
    """The polars expression of `add_months` on a Date column (nulls stay null)."""
    return expr.dt.offset_by(f"{months}mo")


def month_key(day: dt.date) -> str:
    """The month of `day` as `YYYY-MM` (the cohort key)."""
    return f"{day.year:04d}-{day.month:02d}"


def month_key_expr(expr: pl.Expr) -> pl.Expr:
    """`month_key` on a Date column."""
    return expr.dt.strftime("%Y-%m")


def months_between(first: dt.date, last: dt.date) -> list[str]:
    """Every `YYYY-MM` from the month of `first` to the month of `last`, both included."""
    keys = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def check_day(name: str, day: object) -> dt.date:
    """`day` if it is a `datetime.date` (not a datetime); ValueError otherwise."""
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        raise ValueError(f"{name} must be a datetime.date, got {type(day).__name__}.")
    return day


def check_period(period_start: object, period_end: object, as_of: object) -> None:
    """Programmer errors on the dates an indicator is computed for raise ValueError."""
    start = check_day("period_start", period_start)
    end = check_day("period_end", period_end)
    check_day("as_of", as_of)
    if start > end:
        raise ValueError(f"period_start {start} is after period_end {end}.")


def years_completed_expr(since: pl.Expr, as_of: dt.date) -> pl.Expr:
    """Whole years from `since` to `as_of` (anniversary reached = one more year).

    Someone whose rights opened on 29/02 completes a year on 01/03 of a
    common year.
    """
    before_anniversary = (since.dt.month() > as_of.month) | (
        (since.dt.month() == as_of.month) & (since.dt.day() > as_of.day)
    )
    return pl.lit(as_of.year) - since.dt.year().cast(pl.Int64) - before_anniversary.cast(pl.Int64)
