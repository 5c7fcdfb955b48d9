"""An in-memory cache of each territory's facts, so a click never reloads the database.

`FactsCache.get(db, territory)` returns the territory's frames, targets,
thresholds and extraction dates. They are read once, then kept until an
import batch lands or the targets change (`dashboard.facts.facts_version`).
To keep clicks free of queries, the version itself is checked at most once
every `check_seconds` per territory: an import is seen by every worker
within that delay (the process that ran the import calls `invalidate` and
sees it at once). The cache holds `max_territories` territories, least
recently used out first.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from dashboard.facts import facts_version, load_frames, load_targets, territory_params
from dashboard.models import Territory
from dashboard.queries import latest_extractions
from metrics.frames import Frames
from metrics.params import Params
from metrics.trajectory import TargetPoint

DEFAULT_CHECK_SECONDS = 5.0
DEFAULT_MAX_TERRITORIES = 8


@dataclass(frozen=True)
class TerritoryFacts:
    """Everything the indicator engine needs about one territory, as of one version."""

    territory_id: int
    code: str
    name: str
    frames: Frames
    targets: dict[str, list[TargetPoint]]
    params: Params
    extractions: dict[str, dt.date]
    version: tuple[object, ...]

    @property
    def latest_solis(self) -> dt.date | None:
        """The default `as_of`: the newest SOLIS (or demo) extraction."""
        dates = [self.extractions[s] for s in ("solis", "demo") if s in self.extractions]
        return max(dates) if dates else None


def load_territory_facts(db: Session, territory: Territory) -> TerritoryFacts:
    """Read one territory's facts from the database (no cache)."""
    version = facts_version(db, territory.id)
    return TerritoryFacts(
        territory_id=territory.id,
        code=territory.code,
        name=territory.name,
        frames=load_frames(db, territory.id),
        targets=load_targets(db, territory.id),
        params=territory_params(territory),
        extractions=latest_extractions(db, [territory.id]),
        version=version,
    )


@dataclass
class _Entry:
    facts: TerritoryFacts
    checked_at: float


class FactsCache:
    """Territory facts kept in memory between requests (one per app process)."""

    def __init__(
        self,
        check_seconds: float = DEFAULT_CHECK_SECONDS,
        max_territories: int = DEFAULT_MAX_TERRITORIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_territories < 1:
            raise ValueError("The cache must hold at least one territory.")
        self.check_seconds = check_seconds
        self.max_territories = max_territories
        self._clock = clock
        self._entries: OrderedDict[int, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self.loads = 0  # how many times facts were read from the database

    def get(self, db: Session, territory: Territory) -> TerritoryFacts:
        now = self._clock()
        with self._lock:
            entry = self._entries.get(territory.id)
            if entry is not None:
                self._entries.move_to_end(territory.id)
                if now - entry.checked_at < self.check_seconds:
                    return entry.facts
        if entry is not None and facts_version(db, territory.id) == entry.facts.version:
            with self._lock:
                entry.checked_at = now
            return entry.facts
        facts = load_territory_facts(db, territory)
        with self._lock:
            self.loads += 1
            self._entries[territory.id] = _Entry(facts, now)
            self._entries.move_to_end(territory.id)
            while len(self._entries) > self.max_territories:
                self._entries.popitem(last=False)
        return facts

    def invalidate(self, territory_id: int | None = None) -> None:
        """Forget one territory's facts (or all): the next `get` reads them again."""
        with self._lock:
            if territory_id is None:
                self._entries.clear()
            else:
                self._entries.pop(territory_id, None)
