"""One module per page: `layout(**query)` returns the page's component tree."""

from __future__ import annotations

import dash

from layouts import home, not_found


def register_pages() -> None:
    dash.register_page("home", path=home.PATH, title=home.TITLE, name="Accueil", layout=home.layout)
    dash.register_page(not_found.MODULE, title=not_found.TITLE, layout=not_found.layout)
