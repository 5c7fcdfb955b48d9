"""A small PostgreSQL cluster of a test's own, for tests that stop and start the server.

The shared cluster of scripts/test.sh (PILOTAGE_TEST_POSTGRES_URL) must never be
restarted: other tests use it. `own_cluster(tmp_path)` runs initdb into a fresh
folder with the same binaries scripts/test.sh finds (the highest
/usr/lib/postgresql/N/bin, else initdb on PATH), on a free 127.0.0.1 port, as the
`postgres` system user when the tests run as root (initdb refuses root).

Without initdb the tests skip, unless PILOTAGE_REQUIRE_POSTGRES=1 (CI): then they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

REQUIRE_POSTGRES = os.environ.get("PILOTAGE_REQUIRE_POSTGRES") == "1"


def find_pg_bindir() -> Path | None:
    """The folder of initdb/pg_ctl, chosen as scripts/test.sh chooses it."""
    root = Path("/usr/lib/postgresql")
    found = [path.parent for path in root.glob("*/bin/initdb")] if root.is_dir() else []
    if found:

        def version(path: Path) -> list[int]:
            return [int(part) for part in re.findall(r"\d+", path.parent.name)]

        return max(found, key=version)
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    return Path(initdb).parent if initdb and pg_ctl else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Cluster:
    bindir: Path
    folder: Path
    port: int

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://pilotage@127.0.0.1:{self.port}/{database}"

    def _as_owner(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bindir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            runuser = shutil.which("runuser")
            command = [runuser, "-u", "postgres", "--", *command] if runuser else command
        return subprocess.run(
            command, cwd=self.folder, capture_output=True, text=True, timeout=60, check=check
        )

    def start(self) -> None:
        self._as_owner(
            "pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-w", "-t", "30",
            "start",
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            ready = subprocess.run(
                [str(self.bindir / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)],
                check=False,
            )
            if ready.returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError(f"PostgreSQL did not start on port {self.port}")

    def stop(self, mode: str = "fast") -> None:
        self._as_owner("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")


@contextmanager
def own_cluster() -> Iterator[Cluster]:
    """initdb + start a throwaway cluster; stopped and removed on exit."""
    bindir = find_pg_bindir()
    if bindir is None:
        message = "initdb introuvable : installez le paquet Debian postgresql."
        if REQUIRE_POSTGRES:
            pytest.fail(message + " (PILOTAGE_REQUIRE_POSTGRES=1)")
        pytest.skip(message)
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.fail("running as root without runuser: cannot run initdb as postgres")
    # /tmp and a short name: reachable by the postgres user; socket paths stay short.
    folder = Path(tempfile.mkdtemp(prefix="pilotage-own-pg.", dir="/tmp"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    cluster = Cluster(bindir, folder, free_port())
    try:
        cluster._as_owner(
            "initdb", "-D", str(cluster.data), "-A", "trust", "-U", "pilotage",
            "--encoding=UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        with (cluster.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nport = {cluster.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{folder}'\nfsync = off\n"
                "synchronous_commit = off\nfull_page_writes = off\nmax_connections = 40\n"
                "shared_buffers = 16MB\n"
            )
        cluster.start()
        yield cluster
    finally:
        if (cluster.data / "postmaster.pid").exists():
            cluster._as_owner(
                "pg_ctl", "-D", str(cluster.data), "-m", "immediate", "-t", "15", "stop",
                check=False,
            )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)
