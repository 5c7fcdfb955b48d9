"""Malformed Dash callback posts are refused with a short French 4xx, never a 500.

Dash trusts the body of `POST /_dash-update-component`: an unknown output
is a KeyError (500), inputs that are not a list or a missing field break
deeper. This `before_request` hook checks the body against the callback it
names before Dash sees it:

- a JSON object whose `output` is a registered server callback (`app.callback_map`:
  a clientside callback has no server function);
- for Dash's pages router, a page path that is a string starting with "/" and a
  search that is a string (Dash fails with a 500 on anything else);
- `outputs` an object or a list, `inputs` and `state` lists of the lengths
  the callback declares, each item an `{id, property}` object (or a list of
  them for a pattern-matching id), `changedPropIds` a list of strings;
- at most MAX_CALLBACK_BYTES, except for a callback that takes a
  `dcc.Upload`'s `contents` (the file travels base64 inside the post), whose
  bound is Flask's MAX_CONTENT_LENGTH (413 from Flask above it).

It runs after the login guard (anonymous posts are refused there first) and
after Dash's own setup hook, so `callback_map` is complete.
"""

from __future__ import annotations

import dash
from flask import Response, request

from dashboard.errors import error_response

MAX_CALLBACK_BYTES = 1024 * 1024
UPLOAD_PROPERTY = "contents"

UNREADABLE = "Requête refusée : le contenu de l'action est illisible."
UNKNOWN_OUTPUT = "Requête refusée : callback inconnu."
UNREADABLE_PATH = "Requête refusée : adresse de page illisible."
ROUTER_OUTPUT = ".._pages_content."  # Dash's pages router (dash.dash, _ID_CONTENT)
MALFORMED = "Requête refusée : les valeurs envoyées ne correspondent pas à cette action."
TOO_LARGE = "Requête refusée : trop volumineuse pour cette action."
CODES = {400: "requete_invalide", 413: "requete_trop_volumineuse"}


def is_upload_callback(spec: dict) -> bool:
    """True when the callback receives a file (a `contents` input or state)."""
    return any(item.get("property") == UPLOAD_PROPERTY for item in spec["inputs"] + spec["state"])


def _is_dependency(item: object) -> bool:
    return isinstance(item, dict) and "id" in item and isinstance(item.get("property"), str)


def _matches(values: object, declared: list) -> bool:
    """`values` is a list with one entry (an {id, property} or a list of them) per declared."""
    if not isinstance(values, list) or len(values) != len(declared):
        return False
    for value in values:
        items = value if isinstance(value, list) else [value]
        if not all(_is_dependency(item) for item in items):
            return False
    return True


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


def check_body(body: object, callback_map: dict, size: int) -> tuple[int, str] | None:
    """None for a well-formed post; else (status, French message)."""
    if not isinstance(body, dict):
        return 400, UNREADABLE
    output = body.get("output")
    spec = callback_map.get(output) if isinstance(output, str) else None
    if spec is None or "callback" not in spec:  # unknown, or clientside (no server function)
        return 400, UNKNOWN_OUTPUT
    if output.startswith(ROUTER_OUTPUT) and not _router_inputs_readable(body.get("inputs")):
        return 400, UNREADABLE_PATH
    if size > MAX_CALLBACK_BYTES and not is_upload_callback(spec):
        return 413, TOO_LARGE
    changed = body.get("changedPropIds")
    if not isinstance(changed, list) or not all(isinstance(prop, str) for prop in changed):
        return 400, MALFORMED
    if not isinstance(body.get("outputs"), dict | list):
        return 400, MALFORMED
    if not _matches(body.get("inputs"), spec["inputs"]):
        return 400, MALFORMED
    if not _matches(body.get("state", []), spec["state"]):
        return 400, MALFORMED
    return None


def install_callback_guard(app: dash.Dash) -> None:
    """Add the check as a `before_request` of the app's server (after Dash's own hooks)."""
    path = app.config.routes_pathname_prefix + "_dash-update-component"

    def check_callback_post() -> Response | None:
        if request.method != "POST" or request.path != path:
            return None
        body = request.get_json(silent=True)  # bounded by MAX_CONTENT_LENGTH (413)
        size = request.content_length or len(request.get_data(cache=True))
        refused = check_body(body, app.callback_map, size)
        if refused is None:
            return None
        status, message = refused
        return error_response(status, message, code=CODES[status])

    app.server.before_request(check_callback_post)
