"""Load and soak test: N users for D seconds against gunicorn on PostgreSQL, 127.0.0.1 only.

    .venv/bin/python bench/load.py --database postgresql+psycopg://USER@127.0.0.1:PORT/pilotage_load
        [--size 200000] [--territories 1] [--sizes 200000,60000,20000] [--reuse]
        [--users 20] [--duration 300] [--workers 4] [--warmup 30] [--think 1.0]
        [--think-min 0] [--sample-every 5] [--slice 300] [--soak] [--no-production] [--json]

Builds the database (bench/load_data.py: `--territories` départements, the
first of `--size` people and each next a third of the previous, or
`--sizes`; one account per role in each; `--reuse` keeps it when it
exists), starts `gunicorn dashboard.wsgi:application` on a free 127.0.0.1
port, then runs `--users` virtual users (threads spread over territories and
roles, bench/load_users.py) that log in through the form and go through
their pages as a browser does (bench/load_client.py): page, layout,
dependencies, initial callbacks, then filter changes with a pause of
uniform(`--think-min`, `--think`) seconds between actions. Some users forge
`?territoire=<other code>`: the French refusal is expected. Every answer is
checked for another territory's code or name (a "fuite", an error). A
`--warmup` phase runs first, unmeasured, so every worker has read the
territories' facts. Each worker's RSS (and PostgreSQL's total) is sampled
every `--sample-every` seconds (bench/load_memory.py). Prints per route and
callback: requests, errors, p50 / p95 / p99 latency, then totals,
throughput, 5xx, leaks, refusals and the memory per `--slice`; exits 1 on
any error or leak, or when a worker's memory grew over 10 % ("mémoire non
stable").

`--soak` is the security plan's soak preset (line 26): 50 users, 3
territories of 200,000, 60,000 and 20,000 people (unless `--sizes`), 1800 s,
think time 2 to 10 s, warm-up 120 s (the other options still apply).

PILOTAGE_PRODUCTION=1 by default (Secure cookies, HSTS, no debug): the client
sends the Secure cookie back over plain HTTP to 127.0.0.1 (load_client.Browser._send).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from pathlib import Path

from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load_data import build_database  # noqa: E402
from load_memory import MemoryTimeline, memory_summary, postgres_pid, print_memory  # noqa: E402
from load_report import Recorder, print_table, summarise  # noqa: E402
from load_server import gunicorn, refuse_remote  # noqa: E402
from load_territories import LeakCheck, plan_territories  # noqa: E402
from load_users import SCENARIO_ROUTES, plan_users, run_users  # noqa: E402

__all__ = [
    "build_database",
    "gunicorn",
    "run_users",
    "summarise",
    "Recorder",
    "LeakCheck",
    "SCENARIO_ROUTES",
    "plan_territories",
    "plan_users",
    "memory_summary",
    "main",
]
# The warm-up is longer than the 20-user run's: at 2 to 10 s between actions a user makes
# about 20 actions in 120 s, so every worker has served every territory before the timeline.
SOAK = {
    "users": 50,
    "territories": 3,
    "duration": 1800.0,
    "think_min": 2.0,
    "think": 10.0,
    "warmup": 120.0,
}
SOAK_SIZES = [200_000, 60_000, 20_000]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="postgresql+psycopg://...@127.0.0.1/db")
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--territories", type=int, default=1)
    parser.add_argument("--sizes", type=lambda text: [int(part) for part in text.split(",")])
    parser.add_argument("--reuse", action="store_true", help="keep the database when present")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=300.0)
    parser.add_argument("--warmup", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--think", type=float, default=1.0, help="longest pause (s)")
    parser.add_argument("--think-min", type=float, default=0.0, help="shortest pause (s)")
    parser.add_argument("--sample-every", type=float, default=5.0, help="memory sampling (s)")
    parser.add_argument("--slice", type=float, default=300.0, help="memory timeline slice (s)")
    parser.add_argument("--soak", action="store_true", help="50 users, 3 territories, 1800 s")
    parser.add_argument("--no-production", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.soak:
        for name, value in SOAK.items():
            setattr(args, name, value)
        args.sizes = args.sizes or SOAK_SIZES
    if args.users < 1 or args.duration <= 0 or args.sample_every <= 0 or args.slice <= 0:
        raise SystemExit("--users, --duration, --sample-every and --slice must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = make_url(args.database)
    refuse_remote(url.host, "The database")
    if url.get_backend_name() != "postgresql" or url.database in (None, "postgres"):
        raise SystemExit("--database must name a PostgreSQL database of its own (dropped, rebuilt)")
    territories = plan_territories(args.territories, args.size, args.sizes)
    codes = tuple(item.code for item in territories)
    report = build_database(args.database, territories, reuse=args.reuse)
    say = (lambda *a: print(*a, file=sys.stderr)) if args.json else print
    what = "reused" if report.reused else f"built ({report.rows} rows)"
    steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in report.steps.items())
    people = ", ".join(f"{code} {count}" for code, count in report.beneficiaries.items())
    say(f"database of beneficiaries {people} {what} in {report.seconds:.1f} s")
    if steps:
        say(f"  ({steps})")
    with gunicorn(args.database, args.workers, production=not args.no_production) as server:
        memory = MemoryTimeline(server.process.pid, postgres_pid(args.database))
        done = threading.Event()
        sampler = threading.Thread(target=memory.run, args=(args.sample_every, done), daemon=True)
        sampler.start()
        think = {"think": args.think, "think_min": args.think_min, "codes": codes}
        warm = Recorder()
        if args.warmup > 0:
            warm, seconds = run_users(server.base_url, args.users, args.warmup, seed=1000, **think)
            say(f"warm-up: {sum(map(len, warm.times.values()))} requests in {seconds:.0f} s, "
                f"{sum(warm.errors.values())} errors (latencies not counted)")  # fmt: skip
        memory.restart_clock()
        memory.sample()
        recorder, seconds = run_users(server.base_url, args.users, args.duration, **think)
        memory.sample()
        done.set()
        sampler.join(timeout=10)
    figures = summarise(recorder, seconds)
    figures["memory"] = memory_summary(memory.samples, args.slice, until=args.duration)
    peaks: dict[int, int] = {}
    for _, workers, _ in memory.samples:
        for pid, kib in workers.items():
            peaks[pid] = max(kib, peaks.get(pid, 0))
    figures["workers_peak_rss_mib"] = sorted(round(kib / 1024) for kib in peaks.values())
    figures["build"] = {"sizes": report.sizes, "beneficiaries": report.beneficiaries,
                        "reused": report.reused, "seconds": report.seconds,
                        "rows": report.rows, "steps": report.steps}  # fmt: skip
    figures["users"], figures["workers"], figures["territories"] = args.users, args.workers, codes
    figures["think_s"] = [args.think_min, args.think]
    figures["warmup_errors"] = sum(warm.errors.values())
    figures["error_samples"] += warm.samples
    figures["leaks"] += len(warm.leaks)
    figures["leak_samples"] += warm.leaks
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"{args.users} users over {', '.join(codes)}, {args.workers} workers, "
              f"{figures['seconds']} s measured, think time uniform({args.think_min:g}, "
              f"{args.think:g}) s between actions")  # fmt: skip
        print_table(figures)
        print_memory(figures["memory"])
    failed = figures["errors"] or figures["warmup_errors"] or not figures["requests"]
    return 1 if failed or figures["leaks"] or not figures["memory"]["stable"] else 0


if __name__ == "__main__":
    sys.exit(main())
