"""Backup and restore of a SQLite deployment, with sqlite3's online backup API.

The backup API copies the database page by page under SQLite's own locks, so
a backup taken while the app serves (and writes, in WAL mode) is a consistent
snapshot. A restore copies a backup file into the configured database the
same way, after checking that the file is a Pilotage database (it carries
alembic's version table with a revision this code knows). PostgreSQL
deployments use pg_dump / pg_restore instead (docs/operations.md).
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import make_url

SQLITE_HEADER = b"SQLite format 3\x00"
PAGES_PER_STEP = 1024  # the writer waits at most one step's worth of copying


class BackupError(Exception):
    """A backup or restore that cannot be done (message in French)."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    size_bytes: int
    revision: str


def sqlite_path(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupError(postgresql_advice(database_url))
    if url.database in (None, "", ":memory:"):
        raise BackupError("La base SQLite est en mémoire : il n'y a rien à sauvegarder.")
    return Path(url.database).resolve()


def postgresql_advice(database_url: str) -> str:
    """How to back up and restore a PostgreSQL database (pilotage leaves it to pg_dump)."""
    url = make_url(database_url)
    libpq = url.set(drivername=url.get_backend_name()).render_as_string(hide_password=True)
    return (
        "la base n'est pas SQLite : pour PostgreSQL, utilisez pg_dump et pg_restore, "
        f"par exemple « pg_dump --format=custom --file=pilotage.dump '{libpq}' » puis "
        f"« pg_restore --clean --if-exists --no-owner --dbname='{libpq}' pilotage.dump » "
        "(voir docs/operations.md, section Sauvegardes)."
    )


def _connect_existing(path: Path) -> sqlite3.Connection:
    # Not mode=ro: a read-only connection cannot open a WAL database whose -shm is missing.
    if not path.is_file():
        raise BackupError(f"Le fichier {path} n'existe pas.")
    return sqlite3.connect(path, timeout=30)


def pilotage_revision(path: Path) -> str:
    """The alembic revision of the SQLite file at `path`, or BackupError if it is not ours."""
    if not path.is_file():
        raise BackupError(f"Le fichier {path} n'existe pas.")
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(f"{path} n'est pas une base SQLite.")
    try:
        with closing(_connect_existing(path)) as connection:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        row = None
    if row is None:
        raise BackupError(
            f"{path} n'est pas une base Pilotage : la table alembic_version est absente ou vide."
        )
    return row[0]


def _known_revisions() -> set[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from dashboard.db import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}


def _copy(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    source.backup(target, pages=PAGES_PER_STEP)


def backup_sqlite(database_url: str, out: Path, *, force: bool = False) -> BackupReport:
    """Write a consistent copy of the configured SQLite database to `out` (mode 0600)."""
    source_path = sqlite_path(database_url)
    revision = pilotage_revision(source_path)
    out = out.resolve()
    if out == source_path:
        raise BackupError("Le fichier de sauvegarde ne peut pas être la base elle-même.")
    if out.exists() and not force:
        raise BackupError(f"{out} existe déjà : ajoutez --force pour l'écraser.")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    partial.unlink(missing_ok=True)
    # The copy holds personal data: readable by its owner only, from the first byte.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        with (
            closing(_connect_existing(source_path)) as source,
            closing(sqlite3.connect(partial)) as target,
        ):
            _copy(source, target)
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            check = target.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"La copie est corrompue ({check}) : sauvegarde abandonnée.")
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return BackupReport(out, out.stat().st_size, revision)


def restore_sqlite(database_url: str, backup_file: Path, *, force: bool = False) -> BackupReport:
    """Replace the configured SQLite database by the content of `backup_file`.

    Refuses a file that is not a Pilotage database, or one made by a newer
    version of the code; refuses to overwrite an existing database without
    `force`. Stop the web service and the scheduler before restoring.
    """
    target_path = sqlite_path(database_url)
    backup_file = backup_file.resolve()
    if backup_file == target_path:
        raise BackupError("La sauvegarde est la base elle-même : rien à restaurer.")
    revision = pilotage_revision(backup_file)
    if revision not in _known_revisions():
        raise BackupError(
            f"{backup_file} vient d'une version plus récente de Pilotage (révision {revision}) : "
            "mettez le code à jour avant de restaurer."
        )
    if target_path.exists() and target_path.stat().st_size > 0 and not force:
        raise BackupError(
            f"La base {target_path} existe déjà : ajoutez --force pour la remplacer "
            "(arrêtez d'abord le service web et « pilotage scheduler »)."
        )
    target_path.parent.mkdir(parents=True, exist_ok=True)
    with (
        closing(_connect_existing(backup_file)) as source,
        closing(sqlite3.connect(target_path, timeout=30)) as target,
    ):
        _copy(source, target)
        check = target.execute("PRAGMA integrity_check").fetchone()[0]
    if check != "ok":
        raise BackupError(f"La base restaurée est corrompue ({check}).")
    return BackupReport(target_path, target_path.stat().st_size, revision)
