"""Faults during imports: a process killed mid-file, and two imports of one territory at once.

Each import here is a real `pilotage import` process (python -m dashboard) on a
SOLIS file written by bench/bench_import.py's generator, on SQLite and PostgreSQL.
Idempotence of a second import of the same file is already covered by
tests/test_import_solis.py and tests/test_import_watch.py.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pty
import select as select_module
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.bench_import import write_solis_file
from dashboard.db import SQLITE_BUSY_TIMEOUT_MS, make_engine, make_session_factory
from dashboard.imports import run_import
from dashboard.models import Beneficiary, ImportBatch
from tests.helpers import make_territory, settings_env

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
TERRITORY = "35-REDON"


def _import_command(path: Path) -> list[str]:
    return [
        sys.executable, "-m", "dashboard", "import", "solis", str(path),
        "--territory", TERRITORY, "--format", "json",
    ]  # fmt: skip


def _counts(db) -> tuple[int, list[tuple[str, int]]]:
    db.expire_all()
    people = db.scalar(select(func.count()).select_from(Beneficiary))
    batches = db.execute(
        select(ImportBatch.status, func.count()).group_by(ImportBatch.status)
    ).all()
    db.rollback()  # end the read transaction: nothing of ours holds a snapshot or lock
    return people, sorted((str(status), count) for status, count in batches)


@pytest.fixture
def redon(db_session):
    make_territory(db_session, TERRITORY)
    db_session.commit()
    return db_session


def _run_import(settings, path: Path) -> dict:
    done = subprocess.run(
        _import_command(path),
        env=settings_env(settings),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _kill_when_rows_written(settings, path: Path, rows: int) -> str:
    """Start the import with stderr on a terminal (so it draws its progress bar), and
    SIGKILL it as soon as the bar says `rows` rows were read and written (bounded wait)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        _import_command(path),
        env=settings_env(settings),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=follower,
    )
    os.close(follower)
    seen = b""
    target = f"{rows:,}".replace(",", "\u202f").encode() + b" lignes"
    deadline = time.monotonic() + 120
    try:
        while target not in seen and time.monotonic() < deadline:
            ready, _, _ = select_module.select([leader], [], [], 0.5)
            if ready:
                try:
                    seen += os.read(leader, 4096)
                except OSError:
                    break  # the process ended: the terminal is gone
            if process.poll() is not None:
                break
        assert process.poll() is None, "the import ended before it could be killed"
        assert target in seen, f"no progress after 120 s: {seen[-300:]!r}"
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(leader)
    return seen.decode(errors="replace")


def test_import_killed_mid_file_leaves_nothing_and_the_next_import_completes(
    settings, redon, tmp_path
):
    # 20,000 rows = 2 chunks of 10,000 (dashboard/imports.py CHUNK_ROWS): the kill lands
    # after the first chunk was written to the database, inside the import's transaction.
    rows = 20_000
    path = tmp_path / "solis_2024-07-01.csv"
    write_solis_file(path, rows)
    assert _counts(redon) == (0, [])
    progress = _kill_when_rows_written(settings, path, 10_000)
    assert "10\u202f000 lignes" in progress and "20\u202f000 lignes" not in progress
    # Killed mid-transaction: no person and no batch row at all (the `running` batch was
    # only flushed inside the transaction that died with the process).
    assert _counts(redon) == (0, [])

    report = _run_import(settings, path)
    # Every row is read; each is either created (a new person) or quarantined.
    assert report["status"] == "loaded" and report["rows_read"] == rows
    assert report["created"] + report["quarantined"] == rows and report["created"] > 0
    assert _counts(redon) == (report["created"], [("loaded", 1)])


def _same_people_elsewhere(source: Path, target: Path) -> None:
    """`source`'s people in reverse order, each moved to another site (an update each)."""
    lines = source.read_text(encoding="cp1252").splitlines()
    moved = {"CDAS Redon": "CDAS Guichen", "CDAS Guichen": "CDAS Bain-de-Bretagne"}
    moved["CDAS Bain-de-Bretagne"] = "CDAS Redon"
    body = []
    for line in reversed(lines[1:]):
        cells = line.split(";")
        cells[7] = moved[cells[7]]  # column 8 is "Site"
        body.append(";".join(cells))
    target.write_text("\r\n".join([lines[0], *body]) + "\r\n", encoding="cp1252")


def test_two_imports_of_one_territory_at_once_run_one_after_the_other(settings, redon, tmp_path):
    # Two extractions of the same people, the second in reverse order (so that two
    # writers would lock the same rows in opposite orders) with every site changed.
    rows = 2_000
    first, second = tmp_path / "solis_2024-07-01.csv", tmp_path / "solis_2024-07-02.csv"
    write_solis_file(first, rows, seed=1)
    _same_people_elsewhere(first, second)
    processes = [
        subprocess.Popen(
            _import_command(path),
            env=settings_env(settings),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in (first, second)
    ]
    try:
        # A deadlock would show here as a timeout (PostgreSQL would also break it itself).
        outputs = [process.communicate(timeout=300) for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    for process, (_out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
    reports = sorted((json.loads(out) for out, _err in outputs), key=lambda r: -r["created"])
    assert [report["status"] for report in reports] == ["loaded", "loaded"]
    earlier, later = reports
    # The import that ran first created every valid person of its file. The other one,
    # after it, found them in place and updated each (a new site), except those whose
    # row its own file quarantined; it created only people the first file quarantined
    # (duplicates are kept in file order, which the second file reverses).
    # Interleaved, the second would have created about half of the people too, or
    # failed on a unique key (PostgreSQL, before dashboard/imports.py locked imports).
    assert earlier["created"] + earlier["quarantined"] == rows
    assert later["created"] + later["updated"] + later["unchanged"] + later["quarantined"] == rows
    assert later["created"] <= earlier["quarantined"]
    assert later["updated"] >= earlier["created"] - later["quarantined"] > 0
    assert _counts(redon) == (earlier["created"] + later["created"], [("loaded", 2)])


def test_on_sqlite_an_import_waits_for_a_long_import_instead_of_failing(sqlite_template, tmp_path):
    # Another process's import holds SQLite's write lock for longer than the web requests'
    # busy timeout (dashboard/db.py, 5 s): a second import must wait for it, not fail
    # with "database is locked" after 5 s.
    path = tmp_path / "pilotage.sqlite3"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    sessions = make_session_factory(engine)
    with sessions() as db:
        make_territory(db, TERRITORY)
        db.commit()
    sample = tmp_path / "solis_2024-07-01.csv"
    write_solis_file(sample, 200)
    other_import = sqlite3.connect(path, isolation_level=None)
    other_import.execute("BEGIN IMMEDIATE")
    reports = []
    waiting = threading.Thread(
        target=lambda: reports.append(
            run_import(
                sessions,
                "solis",
                sample,
                TERRITORY,
                pseudonym_key="attente",
                extracted_on=dt.date(2024, 7, 1),
            )
        )
    )
    try:
        waiting.start()
        waiting.join(timeout=(SQLITE_BUSY_TIMEOUT_MS / 1000) + 2)
        assert waiting.is_alive(), "the import gave up while the other one was running"
    finally:
        other_import.execute("ROLLBACK")
        other_import.close()
    waiting.join(timeout=60)
    assert [(report.status, report.rows_read) for report in reports] == [("loaded", 200)]
    engine.dispose()
