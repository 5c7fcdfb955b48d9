"""What every indicator returns: `IndicatorResult`, and `Definition`, what it is called."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, fields
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any

UNITS = ("%", "jours", "personnes")
# "neutral": a volume or a distribution, neither up nor down is better in itself.
DIRECTIONS = ("higher", "lower", "neutral")


@dataclass(frozen=True)
class IndicatorResult:
    """One computed indicator.

    `value` is a percentage with one decimal for rates, a number of days for
    delays, a count for `personnes`; None when there is nothing to measure
    (empty denominator), never 0 by default. `numerator` / `denominator` are
    exact counts where the indicator is a rate. `breakdown` maps a category
    to its cell (see docs/indicators.md); `details` carries the counts set
    apart (e.g. `sans_t0`, `fenetre_ouverte`) and the dates used.
    `target`, `trajectory_value`, `status` and `suppressed` are filled by the
    layers that know the territory's targets and the audience.
    """

    code: str
    label: str
    value: float | None
    numerator: int | None
    denominator: int | None
    unit: str
    target: float | None = None
    trajectory_value: float | None = None
    status: str | None = None
    suppressed: bool = False
    breakdown: dict[str, Any] | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"Unknown unit {self.unit!r}; expected one of {UNITS}.")

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready copy: dates as ISO strings, tuples as lists, keys as strings."""
        return {item.name: _jsonable(getattr(self, item.name)) for item in fields(self)}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Enum):
        return _jsonable(value.value)
    if isinstance(value, dict):
        return {str(_jsonable(key)): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return [_jsonable(item) for item in items]
    if isinstance(value, Fraction | Decimal):
        return float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@dataclass(frozen=True)
class Definition:
    """The identity of an indicator: code, French label, unit and the better direction."""

    code: str
    label: str
    unit: str
    direction: str

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"Unknown unit {self.unit!r}; expected one of {UNITS}.")
        if self.direction not in DIRECTIONS:
            raise ValueError(f"Unknown direction {self.direction!r}; expected {DIRECTIONS}.")

    def result(
        self,
        value: float | None,
        numerator: int | None = None,
        denominator: int | None = None,
        breakdown: dict[str, Any] | None = None,
        details: dict[str, Any] | None = None,
    ) -> IndicatorResult:
        """An `IndicatorResult` carrying this definition's code, label and unit."""
        return IndicatorResult(
            code=self.code,
            label=self.label,
            value=value,
            numerator=numerator,
            denominator=denominator,
            unit=self.unit,
            breakdown=breakdown,
            details=dict(details or {}),
        )
