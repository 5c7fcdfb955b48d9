"""Builders shared by the API tests: people of two territories, their tokens, and the one
check of the error envelope every API test goes through."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from dashboard.models import Role, User, utcnow
from dashboard.passwords import hash_password
from dashboard.territories import ensure_national, get_territory
from dashboard.tokens import create_token
from tests.helpers import PASSWORD, make_territory

ENVELOPE_KEYS = {"code", "message", "details"}


@dataclass
class Cast:
    """Users of 35-REDON (one per role), an admin of 13-MARS and a national user, with tokens."""

    tokens: dict[str, str] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)

    def bearer(self, login: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[login]}"}


def token_for(db: Session, user: User, days: int = 30) -> str:
    return create_token(db, user, utcnow(), days).secret


@functools.cache
def _password_hash() -> str:
    # One argon2 hash for every user of the cast: hashing costs ~0.4 s each.
    return hash_password(PASSWORD)


def add_user(db: Session, login: str, role: Role, territory_code: str) -> User:
    """A user whose password is tests.helpers.PASSWORD (without hashing it again)."""
    territory = get_territory(db, territory_code)
    user = User(login=login, password_hash=_password_hash(), role=role, territory_id=territory.id)
    db.add(user)
    db.flush()
    return user


def make_cast(db: Session) -> Cast:
    """Every role of 35-REDON, the admin of 13-MARS and a national user, each with a token."""
    ensure_national(db)
    make_territory(db, "35-REDON", "Pays de Redon")
    make_territory(db, "13-MARS", "Marseille")
    cast = Cast()
    people = [(f"redon.{role.value}", role, "35-REDON") for role in Role if role != Role.NATIONAL]
    people += [("mars.admin", Role.ADMIN, "13-MARS"), ("nation", Role.NATIONAL, "FR")]
    for login, role, territory in people:
        user = add_user(db, login, role, territory)
        cast.users[login] = user.id
        cast.tokens[login] = token_for(db, user)
    db.commit()
    return cast


def assert_error(
    response, status: int, code: str | None = None, parameter: str | None = None
) -> dict:
    """The one envelope: JSON {"error": {"code", "message", "details"?}}, a French sentence,
    no trace of the server's insides. Returns the `error` object."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    error = body["error"]
    assert {"code", "message"} <= set(error) <= ENVELOPE_KEYS
    assert isinstance(error["code"], str) and error["code"]
    message = error["message"]
    # French: an accented letter or a French word; never Python's or werkzeug's English.
    assert _french(message), message
    text = response.get_data(as_text=True)
    for leak in ("Traceback", ".py", "sqlalchemy", "werkzeug"):
        assert leak not in text, text
    if code is not None:
        assert error["code"] == code, error
    if parameter is not None:
        assert error["details"]["parameter"] == parameter, error
    return error


def _french(message: str) -> bool:
    """An accent, the French space before a colon, or a French word."""
    words = set(re.findall(r"\w+", message.lower()))
    return bool(set(message) & set("éèàêçôîûù")) or " : " in message or bool(FRENCH_WORDS & words)


FRENCH_WORDS = frozenset(
    "le la les de des du est ou vaut votre vous une un à pas ne au aux en pour par".split()
)
