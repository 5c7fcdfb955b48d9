"""One module per page: `layout(**query)` returns the page's component tree.

Each page of layouts.navigation.PAGES lives in layouts/<module>.py, which
defines PATH, TITLE and layout(**query). Registration wraps the layout so a
role the page does not list gets a refusal, decided on the server from
`current_user` (the callbacks check again: callbacks/context.py).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable

import dash
from dash import html
from flask_login import current_user

from layouts import not_found
from layouts.navigation import PAGES, PageEntry

REFUSED_TITLE = "Accès refusé"


def refused_view() -> html.Div:
    return html.Div(
        [
            html.H1(REFUSED_TITLE),
            html.P(
                "Votre rôle ne donne pas accès à cette page. Les pages auxquelles vous avez "
                "accès figurent dans le menu.",
                className="lead",
            ),
        ],
        className="refused",
        role="alert",
    )


def _guarded(entry: PageEntry, layout: Callable[..., object]) -> Callable[..., object]:
    def page_layout(**query: str) -> object:
        if not current_user.is_authenticated or current_user.role not in entry.roles:
            return refused_view()
        return layout(**query)

    return page_layout


def available_pages() -> list[PageEntry]:
    """The entries whose layout module exists (every one, once the views are complete)."""
    return [page for page in PAGES if importlib.util.find_spec(f"layouts.{page.module}")]


def register_pages() -> None:
    for entry in available_pages():
        module = importlib.import_module(f"layouts.{entry.module}")
        dash.register_page(
            entry.module,
            path=entry.path,
            title=module.TITLE,
            name=entry.label,
            layout=_guarded(entry, module.layout),
        )
    dash.register_page(not_found.MODULE, title=not_found.TITLE, layout=not_found.layout)
