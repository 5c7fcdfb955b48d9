"""Speed, memory and agreement of the indicator engine against pandas and plain SQL.

    .venv/bin/python bench/bench_indicators.py [--sizes 20000 200000 2000000]
        [--postgres URL] [--territories 100] [--seed 2024]

For each size N, `bench.generate_frames` draws N beneficiaries (about 15
weekly activity rows each) split into 100 territories of N / 100, written
once as Arrow IPC files (whole, and territory by territory). Then, each in
its own child process so that its peak memory (ru_maxrss) is its own:

- the engine (`metrics.registry.compute_all`, polars) on the N people as one
  territory: the full indicator set for the year 2024 seen at 31/12/2024 and
  one breakdown (`taux_orientes_15j` by site), each timed twice, median of
  20: *cold*, on a fresh copy of the Frames (nothing memoised: every derived
  table is built), and *warm*, on the same Frames again (the engine's memo of
  derived tables, `metrics.memo`, serves what it already built);
- the engine's national export: the full set for December 2024 for each of
  the 100 territories (Frames loaded territory by territory, as the
  dashboard's cache holds them), cold and warm, median of 3 passes;
- the pandas baseline (`bench/pandas_baseline.py`): the same figures, fewer
  runs at the larger sizes (the count is printed in brackets);
- plain SQL on PostgreSQL (`bench/sql_baseline.py`) when a server answers
  (`--postgres`, else PILOTAGE_BENCH_POSTGRES_URL, else
  PILOTAGE_TEST_POSTGRES_URL): a fresh database per size, loaded with COPY,
  dropped at the end; its export is one grouped pass over all territories.

Every measure starts with an untimed pass whose results are compared: every
indicator's value, numerator and denominator (and the delays' mean, p75 and
count, the splits' counts and shares, the breakdown's cells) must be equal
between the engine and pandas, and the engine and SQL, for the full set, the
breakdown and every territory of the export. The table is printed with
"accord : oui", or the disagreements and exit code 1. Figures are printed,
never asserted; the machine's cores are shared, so they are noisy.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_SIZES = (20_000, 200_000, 2_000_000)
TERRITORIES = 100
SEED = 2024
ENGINE_RUNS = {"full": 20, "breakdown": 20, "export": 3}
TARGET_FULL_MS = 50
TARGET_FULL_SIZE = 200_000
TARGET_PANDAS_RATIO = 5
TARGET_SQL_RATIO = 10
TARGET_EXPORT_S = 5
TARGET_EXPORT_SIZE = 2_000_000
TARGET_MEMORY_MIB = 3 * 1024
UNREACHABLE = "n/a (PostgreSQL injoignable)"
MAX_LISTED = 40


def baseline_runs(kind: str, size: int) -> dict[str, int]:
    """Timed runs of the pandas or SQL baseline after its untimed first pass; 0 means the
    first pass itself is the measure (SQL at 2,000,000: one pass takes minutes)."""
    if size <= 20_000:
        return (
            {"full": 20, "breakdown": 20, "export": 3}
            if kind == "pandas"
            else {
                "full": 10,
                "breakdown": 10,
                "export": 3,
            }
        )
    if size <= 200_000:
        return (
            {"full": 5, "breakdown": 5, "export": 1}
            if kind == "pandas"
            else {
                "full": 3,
                "breakdown": 3,
                "export": 1,
            }
        )
    if kind == "pandas":
        return {"full": 3, "breakdown": 3, "export": 1}
    return {"full": 0, "breakdown": 0, "export": 0}


def peak_mib() -> int:
    """This process's peak resident memory in MiB (ru_maxrss is in KiB on Linux)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def timed(
    function: Callable[[object], object],
    runs: int,
    fresh: Callable[[], object] = lambda: None,
) -> tuple[object, float]:
    """(the result of a first call, the median time in s of `runs` more calls, or of the
    first call when runs is 0). Each call gets `fresh()`, made outside the timer."""
    argument = fresh()
    started = time.perf_counter()
    result = function(argument)
    times = [time.perf_counter() - started]
    if runs:
        times = []
    for _ in range(runs):
        argument = fresh()
        started = time.perf_counter()
        function(argument)
        times.append(time.perf_counter() - started)
    return result, statistics.median(times)


# -- data files -------------------------------------------------------------------------


def _read(folder: Path) -> dict:
    import polars as pl

    from bench.generate_frames import TABLES

    return {name: pl.read_ipc(folder / f"{name}.arrow") for name in TABLES}


def _read_parts(data: Path) -> dict[int, dict]:
    parts = sorted((data / "parts").iterdir(), key=lambda folder: int(folder.name))
    return {int(folder.name): _read(folder) for folder in parts}


def child_generate(size: int, territories: int, seed: int, data: Path) -> dict:
    from bench.generate_frames import generate_tables, split_by_territory, table_rows

    started = time.perf_counter()
    tables = generate_tables(size, territories, seed)
    generated = time.perf_counter()
    (data / "full").mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.write_ipc(data / "full" / f"{name}.arrow")
    split_started = time.perf_counter()
    parts = split_by_territory(tables)
    split_s = time.perf_counter() - split_started
    for territory, part in parts.items():
        folder = data / "parts" / str(territory)
        folder.mkdir(parents=True)
        for name, frame in part.items():
            frame.write_ipc(folder / f"{name}.arrow")
    return {
        "generate_s": generated - started,
        "split_s": split_s,
        "rows": table_rows(tables),
        "table_mib": sum(frame.estimated_size() for frame in tables.values()) / 2**20,
        "peak_mib": peak_mib(),
    }


# -- engine -----------------------------------------------------------------------------


def child_engine(size: int, data: Path) -> dict:
    from bench.agreement import engine_summaries, rate_cells
    from bench.generate_frames import AS_OF, BENCH_PARAMS, PERIOD_END, PERIOD_START, frames_of
    from metrics.orientation import taux_orientes_15j
    from metrics.registry import compute_all

    started = time.perf_counter()
    tables = _read(data / "full")
    frames = frames_of(tables)
    load_s = time.perf_counter() - started
    frames_mib = sum(getattr(frames, name).estimated_size() for name in tables) / 2**20

    def full(target):
        return compute_all(target, PERIOD_START, PERIOD_END, AS_OF, BENCH_PARAMS)

    def by_site(target):
        return taux_orientes_15j(
            target,
            period_start=PERIOD_START,
            period_end=PERIOD_END,
            as_of=AS_OF,
            params=BENCH_PARAMS,
            by="site",
        )

    def new_copy():
        # A copy of the Frames starts with an empty memo: every derived table is rebuilt.
        return copy.copy(frames)

    def same():
        return frames

    results, full_cold_s = timed(full, ENGINE_RUNS["full"], new_copy)
    _, full_warm_s = timed(full, ENGINE_RUNS["full"], same)
    cells, breakdown_cold_s = timed(by_site, ENGINE_RUNS["breakdown"], new_copy)
    _, breakdown_warm_s = timed(by_site, ENGINE_RUNS["breakdown"], same)
    return {
        "load_s": load_s,
        "frames_mib": frames_mib,
        "full_cold_s": full_cold_s,
        "full_warm_s": full_warm_s,
        "breakdown_cold_s": breakdown_cold_s,
        "breakdown_warm_s": breakdown_warm_s,
        "runs": ENGINE_RUNS,
        "full": engine_summaries(results),
        "breakdown": rate_cells(cells.breakdown or {}),
        "peak_mib": peak_mib(),
    }


def child_engine_export(size: int, data: Path) -> dict:
    from bench.agreement import engine_summaries
    from bench.generate_frames import AS_OF, BENCH_PARAMS, EXPORT_END, EXPORT_START, frames_of
    from metrics.registry import compute_all

    started = time.perf_counter()
    parts = {territory: frames_of(part) for territory, part in _read_parts(data).items()}
    load_s = time.perf_counter() - started

    def export(targets):
        return {
            str(territory): compute_all(part, EXPORT_START, EXPORT_END, AS_OF, BENCH_PARAMS)
            for territory, part in targets.items()
        }

    def new_copies():
        return {territory: copy.copy(part) for territory, part in parts.items()}

    def same():
        return parts

    exported, cold_s = timed(export, ENGINE_RUNS["export"], new_copies)
    _, warm_s = timed(export, ENGINE_RUNS["export"], same)
    return {
        "load_s": load_s,
        "export_cold_s": cold_s,
        "export_warm_s": warm_s,
        "export": {territory: engine_summaries(results) for territory, results in exported.items()},
        "peak_mib": peak_mib(),
    }


# -- pandas -----------------------------------------------------------------------------


def child_pandas(size: int, data: Path) -> dict:
    from bench import pandas_baseline
    from bench.generate_frames import AS_OF, BENCH_PARAMS, PERIOD_END, PERIOD_START

    runs = baseline_runs("pandas", size)
    started = time.perf_counter()
    frames = pandas_baseline.to_pandas(_read(data / "full"))
    load_s = time.perf_counter() - started
    full, full_s = timed(
        lambda _: pandas_baseline.compute_all(
            frames, PERIOD_START, PERIOD_END, AS_OF, BENCH_PARAMS
        ),
        runs["full"],
    )
    by_site, breakdown_s = timed(
        lambda _: pandas_baseline.orientes_15j_by_site(
            frames, PERIOD_START, PERIOD_END, AS_OF, BENCH_PARAMS
        ),
        runs["breakdown"],
    )
    return {
        "load_s": load_s,
        "full_s": full_s,
        "breakdown_s": breakdown_s,
        "runs": runs,
        "full": full,
        "breakdown": by_site,
        "peak_mib": peak_mib(),
    }


def child_pandas_export(size: int, data: Path) -> dict:
    from bench import pandas_baseline
    from bench.generate_frames import AS_OF, BENCH_PARAMS, EXPORT_END, EXPORT_START

    runs = baseline_runs("pandas", size)
    parts = {
        territory: pandas_baseline.to_pandas(part) for territory, part in _read_parts(data).items()
    }

    def export(_):
        return {
            str(territory): pandas_baseline.compute_all(
                part, EXPORT_START, EXPORT_END, AS_OF, BENCH_PARAMS
            )
            for territory, part in parts.items()
        }

    exported, export_s = timed(export, runs["export"])
    return {"export_s": export_s, "export": exported, "peak_mib": peak_mib()}


# -- SQL ----------------------------------------------------------------------------------


def child_sql(size: int, data: Path, url: str) -> dict:
    from bench import sql_baseline
    from bench.generate_frames import (
        AS_OF,
        BENCH_PARAMS,
        EXPORT_END,
        EXPORT_START,
        PERIOD_END,
        PERIOD_START,
    )

    runs = baseline_runs("sql", size)
    name = f"bench_indicators_{size}_{os.getpid()}"
    sql_baseline.create_database(url, name)
    try:
        connection = sql_baseline.connect(sql_baseline.database_url(url, name))
        started = time.perf_counter()
        tables = _read(data / "full")
        sql_baseline.load_tables(connection, tables)
        load_s = time.perf_counter() - started
        territories = sorted(tables["people"]["territory"].unique().to_list())
        tables = None
        size_row = connection.execute("SELECT pg_database_size(current_database())").fetchone()
        full, full_s = timed(
            lambda _: sql_baseline.compute_all(
                connection, PERIOD_START, PERIOD_END, AS_OF, BENCH_PARAMS
            ),
            runs["full"],
        )
        by_site, breakdown_s = timed(
            lambda _: sql_baseline.orientes_15j_by_site(
                connection, PERIOD_START, PERIOD_END, AS_OF, BENCH_PARAMS
            ),
            runs["breakdown"],
        )
        exported, export_s = timed(
            lambda _: sql_baseline.compute_all(
                connection,
                EXPORT_START,
                EXPORT_END,
                AS_OF,
                BENCH_PARAMS,
                by_territory=True,
                territories=territories,
            ),
            runs["export"],
        )
        connection.close()
    finally:
        sql_baseline.drop_database(url, name)
    return {
        "load_s": load_s,
        "database_mib": size_row[0] / 2**20 if size_row else None,
        "full_s": full_s,
        "breakdown_s": breakdown_s,
        "export_s": export_s,
        "runs": runs,
        "full": full[0],
        "breakdown": by_site,
        "export": {str(territory): summary for territory, summary in exported.items()},
        "unsupported": list(sql_baseline.UNSUPPORTED),
        "peak_mib": peak_mib(),
    }


CHILDREN = {
    "engine": child_engine,
    "engine-export": child_engine_export,
    "pandas": child_pandas,
    "pandas-export": child_pandas_export,
}


def run_child(role: str, size: int, data: Path, extra: list[str]) -> dict:
    """Run one measure in a fresh interpreter; its last stdout line is the JSON result."""
    command = [sys.executable, __file__, "--child", role, "--size", str(size), "--data", str(data)]
    done = subprocess.run(command + extra, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"Échec de la mesure « {role} » pour {size} bénéficiaires.")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- agreement and table ------------------------------------------------------------------


def check_agreement(size: int, engine: dict, other: dict, label: str) -> list[str]:
    """Every disagreement between the engine's figures and a baseline's, one line each."""
    from bench.agreement import disagreements

    skipped = set(other.get("unsupported", []))

    def keep(summaries: dict) -> dict:
        return {code: value for code, value in summaries.items() if code not in skipped}

    where = f"{size} {label}"
    lines = disagreements(keep(engine["full"]), keep(other["full"]), f"{where} ensemble complet")
    lines += disagreements(engine["breakdown"], other["breakdown"], f"{where} ventilation site")
    for territory in sorted(set(engine["export"]) | set(other["export"]), key=int):
        lines += disagreements(
            keep(engine["export"].get(territory, {})),
            keep(other["export"].get(territory, {})),
            f"{where} export territoire {territory}",
        )
    return lines


def _number(value: float, decimals: int = 0) -> str:
    return f"{value:,.{decimals}f}".replace(",", " ")


def _runs(runs: int | None) -> str:
    if runs is None:
        return ""
    return " [1*]" if runs == 0 else f" [{runs}]"


def _ms(seconds: float, runs: int | None = None) -> str:
    return _number(seconds * 1000, 1 if seconds < 0.1 else 0) + " ms" + _runs(runs)


def _s(seconds: float, runs: int | None = None) -> str:
    return _number(seconds, 2) + " s" + _runs(runs)


def _mib(value: float) -> str:
    return _number(value) + " Mio"


def _ratio(slow: float, fast: float) -> str:
    return f"{slow / fast:,.1f}×".replace(",", " ") if fast > 0 else "n/a"


def _at(found: dict, where: str | int) -> object:
    """One size's measure by its dotted path ("engine.runs.full"); an int stands for itself."""
    if isinstance(where, int):
        return where
    value: object = found
    for key in where.split("."):
        value = value[key]  # type: ignore[index]
    return value


# The table's rows: (label, format, its arguments as paths into one size's measures).
# A row reading "sql." needs PostgreSQL. Timings end with their run count ([n] in the table).
MEASURE_ROWS: tuple[tuple[str, Callable[..., str], tuple[str | int, ...]], ...] = (
    ("bénéficiaires par territoire (export)", _number, ("per_territory",)),
    ("lignes : droits", _number, ("generate.rows.rights",)),
    ("lignes : orientations", _number, ("generate.rows.orientations",)),
    ("lignes : rendez-vous", _number, ("generate.rows.appointments",)),
    ("lignes : contrats", _number, ("generate.rows.contracts",)),
    ("lignes : heures d'activité", _number, ("generate.rows.activity_hours",)),
    ("génération des tables", _s, ("generate.generate_s",)),
    ("découpage en territoires (polars)", _s, ("generate.split_s",)),
    ("moteur : lecture + validation des Frames", _s, ("engine.load_s",)),
    ("moteur : ensemble complet, à froid", _ms, ("engine.full_cold_s", "engine.runs.full")),
    ("moteur : ensemble complet, à chaud (mémo)", _ms, ("engine.full_warm_s", "engine.runs.full")),
    (
        "moteur : taux_orientes_15j par site, à froid",
        _ms,
        ("engine.breakdown_cold_s", "engine.runs.breakdown"),
    ),
    (
        "moteur : taux_orientes_15j par site, à chaud",
        _ms,
        ("engine.breakdown_warm_s", "engine.runs.breakdown"),
    ),
    ("pandas : ensemble complet", _ms, ("pandas.full_s", "pandas.runs.full")),
    ("pandas : taux_orientes_15j par site", _ms, ("pandas.breakdown_s", "pandas.runs.breakdown")),
    ("SQL : ensemble complet", _ms, ("sql.full_s", "sql.runs.full")),
    ("SQL : taux_orientes_15j par site", _ms, ("sql.breakdown_s", "sql.runs.breakdown")),
    ("ensemble : pandas / moteur à froid", _ratio, ("pandas.full_s", "engine.full_cold_s")),
    ("ensemble : pandas / moteur à chaud", _ratio, ("pandas.full_s", "engine.full_warm_s")),
    ("ensemble : SQL / moteur à froid", _ratio, ("sql.full_s", "engine.full_cold_s")),
    ("ensemble : SQL / moteur à chaud", _ratio, ("sql.full_s", "engine.full_warm_s")),
    (
        "export 100 territoires : moteur à froid",
        _s,
        ("export.export_cold_s", ENGINE_RUNS["export"]),
    ),
    ("export : moteur à chaud (mémo)", _s, ("export.export_warm_s", ENGINE_RUNS["export"])),
    ("export : pandas", _s, ("pandas_export.export_s", "pandas.runs.export")),
    ("export : SQL (une requête groupée)", _s, ("sql.export_s", "sql.runs.export")),
    (
        "export : pandas / moteur à froid",
        _ratio,
        ("pandas_export.export_s", "export.export_cold_s"),
    ),
    ("export : SQL / moteur à froid", _ratio, ("sql.export_s", "export.export_cold_s")),
    ("SQL : COPY + index + ANALYZE", _s, ("sql.load_s",)),
    ("mémoire max : génération", _mib, ("generate.peak_mib",)),
    ("tables en mémoire (polars)", _mib, ("engine.frames_mib",)),
    ("mémoire max : moteur, un territoire", _mib, ("engine.peak_mib",)),
    ("mémoire max : moteur, export", _mib, ("export.peak_mib",)),
    ("mémoire max : pandas, un territoire", _mib, ("pandas.peak_mib",)),
    ("mémoire max : pandas, export", _mib, ("pandas_export.peak_mib",)),
    ("mémoire max : client SQL (serveur non compté)", _mib, ("sql.peak_mib",)),
    ("base PostgreSQL (pg_database_size)", _mib, ("sql.database_mib",)),
)


def _reads_sql(paths: tuple[str | int, ...]) -> bool:
    return any(isinstance(path, str) and path.startswith("sql.") for path in paths)


def build_rows(sizes: list[int], measures: dict[int, dict], sql_label: str | None) -> list:
    """(label, {size: cell}) rows of the table."""

    def row(label: str, cell: Callable[[dict], str], needs_sql: bool = False):
        cells = {}
        for size in sizes:
            found = measures[size]
            if needs_sql and found.get("sql") is None:
                cells[size] = sql_label or UNREACHABLE
            else:
                cells[size] = cell(found)
        return label, cells

    def measure(shown: Callable[..., str], paths: tuple[str | int, ...]):
        return lambda m: shown(*(_at(m, path) for path in paths))

    return [
        *(
            row(label, measure(shown, paths), _reads_sql(paths))
            for label, shown, paths in MEASURE_ROWS
        ),
        row("accord moteur = pandas", lambda m: "oui" if not m["pandas_lines"] else "NON"),
        row("accord moteur = SQL", lambda m: "oui" if not m["sql_lines"] else "NON", True),
    ]


def print_table(sizes: list[int], rows: list) -> None:
    label_width = max(len(label) for label, _ in rows)
    widths = {
        size: max([len(_number(size))] + [len(cells[size]) for _, cells in rows]) for size in sizes
    }
    header = " " * label_width + "".join(f"  {_number(size):>{widths[size]}}" for size in sizes)
    print(header)
    print("-" * len(header))
    for label, cells in rows:
        print(f"{label:<{label_width}}" + "".join(f"  {cells[s]:>{widths[s]}}" for s in sizes))


def print_targets(measures: dict[int, dict]) -> None:
    def verdict(ok: bool) -> str:
        return "atteinte" if ok else "NON atteinte"

    print("\nCibles de l'issue 5 (à froid = Frames neuves ; à chaud = mémo du moteur servi) :")
    if TARGET_FULL_SIZE in measures:
        engine = measures[TARGET_FULL_SIZE]["engine"]
        cold, warm = engine["full_cold_s"] * 1000, engine["full_warm_s"] * 1000
        print(
            f"- ensemble complet, {_number(TARGET_FULL_SIZE)} bénéficiaires, <= {TARGET_FULL_MS}"
            f" ms : à froid {_number(cold, 1)} ms ({verdict(cold <= TARGET_FULL_MS)}),"
            f" à chaud {_number(warm, 1)} ms ({verdict(warm <= TARGET_FULL_MS)})"
        )
    for size, found in measures.items():
        cold = found["engine"]["full_cold_s"]
        ratio = found["pandas"]["full_s"] / cold
        line = (
            f"- {_number(size)}, à froid : pandas / moteur {ratio:.1f}× (>= {TARGET_PANDAS_RATIO}×,"
            f" {verdict(ratio >= TARGET_PANDAS_RATIO)})"
        )
        if found.get("sql") is not None:
            sql_ratio = found["sql"]["full_s"] / cold
            line += (
                f" ; SQL / moteur {sql_ratio:.1f}× (>= {TARGET_SQL_RATIO}×,"
                f" {verdict(sql_ratio >= TARGET_SQL_RATIO)})"
            )
        print(line)
    if TARGET_EXPORT_SIZE in measures:
        export = measures[TARGET_EXPORT_SIZE]["export"]
        cold, warm = export["export_cold_s"], export["export_warm_s"]
        print(
            f"- export national, {_number(TARGET_EXPORT_SIZE)} bénéficiaires, <= {TARGET_EXPORT_S}"
            f" s : à froid {_number(cold, 2)} s ({verdict(cold <= TARGET_EXPORT_S)}),"
            f" à chaud {_number(warm, 2)} s ({verdict(warm <= TARGET_EXPORT_S)})"
        )
    peak = max(
        max(found["engine"]["peak_mib"], found["export"]["peak_mib"]) for found in measures.values()
    )
    print(
        f"- mémoire max du moteur (un territoire ou export) <= 3 Go : {_mib(peak)},"
        f" {verdict(peak <= TARGET_MEMORY_MIB)}"
    )


def postgres_url(option: str | None) -> str | None:
    return (
        option
        or os.environ.get("PILOTAGE_BENCH_POSTGRES_URL")
        or os.environ.get("PILOTAGE_TEST_POSTGRES_URL")
    )


def measure_size(size: int, args: argparse.Namespace, url: str | None, folder: Path) -> dict:
    """Every measure of one size, and the disagreements found."""
    data = folder / str(size)
    print(f"... {_number(size)} bénéficiaires", file=sys.stderr, flush=True)
    options = ["--territories", str(args.territories), "--seed", str(args.seed)]
    found = {"per_territory": size // args.territories}
    found["generate"] = run_child("generate", size, data, options)
    for key, role in (
        ("engine", "engine"),
        ("export", "engine-export"),
        ("pandas", "pandas"),
        ("pandas_export", "pandas-export"),
    ):
        found[key] = run_child(role, size, data, [])
    found["sql"] = run_child("sql", size, data, ["--url", url]) if url else None
    shutil.rmtree(data)
    engine = {**found["engine"], "export": found["export"]["export"]}
    pandas = {**found["pandas"], "export": found["pandas_export"]["export"]}
    found["pandas_lines"] = check_agreement(size, engine, pandas, "pandas")
    found["sql_lines"] = check_agreement(size, engine, found["sql"], "SQL") if url else []
    for name in ("engine", "export", "pandas", "pandas_export", "sql"):
        if found.get(name):
            found[name].pop("full", None)
            found[name].pop("export", None)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--postgres", help="URL PostgreSQL (une base par taille, supprimée)")
    parser.add_argument("--territories", type=int, default=TERRITORIES)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        if args.child == "generate":
            result = child_generate(args.size, args.territories, args.seed, args.data)
        elif args.child == "sql":
            result = child_sql(args.size, args.data, args.url)
        else:
            result = CHILDREN[args.child](args.size, args.data)
        print(json.dumps(result))
        return

    from bench import sql_baseline

    url = postgres_url(args.postgres)
    sql_on = sql_baseline.reachable(url)
    print(
        "Indicateurs : moteur (polars) contre pandas et SQL (PostgreSQL) ; période 2024-01 à"
        " 2024-12 vue au 31/12/2024, export national : décembre 2024 pour"
        f" {args.territories} territoires ; graine {args.seed}."
    )
    print(
        "[n] = médiane de n mesures après un premier passage non mesuré ; [1*] = ce premier"
        " passage seul. À froid : copie neuve des Frames (mémo vide) ; à chaud : mêmes Frames"
        " (mémo des tables dérivées servi). Cœurs partagés avec d'autres processus : chiffres"
        " bruités."
    )
    if not sql_on:
        print(f"SQL : {UNREACHABLE} ({'aucune URL' if not url else 'connexion refusée'}).")
    sys.stdout.flush()
    measures: dict[int, dict] = {}
    with tempfile.TemporaryDirectory(prefix="bench-indicators-") as tmp:
        for size in args.sizes:
            measures[size] = measure_size(size, args, url if sql_on else None, Path(tmp))
    problems = [line for found in measures.values() for line in found["pandas_lines"]]
    problems += [line for found in measures.values() for line in found["sql_lines"]]
    print()
    print_table(args.sizes, build_rows(args.sizes, measures, None if sql_on else UNREACHABLE))
    print_targets(measures)
    if sql_on:
        unsupported = sql_baseline.UNSUPPORTED
        compared = len(sql_baseline.ORDER) - len(unsupported)
        print(f"\nSQL : {compared} indicateurs comparés.", end="")
        if unsupported:
            print(" Sans version SQL (hors comparaison) : " + ", ".join(unsupported), end="")
        print()
    print(f"mémoire max du processus parent : {_mib(peak_mib())}")
    if problems:
        print(f"\naccord : non ({len(problems)} écarts)")
        for line in problems[:MAX_LISTED]:
            print(f"  {line}")
        if len(problems) > MAX_LISTED:
            print(f"  ... et {len(problems) - MAX_LISTED} autres")
        raise SystemExit(1)
    print("\naccord : oui")


if __name__ == "__main__":
    main()
