"""Login brute force: failures limited per account and per address (dashboard/login_limits.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from dashboard import create_app
from dashboard.auth import BAD_CREDENTIALS
from dashboard.config import load_settings
from dashboard.login_limits import LoginLimits, check_attempt
from dashboard.models import AuditLog, Role, utcnow
from tests.helpers import PASSWORD, csrf_token, make_territory, make_user

LOCKED_5 = "Trop de tentatives de connexion. Réessayez dans 5 minutes."


@pytest.fixture
def redon_users(db_session):
    make_territory(db_session, "35-REDON")
    make_user(db_session, "alice", Role.ADMIN, "35-REDON")
    make_user(db_session, "bruno", Role.COPIL, "35-REDON")
    db_session.commit()


def attempt(client, login: str, password: str, address: str = "10.0.0.1"):
    environ = {"REMOTE_ADDR": address}
    token = csrf_token(client)
    return client.post(
        "/login",
        data={"login": login, "password": password, "csrf_token": token},
        environ_base=environ,
    )


def actions(db_session) -> list[str]:
    db_session.expire_all()
    return list(db_session.scalars(select(AuditLog.action).order_by(AuditLog.id)))


def test_defaults_and_environment_variables():
    settings = load_settings(
        {
            "PILOTAGE_SECRET_KEY": "k",
            "PILOTAGE_PSEUDONYM_KEY": "p",
            "PILOTAGE_LOGIN_FAILURES_PER_ACCOUNT": "3",
            "PILOTAGE_LOGIN_FAILURES_PER_ADDRESS": "7",
            "PILOTAGE_LOGIN_WINDOW_MINUTES": "10",
        }
    )
    assert LoginLimits.from_settings(settings) == LoginLimits(3, 7, dt.timedelta(minutes=10))
    default = load_settings({"PILOTAGE_SECRET_KEY": "k", "PILOTAGE_PSEUDONYM_KEY": "p"})
    assert LoginLimits.from_settings(default) == LoginLimits(5, 20, dt.timedelta(minutes=5))


@pytest.mark.slow
def test_sixth_attempt_on_one_account_is_refused_even_with_the_right_password(
    client, redon_users, db_session
):
    for _ in range(5):
        response = attempt(client, "alice", "mauvais-mot-de-passe")
        assert response.status_code == 401
        assert BAD_CREDENTIALS in response.get_data(as_text=True)
    # 5 failures in the 5-minute window: the account is locked, the right password too.
    response = attempt(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert LOCKED_5 in response.get_data(as_text=True)
    # The 5th failure was a moment ago: it leaves the window in just under 300 s.
    assert 290 <= int(response.headers["Retry-After"]) <= 300
    assert client.get("/").status_code == 302  # still not logged in
    assert actions(db_session) == ["login_failed"] * 5 + ["login_throttled"]
    throttled = db_session.scalars(
        select(AuditLog).where(AuditLog.action == "login_throttled")
    ).one()
    assert (throttled.login, throttled.remote_addr) == ("alice", "10.0.0.1")
    assert throttled.details["scope"] == "account"
    # Another account from the same address is not affected (5 < 20 per address).
    assert attempt(client, "bruno", PASSWORD).status_code == 302


@pytest.mark.slow
def test_account_lock_holds_from_another_address(client, redon_users):
    for index in range(5):
        attempt(client, "alice", "mauvais-mot-de-passe", address=f"10.0.1.{index}")
    assert attempt(client, "alice", PASSWORD, address="10.0.2.1").status_code == 429


@pytest.mark.slow
def test_unknown_logins_count_per_address(settings, engine, redon_users, db_session):
    app = create_app(settings.with_overrides(login_failures_per_address=3))
    client = app.server.test_client()
    for name in ("inconnu1", "inconnu2", "inconnu3"):
        response = attempt(client, name, "mauvais-mot-de-passe")
        assert response.status_code == 401
        assert BAD_CREDENTIALS in response.get_data(as_text=True)
    # 3 failures from 10.0.0.1 reach its limit of 3: even a good login from it waits...
    refused = attempt(client, "bruno", PASSWORD)
    assert refused.status_code == 429
    assert LOCKED_5 in refused.get_data(as_text=True)
    # ...but not from another address (bruno's own account has no failure).
    assert attempt(client, "bruno", PASSWORD, address="10.0.0.9").status_code == 302
    app.server.extensions["pilotage"].engine.dispose()


@pytest.mark.slow
def test_a_success_resets_the_account_count_but_not_the_address(client, redon_users):
    for _ in range(4):
        attempt(client, "alice", "mauvais-mot-de-passe")
    assert attempt(client, "alice", PASSWORD).status_code == 302
    client.get("/logout")
    # 4 failures before the success no longer count: 4 more are still allowed.
    for _ in range(4):
        assert attempt(client, "alice", "mauvais-mot-de-passe").status_code == 401
    assert attempt(client, "alice", "mauvais-mot-de-passe").status_code == 401  # 5th since
    assert attempt(client, "alice", PASSWORD).status_code == 429


def _failures(db_session, login: str, address: str, times: list[dt.datetime]) -> None:
    for at in times:
        db_session.add(AuditLog(action="login_failed", login=login, remote_addr=address, at=at))
    db_session.commit()


def test_the_window_slides(db_session):
    limits = LoginLimits(per_account=3, per_address=10, window=dt.timedelta(minutes=5))
    now = utcnow()
    # Failures 4, 3 and 2 minutes ago: 3 in the window, locked.
    _failures(db_session, "alice", "10.0.0.1", [now - dt.timedelta(minutes=m) for m in (4, 3, 2)])
    refusal = check_attempt(db_session, limits, "alice", "10.0.0.1", now)
    # The oldest of the three (4 min ago) leaves the window in 1 minute.
    assert refusal.scope == "account"
    assert refusal.retry_after_seconds == 60
    assert refusal.message == "Trop de tentatives de connexion. Réessayez dans 1 minute."
    # 61 seconds later only 2 failures remain in the window.
    assert (
        check_attempt(db_session, limits, "alice", "10.0.0.1", now + dt.timedelta(seconds=61))
        is None
    )
    # Another login from the same address is free (3 < 10 per address).
    assert check_attempt(db_session, limits, "bruno", "10.0.0.1", now) is None


def test_the_longest_wait_wins(db_session):
    limits = LoginLimits(per_account=2, per_address=2, window=dt.timedelta(minutes=5))
    now = utcnow()
    # Account alice: failures 4 and 1 minutes ago (from other addresses) -> free in 1 min.
    _failures(db_session, "alice", "10.0.0.7", [now - dt.timedelta(minutes=4)])
    _failures(db_session, "alice", "10.0.0.8", [now - dt.timedelta(minutes=1)])
    # Address 10.0.0.1: failures on other logins 2 and 1 minutes ago -> free in 3 min.
    _failures(db_session, "x", "10.0.0.1", [now - dt.timedelta(minutes=m) for m in (2, 1)])
    refusal = check_attempt(db_session, limits, "alice", "10.0.0.1", now)
    assert (refusal.scope, refusal.retry_after_seconds) == ("address", 180)
    assert refusal.message == "Trop de tentatives de connexion. Réessayez dans 3 minutes."


@pytest.mark.slow
def test_unknown_logins_lock_the_same_way_and_are_never_stored_as_typed(
    client, redon_users, db_session
):
    # Typed in the login field by mistake: a password must not reach the audit log.
    typed = "MonMotDePasse-Secret"
    for _ in range(5):
        assert attempt(client, typed, "x").status_code == 401
    # The same lock as on a real account: a 429 tells nothing about the account's existence.
    assert attempt(client, typed, "x").status_code == 429
    db_session.expire_all()
    logins = set(db_session.scalars(select(AuditLog.login)))
    assert len(logins) == 1
    (stored,) = logins
    assert stored.startswith("inconnu:") and len(stored) == len("inconnu:") + 16
    assert typed.lower() not in stored.lower()
