"""The load test's server: `gunicorn dashboard.wsgi:application` on a free 127.0.0.1 port.

`gunicorn(url, workers)` starts it with its own secret and pseudonym keys and
instance folder, in production mode unless told otherwise, waits until
/login answers, and stops it on exit. `Server.sample_rss()` keeps each
worker's peak resident memory (read from /proc).
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
LOCAL_HOSTS = ("127.0.0.1", "localhost")


def refuse_remote(host: str | None, what: str) -> None:
    if host not in LOCAL_HOSTS:
        raise SystemExit(f"{what} must be on 127.0.0.1 (got {host!r}): this bench is local only.")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    base_url: str
    peak_rss_kib: dict[int, int] = field(default_factory=dict)

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def sample_rss(self) -> None:
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                    self.peak_rss_kib[pid] = max(rss, self.peak_rss_kib.get(pid, 0))


@contextmanager
def gunicorn(database_url: str, workers: int, production: bool = True) -> Iterator[Server]:
    """`gunicorn dashboard.wsgi:application` on a free 127.0.0.1 port, stopped on exit."""
    refuse_remote(make_url(database_url).host, "The database")
    port = free_port()
    instance = tempfile.mkdtemp(prefix="pilotage-load-")
    env = {
        **os.environ,
        "PILOTAGE_DATABASE_URL": database_url,
        "PILOTAGE_SECRET_KEY": secrets.token_hex(32),
        "PILOTAGE_PSEUDONYM_KEY": secrets.token_hex(32),
        "PILOTAGE_INSTANCE_DIR": instance,
        "PILOTAGE_PRODUCTION": "1" if production else "0",
    }
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "dashboard.wsgi:application",
        f"--workers={workers}",
        f"--bind=127.0.0.1:{port}",
        "--timeout=300",  # the first read of a 200,000-person territory's facts is long
        "--log-level=warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    server = Server(process, f"http://127.0.0.1:{port}")
    try:
        _wait_ready(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_ready(server: Server, seconds: float = 180.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped (code {server.process.returncode})")
        try:
            if requests.get(server.base_url + "/login", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer /login in time")
