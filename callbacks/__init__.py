"""One module per page, named like its layout; each exposes `register(app)`.

Callbacks are registered on the app being built (not with the global
`@dash.callback` registry) so that every `create_app()` — one per test, one
per worker — gets its own complete set.
"""

from __future__ import annotations

import dash

from callbacks import home


def register_callbacks(app: dash.Dash) -> None:
    home.register(app)
