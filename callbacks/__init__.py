"""One module per page, named like its layout; each exposes `register(app)`.

Callbacks are registered on the app being built (not with the global
`@dash.callback` registry) so that every `create_app()` — one per test, one
per worker — gets its own complete set.
"""

from __future__ import annotations

import importlib
import importlib.util

import dash

from callbacks import filters
from layouts import available_pages


def register_callbacks(app: dash.Dash) -> None:
    filters.register(app)
    for entry in available_pages():
        if importlib.util.find_spec(f"callbacks.{entry.module}"):
            importlib.import_module(f"callbacks.{entry.module}").register(app)
