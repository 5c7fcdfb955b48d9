"""Settings read from environment variables, in one dataclass.

Every variable is documented in the README's configuration table. Secrets are
never constants in code: when `PILOTAGE_SECRET_KEY` or `PILOTAGE_PSEUDONYM_KEY`
is unset, a random key is generated once and kept in the instance folder with
mode 0600, so sessions and pseudonyms stay stable across restarts.
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_DISCLOSURE_THRESHOLD = 11
DEFAULT_IDLE_TIMEOUT_MINUTES = 120
# How often the scheduler looks into PILOTAGE_IMPORT_DIR (seconds).
DEFAULT_IMPORT_WATCH_SECONDS = 60
# API rate limits (flask-limiter syntax): per token or user, and per client address.
DEFAULT_API_RATE_LIMIT = "300 per minute"
DEFAULT_API_RATE_LIMIT_PER_ADDRESS = "600 per minute"
# In-memory counters are per process: with several workers, point this at a shared
# store (e.g. redis://localhost:6379) so that the limits hold across workers.
DEFAULT_RATE_LIMIT_STORAGE_URI = "memory://"
DEFAULT_MAX_UPLOAD_MB = 32
# Failed logins allowed in a sliding window, per account and per client address
# (dashboard/login_limits.py counts them in the audit log, so across all workers).
DEFAULT_LOGIN_FAILURES_PER_ACCOUNT = 5
DEFAULT_LOGIN_FAILURES_PER_ADDRESS = 20
DEFAULT_LOGIN_WINDOW_MINUTES = 5
SQLITE_FILE_NAME = "pilotage.sqlite3"


class ConfigError(ValueError):
    """A setting has a value the application cannot use (message in French)."""


@dataclass(frozen=True)
class Settings:
    instance_dir: Path
    database_url: str
    secret_key: str = field(repr=False)
    pseudonym_key: str = field(repr=False)
    disclosure_threshold: int = DEFAULT_DISCLOSURE_THRESHOLD
    import_dir: Path | None = None
    import_watch_seconds: int = DEFAULT_IMPORT_WATCH_SECONDS
    idle_timeout_minutes: int = DEFAULT_IDLE_TIMEOUT_MINUTES
    production: bool = False
    testing: bool = False
    api_rate_limit: str = DEFAULT_API_RATE_LIMIT
    api_rate_limit_per_address: str = DEFAULT_API_RATE_LIMIT_PER_ADDRESS
    rate_limit_storage_uri: str = DEFAULT_RATE_LIMIT_STORAGE_URI
    max_upload_mb: int = DEFAULT_MAX_UPLOAD_MB
    login_failures_per_account: int = DEFAULT_LOGIN_FAILURES_PER_ACCOUNT
    login_failures_per_address: int = DEFAULT_LOGIN_FAILURES_PER_ADDRESS
    login_window_minutes: int = DEFAULT_LOGIN_WINDOW_MINUTES

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_or_create_secret(path: Path) -> str:
    """Return the key stored at `path`, creating it (mode 0600) when absent.

    Creation uses O_EXCL so two processes starting together agree on one key.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_existing_secret(path)
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key


def _read_existing_secret(path: Path) -> str:
    # Another process may have created the file an instant ago and not yet
    # written its key: give it a moment before calling the file broken.
    for _attempt in range(20):
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
        time.sleep(0.05)
    raise ConfigError(f"Le fichier de clé {path} est vide : supprimez-le pour en générer un.")


def _positive_int(environ: dict[str, str], name: str, default: int) -> int:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} doit être un nombre entier (reçu : {raw!r}).") from None
    if value < 1:
        raise ConfigError(f"{name} doit être supérieur ou égal à 1 (reçu : {value}).")
    return value


def _rate_limit(environ: dict[str, str], name: str, default: str) -> str:
    """A flask-limiter limit such as "300 per minute" or "10/second;500/hour"."""
    from limits import parse_many

    raw = (environ.get(name) or "").strip()
    if not raw:
        return default
    try:
        parse_many(raw)
    except ValueError:
        raise ConfigError(
            f"{name} attend une limite comme « 300 per minute » ou « 10/second » (reçu : {raw!r})."
        ) from None
    return raw


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Build the settings from environment variables (documented in the README)."""
    env = dict(os.environ if environ is None else environ)
    instance_dir = Path(env.get("PILOTAGE_INSTANCE_DIR") or Path.cwd() / "instance").resolve()
    database_url = (
        env.get("PILOTAGE_DATABASE_URL") or f"sqlite:///{instance_dir / SQLITE_FILE_NAME}"
    )
    secret_key = env.get("PILOTAGE_SECRET_KEY") or load_or_create_secret(
        instance_dir / "secret_key"
    )
    pseudonym_key = env.get("PILOTAGE_PSEUDONYM_KEY") or load_or_create_secret(
        instance_dir / "pseudonym_key"
    )
    import_dir = env.get("PILOTAGE_IMPORT_DIR")
    return Settings(
        instance_dir=instance_dir,
        database_url=database_url,
        secret_key=secret_key,
        pseudonym_key=pseudonym_key,
        disclosure_threshold=_positive_int(
            env, "PILOTAGE_DISCLOSURE_THRESHOLD", DEFAULT_DISCLOSURE_THRESHOLD
        ),
        import_dir=Path(import_dir).resolve() if import_dir else None,
        import_watch_seconds=_positive_int(
            env, "PILOTAGE_IMPORT_WATCH_SECONDS", DEFAULT_IMPORT_WATCH_SECONDS
        ),
        idle_timeout_minutes=_positive_int(
            env, "PILOTAGE_IDLE_TIMEOUT_MINUTES", DEFAULT_IDLE_TIMEOUT_MINUTES
        ),
        production=env.get("PILOTAGE_PRODUCTION", "").lower() in {"1", "true", "yes", "oui"},
        api_rate_limit=_rate_limit(env, "PILOTAGE_API_RATE_LIMIT", DEFAULT_API_RATE_LIMIT),
        api_rate_limit_per_address=_rate_limit(
            env, "PILOTAGE_API_RATE_LIMIT_PER_ADDRESS", DEFAULT_API_RATE_LIMIT_PER_ADDRESS
        ),
        rate_limit_storage_uri=env.get("PILOTAGE_RATE_LIMIT_STORAGE_URI")
        or DEFAULT_RATE_LIMIT_STORAGE_URI,
        max_upload_mb=_positive_int(env, "PILOTAGE_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB),
        login_failures_per_account=_positive_int(
            env, "PILOTAGE_LOGIN_FAILURES_PER_ACCOUNT", DEFAULT_LOGIN_FAILURES_PER_ACCOUNT
        ),
        login_failures_per_address=_positive_int(
            env, "PILOTAGE_LOGIN_FAILURES_PER_ADDRESS", DEFAULT_LOGIN_FAILURES_PER_ADDRESS
        ),
        login_window_minutes=_positive_int(
            env, "PILOTAGE_LOGIN_WINDOW_MINUTES", DEFAULT_LOGIN_WINDOW_MINUTES
        ),
    )
