"""Rate limits of the API (flask-limiter): per token or user, and per client address.

Both limits are shared by every route of /api/v1 and come from the
settings (PILOTAGE_API_RATE_LIMIT, PILOTAGE_API_RATE_LIMIT_PER_ADDRESS).
Counters live in memory by default, hence per process: with several
workers, set PILOTAGE_RATE_LIMIT_STORAGE_URI to a shared store (e.g.
redis://...) so the limits hold across them. Over a limit, the answer is a
429 in the French envelope with a Retry-After header.

The limiter is created per application when the blueprint is registered,
so each app (and each test) has its own counters.
"""

from __future__ import annotations

from flask import Flask, Response
from flask.blueprints import BlueprintSetupState
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_login import current_user

from dashboard.api_common import bp
from dashboard.config import Settings
from dashboard.errors import error_response
from dashboard.state import EXTENSION_KEY as STATE_KEY

EXTENSION_KEY = "pilotage_api_limiter"


def identity_key() -> str:
    """The token when there is one, else the logged-in user, else the address."""
    if current_user and current_user.is_authenticated:
        if current_user.token_id is not None:
            return f"token:{current_user.token_id}"
        return f"user:{current_user.user_id}"
    return f"address:{get_remote_address()}"


def install_limits(app: Flask, settings: Settings) -> Limiter:
    limiter = Limiter(
        get_remote_address,
        storage_uri=settings.rate_limit_storage_uri,
        headers_enabled=True,
        strategy="fixed-window",
        key_prefix="pilotage-api",
    )
    limiter.init_app(app)
    limiter.shared_limit(settings.api_rate_limit, scope="api-identity", key_func=identity_key)(bp)
    limiter.shared_limit(
        settings.api_rate_limit_per_address, scope="api-address", key_func=get_remote_address
    )(bp)
    app.extensions[EXTENSION_KEY] = limiter
    return limiter


@bp.record_once
def _on_register(state: BlueprintSetupState) -> None:
    install_limits(state.app, state.app.extensions[STATE_KEY].settings)


@bp.errorhandler(RateLimitExceeded)
def _too_many(error: RateLimitExceeded) -> Response:
    limit = error.limit.limit
    seconds = limit.get_expiry()
    return error_response(
        429,
        f"Trop de requêtes : la limite de {limit.amount} par {_period(seconds)} est atteinte. "
        "Réessayez un peu plus tard.",
        {"limit": str(limit)},
        "trop_de_requetes",
    )


def _period(seconds: int) -> str:
    names = {1: "seconde", 60: "minute", 3600: "heure", 86400: "jour"}
    if seconds in names:
        return names[seconds]
    return f"{seconds} secondes"
