"""One module per page, named like its layout; each exposes `register(app)`.

Callbacks are registered on the app being built (not with the global
`@dash.callback` registry) so that every `create_app()` — one per test, one
per worker — gets its own complete set.
"""

from __future__ import annotations

import importlib
import importlib.util

import dash
from flask import request
from werkzeug.exceptions import BadRequest

from callbacks import filters
from layouts import available_pages

UNKNOWN_CALLBACK = "Requête refusée : callback inconnu."
UNREADABLE_PATH = "Requête refusée : adresse de page illisible."
ROUTER_OUTPUT = ".._pages_content."  # Dash's pages router (dash.dash, _ID_CONTENT)


def register_callbacks(app: dash.Dash) -> None:
    filters.register(app)
    for entry in available_pages():
        if importlib.util.find_spec(f"callbacks.{entry.module}"):
            importlib.import_module(f"callbacks.{entry.module}").register(app)
    app.server.before_request(_server_callbacks_only(app))


def _server_callbacks_only(app: dash.Dash):  # noqa: ANN202
    """A callback post must name a callback with a Python function: a clientside one
    (no function) or an unknown output would make Dash fail with a 500. Registered after
    the login guard (anonymous posts get their 401 first) and after Dash's own setup
    (which adds the pages router's callbacks)."""

    def check() -> None:
        if request.method != "POST" or not request.path.endswith("/_dash-update-component"):
            return
        body = request.get_json(silent=True)
        output = body.get("output") if isinstance(body, dict) else None
        if not isinstance(output, str) or "callback" not in app.callback_map.get(output, {}):
            raise BadRequest(UNKNOWN_CALLBACK)
        if output.startswith(ROUTER_OUTPUT) and not _router_inputs_readable(body.get("inputs")):
            raise BadRequest(UNREADABLE_PATH)

    return check


def _router_inputs_readable(inputs: object) -> bool:
    """Dash's pages router fails (500) on a pathname that is not a string starting with
    "/" or a search that is not a string; the browser never sends those."""
    if not isinstance(inputs, list):
        return False
    for item in inputs:
        if not isinstance(item, dict):
            return False
        value = item.get("value")
        if item.get("property") == "pathname" and not (
            isinstance(value, str) and value.startswith("/")
        ):
            return False
        if item.get("property") == "search" and not (value is None or isinstance(value, str)):
            return False
    return True
