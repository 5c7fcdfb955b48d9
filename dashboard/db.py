"""Engine, session factory and schema migration. No queries here (see queries.py)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 5000


def _configure_sqlite(engine: Engine) -> None:
    in_memory = engine.url.database in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if not in_memory:
            # WAL lets the dashboard read while an import writes.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def make_engine(database_url: str) -> Engine:
    """An engine configured for the deployment database (SQLite or PostgreSQL)."""
    if database_url.startswith("sqlite"):
        database = database_url.split("///", 1)[-1]
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(database_url, connect_args={"check_same_thread": False})
        _configure_sqlite(engine)
        return engine
    # pool_pre_ping: recover transparently when PostgreSQL restarted under us.
    return create_engine(database_url, pool_pre_ping=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(engine: Engine) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def init_db(engine: Engine) -> None:
    """Bring the schema to the latest migration (`alembic upgrade head`)."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def schema_is_current(engine: Engine) -> bool:
    """True when the database exists and carries alembic's version table."""
    return inspect(engine).has_table("alembic_version")


# Tables an import fills; their statistics go stale while a large file loads.
IMPORT_TABLES = (
    "beneficiary",
    "beneficiary_link",
    "rights_period",
    "orientation",
    "appointment",
    "contract",
    "activity_hours",
    "employment_outcome",
    "referent",
    "site",
)


def refresh_planner_statistics(session: Session) -> None:
    """On PostgreSQL, ANALYZE the import tables inside the import's transaction.

    A first import fills tables the planner believes empty; the lookups of
    the next chunks (IN lists of 5,000 keys) then run as sequential scans
    over the rows already written, and a 200,000-row file slows to a crawl.
    ANALYZE inside the transaction counts its own uncommitted rows. It goes
    through `pilotage_analyze` (migration 0007), which runs with the rights of
    the tables' owner: the production role owns nothing and could not ANALYZE
    them itself. SQLite needs nothing: it always uses the unique indexes for
    these lookups.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pilotage_analyze(CAST(:tables AS text[]))"),
            {"tables": list(IMPORT_TABLES)},
        )
