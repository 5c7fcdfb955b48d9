"""Rounding of published figures: one decimal, half away from zero, computed exactly.

Binary floats cannot hold 66.65 or 12.25 exactly, so `round()` on a float
sometimes rounds a half down (and Python's `round` rounds halves to even).
Rates are computed here from the exact fraction numerator / denominator.
"""

from __future__ import annotations

import math
from fractions import Fraction
from numbers import Rational

DECIMALS = 1


def round_half_away(value: int | float | Fraction, decimals: int = DECIMALS) -> float:
    """`value` rounded to `decimals` places, halves away from zero (2.25 -> 2.3, -2.25 -> -2.3).

    Floats are taken at their exact binary value (a median or a linear
    quantile of whole days is a multiple of 0.25, held exactly).
    """
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"Cannot round a non-finite value: {value!r}.")
    exact = value if isinstance(value, Rational) else Fraction(value)
    scaled = Fraction(exact) * 10**decimals
    magnitude = math.floor(abs(scaled) + Fraction(1, 2))
    signed = -magnitude if scaled < 0 else magnitude
    return float(Fraction(signed, 10**decimals))


def percentage(numerator: int, denominator: int) -> float | None:
    """100 * numerator / denominator rounded to one decimal; None when the denominator is 0."""
    if numerator < 0 or denominator < 0:
        raise ValueError("A numerator or denominator cannot be negative.")
    if numerator > denominator:
        raise ValueError(f"Numerator {numerator} exceeds denominator {denominator}.")
    if denominator == 0:
        return None
    return round_half_away(Fraction(100 * numerator, denominator))


def exact_mean(total: int, count: int) -> float | None:
    """total / count rounded to one decimal; None when there is nothing to average."""
    if count == 0:
        return None
    return round_half_away(Fraction(total, count))
