"""Statistical disclosure control for aggregates shown at COPIL and national level."""

from __future__ import annotations


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
