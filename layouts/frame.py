"""The frame around every page: header with territory and role, navigation, footer."""

from __future__ import annotations

import dash
from dash import dcc, html
from flask_login import current_user

from layouts import ids
from layouts.navigation import pages_for


def _header() -> html.Header:
    return html.Header(
        className="site-header",
        id=ids.HEADER,
        children=[
            html.Div(
                className="brand",
                children=[
                    html.P("République française", className="brand-marianne"),
                    html.A("Pilotage RSA", href="/", className="brand-title"),
                ],
            ),
            html.Div(
                className="session-box",
                children=[
                    html.Span(current_user.territory_name, className="session-territory"),
                    html.Span(current_user.role_label, className="session-role"),
                    html.Span(current_user.login, className="session-login"),
                    html.A("Se déconnecter", href="/logout", id=ids.LOGOUT, className="logout"),
                ],
            ),
        ],
    )


def _navigation() -> html.Nav:
    from layouts import available_pages  # the package imports this module

    available = set(available_pages())
    links = [
        html.Li(html.A(page.label, href=page.path))
        for page in pages_for(current_user.role)
        if page in available
    ]
    return html.Nav(html.Ul(links), className="site-nav", id=ids.NAV, **{"aria-label": "Menu"})


def frame_layout() -> html.Div:
    """Evaluated per request (the guard has already checked the user)."""
    if not current_user.is_authenticated:
        # Only reached when Dash builds its validation layout outside a request.
        return html.Div(dash.page_container)
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            html.A("Aller au contenu", href="#main", className="skip-link"),
            _header(),
            _navigation(),
            html.Main(dash.page_container, id="main", className="site-main"),
            html.Footer(
                "Pilotage RSA · données pseudonymisées · accès limité au territoire",
                className="site-footer",
            ),
        ]
    )
