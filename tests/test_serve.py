"""The README's run path: `pilotage serve` on an empty instance folder."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from dashboard.models import Beneficiary, User

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited early with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {timeout} s")


def test_first_start_creates_schema_loads_demo_and_serves_login(tmp_path: Path):
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("PILOTAGE_")} | {
        "PILOTAGE_INSTANCE_DIR": str(tmp_path / "instance")
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert _wait_for(f"http://127.0.0.1:{port}/login", process) == 200
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in output
    assert "demo.admin" in output and "demo-pilotage-rsa" in output

    database = tmp_path / "instance" / "pilotage.sqlite3"
    engine = create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        people = connection.scalar(select(func.count()).select_from(Beneficiary))
        users = connection.scalar(select(func.count()).select_from(User))
    engine.dispose()
    assert people > 1000 and users == 5
    for key in ("secret_key", "pseudonym_key"):
        assert (tmp_path / "instance" / key).stat().st_mode & 0o077 == 0
