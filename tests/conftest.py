"""Shared fixtures, after the Flask tutorial: settings -> app -> client / runner.

The `database_url` fixture is parametrized over SQLite and PostgreSQL. The
PostgreSQL cluster comes from `scripts/test.sh` (PILOTAGE_TEST_POSTGRES_URL);
with PILOTAGE_REQUIRE_POSTGRES=1 (set by that script, hence in CI) a missing
cluster is an error, never a silent skip.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.orm import Session

from dashboard import create_app
from dashboard.config import Settings
from dashboard.db import init_db, make_engine, make_session_factory

POSTGRES_URL = os.environ.get("PILOTAGE_TEST_POSTGRES_URL")
REQUIRE_POSTGRES = os.environ.get("PILOTAGE_REQUIRE_POSTGRES") == "1"
TEMPLATE_DB = "pilotage_template"
BACKENDS = ["sqlite", "postgresql"]


def _admin_engine() -> Engine:
    url = make_url(POSTGRES_URL).set(database="postgres")
    return create_engine(url, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (migrating once is faster)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    init_db(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_template() -> str:
    """A migrated PostgreSQL database used as TEMPLATE for each test's database."""
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("PILOTAGE_REQUIRE_POSTGRES=1 mais PILOTAGE_TEST_POSTGRES_URL est absent.")
        pytest.skip("PostgreSQL de test absent : lancez les tests avec scripts/test.sh")
    admin = _admin_engine()
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {TEMPLATE_DB}"))
        connection.execute(text(f"CREATE DATABASE {TEMPLATE_DB}"))
    engine = make_engine(make_url(POSTGRES_URL).set(database=TEMPLATE_DB).render_as_string(False))
    init_db(engine)
    engine.dispose()
    admin.dispose()
    return TEMPLATE_DB


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database for one test, on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "pilotage.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("postgres_template")
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine()
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name} TEMPLATE {template}"))
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        instance_dir=tmp_path / "instance",
        database_url=database_url,
        secret_key="test-secret-key-" + uuid.uuid4().hex,
        pseudonym_key="test-pseudonym-key-" + uuid.uuid4().hex,
        testing=True,
    )


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db_session(engine: Engine) -> Iterator[Session]:
    with make_session_factory(engine)() as session:
        yield session


@pytest.fixture
def app(settings: Settings, engine: Engine):
    application = create_app(settings)
    yield application
    application.server.extensions["pilotage"].engine.dispose()


@pytest.fixture
def client(app):
    return app.server.test_client()


@pytest.fixture
def cli(settings, monkeypatch, capsys):
    """Run `pilotage ARGS...` in-process on the test database: (exit code, stdout, stderr)."""
    import io
    import sys

    from dashboard.cli import main

    monkeypatch.setenv("PILOTAGE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("PILOTAGE_INSTANCE_DIR", str(settings.instance_dir))
    monkeypatch.setenv("PILOTAGE_PSEUDONYM_KEY", settings.pseudonym_key)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))

    def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture
def redon_cli(cli):
    """`cli` on a database holding the territory 35-REDON."""
    code, _, err = cli("territory", "add", "35-REDON", "--name", "Redon", "--departement", "35")
    assert code == 0, err
    return cli


@pytest.fixture
def redon_json_cli(redon_cli):
    """`redon_cli` whose JSON output (`--format json`) comes back parsed."""
    import json

    def run(*args: str) -> tuple[int, dict | str, str]:
        code, out, err = redon_cli(*args)
        return code, json.loads(out) if out.startswith("{") else out, err

    return run
