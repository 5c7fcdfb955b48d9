"""Flat memory: each gunicorn worker's RSS (and PostgreSQL's total) sampled over the run.

`MemoryTimeline.sample()` reads /proc every few seconds (load.py's sampler
thread); `memory_summary(samples, slice_seconds, tolerance)` cuts the measured
run (after the warm-up: times from 0) into slices of `slice_seconds`, gives the
median RSS per worker in each, and the growth of each worker's median between
the first slice and the last. A growth above `tolerance` (10 % by default), or
a worker that disappeared (gunicorn restarted it), makes the memory "non
stable": the run exits 1. PostgreSQL's total (the postmaster and its children:
shared buffers count once per process that touched them) is printed, not
judged: it grows while the buffers fill.
"""

from __future__ import annotations

import statistics
import threading
import time
from pathlib import Path

from sqlalchemy import text

from dashboard.db import make_engine

MEMORY_TOLERANCE = 0.10
SLICE_SECONDS = 300.0


def rss_kib(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return None


def children(pid: int) -> list[int]:
    try:
        return [
            int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        ]
    except OSError:
        return []


def postgres_pid(database_url: str) -> int | None:
    """The postmaster's pid, from postmaster.pid in the data directory (a superuser reads it)."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            directory = connection.execute(text("SHOW data_directory")).scalar_one()
        return int((Path(directory) / "postmaster.pid").read_text().split()[0])
    except Exception:  # noqa: BLE001 - not readable here: PostgreSQL is left out
        return None
    finally:
        engine.dispose()


class MemoryTimeline:
    """(seconds since `start`, {worker pid: RSS KiB}, PostgreSQL total KiB or None)."""

    def __init__(self, gunicorn_pid: int, postgres: int | None):
        self.gunicorn_pid = gunicorn_pid
        self.postgres = postgres
        self.start = time.monotonic()
        self.samples: list[tuple[float, dict[int, int], int | None]] = []
        self.lock = threading.Lock()

    def restart_clock(self) -> None:
        """The measured run starts now: earlier samples (warm-up) get negative times."""
        self.start = time.monotonic()

    def sample(self) -> None:
        workers = {pid: rss for pid in children(self.gunicorn_pid) if (rss := rss_kib(pid))}
        database = None
        if self.postgres is not None:
            pids = [self.postgres, *children(self.postgres)]
            database = sum(rss_kib(pid) or 0 for pid in pids) or None
        with self.lock:
            self.samples.append((time.monotonic() - self.start, workers, database))

    def run(self, every: float, done: threading.Event, limit: int = 100_000) -> None:
        """Sample every `every` seconds until `done` (at most `limit` samples)."""
        for _ in range(limit):
            if done.wait(every):
                return
            self.sample()


def _median_mib(values: list[int]) -> float:
    return round(statistics.median(values) / 1024, 1)


def memory_summary(
    samples: list[tuple[float, dict[int, int], int | None]],
    slice_seconds: float = SLICE_SECONDS,
    tolerance: float = MEMORY_TOLERANCE,
    until: float | None = None,
) -> dict:
    """Median RSS (MiB) per worker and slice of the measured run, growth first to last slice.

    Samples before 0 (warm-up) are left out; those after `until` (the run's end) join the
    last slice instead of making a slice of their own."""
    measured = [sample for sample in samples if sample[0] >= 0]
    slices: list[dict] = []
    for at, workers, database in measured:
        if until is not None:
            at = min(at, max(0.0, until - slice_seconds / 1000))
        index = int(at // slice_seconds)
        while len(slices) <= index:
            slices.append({"start_s": len(slices) * slice_seconds, "workers": {}, "postgres": []})
        for pid, rss in workers.items():
            slices[index]["workers"].setdefault(pid, []).append(rss)
        if database is not None:
            slices[index]["postgres"].append(database)
    slices = [item for item in slices if item["workers"]]
    table = [
        {
            "start_s": item["start_s"],
            "workers_mib": {pid: _median_mib(v) for pid, v in sorted(item["workers"].items())},
            "postgres_mib": _median_mib(item["postgres"]) if item["postgres"] else None,
        }
        for item in slices
    ]
    growth: dict[int, float] = {}
    lost: list[int] = []
    if table:
        first, last = table[0]["workers_mib"], table[-1]["workers_mib"]
        growth = {pid: round(last[pid] / first[pid] - 1, 4) for pid in first if pid in last}
        lost = sorted(pid for pid in first if pid not in last)
    stable = bool(table) and not lost and all(g <= tolerance for g in growth.values())
    return {
        "slice_s": slice_seconds,
        "tolerance": tolerance,
        "slices": table,
        "growth": growth,
        "workers_lost": lost,
        "stable": stable,
    }


def print_memory(summary: dict) -> None:
    print(f"memory, median RSS per {summary['slice_s']:.0f} s slice of the measured run (MiB):")
    for row in summary["slices"]:
        workers = " ".join(f"{mib:.0f}" for mib in row["workers_mib"].values())
        postgres = f"; PostgreSQL {row['postgres_mib']:.0f}" if row["postgres_mib"] else ""
        print(f"  from {row['start_s']:>6.0f} s: workers {workers}{postgres}")
    growth = ", ".join(f"{share:+.1%}" for share in summary["growth"].values())
    if len(summary["slices"]) < 2:
        print("  one slice only: growth not measurable (run longer than a slice)")
    print(f"  growth first to last slice per worker: {growth or '-'} "
          f"(tolerance {summary['tolerance']:.0%})")  # fmt: skip
    if summary["workers_lost"]:
        print(f"  workers gone during the run (restarted?): {summary['workers_lost']}")
    if not summary["stable"]:
        print("  mémoire non stable")
