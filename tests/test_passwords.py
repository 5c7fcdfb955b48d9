"""Password storage: argon2id only, a minimum length, and no plaintext anywhere in the database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from dashboard.models import Role, User
from dashboard.passwords import (
    MIN_PASSWORD_LENGTH,
    WeakPasswordError,
    check_password_strength,
    hash_password,
    verify_password,
)
from tests.dash_post import call, response_of
from tests.helpers import PASSWORD, log_in, make_territory, make_user

# RFC 9106's second recommended option (argon2-cffi's default): 64 MiB, 3 passes, 4 lanes;
# above OWASP's argon2id minimum (19 MiB, 2 passes).
ARGON2ID = re.compile(r"^\$argon2id\$v=19\$m=65536,t=3,p=4\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$")
CLI_PASSWORD = "cli-mot-de-passe-unique"
ADMIN_PASSWORD = "admin-page-mot-de-passe"


def test_the_minimum_length_is_twelve_characters():
    assert MIN_PASSWORD_LENGTH == 12
    check_password_strength("a" * 12)
    for weak in ("a" * 11, "", " " + "a" * 12, "a" * 12 + " "):
        with pytest.raises(WeakPasswordError) as refused:
            hash_password(weak)
        assert "mot de passe" in str(refused.value)
    with pytest.raises(WeakPasswordError, match="au moins 12 caractères"):
        hash_password("onze-carac.")  # 11 characters


def test_hashes_are_salted_argon2id_and_verify():
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert ARGON2ID.match(first) and ARGON2ID.match(second)
    assert first != second  # a fresh salt each time
    assert verify_password(first, PASSWORD)
    assert not verify_password(first, PASSWORD + "x")
    assert not verify_password(None, PASSWORD)  # unknown login: the dummy hash, refused
    assert not verify_password("pas-un-hash", PASSWORD)
    assert not verify_password("$2b$12$" + "a" * 53, PASSWORD)  # bcrypt: not accepted


def _every_text_value(db_session) -> list[str]:
    """Every value of every column of every table, as text."""
    values = []
    for table in inspect(db_session.bind).get_table_names():
        for row in db_session.execute(text(f'SELECT * FROM "{table}"')):
            values.extend(str(value) for value in row if value is not None)
    return values


@pytest.mark.slow
def test_no_plaintext_password_anywhere_in_the_database(cli, client, db_session, settings):
    make_territory(db_session, "35-REDON")
    make_user(db_session, "redon.admin", Role.ADMIN, "35-REDON")
    db_session.commit()
    code, _, err = cli(
        "create-user", "agent.cli", "--role", "comop", "--territory", "35-REDON",
        "--password-stdin", stdin=CLI_PASSWORD + "\n",
    )  # fmt: skip
    assert code == 0, err
    log_in(client, "redon.admin")
    form = {
        "frame-url.search": "",
        "admin-create.n_clicks": 1,
        "admin-user-toggle.n_clicks": [],
        "admin-user-role-save.n_clicks": [],
        "admin-new-login.value": "agent.page",
        "admin-new-role.value": "comop",
        "admin-new-password.value": ADMIN_PASSWORD,
        "admin-new-confirm.value": ADMIN_PASSWORD,
        "admin-user-role.value": [],
    }
    response_of(call(client, "admin-users", form, ["admin-create.n_clicks"]))
    client.get("/logout")
    # A failed login with a password typed in the login field, then real logins.
    assert log_in(client, ADMIN_PASSWORD, "x").status_code == 401
    assert log_in(client, "agent.cli", CLI_PASSWORD).status_code == 302
    db_session.expire_all()
    hashes = dict(db_session.execute(select(User.login, User.password_hash)).all())
    assert set(hashes) == {"redon.admin", "agent.cli", "agent.page"}
    assert all(ARGON2ID.match(value) for value in hashes.values())
    values = _every_text_value(db_session)
    for secret in (PASSWORD, CLI_PASSWORD, ADMIN_PASSWORD):
        assert not [value for value in values if secret in value], secret
    if settings.is_sqlite:
        # The file itself and its write-ahead log, bytes as stored.
        path = Path(settings.database_url.removeprefix("sqlite:///"))
        for file in (path, path.with_name(path.name + "-wal")):
            raw = file.read_bytes() if file.exists() else b""
            for secret in (PASSWORD, CLI_PASSWORD, ADMIN_PASSWORD):
                assert secret.encode() not in raw, (file.name, secret)
