"""Summary of a list of delays in days: median, mean, third quartile, count."""

from __future__ import annotations

import polars as pl

from metrics.rounding import exact_mean, round_half_away


def delay_summary(delays: pl.Series) -> dict[str, float | int | None]:
    """{"median", "mean", "p75", "count"} of whole-day delays, one decimal, None when empty.

    median: polars' median (the mean of the two middle values for an even
    count); mean: exact total / count; p75: the 75th percentile with linear
    interpolation between the closest ranks (position 0.75 * (count - 1)).
    """
    values = delays.drop_nulls().cast(pl.Int64)
    count = values.len()
    if count == 0:
        return {"median": None, "mean": None, "p75": None, "count": 0}
    median = values.median()
    p75 = values.quantile(0.75, interpolation="linear")
    return {
        "median": round_half_away(float(median)),  # type: ignore[arg-type]
        "mean": exact_mean(int(values.sum()), count),
        "p75": round_half_away(float(p75)),  # type: ignore[arg-type]
        "count": count,
    }
