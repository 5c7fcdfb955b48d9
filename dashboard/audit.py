"""Append entries to the audit log (who, what, when, which territory)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dashboard.models import AuditLog


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
