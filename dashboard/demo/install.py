"""Install the demo territory: generate it, write its export files, import them, demo accounts.

`install_demo` takes the path a territory's data takes: `generate_demo` (pure)
-> `write_exports` (the files SOLIS, France Travail, the mission locale, the
appointments tool, the roadmap and the targets would send) -> `run_import` of
each file in date order, exactly as `pilotage import` does (profiles,
validation in strict mode, pseudonymisation with the instance's key, upserts).
Each file is imported in a savepoint of the caller's transaction: the caller
commits once, and a failure leaves nothing behind. `load_demo`
(dashboard/demo/load.py) is the direct path through the models, kept for
benchmarks and tests of the indicator engine.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from dashboard.config import Settings, load_settings
from dashboard.demo.exports import ExportFile, write_exports
from dashboard.demo.generate import generate_demo, pilot_start_for
from dashboard.demo.load import MODEL_OF_FIELD
from dashboard.demo.records import TABLE_OF_FIELD
from dashboard.imports import ImportProgress, run_import
from dashboard.models import Beneficiary, ImportStatus, Role, Territory, User
from dashboard.passwords import hash_password
from dashboard.territories import add_territory, ensure_national, normalise_code

DEMO_CODE = "35-REDON"
DEMO_NAME = "Pays de Redon et Vallons de Vilaine"
DEMO_DEPARTEMENT = "35"
DEMO_END = dt.date(2024, 12, 31)
DEMO_SIZE = 1400
DEMO_SEED = 2024
# Documented in the README; demo accounts only ever exist on a demo database.
DEMO_PASSWORD = "demo-pilotage-rsa"
DEMO_ROLES = (Role.COPIL, Role.COMOP, Role.PROJET, Role.ADMIN)


class DemoError(RuntimeError):
    """The demo cannot be installed (message in French)."""


@dataclass
class DemoReport:
    territory_code: str
    size: int
    seed: int
    counts: dict[str, int]
    created_logins: list[str] = field(default_factory=list)
    seconds: float = 0.0
    files: int = 0
    rows_read: int = 0
    export_dir: Path | None = None
    # Seconds spent generating, writing the export files, importing them.
    steps: dict[str, float] = field(default_factory=dict)

    def describe(self) -> str:
        lines = [
            f"Territoire de démonstration {self.territory_code} chargé "
            f"(taille {self.size}, graine {self.seed}) en {self.seconds:.1f} s : "
            f"{self.files} fichiers d'export importés, {self.rows_read} lignes lues"
        ]
        if self.steps:
            lines.append(
                "  (génération {generate:.1f} s, écriture des fichiers {exports:.1f} s, "
                "imports {imports:.1f} s)".format(**self.steps)
            )
        if self.export_dir is not None:
            lines.append(f"Fichiers d'export : {self.export_dir}")
        lines += [f"  {table:<22} {count:>9}" for table, count in sorted(self.counts.items())]
        if self.created_logins:
            lines.append(
                f"Comptes créés : {', '.join(self.created_logins)} (mot de passe : {DEMO_PASSWORD})"
            )
        return "\n".join(lines)


def demo_login(role: Role, territory_code: str) -> str:
    suffix = "" if territory_code == DEMO_CODE else "." + territory_code.lower()
    return f"demo.{role.value}{suffix}"


def _create_demo_users(db: Session, territory: Territory, national: Territory) -> list[str]:
    wanted = [(demo_login(role, territory.code), role, territory) for role in DEMO_ROLES]
    wanted.append(("demo.national", Role.NATIONAL, national))
    created = []
    password_hash = hash_password(DEMO_PASSWORD)
    for login, role, home in wanted:
        if db.scalar(select(User.id).where(User.login == login)) is None:
            db.add(User(login=login, password_hash=password_hash, role=role, territory_id=home.id))
            created.append(login)
    db.flush()
    return created


def demo_folder(settings: Settings, territory_code: str = DEMO_CODE) -> Path:
    """Where `pilotage demo` writes a territory's export files: <instance>/demo/<code>."""
    return settings.instance_dir / "demo" / normalise_code(territory_code)


@contextlib.contextmanager
def _folder(export_dir: Path | None) -> Iterator[Path]:
    if export_dir is not None:
        yield export_dir
        return
    with tempfile.TemporaryDirectory(prefix="pilotage-demo-") as temporary:
        yield Path(temporary)


def _import_files(
    db: Session,
    territory_code: str,
    files: list[ExportFile],
    pseudonym_key: str,
    progress: Callable[[ImportProgress], None] | None,
) -> int:
    """Import `files` in order, each in a savepoint of `db`'s transaction; rows read."""
    sessions = sessionmaker(
        bind=db.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    total = sum(item.rows for item in files) or 1
    read = 0
    for item in files:
        report = run_import(
            sessions,
            item.source,
            item.path,
            territory_code,
            pseudonym_key=pseudonym_key,
            extracted_on=item.extracted_on,
            year=item.year,
            profile_name="démonstration",
            strict=True,
        )
        if report.status != ImportStatus.LOADED.value:
            raise DemoError(
                f"Le fichier de démonstration {item.source}/{item.path.name} n'a pas pu être "
                f"importé : {report.message}"
            )
        read += report.rows_read
        if progress is not None:
            progress(ImportProgress(read, read / total))
    return read


def _table_counts(db: Session, territory_id: int) -> dict[str, int]:
    """Rows per table of the territory, as the imports left them."""
    return {
        table: db.scalar(
            select(func.count())
            .select_from(MODEL_OF_FIELD[name])
            .where(MODEL_OF_FIELD[name].territory_id == territory_id)
        )
        for name, table in TABLE_OF_FIELD.items()
    }


def install_demo(
    db: Session,
    territory_code: str = DEMO_CODE,
    size: int = DEMO_SIZE,
    seed: int = DEMO_SEED,
    *,
    pseudonym_key: str | None = None,
    export_dir: Path | None = None,
    progress: Callable[[ImportProgress], None] | None = None,
) -> DemoReport:
    """Generate the demo, write its export files and import them into `territory_code`
    (created when absent). Caller commits.

    `pseudonym_key`: the instance's key (`pilotage demo` passes it); without one, a
    throwaway key (the demo's people then match no later import). `export_dir`: where
    the files stay (`demo_folder`); without one, a temporary folder removed afterwards.
    `progress` hears the rows read and the share of all the files' rows.
    """
    started = time.perf_counter()
    code = normalise_code(territory_code)
    national = ensure_national(db)
    territory = db.scalar(select(Territory).where(Territory.code == code))
    if territory is None:
        name = DEMO_NAME if code == DEMO_CODE else f"Territoire de démonstration {code}"
        territory = add_territory(db, code, name, code.split("-")[0], parent_code=national.code)
    existing = db.scalar(
        select(func.count())
        .select_from(Beneficiary)
        .where(Beneficiary.territory_id == territory.id)
    )
    if existing:
        raise DemoError(
            f"Le territoire {code} compte déjà {existing} bénéficiaires : la démonstration ne "
            "peut être chargée que dans un territoire sans données."
        )
    if territory.pilot_start is None:
        territory.pilot_start = pilot_start_for(DEMO_END)
    db.flush()
    begun = time.perf_counter()
    data = generate_demo(size=size, seed=seed, end=DEMO_END)
    key = pseudonym_key or secrets.token_hex(32)
    with _folder(export_dir) as folder:
        generated = time.perf_counter()
        files = write_exports(data, folder)
        written = time.perf_counter()
        read = _import_files(db, code, files, key, progress)
        imported = time.perf_counter()
    steps = {
        "generate": generated - begun,
        "exports": written - generated,
        "imports": imported - written,
    }
    created = _create_demo_users(db, territory, national)
    return DemoReport(
        code,
        size,
        seed,
        _table_counts(db, territory.id),
        created,
        time.perf_counter() - started,
        files=len(files),
        rows_read=read,
        export_dir=export_dir,
        steps=steps,
    )


def install_demo_if_empty(db: Session, settings: Settings | None = None) -> DemoReport | None:
    """First start: a database without any pilot territory gets the demo one, imported
    from export files written under the instance folder (`demo_folder`)."""
    pilot_territories = db.scalar(
        select(func.count()).select_from(Territory).where(Territory.parent_id.is_not(None))
    )
    if pilot_territories:
        return None
    settings = settings or load_settings()
    return install_demo(db, pseudonym_key=settings.pseudonym_key, export_dir=demo_folder(settings))


def demo_logins(db: Session) -> list[str]:
    return list(
        db.scalars(select(User.login).where(User.login.like("demo.%")).order_by(User.login))
    )
