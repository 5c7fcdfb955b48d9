"""The audit log: append entries (who, what, when, which territory) and read them back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from dashboard.models import AuditLog

if TYPE_CHECKING:  # dashboard.auth imports this module
    from dashboard.auth import SessionUser

JOURNAL_LIMIT = 200


def record(
    session: Session,
    action: str,
    *,
    user_id: int | None = None,
    login: str | None = None,
    territory_code: str | None = None,
    remote_addr: str | None = None,
    details: dict[str, object] | None = None,
) -> AuditLog:
    """Add one audit entry to `session`; the caller commits with its own work."""
    entry = AuditLog(
        action=action,
        user_id=user_id,
        login=login,
        territory_code=territory_code,
        remote_addr=remote_addr,
        details=details or {},
    )
    session.add(entry)
    return entry


def record_by(
    session: Session,
    actor: SessionUser,
    action: str,
    remote_addr: str | None,
    **details: object,
) -> AuditLog:
    """`record` an act of a logged-in user: their id, login and territory, with `details`."""
    return record(
        session,
        action,
        user_id=actor.user_id,
        login=actor.login,
        territory_code=actor.territory_code,
        remote_addr=remote_addr,
        details=details,
    )


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    login: str | None
    action: str
    remote_addr: str | None
    details: dict[str, object]


def territory_entries(
    session: Session,
    territory_code: str,
    logins: Iterable[str],
    *,
    action: str | None = None,
    limit: int = JOURNAL_LIMIT,
) -> list[AuditEntry]:
    """The latest entries of one territory, newest first.

    An entry belongs to the territory when it names it, or when it names no
    territory but one of the territory's `logins` (a failed login is recorded
    before anyone knows the territory). `action` keeps only that action.
    """
    belongs = or_(
        AuditLog.territory_code == territory_code,
        and_(AuditLog.territory_code.is_(None), AuditLog.login.in_(list(logins))),
    )
    query = select(AuditLog).where(belongs)
    if action is not None:
        query = query.where(AuditLog.action == action)
    rows = session.scalars(query.order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit))
    return [
        AuditEntry(row.at, row.login, row.action, row.remote_addr, dict(row.details or {}))
        for row in rows
    ]
