"""API bearer tokens: created once, stored as a hash, checked on each call, revocable.

A token reads `prs_<prefix>_<secret>`: the prefix (8 hex characters) is
stored in clear to find the row and to name the token when revoking it;
the secret is 32 random bytes (256 bits). Only the SHA-256 of the whole
token is stored. A slow password hash (argon2) would add nothing here: it
protects low-entropy passwords against guessing, and nobody can guess 256
random bits; it would only make every API call slower.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.models import ApiToken, Territory, User

TOKEN_PATTERN = re.compile(r"^prs_(?P<prefix>[0-9a-f]{8})_(?P<secret>[A-Za-z0-9_-]{43})$")
DEFAULT_EXPIRY_DAYS = 90
MAX_EXPIRY_DAYS = 730
# last_used_at is written at most once a minute per token: enough to spot a
# dormant token, without a write on every call.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class TokenError(ValueError):
    """A token cannot be created or revoked (message in French)."""


@dataclass(frozen=True)
class IssuedToken:
    """A freshly created token: `secret` is the only copy of the full token."""

    token: ApiToken
    secret: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_prefix(db: Session) -> str:
    while True:
        prefix = secrets.token_hex(4)
        if db.scalar(select(ApiToken.id).where(ApiToken.prefix == prefix)) is None:
            return prefix


def find_user(db: Session, login: str) -> User:
    user = db.scalar(select(User).where(User.login == login.strip().lower()))
    if user is None:
        raise TokenError(f"Utilisateur inconnu : {login}.")
    return user


def create_token(
    db: Session,
    user: User,
    now: dt.datetime,
    expires_in_days: int = DEFAULT_EXPIRY_DAYS,
    label: str | None = None,
) -> IssuedToken:
    """A new token for `user`, valid `expires_in_days` days from `now`. Caller commits."""
    if not user.active:
        raise TokenError(f"L'utilisateur {user.login} est désactivé : aucun jeton ne lui est créé.")
    if not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
        raise TokenError(f"La durée de validité va de 1 à {MAX_EXPIRY_DAYS} jours.")
    prefix = _new_prefix(db)
    secret = f"prs_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        user_id=user.id,
        prefix=prefix,
        token_hash=hash_token(secret),
        label=(label or "").strip()[:80] or None,
        created_at=now,
        expires_at=now + dt.timedelta(days=expires_in_days),
    )
    db.add(token)
    db.flush()
    return IssuedToken(token, secret)


def authenticate(
    db: Session, presented: str, now: dt.datetime
) -> tuple[ApiToken, User, Territory] | None:
    """The token, its user and territory when `presented` is a valid token, else None.

    Invalid means: malformed, unknown, wrong secret, revoked, expired, or a
    user who has been deactivated. Records `last_used_at` (caller commits).
    """
    match = TOKEN_PATTERN.match(presented.strip())
    if match is None:
        return None
    row = db.execute(
        select(ApiToken, User, Territory)
        .join(User, ApiToken.user_id == User.id)
        .join(Territory, User.territory_id == Territory.id)
        .where(ApiToken.prefix == match["prefix"])
    ).first()
    if row is None:
        return None
    token, user, territory = row
    if not hmac.compare_digest(token.token_hash, hash_token(presented.strip())):
        return None
    if token.revoked_at is not None or not user.active:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
    return token, user, territory


def revoke_by_prefix(db: Session, prefix: str, now: dt.datetime) -> ApiToken:
    """Revoke one token named by its prefix (or the full token). Caller commits."""
    wanted = prefix.strip()
    match = TOKEN_PATTERN.match(wanted)
    wanted = match["prefix"] if match else wanted.removeprefix("prs_").lower()
    token = db.scalar(select(ApiToken).where(ApiToken.prefix == wanted))
    if token is None:
        raise TokenError(f"Jeton inconnu : {prefix}. Voir « pilotage tokens ».")
    if token.revoked_at is None:
        token.revoked_at = now
    return token


def revoke_all(db: Session, user: User, now: dt.datetime) -> list[ApiToken]:
    """Revoke every token of `user` still in force; returns them. Caller commits."""
    tokens = list(
        db.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.id)
        )
    )
    for token in tokens:
        token.revoked_at = now
    return tokens


def list_tokens(db: Session, login: str | None = None) -> list[tuple[ApiToken, str]]:
    """Every token (of one user when `login` is given) with its user's login, newest first."""
    query = select(ApiToken, User.login).join(User, ApiToken.user_id == User.id)
    if login:
        query = query.where(User.login == login.strip().lower())
    return [(token, owner) for token, owner in db.execute(query.order_by(ApiToken.id.desc()))]


def token_state(token: ApiToken, now: dt.datetime) -> str:
    """ "actif", "révoqué" or "expiré", in French for the listing."""
    if token.revoked_at is not None:
        return "révoqué"
    if token.expires_at is not None and token.expires_at <= now:
        return "expiré"
    return "actif"
