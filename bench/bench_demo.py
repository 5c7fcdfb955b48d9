"""How long the demo territory takes to install, through the connectors and directly.

    .venv/bin/python bench/bench_demo.py [--sizes 1400 20000] [--postgres URL] [--direct]

`pilotage demo`'s path ("connectors"): generate, write the export files, import
each one through `run_import` (one savepoint per file, one transaction). With
`--direct`, also the old path kept for comparison: `load_demo` writes the
records through the models. Each measure runs in a child process so that its
peak memory is its own. The figures are printed, never asserted (speed is
measured here, not in tests).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _peak_mib() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def measure_connectors(size: int, database_url: str, folder: Path) -> dict[str, object]:
    from dashboard.db import init_db, make_engine, make_session_factory
    from dashboard.demo.install import DEMO_SEED, install_demo

    engine = make_engine(database_url)
    init_db(engine)
    with make_session_factory(engine)() as db:
        report = install_demo(
            db,
            f"35-BENCH{size}",
            size=size,
            seed=DEMO_SEED,
            pseudonym_key="cle-du-banc-d-essai",
            export_dir=folder,
        )
        committing = time.perf_counter()
        db.commit()
        commit_s = time.perf_counter() - committing
    engine.dispose()
    steps = report.steps
    return {
        "size": size,
        "path": "connectors",
        "backend": engine.dialect.name,
        "generate_s": round(steps["generate"], 2),
        "exports_s": round(steps["exports"], 2),
        "files": report.files,
        "rows_read": report.rows_read,
        "load_s": round(steps["imports"] + commit_s, 2),
        "rows": sum(report.counts.values()),
        "rows_per_s": round(report.rows_read / max(steps["imports"] + commit_s, 1e-9)),
        "peak_mib": _peak_mib(),
        "counts": report.counts,
    }


def measure_direct(size: int, database_url: str) -> dict[str, object]:
    from dashboard.db import init_db, make_engine, make_session_factory
    from dashboard.demo.generate import generate_demo
    from dashboard.demo.install import DEMO_END, DEMO_SEED
    from dashboard.demo.load import load_demo
    from dashboard.territories import add_territory, ensure_national

    engine = make_engine(database_url)
    init_db(engine)
    started = time.perf_counter()
    data = generate_demo(size=size, seed=DEMO_SEED, end=DEMO_END)
    generated = time.perf_counter()
    with make_session_factory(engine)() as db:
        ensure_national(db)
        territory = add_territory(db, f"35-DIRECT{size}", "Banc d'essai", "35")
        counts = load_demo(db, territory, data)
        db.commit()
    loaded = time.perf_counter()
    engine.dispose()
    return {
        "size": size,
        "path": "direct",
        "backend": engine.dialect.name,
        "generate_s": round(generated - started, 2),
        "exports_s": 0.0,
        "files": 0,
        "rows_read": 0,
        "load_s": round(loaded - generated, 2),
        "rows": sum(counts.values()),
        "rows_per_s": round(sum(counts.values()) / max(loaded - generated, 1e-9)),
        "peak_mib": _peak_mib(),
        "counts": counts,
    }


def _fresh_postgres_database(url: str, name: str) -> str:
    from sqlalchemy import create_engine, make_url, text

    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1400, 20_000])
    parser.add_argument("--postgres", help="PostgreSQL URL (a database per measure is created)")
    parser.add_argument("--direct", action="store_true", help="also time load_demo")
    parser.add_argument(
        "--child", nargs=4, metavar=("PATH", "SIZE", "URL", "DIR"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        path, size, url, folder = args.child
        if path == "connectors":
            result = measure_connectors(int(size), url, Path(folder))
        else:
            result = measure_direct(int(size), url)
        print(json.dumps(result))
        return

    paths = ["connectors", "direct"] if args.direct else ["connectors"]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            for path in paths:
                targets = [f"sqlite:///{Path(tmp) / f'bench-{path}-{size}.sqlite3'}"]
                if args.postgres:
                    name = f"bench_demo_{path}_{size}"
                    targets.append(_fresh_postgres_database(args.postgres, name))
                for url in targets:
                    folder = Path(tmp) / f"exports-{size}"
                    child = subprocess.run(
                        [sys.executable, __file__, "--child", path, str(size), url, str(folder)],
                        capture_output=True,
                        text=True,
                        check=True,
                    )
                    results.append(json.loads(child.stdout.splitlines()[-1]))

    print(
        f"{'size':>8} {'path':<11} {'backend':<10} {'generate s':>10} {'exports s':>9} "
        f"{'files':>6} {'rows read':>9} {'load s':>8} {'rows':>9} {'read/s':>8} {'peak MiB':>9}"
    )
    for row in results:
        rate = row["rows_per_s"] if row["path"] == "connectors" else "-"
        print(
            f"{row['size']:>8} {row['path']:<11} {row['backend']:<10} {row['generate_s']:>10} "
            f"{row['exports_s']:>9} {row['files']:>6} {row['rows_read']:>9} {row['load_s']:>8} "
            f"{row['rows']:>9} {rate:>8} {row['peak_mib']:>9}"
        )
    print("\nrow counts, first measure:")
    for table, count in sorted(results[0]["counts"].items()):
        print(f"  {table:<22} {count:>9}")


if __name__ == "__main__":
    main()
