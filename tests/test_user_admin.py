"""Users of a territory managed by its administrator (dashboard/user_admin.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dashboard.auth import SessionUser
from dashboard.models import AuditLog, Role, User
from dashboard.passwords import verify_password
from dashboard.user_admin import (
    OWN_ACCOUNT,
    UNKNOWN_USER,
    UserAdminError,
    add_user,
    change_role,
    set_active,
    territory_users,
)
from tests.helpers import make_territory, make_user

NEW_PASSWORD = "un-mot-de-passe-long"


@pytest.fixture
def setup(db_session):
    redon = make_territory(db_session, "35-REDON", "Redon")
    make_territory(db_session, "75-PARIS", "Paris")
    admin = make_user(db_session, "redon.admin", Role.ADMIN, "35-REDON")
    comop = make_user(db_session, "redon.comop", Role.COMOP, "35-REDON")
    paris = make_user(db_session, "paris.copil", Role.COPIL, "75-PARIS")
    db_session.commit()
    actor = SessionUser(admin.id, admin.login, Role.ADMIN, redon.id, redon.code, redon.name, 0)
    return redon, actor, comop, paris


def test_list_shows_only_the_territory(db_session, setup):
    redon, _, _, _ = setup
    assert [u.login for u in territory_users(db_session, redon.id)] == [
        "redon.admin",
        "redon.comop",
    ]


def test_create_user_with_the_password_rules(db_session, setup):
    redon, actor, _, _ = setup
    user = add_user(db_session, actor, redon, "Nouvel.Agent", NEW_PASSWORD, NEW_PASSWORD, "projet")
    db_session.commit()
    stored = db_session.scalar(select(User).where(User.login == "nouvel.agent"))
    assert (stored.id, stored.role, stored.territory_id, stored.active) == (
        user.id, "projet", redon.id, True,
    )  # fmt: skip
    assert stored.password_hash.startswith("$argon2id$")
    assert verify_password(stored.password_hash, NEW_PASSWORD)
    log = db_session.scalar(select(AuditLog).where(AuditLog.action == "user_created"))
    assert log.details == {"user": "nouvel.agent", "role": "projet"}
    assert NEW_PASSWORD not in str(log.details)
    cases = [
        (("court", "court", "copil"), "au moins 12 caractères"),
        ((NEW_PASSWORD, NEW_PASSWORD + "x", "copil"), "différents"),
        ((NEW_PASSWORD, NEW_PASSWORD, "national"), "Rôle inconnu"),
        ((NEW_PASSWORD, NEW_PASSWORD, None), "Rôle inconnu"),
    ]
    for (password, confirmation, role), message in cases:
        with pytest.raises(UserAdminError, match=message):
            add_user(db_session, actor, redon, "autre.agent", password, confirmation, role)
    with pytest.raises(UserAdminError, match="déjà utilisé"):
        add_user(db_session, actor, redon, "paris.copil", NEW_PASSWORD, NEW_PASSWORD, "copil")


def test_role_change_and_deactivation_bump_the_session_epoch(db_session, setup):
    redon, actor, comop, _ = setup
    change_role(db_session, actor, redon.id, comop.id, "copil")
    db_session.commit()
    assert (comop.role, comop.session_epoch) == ("copil", 1)
    set_active(db_session, actor, redon.id, comop.id, False)
    db_session.commit()
    assert (comop.active, comop.session_epoch) == (False, 2)
    set_active(db_session, actor, redon.id, comop.id, True)
    db_session.commit()
    assert (comop.active, comop.session_epoch) == (True, 3)
    logs = db_session.scalars(select(AuditLog).order_by(AuditLog.id)).all()
    assert [(log.action, log.details) for log in logs] == [
        ("user_role_changed", {"user": "redon.comop", "before": "comop", "after": "copil"}),
        ("user_deactivated", {"user": "redon.comop"}),
        ("user_reactivated", {"user": "redon.comop"}),
    ]
    assert {log.user_id for log in logs} == {actor.user_id}
    with pytest.raises(UserAdminError, match="déjà le rôle"):
        change_role(db_session, actor, redon.id, comop.id, "copil")


def test_own_account_and_other_territories_are_refused(db_session, setup):
    redon, actor, _, paris = setup
    with pytest.raises(UserAdminError, match=OWN_ACCOUNT):
        set_active(db_session, actor, redon.id, actor.user_id, False)
    with pytest.raises(UserAdminError, match=OWN_ACCOUNT):
        change_role(db_session, actor, redon.id, actor.user_id, "copil")
    for forged in (paris.id, str(paris.id), None, [paris.id], 10**9):
        with pytest.raises(UserAdminError, match=UNKNOWN_USER):
            set_active(db_session, actor, redon.id, forged, False)
        with pytest.raises(UserAdminError, match=UNKNOWN_USER):
            change_role(db_session, actor, redon.id, forged, "admin")
    db_session.expire_all()
    assert (paris.active, paris.role, paris.session_epoch) == (True, "copil", 0)
