"""Tables derived from one `Frames`, built once and shared by every indicator computed on it.

Indicators need the same per-person facts again and again: the people
subject at `as_of`, their latest orientation, each person's first
accompaniment act, the period's new entrants. `derived(frames, key, build)`
returns `build()` the first time a key is asked for on a `Frames`, and the
same object afterwards. A key names what is derived and every argument it
depends on (dates, parameters), so a memoised table is exactly the one
`build()` would return now: the memo saves time, never changes a figure.

The memo belongs to its `Frames` instance (created empty with it, gone
with it), is emptied if one of the instance's tables is ever swapped, and
is bounded: the least recently used entries are dropped first, lasting
ones (which depend on no date) and dated ones counted apart. Dated entries
are bounded in number and in bytes (`DATED_BUDGET_BYTES`, polars'
`estimated_size` of the tables they hold): at 200,000 people one dated
table weighs megabytes while a COMOP narrowing or a result weighs almost
nothing, so many small entries may stay where a few large ones could not.
Memoised tables are shared between callers: nobody may mutate them in place.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

# Lasting entries: a handful of tables per Frames, plus one per parameter value in use.
LASTING_CAPACITY = 48
# Dated entries: the full indicator set for one (period, as_of) adds about 25, one COMOP
# view at a new period and week about 32; the byte budget is what really bounds them.
DATED_CAPACITY = 512
DATED_BUDGET_BYTES = 192 * 2**20
# An object that is no polars table, counted at a nominal size.
SMALL_VALUE_BYTES = 1024


def estimated_bytes(value: Any) -> int:
    """The memory a memoised value holds, counting polars tables (also inside tuples,
    lists, dicts and dataclass-like objects one level down) at their estimated size."""
    size = getattr(value, "estimated_size", None)
    if callable(size):
        return int(size())
    if isinstance(value, dict):
        parts: Any = value.values()
    elif isinstance(value, (tuple, list)):
        parts = value
    elif hasattr(value, "__dict__"):
        parts = vars(value).values()
    else:
        return SMALL_VALUE_BYTES
    total = SMALL_VALUE_BYTES
    for part in parts:
        size = getattr(part, "estimated_size", None)
        total += int(size()) if callable(size) else 0
    return total


class Memo:
    """Built values keyed by what they depend on, for one set of tables."""

    def __init__(self, tables: tuple[Any, ...]) -> None:
        self._tables = tables
        self._lasting: OrderedDict[Hashable, Any] = OrderedDict()
        self._dated: OrderedDict[Hashable, Any] = OrderedDict()
        self._dated_bytes: dict[Hashable, int] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], T], tables: tuple[Any, ...], dated: bool) -> T:
        """The value memoised for `key`, built with `build()` when missing or stale."""
        store = self._dated if dated else self._lasting
        capacity = DATED_CAPACITY if dated else LASTING_CAPACITY
        with self._lock:
            if len(tables) != len(self._tables) or any(
                new is not old for new, old in zip(tables, self._tables, strict=True)
            ):
                self._tables = tables
                self._lasting.clear()
                self._dated.clear()
                self._dated_bytes.clear()
            if key in store:
                store.move_to_end(key)
                return store[key]
        # Built outside the lock: two threads may build the same value, both equal.
        value = build()
        weight = estimated_bytes(value) if dated else 0
        with self._lock:
            store[key] = value
            store.move_to_end(key)
            if dated:
                self._dated_bytes[key] = weight
            while len(store) > capacity or (dated and self._over_budget()):
                old_key, _ = store.popitem(last=False)
                self._dated_bytes.pop(old_key, None)
        return value

    def _over_budget(self) -> bool:
        """Dated entries weigh more than the budget (the newest one always stays)."""
        return len(self._dated) > 1 and sum(self._dated_bytes.values()) > DATED_BUDGET_BYTES

    @property
    def dated_bytes(self) -> int:
        """What the dated entries weigh, as estimated when they were stored."""
        with self._lock:
            return sum(self._dated_bytes.values())

    def __len__(self) -> int:
        return len(self._lasting) + len(self._dated)
