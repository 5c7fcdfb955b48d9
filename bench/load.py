"""Load test: N logged-in users for D seconds against gunicorn on PostgreSQL, 127.0.0.1 only.

    .venv/bin/python bench/load.py --database postgresql+psycopg://USER@127.0.0.1:PORT/pilotage_load
        [--size 200000] [--reuse] [--users 20] [--duration 300] [--workers 4] [--warmup 30]
        [--think 1.0] [--no-production] [--json]

Builds the database (bench/load_data.py: one territory of `--size` people,
one account per role; `--reuse` keeps it when it exists), starts
`gunicorn dashboard.wsgi:application` on a free 127.0.0.1 port, then runs
`--users` virtual users (threads, a quarter per role) that log in through the
form and go through their pages as a browser does (bench/load_client.py):
page, layout, dependencies, initial callbacks, then filter changes (period,
kind of period, the page's own selectors) with `--think` seconds (at most)
between actions. A `--warmup` phase runs first, unmeasured, so every worker
has read the territory's facts. Prints per route and callback: requests,
errors, p50 / p95 / p99 latency, then totals, throughput and the workers'
peak RSS; exits 1 when any request failed.

PILOTAGE_PRODUCTION=1 by default (Secure cookies, HSTS, no debug): the client
sends the Secure cookie back over plain HTTP to 127.0.0.1 (load_client.Browser._send).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load_client import Browser  # noqa: E402
from load_data import LOAD_PASSWORD, LOAD_ROLES, build_database, load_login  # noqa: E402
from load_report import Recorder, print_table, summarise  # noqa: E402
from load_server import Server, gunicorn, refuse_remote  # noqa: E402

__all__ = ["build_database", "gunicorn", "run_users", "summarise", "Recorder", "main"]

# Pages each role goes through (the first is its own page, visited most), and the
# selectors a user changes on each page besides the shared period filter.
ROLE_PAGES = {
    "admin": ("/copil", "/comop", "/projet", "/"),
    "copil": ("/copil", "/projet", "/"),
    "comop": ("/comop", "/"),
    "projet": ("/projet", "/"),
}
PAGE_SELECTORS = {
    "/": (),
    "/copil": (
        "copil-trajectory-indicator",
        "copil-split-scope",
        "copil-breakdown-indicator",
        "copil-breakdown-dimension",
    ),
    "/comop": ("comop-tabs", "comop-site", "comop-organisme", "comop-referent", "comop-week"),
    "/projet": ("projet-filter-axis", "projet-filter-owner", "projet-filter-status"),
}
SHARED_SELECTORS = ("filter-period", "filter-kind")
# What one tour of every role goes through: the short test asserts each was requested.
SCENARIO_ROUTES = (
    "GET /login",
    "POST /login",
    *(f"GET {path}" for path in PAGE_SELECTORS),
    "GET /_dash-layout",
    "GET /_dash-dependencies",
    "cb _pages_content.children",
    "cb filter-territory.options",
    "cb filter-period.options",
    "cb frame-url.search <- filter-territory",
    "cb frame-url.search <- comop-tabs",
    "cb home-summary.children",
    "cb copil-heading.children",
    "cb copil-trajectory.children",
    "cb copil-splits.children",
    "cb copil-breakdown.children",
    "cb comop-site.options",
    "cb comop-error.children",
    "cb projet-error.children",
    "cb projet-history.children",
)
SKIPPED_CHOICES = {"personnalise"}  # a custom range needs two months typed, not a click


# -- the users ----------------------------------------------------------------------------
def choices(browser: Browser, component: str) -> list[object]:
    """The values a user can pick in a dropdown, radio list or tabs, other than the current."""
    options = browser.value(component, "options")
    if options is None:  # dcc.Tabs: the tabs' values
        children = browser.value(component, "children") or []
        options = [child.get("props", {}).get("value") for child in children]
    values = [item.get("value") if isinstance(item, dict) else item for item in options or ()]
    current = browser.value(component, "value")
    picked = current if isinstance(current, list) else [current]
    return [v for v in values if v is not None and v not in picked and v not in SKIPPED_CHOICES]


def pick(browser: Browser, component: str, rng: random.Random) -> object | None:
    candidates = choices(browser, component)
    if not candidates:
        return None
    value = rng.choice(candidates)
    return [value] if isinstance(browser.value(component, "value"), list) else value


def virtual_user(
    base_url: str, role: str, stop: float, recorder: Recorder, seed: int, think: float
) -> None:
    """Log in, go once through every page and selector of the role, then wander at random."""
    try:
        _wander(base_url, role, stop, recorder, seed, think)
    except Exception as error:  # noqa: BLE001 - a crashed user is an error of the run
        recorder.record(f"user {role}", 0.0, f"{type(error).__name__}: {error}")


def _wander(base_url: str, role: str, stop: float, recorder: Recorder, seed: int, think: float):
    rng = random.Random(seed)
    browser = Browser(base_url, recorder.record)
    if not browser.login(load_login(role), LOAD_PASSWORD):
        return
    pages = ROLE_PAGES[role]
    first_round = True
    visit = 0
    while time.monotonic() < stop:
        path = pages[visit % len(pages)] if first_round else rng.choice((pages[0], *pages))
        visit += 1
        first_round = first_round and visit < len(pages)
        browser.open(path)
        selectors = [
            name for name in (*PAGE_SELECTORS[path], *SHARED_SELECTORS) if name in browser.props
        ]
        if visit > len(pages):
            selectors = rng.sample(selectors, k=min(len(selectors), rng.randint(1, 4)))
        for component in selectors:
            if time.monotonic() >= stop:
                return
            time.sleep(rng.uniform(0, think))
            value = pick(browser, component, rng)
            if value is not None:
                browser.change(component, "value", value)
        time.sleep(rng.uniform(0, think))


def run_users(
    base_url: str, users: int, seconds: float, think: float, seed: int = 0
) -> tuple[Recorder, float]:
    """`users` threads for `seconds`; roles in turn (admin, copil, comop, projet...)."""
    refuse_remote(urlsplit(base_url).hostname, "The target")
    recorder = Recorder()
    roles = [LOAD_ROLES[index % len(LOAD_ROLES)].value for index in range(users)]
    started = time.monotonic()
    stop = started + seconds
    threads = [
        threading.Thread(
            target=virtual_user, args=(base_url, role, stop, recorder, seed + index, think)
        )
        for index, role in enumerate(roles)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return recorder, time.monotonic() - started


def _sample_memory(server: Server, done: threading.Event) -> None:
    while not done.wait(1.0):
        server.sample_rss()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="postgresql+psycopg://...@127.0.0.1/db")
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--reuse", action="store_true", help="keep the database when present")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=300.0)
    parser.add_argument("--warmup", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--no-production", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    url = make_url(args.database)
    refuse_remote(url.host, "The database")
    if url.get_backend_name() != "postgresql" or url.database in (None, "postgres"):
        raise SystemExit("--database must name a PostgreSQL database of its own (dropped, rebuilt)")
    report = build_database(args.database, args.size, reuse=args.reuse)
    say = (lambda *a: print(*a, file=sys.stderr)) if args.json else print
    what = "reused" if report.reused else f"built ({report.rows} rows)"
    steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in report.steps.items())
    say(f"database of {report.beneficiaries} beneficiaries {what} in {report.seconds:.1f} s")
    if steps:
        say(f"  ({steps})")
    with gunicorn(args.database, args.workers, production=not args.no_production) as server:
        done = threading.Event()
        sampler = threading.Thread(target=_sample_memory, args=(server, done), daemon=True)
        sampler.start()
        warm = Recorder()
        if args.warmup > 0:
            warm, seconds = run_users(server.base_url, args.users, args.warmup, args.think, 1000)
            say(f"warm-up: {sum(map(len, warm.times.values()))} requests in {seconds:.0f} s, "
                f"{sum(warm.errors.values())} errors (latencies not counted)")  # fmt: skip
        recorder, seconds = run_users(server.base_url, args.users, args.duration, args.think)
        done.set()
        server.sample_rss()
    figures = summarise(recorder, seconds)
    figures["workers_peak_rss_mib"] = sorted(
        round(kib / 1024) for kib in server.peak_rss_kib.values()
    )
    figures["build"] = {"size": report.size, "beneficiaries": report.beneficiaries,
                        "reused": report.reused, "seconds": report.seconds,
                        "rows": report.rows, "steps": report.steps}  # fmt: skip
    figures["users"], figures["workers"] = args.users, args.workers
    figures["warmup_errors"] = sum(warm.errors.values())
    figures["error_samples"] += warm.samples
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print_table(figures)
    failed = figures["errors"] or figures["warmup_errors"] or not figures["requests"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
