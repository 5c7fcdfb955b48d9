"""Which territory a request may read: decided on the server from the logged-in user.

Pages, callbacks and API routes never trust a territory code sent by the
browser: they pass it through `resolve_territory`, which answers the same
French refusal for a territory that does not exist and for one outside the
user's scope (so a refusal reveals nothing).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.auth import SessionUser, allowed_territory_ids
from dashboard.models import Role, Territory

OUT_OF_SCOPE = "Territoire inconnu ou hors de votre périmètre."


class ScopeError(LookupError):
    """The asked territory is unknown or not the user's: always the same message."""

    def __init__(self, message: str = OUT_OF_SCOPE) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class TerritoryChoice:
    code: str
    name: str


def readable_territories(db: Session, user: SessionUser) -> list[Territory]:
    """The territories holding data the user may read (a national user: every pilot below)."""
    allowed = allowed_territory_ids(db, user)
    rows = db.scalars(select(Territory).where(Territory.id.in_(allowed)).order_by(Territory.code))
    territories = list(rows)
    if user.role is Role.NATIONAL:
        # The national level itself holds no beneficiary: offer the pilots below it.
        territories = [t for t in territories if t.id != user.territory_id]
    return territories


def territory_choices(db: Session, user: SessionUser) -> list[TerritoryChoice]:
    return [TerritoryChoice(t.code, t.name) for t in readable_territories(db, user)]


def resolve_territory(db: Session, user: SessionUser, code: str | None) -> Territory:
    """The territory `code` if the user may read it; without a code, the user's default.

    The default is the user's own territory, or for a national user the first
    pilot territory in code order. ScopeError otherwise.
    """
    territories = readable_territories(db, user)
    if not code:
        if not territories:
            raise ScopeError("Aucun territoire n'est rattaché à votre compte.")
        own = [t for t in territories if t.id == user.territory_id]
        return own[0] if own else territories[0]
    wanted = code.strip().upper()
    for territory in territories:
        if territory.code == wanted:
            return territory
    raise ScopeError()
