"""API bearer tokens: stored hashed, checked on every call, expiring, revocable, by the CLI."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import select

from dashboard.auth import TOKEN_REFUSED
from dashboard.models import ApiToken, AuditLog, Role, User, utcnow
from dashboard.tokens import (
    TOKEN_PATTERN,
    TokenError,
    authenticate,
    create_token,
    revoke_all,
    revoke_by_prefix,
)
from tests.api_support import assert_error, make_cast
from tests.helpers import log_in, make_territory, make_user

INDICATORS = "/api/v1/indicators?from=2024-01&to=2024-01"
NOW = dt.datetime(2025, 3, 1, 12, 0)


@pytest.fixture
def alice(db_session):
    make_territory(db_session, "35-REDON")
    user = make_user(db_session, "alice", Role.COMOP, "35-REDON")
    db_session.commit()
    return user


# --- the token itself -----------------------------------------------------------------


def test_a_token_is_random_and_only_its_hash_is_stored(db_session, alice):
    issued = create_token(db_session, alice, NOW, 30, "outil CAF")
    other = create_token(db_session, alice, NOW, 30)
    db_session.commit()
    match = TOKEN_PATTERN.match(issued.secret)
    assert match and match["prefix"] == issued.token.prefix
    assert issued.secret != other.secret and issued.token.prefix != other.token.prefix
    row = db_session.scalar(select(ApiToken).where(ApiToken.id == issued.token.id))
    assert row.token_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    # The secret part appears in no column.
    secret = match["secret"]
    assert all(secret not in str(value) for value in vars(row).values())
    # 30 days from NOW.
    assert row.expires_at == dt.datetime(2025, 3, 31, 12, 0) and row.label == "outil CAF"


def test_authenticate_accepts_only_a_valid_token(db_session, alice):
    issued = create_token(db_session, alice, NOW, 10)
    db_session.commit()
    found = authenticate(db_session, issued.secret, NOW + dt.timedelta(days=1))
    assert found is not None and found[1].login == "alice"
    assert found[0].last_used_at == NOW + dt.timedelta(days=1)
    wrong_secret = issued.secret[:-1] + ("A" if issued.secret[-1] != "A" else "B")
    assert authenticate(db_session, wrong_secret, NOW) is None
    assert authenticate(db_session, "prs_00000000_" + "a" * 43, NOW) is None
    assert authenticate(db_session, "n'importe quoi", NOW) is None
    # 10 days after NOW the token is expired (expires_at <= now).
    assert authenticate(db_session, issued.secret, NOW + dt.timedelta(days=10)) is None


def test_revoked_tokens_and_deactivated_users_are_refused(db_session, alice):
    first = create_token(db_session, alice, NOW, 10)
    second = create_token(db_session, alice, NOW, 10)
    db_session.commit()
    revoke_by_prefix(db_session, first.token.prefix, NOW)
    assert authenticate(db_session, first.secret, NOW) is None
    assert authenticate(db_session, second.secret, NOW) is not None
    alice.active = False
    db_session.flush()
    assert authenticate(db_session, second.secret, NOW) is None
    with pytest.raises(TokenError, match="désactivé"):
        create_token(db_session, alice, NOW, 10)
    with pytest.raises(TokenError, match="Jeton inconnu"):
        revoke_by_prefix(db_session, "ffffffff", NOW)


def test_revoke_all_revokes_only_tokens_in_force(db_session, alice):
    tokens = [create_token(db_session, alice, NOW, 10).token for _ in range(3)]
    revoke_by_prefix(db_session, tokens[0].prefix, NOW - dt.timedelta(days=1))
    assert [token.id for token in revoke_all(db_session, alice, NOW)] == [
        tokens[1].id,
        tokens[2].id,
    ]
    assert tokens[0].revoked_at == NOW - dt.timedelta(days=1)


# --- through the API ------------------------------------------------------------------


@pytest.fixture
def cast(db_session):
    return make_cast(db_session)


def test_no_token_expired_revoked_and_unknown_tokens_get_401(client, db_session, cast):
    assert_error(client.get(INDICATORS), 401, "non_authentifie")
    user = db_session.get(User, cast.users["redon.comop"])
    expired = create_token(db_session, user, utcnow() - dt.timedelta(days=31), 30)
    revoked = create_token(db_session, user, utcnow(), 30)
    revoke_by_prefix(db_session, revoked.token.prefix, utcnow())
    db_session.commit()
    for secret in (expired.secret, revoked.secret, "prs_12345678_" + "x" * 43, "abc"):
        response = client.get(INDICATORS, headers={"Authorization": f"Bearer {secret}"})
        assert assert_error(response, 401, "non_authentifie")["message"] == TOKEN_REFUSED
    # Another scheme than Bearer is no token at all.
    response = client.get(INDICATORS, headers={"Authorization": "Basic YWxpY2U6cHc="})
    assert assert_error(response, 401)["message"] != TOKEN_REFUSED


def test_a_token_acts_as_its_user_and_sets_no_cookie(client, cast):
    response = client.get(INDICATORS, headers=cast.bearer("redon.comop"))
    assert response.status_code == 200
    assert response.get_json()["territory"] == "35-REDON"
    assert "Set-Cookie" not in response.headers
    # A token never opens the pages: outside /api/ it is not even looked at.
    assert client.get("/", headers=cast.bearer("redon.comop")).status_code == 302


def test_deactivation_and_role_change_count_at_the_next_call(client, db_session, cast):
    headers = cast.bearer("redon.admin")
    assert client.get("/api/v1/imports", headers=headers).status_code == 200
    user = db_session.get(User, cast.users["redon.admin"])
    user.role = Role.COPIL
    db_session.commit()
    assert_error(client.get("/api/v1/imports", headers=headers), 403, "role_insuffisant")
    user.active = False
    db_session.commit()
    assert_error(client.get(INDICATORS, headers=headers), 401)


def test_a_session_still_works_beside_tokens(client, cast):
    log_in(client, "redon.copil")
    response = client.get(INDICATORS)
    assert response.status_code == 200 and response.get_json()["territory"] == "35-REDON"


# --- the CLI --------------------------------------------------------------------------


def test_create_list_and_revoke_tokens_from_the_cli(cli, client, db_session, cast):
    code, out, err = cli("create-token", "redon.projet", "--expires", "7", "--label", "outil")
    assert code == 0, err
    secret = out.strip()
    assert TOKEN_PATTERN.match(secret) and "n'est affiché qu'une fois" in err
    prefix = TOKEN_PATTERN.match(secret)["prefix"]
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/roadmap", headers=headers).status_code == 200
    code, out, _ = cli("tokens", "--user", "redon.projet")
    assert code == 0 and prefix in out and "actif" in out and secret not in out
    code, out, _ = cli("revoke-token", prefix)
    assert code == 0 and prefix in out
    assert_error(client.get("/api/v1/roadmap", headers=headers), 401)
    code, out, _ = cli("tokens", "--user", "redon.projet")
    assert "révoqué" in out
    actions = db_session.scalars(select(AuditLog.action).where(AuditLog.action.like("token_%")))
    assert sorted(actions) == ["token_created", "token_revoked"]


def test_revoke_every_token_of_a_user(cli, client, cast):
    code, _, err = cli("revoke-token", "--user", "redon.admin")
    assert code == 0, err
    assert_error(client.get(INDICATORS, headers=cast.bearer("redon.admin")), 401)
    assert client.get(INDICATORS, headers=cast.bearer("redon.copil")).status_code == 200
    code, out, _ = cli("revoke-token", "--user", "redon.admin")
    assert code == 0 and "Aucun jeton en vigueur" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("create-token", "personne"), "Utilisateur inconnu : personne."),
        (("create-token", "redon.admin", "--expires", "0"), "--expires"),
        (("revoke-token",), "soit le préfixe d'un jeton, soit --user"),
        (("revoke-token", "abcdef12", "--user", "redon.admin"), "soit le préfixe"),
        (("revoke-token", "abcdef12"), "Jeton inconnu : abcdef12."),
    ],
)
def test_bad_token_commands_exit_2_in_french(cli, cast, args, message):
    code, _, err = cli(*args)
    assert code == 2 and message in err
