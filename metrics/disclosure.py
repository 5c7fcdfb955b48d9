"""Statistical disclosure control for aggregates shown at COPIL and national level.

The rule (docs/indicators.md, "Secret statistique"): a figure whose
numerator or denominator (or count of people, for a delay) is positive and
below the threshold (11 by default) is not published. `disclose` applies it
to an `IndicatorResult`:

- primary suppression of the headline: value, numerator, denominator and
  status become None and `suppressed` True; every cell of its breakdown is
  then hidden too, and the counts of its details;
- primary suppression of each breakdown cell under the threshold;
- secondary suppression: a breakdown adds up to its total, so a single hidden
  cell could be recomputed from the total and the other cells; when exactly
  one cell is hidden, the smallest other non-empty cell is hidden with it;
- the counts set apart in `details` (sans_t0, fenetre_ouverte...) are hidden
  all together as soon as one of them is under the threshold, since they
  too add up with the headline.

Zero is always publishable: it reveals no one.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from metrics.result import IndicatorResult

DEFAULT_THRESHOLD = 11
# The additive sizes a cell may carry, the first present one ranks it for secondary suppression.
SIZE_KEYS = ("denominator", "count", "numerator")
# Headline counts that are part of the figure itself, not counts set apart.
HEADLINE_DETAIL_KEYS = frozenset({"count"})


def suppress_small_count(count: int, threshold: int) -> int | None:
    """`count` when it may be published, None when 0 < count < threshold.

    Zero is publishable (it reveals no one); a positive count under the
    threshold (11 by default, the DGFiP/Insee rule) is not.
    """
    if count < 0:
        raise ValueError("A count cannot be negative.")
    if 0 < count < threshold:
        return None
    return count


def is_small(count: object, threshold: int) -> bool:
    """True for an integer count that may not be published (0 < count < threshold)."""
    if isinstance(count, bool) or not isinstance(count, int):
        return False
    return suppress_small_count(count, threshold) is None


def _sizes(cell: dict[str, Any]) -> list[int]:
    return [
        cell[key]
        for key in SIZE_KEYS
        if isinstance(cell.get(key), int) and not isinstance(cell.get(key), bool)
    ]


def _rank(cell: dict[str, Any]) -> int:
    sizes = [cell[key] for key in SIZE_KEYS if isinstance(cell.get(key), int)]
    return sizes[0] if sizes else 0


def _hidden(cell: dict[str, Any]) -> dict[str, Any]:
    return {**{key: None for key in cell}, "suppressed": True}


def suppress_cells(cells: dict[str, dict[str, Any]], threshold: int) -> dict[str, dict[str, Any]]:
    """A breakdown with its small cells hidden, plus one more when a single one is."""
    primary = {
        key for key, cell in cells.items() if any(is_small(n, threshold) for n in _sizes(cell))
    }
    hidden = set(primary)
    if len(primary) == 1:
        candidates = [key for key, cell in cells.items() if key not in primary and _rank(cell) > 0]
        if candidates:
            hidden.add(min(candidates, key=lambda key: (_rank(cells[key]), key)))
    return {
        key: _hidden(cell) if key in hidden else {**cell, "suppressed": False}
        for key, cell in cells.items()
    }


def _headline_sizes(result: IndicatorResult) -> list[object]:
    return [result.numerator, result.denominator, result.details.get("count")]


def _details(details: dict[str, Any], threshold: int, hide_all: bool) -> dict[str, Any]:
    counts = [
        key
        for key, value in details.items()
        if isinstance(value, int)
        and not isinstance(value, bool)
        and (hide_all or key not in HEADLINE_DETAIL_KEYS)
    ]
    if not hide_all and not any(is_small(details[key], threshold) for key in counts):
        return dict(details)
    return {key: (None if key in counts else value) for key, value in details.items()}


def disclose(result: IndicatorResult, threshold: int = DEFAULT_THRESHOLD) -> IndicatorResult:
    """`result` as it may be shown to an aggregate-only audience (see the module docstring)."""
    if threshold < 1:
        raise ValueError("The disclosure threshold must be at least 1.")
    if any(is_small(size, threshold) for size in _headline_sizes(result)):
        breakdown = (
            None
            if result.breakdown is None
            else {key: _hidden(cell) for key, cell in result.breakdown.items()}
        )
        return dataclasses.replace(
            result,
            value=None,
            numerator=None,
            denominator=None,
            status=None,
            suppressed=True,
            breakdown=breakdown,
            details=_details(result.details, threshold, hide_all=True),
        )
    breakdown = None if result.breakdown is None else suppress_cells(result.breakdown, threshold)
    return dataclasses.replace(
        result,
        breakdown=breakdown,
        details=_details(result.details, threshold, hide_all=False),
    )
