"""The load test's figures: latencies per route, percentiles, the printed table.

`Recorder.record(name, ms, error)` is called from every user's thread;
`summarise` turns it into requests, errors and nearest-rank p50 / p95 / p99
per route and in total, and tells whether the callbacks' p95 is under
`CALLBACK_LIMIT_MS` (the issue's goal).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field

from load_territories import LEAK, REFUSAL

CALLBACK_LIMIT_MS = 300


@dataclass
class Recorder:
    """Latencies and errors per route, safe across threads.

    An error starting with `LEAK` is also counted as a leak ("fuite"), every one
    kept with its route; one starting with `REFUSAL` is the expected answer to a
    forged address: counted apart, not an error.
    """

    times: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    samples: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    refusals: int = 0
    forged: int = 0
    status_5xx: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, name: str, ms: float, error: str | None) -> None:
        with self.lock:
            self.times.setdefault(name, []).append(ms)
            if error is not None and error.startswith(REFUSAL):
                self.refusals += 1
            elif error is not None:
                self.errors[name] = self.errors.get(name, 0) + 1
                self.status_5xx += error.startswith("HTTP 5")
                if error.startswith(LEAK) and len(self.leaks) < 200:
                    self.leaks.append(f"{name}: {error}")
                if len(self.samples) < 20:
                    self.samples.append(f"{name}: {error}")

    def count_forged(self) -> None:
        with self.lock:
            self.forged += 1


def _percentile(ordered: list[float], share: float) -> float:
    """Nearest rank: the smallest value with at least `share` of the values at or below it."""
    index = min(len(ordered) - 1, max(0, math.ceil(round(share * len(ordered), 9)) - 1))
    return ordered[index]


def summarise(recorder: Recorder, seconds: float) -> dict:
    routes = {}
    for name, times in sorted(recorder.times.items()):
        ordered = sorted(times)
        routes[name] = {
            "requests": len(times),
            "errors": recorder.errors.get(name, 0),
            "p50_ms": round(_percentile(ordered, 0.50), 1),
            "p95_ms": round(_percentile(ordered, 0.95), 1),
            "p99_ms": round(_percentile(ordered, 0.99), 1),
        }
    every = sorted(t for times in recorder.times.values() for t in times)
    callbacks = sorted(t for n, ts in recorder.times.items() if n.startswith("cb ") for t in ts)
    total = len(every)
    return {
        "routes": routes,
        "requests": total,
        "errors": sum(recorder.errors.values()),
        "status_5xx": recorder.status_5xx,
        "error_samples": list(recorder.samples),
        "leaks": len(recorder.leaks),
        "leak_samples": list(recorder.leaks),
        "forged_visits": recorder.forged,
        "refusals": recorder.refusals,
        "seconds": round(seconds, 1),
        "throughput_rps": round(total / seconds, 1) if seconds else 0.0,
        "p95_ms": round(_percentile(every, 0.95), 1) if every else None,
        "callbacks_p95_ms": round(_percentile(callbacks, 0.95), 1) if callbacks else None,
        "callbacks_p95_under_limit": bool(callbacks)
        and _percentile(callbacks, 0.95) < CALLBACK_LIMIT_MS,
    }


def print_table(figures: dict) -> None:
    print(f"{'route / callback':<46} {'requests':>8} {'errors':>6} {'p50 ms':>8} "
          f"{'p95 ms':>8} {'p99 ms':>8}")  # fmt: skip
    for name, row in figures["routes"].items():
        print(
            f"{name[:46]:<46} {row['requests']:>8} {row['errors']:>6} {row['p50_ms']:>8.0f} "
            f"{row['p95_ms']:>8.0f} {row['p99_ms']:>8.0f}"
        )
    print(
        f"total: {figures['requests']} requests, {figures['errors']} errors in "
        f"{figures['seconds']} s = {figures['throughput_rps']} requests/s; p95 {figures['p95_ms']} "
        f"ms; callbacks p95 {figures['callbacks_p95_ms']} ms "
        f"(< {CALLBACK_LIMIT_MS} ms: {'yes' if figures['callbacks_p95_under_limit'] else 'no'})"
    )
    print(f"5xx: {figures['status_5xx']}; fuites (another territory's code or name in an "
          f"answer): {figures['leaks']}; forged addresses: {figures['forged_visits']} visits, "
          f"{figures['refusals']} answers with the French refusal (expected)")  # fmt: skip
    rss = figures.get("workers_peak_rss_mib")
    if rss:
        print(f"gunicorn workers' peak RSS (MiB): {rss}")
    for sample in figures["error_samples"]:
        print(f"  error: {sample}")
    for leak in figures["leak_samples"]:
        print(f"  fuite: {leak}")
