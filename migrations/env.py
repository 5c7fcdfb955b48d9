"""Alembic environment: migrates the database of the application's settings.

Called programmatically by `dashboard.db.init_db` (which passes an open
connection) or from the command line (`alembic upgrade head`), where the URL
comes from PILOTAGE_DATABASE_URL like the application itself.
"""

from alembic import context
from sqlalchemy import Connection

from dashboard.config import load_settings
from dashboard.db import make_engine
from dashboard.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or load_settings().database_url
    engine = make_engine(url)
    with engine.connect() as fresh_connection:
        _run(fresh_connection)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Les migrations hors ligne ne sont pas prises en charge : utilisez une base.")
run_migrations_online()
