"""How long the demo territory takes to generate and load, and its row counts.

    .venv/bin/python bench/bench_demo.py [--sizes 1400 20000 200000] [--postgres URL]

Each size runs in a child process so that its peak memory is its own. The
figures are printed, never asserted (speed is measured here, not in tests).
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


def measure(size: int, database_url: str) -> dict[str, object]:
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
        territory = add_territory(db, f"35-BENCH{size}", "Banc d'essai", "35")
        counts = load_demo(db, territory, data)
        db.commit()
    loaded = time.perf_counter()
    engine.dispose()
    return {
        "size": size,
        "backend": engine.dialect.name,
        "generate_s": round(generated - started, 2),
        "load_s": round(loaded - generated, 2),
        "rows": sum(counts.values()),
        "rows_per_s": round(sum(counts.values()) / max(loaded - generated, 1e-9)),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "counts": counts,
    }


def _fresh_postgres_database(url: str, size: int) -> str:
    from sqlalchemy import create_engine, make_url, text

    name = f"bench_demo_{size}"
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1400, 20_000, 200_000])
    parser.add_argument("--postgres", help="PostgreSQL URL (a database per size is created)")
    parser.add_argument("--child", nargs=2, metavar=("SIZE", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(int(args.child[0]), args.child[1])))
        return

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            targets = [f"sqlite:///{Path(tmp) / f'bench-{size}.sqlite3'}"]
            if args.postgres:
                targets.append(_fresh_postgres_database(args.postgres, size))
            for url in targets:
                child = subprocess.run(
                    [sys.executable, __file__, "--child", str(size), url],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                results.append(json.loads(child.stdout.splitlines()[-1]))

    print(
        f"{'size':>8} {'backend':<10} {'generate s':>10} {'load s':>8} {'rows':>10} "
        f"{'rows/s':>9} {'peak MiB':>9}"
    )
    for row in results:
        print(
            f"{row['size']:>8} {row['backend']:<10} {row['generate_s']:>10} {row['load_s']:>8} "
            f"{row['rows']:>10} {row['rows_per_s']:>9} {row['peak_mib']:>9}"
        )
    print("\nrow counts, first size:")
    for table, count in sorted(results[0]["counts"].items()):
        print(f"  {table:<22} {count:>9}")


if __name__ == "__main__":
    main()
