from __future__ import annotations

import pytest

from metrics.disclosure import suppress_small_count


@pytest.mark.parametrize(
    ("count", "threshold", "expected"),
    [(0, 11, 0), (1, 11, None), (10, 11, None), (11, 11, 11), (1396, 11, 1396), (4, 5, None)],
)
def test_counts_under_the_threshold_are_suppressed(count, threshold, expected):
    assert suppress_small_count(count, threshold) == expected


def test_negative_count_is_a_bug():
    with pytest.raises(ValueError, match="negative"):
        suppress_small_count(-1, 11)
