"""Callback outputs already computed, kept per app and keyed by everything they depend on.

A page callback's output (Dash components, figures as dicts) is a pure
function of what `page_context` resolved on the server and of the
callback's own inputs: the territory (resolved through the user's scope,
never taken from the URL as is), the facts' version, the user's role and
disclosure threshold, as_of, the parsed filters. `view_key` puts all of
them in the key, so a user of territory A can never be served B's output,
nor a copil member (figures disclosed) an output built for an unrestricted
role, and an import (a new facts version) shows at once.

Anything a callback reads outside the facts (the feuille de route, in the
database) must stay outside the cached part, or have its own version among
the `inputs`.

The cache is bounded (least recently used out first) and thread-safe; a
value is built outside the lock (two threads may build the same output,
both equal). Cached outputs are shared between requests: Dash only
serialises them, and nobody may mutate them.

    html = cached_view(ctx, "copil.splits", (scope,), lambda: build(ctx, scope))
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar

from flask import current_app

if TYPE_CHECKING:
    from callbacks.context import PageContext

T = TypeVar("T")

CACHE_KEY = "view_cache"  # the ViewCache, in the Flask server's extensions
MAX_CACHED_VIEWS = 256


class ViewCache:
    """A bounded, thread-safe LRU of built values (callback outputs), by key."""

    def __init__(self, size: int = MAX_CACHED_VIEWS) -> None:
        if size < 1:
            raise ValueError("The cache must hold at least one view.")
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.builds = 0  # how many values were built (misses)

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """The value kept for `key`, or `build()` kept (a raised error keeps nothing)."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = build()
        with self._lock:
            self.builds += 1
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


def frozen(value: object) -> Hashable:
    """A callback input as a key part: lists become tuples, dicts sorted item tuples."""
    if isinstance(value, list | tuple):
        return tuple(frozen(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((str(key), frozen(item)) for key, item in value.items()))
    if isinstance(value, set | frozenset):
        return tuple(sorted(repr(item) for item in value))
    return value  # type: ignore[return-value]


def view_key(ctx: PageContext, name: str, inputs: tuple[object, ...] = ()) -> tuple:
    """Everything an output of callback `name` depends on, scope resolved on the server."""
    return (
        name,
        ctx.facts.territory_id,
        ctx.facts.version,
        ctx.user.role,
        ctx.threshold,
        ctx.as_of,
        ctx.filters,
        frozen(inputs),
    )


def app_view_cache() -> ViewCache:
    """The app's ViewCache (created on first use)."""
    return current_app.extensions.setdefault(CACHE_KEY, ViewCache())


def cached_view(
    ctx: PageContext, name: str, inputs: tuple[object, ...], build: Callable[[], T]
) -> T:
    """`build()` for this context and inputs, computed once while its key holds."""
    return app_view_cache().get(view_key(ctx, name, inputs), build)
