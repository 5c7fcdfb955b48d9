"""Small builders shared by the tests (no fixtures here: see conftest.py)."""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from dashboard.models import Role, Territory, User
from dashboard.territories import add_territory, ensure_national
from dashboard.users import create_user

PASSWORD = "mot-de-passe-solide"
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def settings_env(settings, **extra: str) -> dict[str, str]:
    """The environment of a `pilotage` subprocess on the same instance as `settings`:
    this process's environment, the settings' database, folder and keys, then `extra`."""
    env = dict(os.environ)
    env.update(
        PILOTAGE_DATABASE_URL=settings.database_url,
        PILOTAGE_INSTANCE_DIR=str(settings.instance_dir),
        PILOTAGE_PSEUDONYM_KEY=settings.pseudonym_key,
        PILOTAGE_SECRET_KEY=settings.secret_key,
        **extra,
    )
    return env


def make_territory(db: Session, code: str, name: str | None = None) -> Territory:
    ensure_national(db)
    return add_territory(db, code, name or f"Territoire {code}", code.split("-")[0])


def make_user(db: Session, login: str, role: Role, territory_code: str) -> User:
    return create_user(db, login, PASSWORD, role, territory_code)


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    match = CSRF_INPUT.search(page)
    assert match, "the login form carries a CSRF token"
    return match.group(1)


def log_in(client: FlaskClient, login: str, password: str = PASSWORD, next_path: str = ""):
    token = csrf_token(client)
    target = "/login" + (f"?next={next_path}" if next_path else "")
    return client.post(target, data={"login": login, "password": password, "csrf_token": token})


def write_csv(tmp_path: Path, name: str, lines: list[list[str]]) -> Path:
    """A UTF-8, `;`-separated file of `lines` (header first) under tmp_path."""
    target = tmp_path / name
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(lines)
    return target


def report_counts(report: dict) -> tuple:
    """(read, created, updated, unchanged, quarantined) of a JSON import report."""
    keys = ("rows_read", "created", "updated", "unchanged", "quarantined")
    return tuple(report[key] for key in keys)
