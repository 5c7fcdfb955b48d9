"""Plan line 27 on PostgreSQL: an application role that cannot edit the audit trail.

As docs/operations.md (section 3 bis) says: an owner role migrates a fresh database,
scripts/postgres_app_role.sql grants the application role its rights, and the
application runs as that role. It serves, imports and logs people in (audit rows
written), but it cannot delete, update or truncate audit_log, nor drop or disable
the triggers of migration 0006.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import URL, Engine, create_engine, make_url, select, text
from sqlalchemy.exc import DBAPIError

from dashboard.db import init_db, make_engine
from dashboard.models import AuditLog, Role
from tests.helpers import log_in, make_territory, make_user
from tests.pg_cluster import find_pg_bindir

ROOT = Path(__file__).resolve().parent.parent
GRANTS = ROOT / "scripts" / "postgres_app_role.sql"
SOLIS_SAMPLE = ROOT / "tests" / "data" / "samples" / "solis_beneficiaires.csv"
POSTGRES_URL = os.environ.get("PILOTAGE_TEST_POSTGRES_URL")
REQUIRE_POSTGRES = os.environ.get("PILOTAGE_REQUIRE_POSTGRES") == "1"


@dataclass(frozen=True)
class Roles:
    owner: URL
    app: URL


def _absent(message: str) -> None:
    if REQUIRE_POSTGRES:
        pytest.fail(f"PILOTAGE_REQUIRE_POSTGRES=1 mais {message}")
    pytest.skip(message)


def _psql() -> str:
    bindir = find_pg_bindir()
    found = bindir / "psql" if bindir and (bindir / "psql").exists() else shutil.which("psql")
    if not found:
        _absent("psql introuvable : installez le paquet Debian postgresql-client.")
    return str(found)


def apply_grants(owner: URL, app_role: str) -> None:
    """What the operations doc tells the administrator to run, as the owner."""
    libpq = owner.set(drivername="postgresql").render_as_string(hide_password=False)
    done = subprocess.run(
        [_psql(), libpq, "-q", "-v", f"app_role={app_role}", "-f", str(GRANTS)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def roles() -> Iterator[Roles]:
    if not POSTGRES_URL:
        _absent("PILOTAGE_TEST_POSTGRES_URL est absent : lancez les tests avec scripts/test.sh")
    suffix = uuid.uuid4().hex[:10]
    owner, app_role, database = f"owner_{suffix}", f"app_{suffix}", f"app_role_{suffix}"
    admin = create_engine(
        make_url(POSTGRES_URL).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        # As docs/operations.md: two login roles, the database owned by the owner role.
        connection.execute(text(f'CREATE ROLE "{owner}" LOGIN'))
        connection.execute(text(f'CREATE ROLE "{app_role}" LOGIN'))
        connection.execute(text(f'CREATE DATABASE "{database}" OWNER "{owner}"'))
        connection.execute(text(f'REVOKE ALL ON DATABASE "{database}" FROM PUBLIC'))
    base = make_url(POSTGRES_URL).set(database=database)
    found = Roles(owner=base.set(username=owner), app=base.set(username=app_role))
    try:
        migrating = make_engine(found.owner.render_as_string(hide_password=False))
        init_db(migrating)  # what `pilotage init-db` runs, as the owner
        migrating.dispose()
        apply_grants(found.owner, app_role)
        yield found
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            connection.execute(text(f'DROP ROLE IF EXISTS "{app_role}"'))
            connection.execute(text(f'DROP ROLE IF EXISTS "{owner}"'))
        admin.dispose()


@pytest.fixture
def database_url(roles: Roles) -> str:
    """The conftest fixtures (settings, app, client, cli, db_session) as the app role."""
    return roles.app.render_as_string(hide_password=False)


@pytest.fixture
def app_engine(roles: Roles) -> Iterator[Engine]:
    engine = create_engine(roles.app)
    yield engine
    engine.dispose()


def test_the_app_serves_imports_and_audits_as_the_app_role(db_session, client, cli):
    assert db_session.execute(text("SELECT current_user")).scalar_one().startswith("app_")
    make_territory(db_session, "35-REDON", "Pays de Redon")
    make_user(db_session, "redon.admin", Role.ADMIN, "35-REDON")
    db_session.commit()
    code, _, err = cli(
        "import", "solis", str(SOLIS_SAMPLE), "--territory", "35-REDON",
        "--extracted-on", "2024-07-01",
    )  # fmt: skip
    assert code == 0, err
    assert log_in(client, "redon.admin").status_code == 302
    assert client.get("/").status_code == 200
    assert client.get("/_dash-layout").status_code == 200
    db_session.expire_all()
    actions = set(db_session.scalars(select(AuditLog.action)))
    assert {"import", "login"} <= actions, actions


CONTROL_ROW = "INSERT INTO audit_log (at, action, details) VALUES (now(), 'control', '{}')"
FORBIDDEN = [
    "DELETE FROM audit_log",
    "UPDATE audit_log SET login = 'effacé'",
    "TRUNCATE audit_log",
    "DROP TRIGGER audit_log_append_only ON audit_log",
    "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
    "ALTER TABLE audit_log OWNER TO CURRENT_USER",
    "DROP TABLE audit_log",
    "DROP FUNCTION audit_log_append_only() CASCADE",
    "UPDATE alembic_version SET version_num = '0001'",
    "CREATE TABLE audit_copy (id int)",
]


@pytest.mark.parametrize("statement", FORBIDDEN)
def test_the_app_role_cannot_edit_the_audit_trail(app_engine, statement):
    with app_engine.connect() as connection:
        connection.execute(text(CONTROL_ROW))
        connection.commit()  # the role may append: the refusals below are about rights
        with pytest.raises(DBAPIError) as refused:
            connection.execute(text(statement))
        connection.rollback()
        kept = connection.execute(text("SELECT count(*) FROM audit_log")).scalar_one()
    assert "permission denied" in str(refused.value) or "must be owner" in str(refused.value)
    assert kept >= 1


def test_the_owner_itself_meets_the_append_only_triggers(roles):
    # Control: the owner has every right, but migration 0006's trigger still refuses.
    owner = create_engine(roles.owner)
    try:
        with owner.connect() as connection:
            connection.execute(text(CONTROL_ROW))  # a row trigger needs a row to fire
            connection.commit()
            with pytest.raises(DBAPIError) as refused:
                connection.execute(text("DELETE FROM audit_log"))
    finally:
        owner.dispose()
    assert "append-only" in str(refused.value)


def test_the_operations_doc_runs_the_same_grants_file():
    doc = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    assert "scripts/postgres_app_role.sql" in doc
    assert "-v app_role=pilotage_app" in doc


def test_the_app_role_refreshes_planner_statistics_through_the_owner(db_session):
    """ANALYZE by a non-owner is skipped with a warning on PostgreSQL 15; the import's
    refresh goes through pilotage_analyze (migration 0007), which runs as the owner."""
    from dashboard.db import IMPORT_TABLES, refresh_planner_statistics

    assert db_session.execute(text("SELECT current_user")).scalar_one().startswith("app_")
    stamps = text(
        "SELECT relname, last_analyze FROM pg_stat_user_tables WHERE relname = ANY(:names)"
    )
    names = list(IMPORT_TABLES)
    before = dict(db_session.execute(stamps, {"names": names}).all())
    db_session.commit()
    refresh_planner_statistics(db_session)  # what an import runs, in its transaction
    db_session.commit()
    after = dict(db_session.execute(stamps, {"names": names}).all())
    # Every import table was analysed just now (a skipped ANALYZE leaves the stamp as is).
    assert set(after) == set(names)
    assert all(after[n] is not None and after[n] != before.get(n) for n in names), (before, after)
