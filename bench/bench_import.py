"""How fast a SOLIS export imports, and in how much memory.

    .venv/bin/python bench/bench_import.py [--rows 200000] [--postgres URL]

Writes a SOLIS-shaped CSV (cp1252, `;`, dd/mm/yyyy, NIR with spaces, names)
of made-up people, then imports it through `run_import` twice: the first
import, and the same file again (the no-op). Each run is a child process so
the peak memory is its own. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = [
    "N° allocataire",
    "Organisme payeur",
    "NIR",
    "Nom",
    "Prénom",
    "Date de naissance",
    "Sexe",
    "Site",
    "Date ouverture droits",
    "Date réception flux CAF/MSA",
    "Soumis droits et devoirs",
    "Date orientation",
    "Date notification orientation",
    "Dominante",
    "Organisme référent",
    "Référent",
    "Date 1er RDV accompagnement",
    "Date signature CER",
    "Date sortie RSA",
    "Motif sortie",
]
DOMINANTES = ["Emploi", "Socio-professionnel", "Remobilisation", "Equilibré", "Professionnel"]
ORGANISMES = ["CDAS", "Pôle emploi", "PE", "France Travail", "Mission locale", "CCAS Redon", "MSA"]
SITES = ["CDAS Redon", "CDAS Guichen", "CDAS Bain-de-Bretagne"]


def _nir(rng: random.Random, sex: str, birth: dt.date) -> str:
    place, order = rng.randrange(1, 999), rng.randrange(1, 999)
    body = f"{1 if sex == 'M' else 2}{birth:%y%m}35{place:03d}{order:03d}"
    return f"{body} {97 - int(body) % 97:02d}"


def write_solis_file(path: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    fmt = "%d/%m/%Y"
    with path.open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        for index in range(rows):
            sex = rng.choice("MF")
            birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 16000))
            opened = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(0, 2000))
            received = opened + dt.timedelta(days=rng.randrange(0, 10))
            oriented = rng.random() < 0.77
            decided = received + dt.timedelta(days=rng.randrange(3, 50))
            notified = decided + dt.timedelta(days=rng.randrange(0, 7))
            writer.writerow(
                [
                    1_000_000 + index,
                    rng.choice(["CAF", "CAF", "MSA"]),
                    _nir(rng, sex, birth),
                    "Nom",
                    "Prénom",
                    birth.strftime(fmt),
                    sex,
                    rng.choice(SITES),
                    opened.strftime(fmt),
                    received.strftime(fmt),
                    "O",
                    decided.strftime(fmt) if oriented else "",
                    notified.strftime(fmt) if oriented else "",
                    rng.choice(DOMINANTES) if oriented else "",
                    rng.choice(ORGANISMES) if oriented else "",
                    f"REF{rng.randrange(1, 300):03d}" if oriented else "",
                    (notified + dt.timedelta(days=10)).strftime(fmt) if oriented else "",
                    "",
                    "",
                    "",
                ]
            )


def measure(path: Path, database_url: str) -> dict[str, object]:
    from dashboard.db import init_db, make_engine, make_session_factory
    from dashboard.imports import run_import
    from dashboard.territories import add_territory, ensure_national

    engine = make_engine(database_url)
    init_db(engine)
    sessions = make_session_factory(engine)
    with sessions() as db:
        ensure_national(db)
        add_territory(db, "35-BENCH", "Banc d'essai", "35")
        db.commit()
    figures = {"backend": engine.dialect.name}
    for run in ("first", "again"):
        started = time.perf_counter()
        report = run_import(
            sessions,
            "solis",
            path,
            "35-BENCH",
            pseudonym_key="bench",
            extracted_on=dt.date(2026, 1, 1),
        )
        seconds = time.perf_counter() - started
        figures[run] = {
            "status": report.status,
            "seconds": round(seconds, 2),
            "rows_per_s": round(report.rows_read / seconds) if report.rows_read else 0,
            "created": report.created,
            "quarantined": report.quarantined,
        }
    figures["peak_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--postgres", help="URL of an empty PostgreSQL database")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(Path(args.child[0]), args.child[1])))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "solis_bench.csv"
        started = time.perf_counter()
        write_solis_file(path, args.rows)
        print(
            f"file: {args.rows} rows, {path.stat().st_size / 1e6:.1f} MB, written in "
            f"{time.perf_counter() - started:.1f} s"
        )
        targets = [f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"]
        if args.postgres:
            targets.append(args.postgres)
        for url in targets:
            child = subprocess.run(
                [sys.executable, __file__, "--child", str(path), url],
                capture_output=True,
                text=True,
                check=True,
            )
            figures = json.loads(child.stdout.splitlines()[-1])
            first, again = figures["first"], figures["again"]
            print(
                f"{figures['backend']:<10} first import {first['seconds']:>7} s "
                f"({first['rows_per_s']} rows/s, {first['created']} people, "
                f"{first['quarantined']} rejected) | same file again {again['seconds']} s "
                f"({again['status']}) | peak {figures['peak_mib']} MiB"
            )


if __name__ == "__main__":
    main()
