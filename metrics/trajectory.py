"""Targets and trajectories: where an indicator should stand at `as_of`, and its status.

A territory sets, per indicator, dated targets (the `targets` import or the
admin form): each point says "reach `target` by `period_end`"; the earliest
point may carry the baseline measured at its `period_start` (T0). The path
runs from the baseline through every target, linearly between two points:

    T0 (period_start of the first point, baseline)  ->  T1 (period_end, target 1)
    -> T2 (period_end, target 2) -> ...

Before the first point the path holds its first value, after the last one
its last target. Without a baseline the path starts at the first target's
date. The target shown beside the value is the one *in force* at `as_of`:
the first point whose `period_end` is on or after `as_of` (the last one once
every date has passed).

Status, direction-aware (a delay is better lower):
- `atteint`: the value meets the target in force;
- `en_trajectoire`: not yet, but at or past the trajectory value;
- `a_surveiller`: behind the trajectory by at most `margin` (5 points of
  percentage, 5 days for a delay, 5 people for a count);
- `hors_trajectoire`: further behind.
No status without a value, without a target, or for a neutral indicator
(a volume or a split is not better higher nor lower).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from metrics.result import IndicatorResult
from metrics.rounding import round_half_away

DEFAULT_MARGIN = 5


class Status(StrEnum):
    ATTEINT = "atteint"
    EN_TRAJECTOIRE = "en_trajectoire"
    A_SURVEILLER = "a_surveiller"
    HORS_TRAJECTOIRE = "hors_trajectoire"


STATUS_LABELS = {
    Status.ATTEINT: "Cible atteinte",
    Status.EN_TRAJECTOIRE: "En trajectoire",
    Status.A_SURVEILLER: "À surveiller",
    Status.HORS_TRAJECTOIRE: "Hors trajectoire",
}


@dataclass(frozen=True)
class TargetPoint:
    """One dated target of one indicator (a row of `indicator_target`)."""

    period_start: dt.date
    period_end: dt.date
    target: float
    baseline: float | None = None

    def __post_init__(self) -> None:
        if self.period_end < self.period_start:
            raise ValueError(
                f"A target's period ends ({self.period_end}) before it starts "
                f"({self.period_start})."
            )


def path(points: Iterable[TargetPoint]) -> list[tuple[dt.date, float]]:
    """The trajectory's corners, in date order: (T0, baseline) if known, then each target."""
    ordered = sorted(points, key=lambda point: point.period_end)
    if not ordered:
        return []
    corners: list[tuple[dt.date, float]] = []
    first = min(ordered, key=lambda point: point.period_start)
    baseline = next((point.baseline for point in ordered if point.baseline is not None), None)
    if baseline is not None and first.period_start < ordered[0].period_end:
        corners.append((first.period_start, baseline))
    corners.extend((point.period_end, point.target) for point in ordered)
    return corners


def trajectory_at(points: Sequence[TargetPoint], as_of: dt.date) -> float | None:
    """The trajectory value at `as_of`, linear between corners, rounded to one decimal."""
    corners = path(points)
    if not corners:
        return None
    if as_of <= corners[0][0]:
        return round_half_away(corners[0][1])
    for (start, low), (end, high) in zip(corners, corners[1:], strict=False):
        if as_of <= end:
            elapsed = Fraction((as_of - start).days, (end - start).days)
            exact = Fraction(low) + (Fraction(high) - Fraction(low)) * elapsed
            return round_half_away(exact)
    return round_half_away(corners[-1][1])


def target_in_force(points: Sequence[TargetPoint], as_of: dt.date) -> float | None:
    """The target of the first point not yet past at `as_of`, else the last target."""
    ordered = sorted(points, key=lambda point: point.period_end)
    if not ordered:
        return None
    for point in ordered:
        if as_of <= point.period_end:
            return point.target
    return ordered[-1].target


def status(
    value: float | None,
    target: float | None,
    trajectory: float | None,
    direction: str,
    margin: float = DEFAULT_MARGIN,
) -> Status | None:
    """The status of `value` against its target and trajectory (see the module docstring)."""
    if value is None or target is None or direction == "neutral":
        return None
    if direction not in ("higher", "lower"):
        raise ValueError(f"Unknown direction {direction!r}.")
    sign = 1 if direction == "higher" else -1
    if sign * (value - target) >= 0:
        return Status.ATTEINT
    reference = target if trajectory is None else trajectory
    behind = sign * (reference - value)
    if behind <= 0:
        return Status.EN_TRAJECTOIRE
    if behind <= margin:
        return Status.A_SURVEILLER
    return Status.HORS_TRAJECTOIRE


def with_target(
    result: IndicatorResult,
    points: Sequence[TargetPoint],
    as_of: dt.date,
    direction: str,
    margin: float = DEFAULT_MARGIN,
) -> IndicatorResult:
    """`result` with its target in force, trajectory value and status at `as_of`."""
    if not points:
        return result
    target = target_in_force(points, as_of)
    trajectory = trajectory_at(points, as_of)
    found = status(result.value, target, trajectory, direction, margin)
    return dataclasses.replace(
        result,
        target=target,
        trajectory_value=trajectory,
        status=None if found is None else found.value,
    )
