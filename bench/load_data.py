"""The load test's database: territories of N beneficiaries and one account per role in each.

`build_database(url, territories)` creates (or recreates) the PostgreSQL
database named in `url`, migrates it (`init_db`), generates each territory
(bench/load_territories.py: code, name, size) as the demo territory
(`generate_demo`, the same shape as `pilotage demo --size N`) and writes it
with `load_demo` (dashboard/demo/load.py), the direct path into the tables
`dashboard.facts.load_frames` reads, with each chunk sent by PostgreSQL
`COPY` instead of `executemany` (`copy_insert`: about twice as fast, the
same rows and column defaults). `record_batches` then writes the import
batches (no rows) the export files would have left, for the extraction dates
the pages show; none is written during the run, so the facts cache holds.

`create_users` makes `load.<role>` in the first territory and
`load.<role>.<territory code>` in the others (admin, copil, comop,
projet; admin is scoped to its territory like the others, only "national"
reads several: dashboard/scope.py) in each territory, all with
`LOAD_PASSWORD`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from unittest import mock

from load_territories import TERRITORY_MARKERS, LoadTerritory
from sqlalchemy import JSON, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

import dashboard.demo.load as demo_load
from dashboard.db import init_db, make_engine, make_session_factory
from dashboard.demo.export_follow_up import france_travail_dates
from dashboard.demo.exports import extraction_dates
from dashboard.demo.generate import generate_demo
from dashboard.demo.install import DEMO_END, DEMO_SEED
from dashboard.demo.records import DemoData
from dashboard.models import (
    Base,
    Beneficiary,
    DataSource,
    ImportBatch,
    ImportStatus,
    Role,
    Territory,
    User,
)
from dashboard.passwords import hash_password
from dashboard.territories import add_territory, ensure_national

LOAD_PASSWORD = "charge-pilotage-rsa"
FIRST_CODE = TERRITORY_MARKERS[0][0]
LOAD_ROLES = (Role.ADMIN, Role.COPIL, Role.COMOP, Role.PROJET)


def load_login(role: Role | str, code: str = FIRST_CODE) -> str:
    """`load.<role>` in the first territory (as before several), `load.<role>.<code>` after."""
    suffix = "" if code == FIRST_CODE else f".{code.lower()}"
    return f"load.{Role(role).value}{suffix}"


@dataclass
class BuildReport:
    sizes: dict[str, int]  # code -> the demo's size (`pilotage demo --size`); {} when reused
    beneficiaries: dict[str, int]  # code -> rows: the size plus the people who left before
    reused: bool
    rows: int
    seconds: float
    steps: dict[str, float]


def _column_values(table, first: dict) -> tuple[list[str], list[tuple[str, object]]]:
    """The columns COPY writes: the row's keys plus the columns with a Python-side default."""
    names = list(first)
    defaults = []
    for column in table.columns:
        if column.name in first or column.default is None:
            continue
        default = column.default
        value = default.arg(None) if default.is_callable else default.arg
        defaults.append((column.name, value))
    return names, defaults


def _processor(column, dialect):
    """How a Python value is written: JSON as text, enums as stored, the rest as is."""
    if isinstance(column.type, JSON):
        return json.dumps
    return column.type.bind_processor(dialect)


def copy_insert(session: Session, model: type[Base], rows: Iterable[dict]) -> int:
    """`load_demo`'s `_insert` through `COPY ... FROM STDIN` on the session's connection."""
    table = model.__table__
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    names, defaults = _column_values(table, first)
    dialect = session.get_bind().dialect
    processors = [_processor(table.columns[name], dialect) for name in names]
    constants = tuple(
        value if (proc := _processor(table.columns[name], dialect)) is None else proc(value)
        for name, value in defaults
    )
    columns = ", ".join(f'"{name}"' for name in [*names, *(name for name, _ in defaults)])
    cursor = session.connection().connection.driver_connection.cursor()
    inserted = 0
    with cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
        for row in _chain(first, iterator):
            values = [
                row[name] if proc is None or row[name] is None else proc(row[name])
                for name, proc in zip(names, processors, strict=True)
            ]
            copy.write_row((*values, *constants))
            inserted += 1
    return inserted


def _chain(first: dict, rest: Iterable[dict]) -> Iterable[dict]:
    yield first
    yield from rest


def _recreate(url: str) -> None:
    target = make_url(url)
    admin = make_engine(target.set(database="postgres").render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def existing_sizes(url: str, codes: list[str]) -> dict[str, int] | None:
    """Beneficiaries per territory, or None when the database or one territory is absent."""
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as db:
            counts = dict(
                db.execute(
                    select(Territory.code, func.count(Beneficiary.id))
                    .join(Beneficiary, Beneficiary.territory_id == Territory.id)
                    .where(Territory.code.in_(codes))
                    .group_by(Territory.code)
                ).all()
            )
        return counts if set(counts) == set(codes) else None
    except Exception:  # noqa: BLE001 - no database yet: build it
        return None
    finally:
        engine.dispose()


def record_batches(db: Session, territory: Territory, data: DemoData) -> int:
    """One loaded import batch per export file `pilotage demo` would import, rows apart.

    The pages read the extraction dates from the batches ("Données SOLIS au ...",
    the periods offered, the COMOP lists' date), as after real imports.
    """
    monthly = extraction_dates(data)
    dated = {
        DataSource.SOLIS: monthly,
        DataSource.MISSION_LOCALE: monthly,
        DataSource.RDV: monthly,
        DataSource.FRANCE_TRAVAIL: france_travail_dates(data),
        DataSource.ROADMAP: [data.end],
        DataSource.TARGETS: [data.end],
    }
    batches = [
        ImportBatch(
            territory_id=territory.id,
            source=source,
            file_name=f"{source.value}_{on.isoformat()}.csv",
            sha256=f"{source.value}-{on.isoformat()}".ljust(64, "0")[:64],
            profile="charge",
            extracted_on=on,
            status=ImportStatus.LOADED,
            message="banc de charge (bench/load_data.py)",
        )
        for source, dates in dated.items()
        for on in dates
    ]
    db.add_all(batches)
    db.flush()
    return len(batches)


def create_users(db: Session, territory: Territory) -> list[str]:
    password_hash = hash_password(LOAD_PASSWORD)
    logins = []
    for role in LOAD_ROLES:
        login = load_login(role, territory.code)
        if db.scalar(select(User.id).where(User.login == login)) is None:
            db.add(
                User(login=login, password_hash=password_hash, role=role, territory_id=territory.id)
            )
        logins.append(login)
    db.flush()
    return logins


def build_database(url: str, territories: list[LoadTerritory], *, reuse: bool = False):
    """The load database at `url` with `territories` (kept when `reuse` and all present)."""
    started = time.perf_counter()
    codes = [item.code for item in territories]
    existing = existing_sizes(url, codes) if reuse else None
    if existing:
        return BuildReport({}, existing, True, 0, time.perf_counter() - started, {})
    _recreate(url)
    engine = make_engine(url)
    init_db(engine)
    steps = {"schema": time.perf_counter() - started, "generate": 0.0, "copy": 0.0}
    rows = 0
    beneficiaries = {}
    with make_session_factory(engine)() as db:
        national = ensure_national(db)
        for item in territories:
            begun = time.perf_counter()
            data = generate_demo(size=item.size, seed=DEMO_SEED, end=DEMO_END)
            generated = time.perf_counter()
            territory = add_territory(
                db, item.code, item.name, item.departement, parent_code=national.code
            )
            with mock.patch.object(demo_load, "_insert", copy_insert):
                counts = demo_load.load_demo(db, territory, data)
            record_batches(db, territory, data)
            create_users(db, territory)
            db.flush()
            steps["generate"] += generated - begun
            steps["copy"] += time.perf_counter() - generated
            rows += sum(counts.values())
            beneficiaries[item.code] = counts["beneficiary"]
        db.commit()
    loaded = time.perf_counter()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE"))
    engine.dispose()
    ended = time.perf_counter()
    steps["analyze"] = ended - loaded
    sizes = {item.code: item.size for item in territories}
    return BuildReport(sizes, beneficiaries, False, rows, ended - started, steps)
