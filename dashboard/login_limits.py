"""Login brute force: failed logins counted per account and per client address.

The counters are the `login_failed` rows of the audit log, which every failed
login writes anyway (dashboard/auth.py). Counting them in the database holds
across every gunicorn worker and every restart without a shared cache, counts
only failures (a successful login costs nothing), and leaves the evidence in
the audit trail. flask-limiter's in-memory storage would be per worker (the
limit multiplied by the number of workers) and counts every request, not
only the failed ones, so it is not used here.

The window slides: an attempt is refused while the account has
`per_account` failures in the last `window` since its last successful login,
or the address has `per_address` failures in the last `window` (a success
does not reset the address: an attacker could otherwise log into their own
account between guesses). Refused attempts are audited as `login_throttled`
and do not count as failures, so the lock lifts `window` after the failures
that caused it, whatever the attacker keeps sending.

Locking an account after a few failures lets anyone lock it for a few
minutes; that is the usual price of a per-account limit and the window keeps
it short.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.config import Settings
from dashboard.models import AuditLog

FAILED_ACTION = "login_failed"
SUCCESS_ACTION = "login"
THROTTLED_ACTION = "login_throttled"


@dataclass(frozen=True)
class LoginLimits:
    per_account: int
    per_address: int
    window: dt.timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginLimits:
        return cls(
            settings.login_failures_per_account,
            settings.login_failures_per_address,
            dt.timedelta(minutes=settings.login_window_minutes),
        )


@dataclass(frozen=True)
class Refusal:
    """Why an attempt is refused now, and for how long."""

    scope: str  # "account" or "address"
    wait: dt.timedelta

    @property
    def retry_after_seconds(self) -> int:
        return max(1, math.ceil(self.wait.total_seconds()))

    @property
    def message(self) -> str:
        minutes = max(1, math.ceil(self.wait.total_seconds() / 60))
        unit = "minute" if minutes == 1 else "minutes"
        return f"Trop de tentatives de connexion. Réessayez dans {minutes} {unit}."


def _nth_latest_failure(db: Session, condition, since: dt.datetime, n: int) -> dt.datetime | None:
    """The time of the n-th most recent failure after `since`, None if there are fewer."""
    times = db.scalars(
        select(AuditLog.at)
        .where(AuditLog.action == FAILED_ACTION, condition, AuditLog.at > since)
        .order_by(AuditLog.at.desc())
        .limit(n)
    ).all()
    return times[n - 1] if len(times) == n else None


def check_attempt(
    db: Session, limits: LoginLimits, login: str, address: str | None, now: dt.datetime
) -> Refusal | None:
    """None when a login attempt may go on; else the refusal with the longest wait."""
    window_start = now - limits.window
    last_success = db.scalar(
        select(func.max(AuditLog.at)).where(
            AuditLog.action == SUCCESS_ACTION, AuditLog.login == login
        )
    )
    account_since = max(window_start, last_success) if last_success else window_start
    refusals = []
    oldest = _nth_latest_failure(db, AuditLog.login == login, account_since, limits.per_account)
    if oldest is not None:
        refusals.append(Refusal("account", oldest + limits.window - now))
    if address:
        oldest = _nth_latest_failure(
            db, AuditLog.remote_addr == address, window_start, limits.per_address
        )
        if oldest is not None:
            refusals.append(Refusal("address", oldest + limits.window - now))
    return max(refusals, key=lambda refusal: refusal.wait, default=None)
