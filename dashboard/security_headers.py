"""Security headers on every response: CSP, framing, sniffing, referrer, HSTS, caching.

One `after_request` hook on the Flask server, so pages, Dash routes, the API,
static assets, errors and the login page all carry the same headers.

The CSP allows no inline script except Dash's own: the index page writes the
`new DashRenderer(...)` script and the inline clientside callbacks in
`<script>` tags; `app.csp_hashes()` gives their sha256, recomputed on each
response so a clientside callback added later is covered too. `_dash-config`
is `application/json`, never executed, so it needs no hash.

Neither `'unsafe-inline'` nor `'unsafe-eval'` in `script-src`:
- plotly.js 4 (plotly/package_data/plotly.min.js) has no regl code generation;
  its only `Function(...)` calls are a `bind` polyfill and a `globalThis`
  fallback, never reached in a modern browser, and a `globalThis.eval` used
  only for map traces (maplibre workers), which the app does not draw;
- dash-ag-grid turns `{"function": "..."}` strings into functions with its own
  expression parser and interpreter, not `eval`, so the app's function strings
  (layouts/projet_table.py, layouts/comop_lists.py, callbacks/comop.py) need none.
tests/browser/test_csp_browser.py opens every page under this policy and
fails on any CSP violation.

`style-src` keeps `'unsafe-inline'`: dash-renderer and dash_core_components
(and plotly.js, AG Grid) create `<style>` elements at run time, which can carry
neither a nonce nor a stable hash; without it Chromium reports `style-src-elem`
violations on every page (measured with tests/browser/test_csp_browser.py).
Styles cannot run code: the risk left is CSS-based defacement or exfiltration,
bounded by `img-src`/`font-src`/`connect-src 'self'`.
"""

from __future__ import annotations

import threading

import dash
from flask import Flask, Response, request

from dashboard.state import get_state

# Paths whose answers hold personal or territory data: never stored by a browser or proxy.
NO_STORE_PREFIXES = ("/api/", "/_dash-update-component", "/_dash-layout")
STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/", "/_favicon.ico")
NO_STORE_TYPES = ("application/json", "application/pdf", "text/csv")
HSTS = "max-age=31536000; includeSubDomains"
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=()"
)


def content_security_policy(script_hashes: list[str]) -> str:
    """The CSP string, with `script_hashes` (`'sha256-...'`) allowed as inline scripts."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def _is_static(path: str) -> bool:
    return path.startswith(STATIC_PREFIXES)


def _wants_no_store(response: Response) -> bool:
    if _is_static(request.path):
        return False
    if request.path.startswith(NO_STORE_PREFIXES):
        return True
    return response.mimetype in NO_STORE_TYPES or (
        response.headers.get("Content-Disposition", "").startswith("attachment")
    )


def install_security_headers(app: dash.Dash) -> None:
    """Add the headers to every response of `app.server`."""
    server: Flask = app.server
    # csp_hashes() moves Dash's global clientside scripts into the app's list: one at a time.
    hashing = threading.Lock()

    def add_headers(response: Response) -> Response:
        headers = response.headers
        with hashing:
            script_hashes = list(app.csp_hashes())
        headers["Content-Security-Policy"] = content_security_policy(script_hashes)
        headers["X-Frame-Options"] = "DENY"
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers["Permissions-Policy"] = PERMISSIONS_POLICY
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if get_state().settings.production:
            headers["Strict-Transport-Security"] = HSTS
        if _wants_no_store(response):
            headers["Cache-Control"] = "no-store"
            headers["Pragma"] = "no-cache"
        return response

    server.after_request(add_headers)
