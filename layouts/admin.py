"""Administration page (administrators): users, targets, disclosure threshold, audit journal.

Static frame here; the views of users and trajectory points are in
layouts/admin_views.py, filled by callbacks/admin.py from the server's
resolution of the administrator's territory.
"""

from __future__ import annotations

from dash import dcc, html

from dashboard.user_admin import ASSIGNABLE_ROLES
from layouts import ids
from layouts.admin_audit import action_options
from layouts.admin_views import indicator_options, role_options

PATH = "/admin"
TITLE = "Administration · Pilotage RSA"


def _section(title: str, *children: object) -> html.Section:
    return html.Section([html.H2(title), *children], className="admin-section")


def _field(label: str, component: object, field_id: str) -> html.Div:
    return html.Div([html.Label(label, htmlFor=field_id), component], className="admin-field")


def new_user_form() -> html.Div:
    return html.Div(
        className="admin-form",
        children=[
            html.H3("Créer un utilisateur"),
            html.Div(
                className="admin-form-grid",
                children=[
                    _field(
                        "Identifiant",
                        dcc.Input(id=ids.ADMIN_NEW_LOGIN, type="text", autoComplete="off"),
                        ids.ADMIN_NEW_LOGIN,
                    ),
                    _field(
                        "Rôle",
                        dcc.Dropdown(
                            id=ids.ADMIN_NEW_ROLE,
                            options=role_options(ASSIGNABLE_ROLES),
                            placeholder="Choisir…",
                            clearable=False,
                            searchable=False,
                        ),
                        ids.ADMIN_NEW_ROLE,
                    ),
                    _field(
                        "Mot de passe (12 caractères au moins)",
                        dcc.Input(
                            id=ids.ADMIN_NEW_PASSWORD, type="password", autoComplete="new-password"
                        ),
                        ids.ADMIN_NEW_PASSWORD,
                    ),
                    _field(
                        "Mot de passe, une seconde fois",
                        dcc.Input(
                            id=ids.ADMIN_NEW_CONFIRM, type="password", autoComplete="new-password"
                        ),
                        ids.ADMIN_NEW_CONFIRM,
                    ),
                ],
            ),
            html.Button(
                "Créer le compte", id=ids.ADMIN_CREATE, className="button-primary", n_clicks=0
            ),
        ],
    )


def targets_editor() -> html.Div:
    return html.Div(
        [
            _field(
                "Indicateur",
                dcc.Dropdown(
                    id=ids.ADMIN_INDICATOR,
                    options=indicator_options(),
                    placeholder="Choisir un indicateur…",
                    clearable=False,
                ),
                ids.ADMIN_INDICATOR,
            ),
            html.P(id=ids.ADMIN_INDICATOR_HELP, className="hint"),
            html.Div(id=ids.ADMIN_POINTS),
            html.Div(
                [
                    html.Button(
                        "Ajouter un point",
                        id=ids.ADMIN_ADD_POINT,
                        className="button-secondary",
                        n_clicks=0,
                    ),
                    html.Button(
                        "Enregistrer la trajectoire",
                        id=ids.ADMIN_SAVE_POINTS,
                        className="button-primary",
                        n_clicks=0,
                    ),
                ],
                className="editor-actions",
            ),
            html.Div(id=ids.ADMIN_TARGET_MESSAGE, role="status", **{"aria-live": "polite"}),
        ]
    )


def layout(**_query: str) -> html.Div:
    return html.Div(
        className="admin-page",
        children=[
            html.H1("Administration"),
            html.P(
                "Comptes des personnes de votre territoire, cibles des indicateurs et règle de "
                "diffusion des petits effectifs.",
                className="lead",
            ),
            html.Div(id=ids.ADMIN_PAGE_ERROR),
            _section(
                "Utilisateurs du territoire",
                html.P(
                    "Une désactivation ou un changement de rôle ferme aussitôt les sessions "
                    "ouvertes de la personne ; chaque modification est inscrite au journal.",
                    className="hint",
                ),
                html.Div(id=ids.ADMIN_USER_MESSAGE, role="status", **{"aria-live": "polite"}),
                dcc.Loading(html.Div(id=ids.ADMIN_USERS)),
                new_user_form(),
            ),
            _section(
                "Cibles et trajectoires",
                html.P(
                    "Chaque point fixe la cible à atteindre à la fin de sa période ; la valeur "
                    "de référence (T0) se saisit sur le premier point. Les points enregistrés "
                    "remplacent ceux de l'indicateur.",
                    className="hint",
                ),
                targets_editor(),
            ),
            _section("Seuil de diffusion", html.Div(id=ids.ADMIN_THRESHOLD)),
            _section(
                "Journal d'audit",
                html.P(
                    "Connexions, échecs de connexion, imports, exports, modifications de la "
                    "feuille de route, des cibles et des comptes du territoire. Le journal ne "
                    "se modifie pas depuis l'application.",
                    className="hint",
                ),
                _field(
                    "Type d'action",
                    dcc.Dropdown(
                        id=ids.ADMIN_AUDIT_ACTION,
                        options=action_options(),
                        placeholder="Toutes les actions",
                    ),
                    ids.ADMIN_AUDIT_ACTION,
                ),
                dcc.Loading(html.Div(id=ids.ADMIN_AUDIT)),
            ),
        ],
    )
