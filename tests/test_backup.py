"""`pilotage backup` / `pilotage restore` on SQLite: a round trip, a live backup, the refusals."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import inspect

from dashboard.db import make_engine, make_session_factory
from dashboard.models import Beneficiary, Role, Sex
from tests.helpers import make_territory, make_user


@pytest.fixture
def pilotage(tmp_path, monkeypatch, capsys, sqlite_template):
    """`pilotage ARGS...` in-process on a migrated SQLite file under tmp_path: (code, out, err)."""
    from dashboard.cli import main

    database = tmp_path / "instance" / "pilotage.sqlite3"
    database.parent.mkdir()
    shutil.copyfile(sqlite_template, database)
    for name in ("PILOTAGE_DATABASE_URL", "PILOTAGE_PRODUCTION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PILOTAGE_INSTANCE_DIR", str(database.parent))
    monkeypatch.setenv("PILOTAGE_SECRET_KEY", "k" * 40)
    monkeypatch.setenv("PILOTAGE_PSEUDONYM_KEY", "p" * 40)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    run.database = database
    return run


def _fill(database: Path, people: int) -> None:
    engine = make_engine(f"sqlite:///{database}")
    with make_session_factory(engine)() as db:
        redon = make_territory(db, "35-REDON", "Pays de Redon")
        make_user(db, "redon.admin", Role.ADMIN, "35-REDON")
        for index in range(people):
            db.add(
                Beneficiary(
                    territory_id=redon.id, pseudonym=f"P{index:04d}", birth_year=1980, sex=Sex.F
                )
            )
        db.commit()
    engine.dispose()


def _dump(database: Path) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: two databases with equal dumps hold the same data."""
    engine = make_engine(f"sqlite:///{database}")
    tables = inspect(engine).get_table_names()
    engine.dispose()
    with closing(sqlite3.connect(database)) as connection:
        return {
            table: sorted(map(tuple, connection.execute(f'SELECT * FROM "{table}"')), key=repr)
            for table in tables
        }


def _people(database: Path) -> int:
    with closing(sqlite3.connect(database)) as connection:
        return connection.execute("SELECT count(*) FROM beneficiary").fetchone()[0]


def test_round_trip_restores_exactly_the_saved_data(pilotage, tmp_path):
    _fill(pilotage.database, people=30)
    saved = _dump(pilotage.database)
    out = tmp_path / "saves" / "pilotage-1.sqlite3"

    code, stdout, err = pilotage("backup", "--out", str(out))
    assert code == 0, err
    assert "Sauvegarde écrite" in stdout and "révision 0007" in stdout
    assert out.stat().st_mode & 0o077 == 0  # personal data: owner only
    assert not list(out.parent.glob(".*partial"))

    # Change the live database after the backup: 10 people gone, a territory renamed.
    with closing(sqlite3.connect(pilotage.database)) as connection:
        connection.execute("DELETE FROM beneficiary WHERE pseudonym >= 'P0020'")
        connection.execute("UPDATE territory SET name = 'Redon' WHERE code = '35-REDON'")
        connection.commit()
    assert _people(pilotage.database) == 20  # 30 - the 10 from P0020 to P0029
    assert _dump(pilotage.database) != saved

    code, stdout, err = pilotage("restore", str(out), "--force")
    assert code == 0, err
    assert "Base restaurée" in stdout
    assert _dump(pilotage.database) == saved
    assert _people(pilotage.database) == 30


def test_backup_while_a_writer_holds_a_transaction_is_a_consistent_snapshot(pilotage, tmp_path):
    _fill(pilotage.database, people=5)
    writer = sqlite3.connect(pilotage.database, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("DELETE FROM beneficiary WHERE pseudonym = 'P0000'")
        code, _, err = pilotage("backup", "--out", str(tmp_path / "live.sqlite3"))
        assert code == 0, err
        writer.execute("COMMIT")
    finally:
        writer.close()
    assert _people(pilotage.database) == 4  # 5 - P0000, committed now
    assert _people(tmp_path / "live.sqlite3") == 5  # the backup saw the state before it


def test_backup_refuses_to_overwrite_without_force(pilotage, tmp_path):
    _fill(pilotage.database, people=1)
    out = tmp_path / "save.sqlite3"
    out.write_text("ancien contenu", encoding="utf-8")
    code, _, err = pilotage("backup", "--out", str(out))
    assert code == 1
    assert "existe déjà : ajoutez --force" in err
    assert out.read_text(encoding="utf-8") == "ancien contenu"
    code, _, err = pilotage("backup", "--out", str(out), "--force")
    assert code == 0, err
    assert _people(out) == 1


def test_restore_refuses_to_overwrite_a_database_without_force(pilotage, tmp_path):
    _fill(pilotage.database, people=3)
    out = tmp_path / "save.sqlite3"
    assert pilotage("backup", "--out", str(out))[0] == 0
    with closing(sqlite3.connect(pilotage.database)) as connection:
        connection.execute("DELETE FROM beneficiary")
        connection.commit()
    code, _, err = pilotage("restore", str(out))
    assert code == 1
    assert "existe déjà : ajoutez --force pour la remplacer" in err
    assert _people(pilotage.database) == 0  # untouched


def test_restore_into_a_missing_database_needs_no_force(pilotage, tmp_path):
    _fill(pilotage.database, people=4)
    out = tmp_path / "save.sqlite3"
    assert pilotage("backup", "--out", str(out))[0] == 0
    pilotage.database.unlink()
    code, _, err = pilotage("restore", str(out))
    assert code == 0, err
    assert _people(pilotage.database) == 4


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"nom;prenom\nDupont;Jean\n", "n'est pas une base SQLite"),
        (None, "n'est pas une base Pilotage : la table alembic_version est absente"),
    ],
    ids=["csv", "foreign-sqlite"],
)
def test_restore_refuses_a_file_that_is_not_a_pilotage_database(
    pilotage, tmp_path, content, expected
):
    _fill(pilotage.database, people=2)
    candidate = tmp_path / "candidate.sqlite3"
    if content is None:
        with closing(sqlite3.connect(candidate)) as connection:
            connection.execute("CREATE TABLE notes (texte TEXT)")
            connection.commit()
    else:
        candidate.write_bytes(content)
    code, _, err = pilotage("restore", str(candidate), "--force")
    assert code == 1
    assert expected in err
    assert _people(pilotage.database) == 2  # untouched


def test_restore_refuses_a_backup_from_a_newer_version(pilotage, tmp_path):
    _fill(pilotage.database, people=2)
    out = tmp_path / "save.sqlite3"
    assert pilotage("backup", "--out", str(out))[0] == 0
    with closing(sqlite3.connect(out)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
        connection.commit()
    code, _, err = pilotage("restore", str(out), "--force")
    assert code == 1
    assert "version plus récente de Pilotage (révision 9999_future)" in err


def test_missing_backup_file_is_named(pilotage, tmp_path):
    _fill(pilotage.database, people=1)
    code, _, err = pilotage("restore", str(tmp_path / "absent.sqlite3"), "--force")
    assert code == 1
    assert "absent.sqlite3 n'existe pas" in err


def test_postgresql_is_sent_to_pg_dump_without_leaking_the_password(pilotage, monkeypatch):
    monkeypatch.setenv(
        "PILOTAGE_DATABASE_URL", "postgresql+psycopg://pilotage:s3cret@db.example:5432/pilotage"
    )
    for command in (["backup", "--out", "x.dump"], ["restore", "x.dump"]):
        code, _, err = pilotage(*command)
        assert code == 1
        assert "utilisez pg_dump et pg_restore" in err
        assert "postgresql://pilotage:***@db.example:5432/pilotage" in err
        assert "s3cret" not in err
