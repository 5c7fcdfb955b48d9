"""The soak test's short form (security plan line 26) and its checks, bench/load.py.

The slow test runs two territories of the demo's size in a fresh database of
the test cluster, gunicorn with two workers, six users for 20 seconds, and
asserts no error, no leak (another territory's code or name in an answer),
that the forged addresses were refused in French and that every route of the
scenario was requested. The fast tests show that each check can fail: the
leak check on an answer holding the other territory's marker, the browser on
a served leak, the memory summary on a growing worker.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

# load_database: a fresh database of the test cluster, dropped afterwards (a fixture).
from tests.test_load_short import _bench_load, load_database  # noqa: F401

REFUSAL_TEXT = "Territoire inconnu ou hors de votre p\\u00e9rim\\u00e8tre."  # as JSON sends it


load = _bench_load()
CODES = ["35-CHARGE", "59-BETELGEUSE", "48-CANOPUS"]


# -- the leak check -------------------------------------------------------------------------
def test_leak_check_flags_the_other_territorys_name_or_code():
    check = load.LeakCheck("35-CHARGE", CODES)
    own = '{"response": {"filter-territory": {"value": "35-CHARGE", "label": "Charge Aldebaran"}}}'
    assert check(own) is None
    assert check('{"children": "Charge Betelgeuse"}').startswith("fuite")
    assert "48-CANOPUS" in check('{"value": "48-CANOPUS"}')
    # A forged code is the user's own input: the address may echo it, the name may not appear.
    assert check("?territoire=59-BETELGEUSE", forged="59-BETELGEUSE") is None
    assert check("Charge Betelgeuse", forged="59-BETELGEUSE").startswith("fuite")
    # ...and a third territory's code still counts during a forged visit.
    assert check("48-CANOPUS", forged="59-BETELGEUSE").startswith("fuite")


class _Answers(BaseHTTPRequestHandler):
    """GET /leak answers another territory's name, GET /refused the French refusal."""

    bodies = {
        "/leak": '{"response": {"x": {"children": "Charge Betelgeuse"}}}',
        "/refused": '{"response": {"x": {"children": "' + REFUSAL_TEXT + '"}}}',
        "/own": '{"response": {"x": {"children": "Charge Aldebaran"}}}',
    }

    def do_GET(self):  # noqa: N802 - the http.server API
        body = self.bodies[self.path.split("?")[0]].encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def answers():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_browser_counts_a_served_leak_as_an_error_and_a_refusal_apart(answers):
    from load_client import Browser

    recorder = load.Recorder()
    browser = Browser(answers, recorder.record, check=load.LeakCheck("35-CHARGE", CODES))
    assert browser._send("GET /own", "GET", "/own") is not None
    assert browser._send("GET /leak", "GET", "/leak") is None
    # The refusal outside a forged visit is just text; during one it is the expected answer.
    browser.forged = "59-BETELGEUSE"
    assert browser._send("GET /refused", "GET", "/refused") is not None
    figures = load.summarise(recorder, 1.0)
    assert (figures["errors"], figures["leaks"], figures["refusals"]) == (1, 1, 1)
    assert figures["leak_samples"][0].startswith("GET /leak: fuite")
    assert browser.refused == 1


def test_recorder_counts_5xx_and_keeps_refusals_out_of_the_errors():
    recorder = load.Recorder()
    recorder.record("cb a", 10.0, "HTTP 500")
    recorder.record("cb a", 10.0, "HTTP 403")
    recorder.record("cb a", 10.0, "refus attendu: 59-BETELGEUSE")
    recorder.record("cb a", 10.0, None)
    figures = load.summarise(recorder, 1.0)
    # Four requests: two errors (500 and 403), one 5xx, one refusal, no leak.
    assert (figures["requests"], figures["errors"], figures["status_5xx"]) == (4, 2, 1)
    assert (figures["refusals"], figures["leaks"]) == (1, 0)


# -- territories, users ---------------------------------------------------------------------
def test_territories_shrink_by_thirds_unless_sizes_are_given():
    sizes = [item.size for item in load.plan_territories(3, 200_000)]
    assert sizes == [200_000, 66_666, 22_222]  # 200,000 // 3, then 66,666 // 3
    assert [item.size for item in load.plan_territories(3, 3000)] == [3000, 1400, 1400]
    chosen = load.plan_territories(3, 0, [200_000, 60_000, 20_000])
    assert [(t.code, t.size) for t in chosen] == [
        ("35-CHARGE", 200_000),
        ("59-BETELGEUSE", 60_000),
        ("48-CANOPUS", 20_000),
    ]
    with pytest.raises(SystemExit, match="sizes"):
        load.plan_territories(2, 0, [1400])
    with pytest.raises(SystemExit, match="territories"):
        load.plan_territories(7, 1400)


def test_users_alternate_territories_then_roles_and_every_third_forges():
    users = load.plan_users(6, ("35-CHARGE", "59-BETELGEUSE"))
    # User i: territory i mod 2, role (i div 2) mod 4; forgers are users 2 and 5.
    assert [(u.code[:2], u.role, u.forger) for u in users] == [
        ("35", "admin", False),
        ("59", "admin", False),
        ("35", "copil", True),
        ("59", "copil", False),
        ("35", "comop", False),
        ("59", "comop", True),
    ]
    assert not any(u.forger for u in load.plan_users(6, ("35-CHARGE",)))


def test_think_time_and_the_soak_preset():
    with pytest.raises(SystemExit, match="think-min"):
        load.run_users("http://127.0.0.1:9", users=1, seconds=1, think=1.0, think_min=2.0)
    args = load.parse_args(["--database", "postgresql+psycopg://u@127.0.0.1/x", "--soak"])
    assert (args.users, args.territories, args.duration) == (50, 3, 1800.0)
    assert (args.think_min, args.think, args.sizes) == (2.0, 10.0, [200_000, 60_000, 20_000])


# -- memory ---------------------------------------------------------------------------------
def _mib(value: float) -> int:
    return int(value * 1024)


def test_memory_summary_flags_a_worker_growing_over_ten_percent():
    samples = [
        (-5.0, {1: _mib(50), 2: _mib(50)}, None),  # warm-up: left out
        (0.0, {1: _mib(100), 2: _mib(200)}, _mib(300)),
        (30.0, {1: _mib(102), 2: _mib(200)}, _mib(310)),
        (60.0, {1: _mib(104), 2: _mib(230)}, _mib(320)),
        (90.0, {1: _mib(112), 2: _mib(230)}, _mib(330)),
        (125.0, {1: _mib(112), 2: _mib(230)}, None),  # after the run's end: last slice
    ]
    summary = load.memory_summary(samples, slice_seconds=60, until=120)
    # Slice 0 (0, 30 s): worker 1 median (100 + 102) / 2 = 101, worker 2 200, PG 305.
    # Slice 1 (60, 90, 125 s): worker 1 median of 104, 112, 112 = 112, worker 2 230, PG 325.
    assert [row["workers_mib"] for row in summary["slices"]] == [
        {1: 101.0, 2: 200.0},
        {1: 112.0, 2: 230.0},
    ]
    assert [row["postgres_mib"] for row in summary["slices"]] == [305.0, 325.0]
    # Growth: 112 / 101 - 1 = 0.1089 (over 10 %), 230 / 200 - 1 = 0.15.
    assert summary["growth"] == {1: 0.1089, 2: 0.15}
    assert not summary["stable"]
    flat = [(at, {1: _mib(100)}, None) for at in (0.0, 30.0, 60.0, 90.0)]
    assert load.memory_summary(flat, slice_seconds=60)["stable"]
    # A worker gone (restarted by gunicorn) is not stable either.
    lost = [(0.0, {1: _mib(100), 2: _mib(100)}, None), (70.0, {1: _mib(100)}, None)]
    assert load.memory_summary(lost, slice_seconds=60)["workers_lost"] == [2]


# -- the short soak -------------------------------------------------------------------------
@pytest.mark.slow
def test_short_soak_two_territories_no_error_no_leak_refusals_seen(load_database):  # noqa: F811
    territories = load.plan_territories(2, 1400)
    report = load.build_database(load_database, territories)
    assert set(report.beneficiaries) == {"35-CHARGE", "59-BETELGEUSE"}
    codes = tuple(report.beneficiaries)
    with load.gunicorn(load_database, workers=2) as server:
        memory = load.MemoryTimeline(server.process.pid, None)
        memory.sample()
        recorder, seconds = load.run_users(
            server.base_url, users=6, seconds=20, think=0.3, codes=codes
        )
        memory.sample()
    figures = load.summarise(recorder, seconds)

    assert figures["errors"] == 0, figures["error_samples"]
    assert figures["leaks"] == 0, figures["leak_samples"]
    # Users 2 and 5 forge an address before their first page at least.
    assert figures["forged_visits"] >= 2 and figures["refusals"] >= figures["forged_visits"]
    requested = {name for name, row in figures["routes"].items() if row["requests"]}
    assert set(load.SCENARIO_ROUTES) - requested == set()
    assert all(len(workers) == 2 for _, workers, _ in memory.samples)
