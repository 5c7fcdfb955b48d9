"""The load test's virtual users: who they are, where they go, what they click.

Users are spread over the territories in turn (user i in territory i mod T)
and, within a territory, over the roles in turn (admin, copil, comop, projet),
each logged in with its territory's account for that role
(bench/load_data.py). Each goes once through every page and selector of its
role, then wanders at random, pausing uniform(`think_min`, `think_max`)
seconds between actions. One user in `FORGER_EVERY` (with at least two
territories) also types another territory's code in the address
(`?territoire=...`) before its first page and then on
`FORGED_SHARE` of its visits after the first round: the app must refuse in French
(bench/load_territories.py). Every answer goes through the leak check.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from load_client import Browser
from load_data import LOAD_PASSWORD, LOAD_ROLES, load_login
from load_report import Recorder
from load_server import refuse_remote
from load_territories import TERRITORY_MARKERS, LeakCheck

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
# What one tour of every role goes through: the short tests assert each was requested.
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
FORGER_EVERY = 3  # users 2, 5, 8... forge addresses
FORGED_SHARE = 0.2
FORGEABLE = ("/copil", "/comop", "/projet")  # the home page shows the user's scope, no territory
DEFAULT_CODES = (TERRITORY_MARKERS[0][0],)


@dataclass(frozen=True)
class VirtualUser:
    role: str
    code: str  # its territory
    codes: tuple[str, ...]  # every territory of the run (for the leak check)
    forger: bool
    seed: int


def plan_users(users: int, codes: tuple[str, ...], seed: int = 0) -> list[VirtualUser]:
    """User i: territory i mod T, role (i div T) mod 4; every third user forges addresses."""
    count = len(codes)
    return [
        VirtualUser(
            role=LOAD_ROLES[(index // count) % len(LOAD_ROLES)].value,
            code=codes[index % count],
            codes=codes,
            forger=count > 1 and index % FORGER_EVERY == FORGER_EVERY - 1,
            seed=seed + index,
        )
        for index in range(users)
    ]


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
    base_url: str, user: VirtualUser, stop: float, recorder: Recorder, think: tuple[float, float]
) -> None:
    """Log in, go once through every page and selector of the role, then wander at random."""
    try:
        _wander(base_url, user, stop, recorder, think)
    except Exception as error:  # noqa: BLE001 - a crashed user is an error of the run
        recorder.record(f"user {user.role}", 0.0, f"{type(error).__name__}: {error}")


def forged_visit(browser: Browser, path: str, other: str, recorder: Recorder) -> None:
    """Open `path?territoire=<other>`: the French refusal is expected, a leak is an error, and
    so is a visit that shows no refusal at all."""
    recorder.count_forged()
    browser.forged, before = other, browser.refused
    try:
        browser.open(path, f"?territoire={other}")
    finally:
        browser.forged = None
    if browser.refused == before:
        recorder.record(f"forged {path}", 0.0, f"no refusal for ?territoire={other}")


def _wander(
    base_url: str, user: VirtualUser, stop: float, recorder: Recorder, think: tuple[float, float]
) -> None:
    rng = random.Random(user.seed)
    check = LeakCheck(user.code, list(user.codes))
    browser = Browser(base_url, recorder.record, check=check)
    if not browser.login(load_login(user.role, user.code), LOAD_PASSWORD):
        return
    pages = ROLE_PAGES[user.role]
    others = [code for code, _ in check.others]
    first_round = True
    visit = 0
    while time.monotonic() < stop:
        path = pages[visit % len(pages)] if first_round else rng.choice((pages[0], *pages))
        visit += 1
        if user.forger and (visit == 1 or (not first_round and rng.random() < FORGED_SHARE)):
            target = path if path in FORGEABLE else pages[0]
            forged_visit(browser, target, rng.choice(others), recorder)
            time.sleep(rng.uniform(*think))
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
            time.sleep(rng.uniform(*think))
            value = pick(browser, component, rng)
            if value is not None:
                browser.change(component, "value", value)
        time.sleep(rng.uniform(*think))


def run_users(
    base_url: str,
    users: int,
    seconds: float,
    think: float,
    seed: int = 0,
    *,
    think_min: float = 0.0,
    codes: tuple[str, ...] = DEFAULT_CODES,
) -> tuple[Recorder, float]:
    """`users` threads for `seconds`, spread over the territories `codes` (plan_users)."""
    refuse_remote(urlsplit(base_url).hostname, "The target")
    if not 0 <= think_min <= think:
        raise SystemExit("--think-min must be between 0 and --think")
    recorder = Recorder()
    started = time.monotonic()
    stop = started + seconds
    threads = [
        threading.Thread(
            target=virtual_user, args=(base_url, user, stop, recorder, (think_min, think))
        )
        for user in plan_users(users, tuple(codes), seed)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return recorder, time.monotonic() - started
