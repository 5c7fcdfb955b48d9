"""Creating users (the CLI, the demo and later the administration page go through here)."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.models import Role, User
from dashboard.passwords import WeakPasswordError, hash_password
from dashboard.territories import get_territory

LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._@-]{2,79}$")


class UserError(ValueError):
    """A user cannot be created (message in French)."""


def create_user(db: Session, login: str, password: str, role: Role, territory_code: str) -> User:
    login = login.strip().lower()
    if not LOGIN_PATTERN.match(login):
        raise UserError(
            f"Identifiant invalide : {login!r} (3 à 80 caractères : lettres minuscules, chiffres, "
            "point, tiret, @)."
        )
    if db.scalar(select(User.id).where(User.login == login)) is not None:
        raise UserError(f"L'identifiant {login} est déjà utilisé.")
    territory = get_territory(db, territory_code)
    if role is Role.NATIONAL and territory.parent_id is not None:
        raise UserError(
            "Le rôle national se rattache au niveau national (territoire sans parent, ex. FR)."
        )
    try:
        password_hash = hash_password(password)
    except WeakPasswordError as error:
        raise UserError(str(error)) from error
    user = User(login=login, password_hash=password_hash, role=role, territory_id=territory.id)
    db.add(user)
    db.flush()
    return user
