"""Production mode: gunicorn workers on PostgreSQL, no scheduler, no debug.

`pilotage serve --production` checks the environment first and refuses to
start (French message, exit code 2) when the secret key does not come from
the environment, when the database is SQLite (unless `--allow-sqlite`), when
a debug switch is on, or when the schema is not at the latest migration.
Then it runs gunicorn with several workers; each worker builds its own app
with `production=True`. The web workers run no scheduler: the scheduled jobs
run in one dedicated `pilotage scheduler` process (docs/operations.md).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import dash
from flask import abort, request
from gunicorn.app.base import BaseApplication
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboard.config import ConfigError, Settings

# Switches that turn on Flask's, Dash's or our debug mode; any of them refuses production.
DEBUG_VARIABLES = ("FLASK_DEBUG", "PILOTAGE_DEBUG", "DASH_DEBUG")
MIN_SECRET_KEY_LENGTH = 32
MAX_DEFAULT_WORKERS = 8
DEFAULT_TIMEOUT_SECONDS = 120
# Paths of the werkzeug debugger and of Dash's hot reload: 404 in production.
DEBUG_PATHS = frozenset({"/console", "/_reload-hash"})
SCHEDULER_NOTE = (
    "Les tâches planifiées ne tournent pas dans les workers web : "
    "lancez « pilotage scheduler » dans un processus dédié (un seul par base)."
)


class ProductionRefusedError(ConfigError):
    """The environment is not fit for production (message in French)."""


def default_workers(cpu_count: int | None = None) -> int:
    """Gunicorn's usual 2 x cores + 1, at most MAX_DEFAULT_WORKERS."""
    cores = cpu_count if cpu_count is not None else (os.cpu_count() or 1)
    return min(2 * cores + 1, MAX_DEFAULT_WORKERS)


def is_truthy(value: str | None) -> bool:
    """Flask's reading of FLASK_DEBUG: set and not 0 / false / no."""
    return bool(value) and value.strip().lower() not in {"0", "false", "no", ""}


def production_refusals(
    settings: Settings, environ: Mapping[str, str], *, allow_sqlite: bool = False
) -> list[str]:
    """Every reason why these settings cannot serve in production (empty: fit)."""
    reasons = []
    secret = environ.get("PILOTAGE_SECRET_KEY") or ""
    if not secret:
        reasons.append(
            "PILOTAGE_SECRET_KEY est absente : en production, la clé qui signe les sessions "
            "doit venir de l'environnement, pas de la clé de développement générée dans "
            "le dossier d'instance (générez-en une avec "
            "« python3 -c 'import secrets; print(secrets.token_hex(32))' »)."
        )
    elif len(secret) < MIN_SECRET_KEY_LENGTH:
        reasons.append(
            f"PILOTAGE_SECRET_KEY est trop courte ({len(secret)} caractères, "
            f"{MIN_SECRET_KEY_LENGTH} au moins)."
        )
    if settings.is_sqlite and not allow_sqlite:
        reasons.append(
            "La base est SQLite : la production utilise PostgreSQL "
            "(PILOTAGE_DATABASE_URL=postgresql+psycopg://...). Pour servir quand même "
            "une base SQLite, ajoutez --allow-sqlite."
        )
    for name in DEBUG_VARIABLES:
        if is_truthy(environ.get(name)):
            reasons.append(
                f"{name}={environ[name]} demande le mode debug, interdit en production : "
                "retirez cette variable."
            )
    return reasons


def check_production(
    settings: Settings, environ: Mapping[str, str], *, allow_sqlite: bool = False
) -> None:
    reasons = production_refusals(settings, environ, allow_sqlite=allow_sqlite)
    if reasons:
        raise ProductionRefusedError("démarrage en production refusé.\n- " + "\n- ".join(reasons))


def check_schema_is_current(database_url: str) -> None:
    """Refuse to serve a database that `pilotage init-db` has not brought to the latest migration.

    In production the workers never migrate: the operator runs `pilotage init-db`
    once per upgrade, before restarting the service.
    """
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from dashboard.db import alembic_config, make_engine

    engine = make_engine(database_url)
    try:
        head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    except Exception as error:
        raise ProductionRefusedError(
            f"la base est injoignable ({type(error).__name__}) : vérifiez PILOTAGE_DATABASE_URL "
            "et que PostgreSQL tourne."
        ) from None
    finally:
        engine.dispose()
    if current != head:
        state = "n'est pas initialisée" if current is None else f"est à la révision {current}"
        raise ProductionRefusedError(
            f"la base {state} (attendu : {head}) : lancez « pilotage init-db » avant de démarrer."
        )


def _refuse_debug_paths() -> None:
    if request.path in DEBUG_PATHS or "__debugger__" in request.args:
        abort(404)


def disable_debug(app: dash.Dash) -> None:
    """Make debug impossible on a production app.

    Flask debug and exception propagation are forced off, and the werkzeug
    debugger's `/console` and Dash's hot-reload route `/_reload-hash` answer
    404 to everyone, before the login guard (Dash would otherwise serve its
    page shell on `/console` and the reload hash to any logged-in user).
    """
    server = app.server
    server.debug = False
    server.config.update(DEBUG=False, PROPAGATE_EXCEPTIONS=False)
    hooks = server.before_request_funcs.setdefault(None, [])
    if _refuse_debug_paths not in hooks:
        hooks.insert(0, _refuse_debug_paths)


def behind_proxies(wsgi_app, trusted_proxies: int):
    """Trust X-Forwarded-For/-Proto/-Host from `trusted_proxies` reverse proxies (0: none).

    Behind nginx, every request comes from 127.0.0.1: without this, the login
    limits per address would count all users as one address.
    """
    if trusted_proxies < 1:
        return wsgi_app
    return ProxyFix(
        wsgi_app, x_for=trusted_proxies, x_proto=trusted_proxies, x_host=trusted_proxies
    )


def production_wsgi_app(settings: Settings, trusted_proxies: int = 1):
    """The WSGI callable one worker serves: the app with production=True, behind the proxy."""
    from dashboard import create_app

    app = create_app(settings.with_overrides(production=True, testing=False))
    disable_debug(app)  # create_app does it too when production is set; kept explicit here
    return behind_proxies(app.server, trusted_proxies)


class PilotageGunicorn(BaseApplication):
    """Gunicorn run from Python: no command line of its own, one app per worker."""

    def __init__(self, settings: Settings, options: dict[str, object], trusted_proxies: int):
        self.settings = settings
        self.options = options
        self.trusted_proxies = trusted_proxies
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        # Called in each worker (no preload): every worker has its own engine and pool.
        return production_wsgi_app(self.settings, self.trusted_proxies)


def gunicorn_options(host: str, port: int, workers: int, timeout: int) -> dict[str, object]:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "sync",
        "timeout": timeout,
        "graceful_timeout": 30,
        "preload_app": False,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "pilotage-web",
    }


def run_production_server(
    settings: Settings, host: str, port: int, workers: int, timeout: int, trusted_proxies: int
) -> None:
    """Run gunicorn in the foreground until SIGTERM / SIGINT (graceful stop)."""
    os.environ["PILOTAGE_PRODUCTION"] = "1"  # any load_settings() in a worker agrees
    options = gunicorn_options(host, port, workers, timeout)
    PilotageGunicorn(settings.with_overrides(production=True), options, trusted_proxies).run()
