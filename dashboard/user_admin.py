"""The users of one territory as its administrator manages them: list, create, role, active.

Every function takes the territory the administrator's session resolved on
the server and refuses a user id outside it with the same sentence as an
unknown id (a forged id reveals nothing). Each change is written to the
audit log and bumps the user's `session_epoch`, so that a cookie issued
before the change is refused at the next request (dashboard/auth.py).
Functions add to the caller's session; the caller commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import audit
from dashboard.auth import ROLE_LABELS, SessionUser
from dashboard.models import Role, Territory, User
from dashboard.users import UserError, create_user

# A territory's administrator hands out the roles of its own territory; the
# national role belongs to the national level (created with the CLI).
ASSIGNABLE_ROLES: tuple[Role, ...] = (Role.COPIL, Role.COMOP, Role.PROJET, Role.ADMIN)
UNKNOWN_USER = "Utilisateur inconnu ou hors de votre territoire."
OWN_ACCOUNT = (
    "Vous ne pouvez pas modifier votre propre compte ici : demandez-le à un autre "
    "administrateur du territoire."
)


class UserAdminError(ValueError):
    """A change the administrator asked for cannot be made (message in French)."""


@dataclass(frozen=True)
class TerritoryUser:
    id: int
    login: str
    role: Role
    active: bool
    created_at: dt.datetime
    last_login_at: dt.datetime | None

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]


def territory_users(db: Session, territory_id: int) -> list[TerritoryUser]:
    """The territory's users, active first, then by login."""
    rows = db.scalars(
        select(User)
        .where(User.territory_id == territory_id)
        .order_by(User.active.desc(), User.login)
    )
    return [
        TerritoryUser(u.id, u.login, Role(u.role), u.active, u.created_at, u.last_login_at)
        for u in rows
    ]


def parse_role(value: object) -> Role:
    """A role an administrator may give; UserAdminError for anything else."""
    for role in ASSIGNABLE_ROLES:
        if value == role.value:
            return role
    raise UserAdminError("Rôle inconnu : choisissez COPIL, COMOP, équipe projet ou administration.")


def _user_in_territory(db: Session, territory_id: int, user_id: object) -> User:
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        raise UserAdminError(UNKNOWN_USER)
    user = db.scalar(select(User).where(User.id == user_id, User.territory_id == territory_id))
    if user is None:
        raise UserAdminError(UNKNOWN_USER)
    return user


def add_user(
    db: Session,
    actor: SessionUser,
    territory: Territory,
    login: str,
    password: str,
    confirmation: str,
    role: object,
    remote_addr: str | None = None,
) -> User:
    """Create a user of `territory` (the password rules of dashboard/passwords.py apply)."""
    wanted = parse_role(role)
    if password != confirmation:
        raise UserAdminError("Les deux mots de passe saisis sont différents.")
    try:
        user = create_user(db, login or "", password or "", wanted, territory.code)
    except UserError as error:
        raise UserAdminError(str(error)) from error
    audit.record_by(db, actor, "user_created", remote_addr, user=user.login, role=wanted.value)
    return user


def change_role(
    db: Session,
    actor: SessionUser,
    territory_id: int,
    user_id: object,
    role: object,
    remote_addr: str | None = None,
) -> User:
    """Give the user another role; their open sessions end."""
    wanted = parse_role(role)
    user = _user_in_territory(db, territory_id, user_id)
    if user.id == actor.user_id:
        raise UserAdminError(OWN_ACCOUNT)
    if user.role == wanted:
        raise UserAdminError(f"{user.login} a déjà le rôle {ROLE_LABELS[wanted]}.")
    before = Role(user.role)
    user.role = wanted
    user.session_epoch += 1
    audit.record_by(
        db,
        actor,
        "user_role_changed",
        remote_addr,
        user=user.login,
        before=before.value,
        after=wanted.value,
    )
    return user


def set_active(
    db: Session,
    actor: SessionUser,
    territory_id: int,
    user_id: object,
    active: bool,
    remote_addr: str | None = None,
) -> User:
    """Deactivate (sessions end at once, login refused) or reactivate a user."""
    user = _user_in_territory(db, territory_id, user_id)
    if user.id == actor.user_id:
        raise UserAdminError(OWN_ACCOUNT)
    if user.active == active:
        state = "actif" if active else "désactivé"
        raise UserAdminError(f"Le compte {user.login} est déjà {state}.")
    user.active = active
    user.session_epoch += 1
    action = "user_reactivated" if active else "user_deactivated"
    audit.record_by(db, actor, action, remote_addr, user=user.login)
    return user
