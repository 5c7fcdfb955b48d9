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
ones (which depend on no date) and dated ones counted apart. Memoised
tables are shared between callers: nobody may mutate them in place.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

# Lasting entries: a handful of tables per Frames, plus one per parameter value in use.
LASTING_CAPACITY = 48
# Dated entries: the full indicator set for one (period, as_of) adds about 25.
DATED_CAPACITY = 64


class Memo:
    """Built values keyed by what they depend on, for one set of tables."""

    def __init__(self, tables: tuple[Any, ...]) -> None:
        self._tables = tables
        self._lasting: OrderedDict[Hashable, Any] = OrderedDict()
        self._dated: OrderedDict[Hashable, Any] = OrderedDict()
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
            if key in store:
                store.move_to_end(key)
                return store[key]
        # Built outside the lock: two threads may build the same value, both equal.
        value = build()
        with self._lock:
            store[key] = value
            store.move_to_end(key)
            while len(store) > capacity:
                store.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._lasting) + len(self._dated)
