"""Pilotage RSA: steering dashboard for the renewed RSA accompaniment.

`create_app()` is the only factory: it builds the Flask server, installs the
login guard, then the Dash app with its pages and callbacks, and the API
blueprint. It opens no database connection and reads no data file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import dash
from flask import Flask

from dashboard.api import bp as api_blueprint
from dashboard.auth import init_auth
from dashboard.callback_guard import install_callback_guard
from dashboard.config import Settings, load_settings
from dashboard.copil_pdf import register_copil_pdf
from dashboard.db import make_engine, make_session_factory
from dashboard.errors import register_error_handlers
from dashboard.security_headers import install_security_headers
from dashboard.state import AppState, attach_state

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"


def _settings(config: Settings | Mapping[str, object] | None) -> Settings:
    if isinstance(config, Settings):
        return config
    settings = load_settings()
    return settings.with_overrides(**config) if config else settings


def create_app(config: Settings | Mapping[str, object] | None = None) -> dash.Dash:
    """Build the whole application: Flask server, guard, Dash pages, API."""
    # Imported here: the page modules use dash.register_page, which needs an app.
    from callbacks import register_callbacks
    from layouts import register_pages
    from layouts.frame import frame_layout

    settings = _settings(config)
    server = Flask(__name__, instance_path=str(settings.instance_dir))
    server.config.update(
        SECRET_KEY=settings.secret_key,
        TESTING=settings.testing,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.production,
        # flask-login's remember-me cookie (login_user is never called with remember=True;
        # if it ever is, the cookie gets the session's flags and at most its 12 h).
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings.production,
        REMEMBER_COOKIE_DURATION=dt.timedelta(hours=12),
        WTF_CSRF_TIME_LIMIT=None,
        # The real bound of an upload: dcc.Upload sends the file base64-encoded (4/3 of
        # its size) inside a callback POST; 64 KiB more for the rest of the payload.
        MAX_CONTENT_LENGTH=settings.max_upload_mb * 1024 * 1024 * 4 // 3 + 64 * 1024,
    )
    engine = make_engine(settings.database_url)
    attach_state(server, AppState(settings, engine, make_session_factory(engine)))
    init_auth(server)  # before Dash: the guard must be the first before_request hook
    register_error_handlers(server)
    server.register_blueprint(api_blueprint)
    register_copil_pdf(server)

    app = dash.Dash(
        __name__,
        server=server,
        use_pages=True,
        pages_folder="",
        assets_folder=str(ASSETS_DIR),
        title="Pilotage RSA",
        update_title=None,
        suppress_callback_exceptions=True,
        serve_locally=True,
    )
    app.config.include_assets_files = True
    app.index_string = app.index_string.replace("<html>", '<html lang="fr">')
    register_pages()
    app.layout = frame_layout
    register_callbacks(app)
    install_callback_guard(app)  # after Dash's hooks: malformed callback posts get a 4xx
    install_security_headers(app)  # after the callbacks: hashes their inline scripts
    if settings.production:
        from dashboard.production import disable_debug

        disable_debug(app)  # no debug, 404 on /console and /_reload-hash
    return app
