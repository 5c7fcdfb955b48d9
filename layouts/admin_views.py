"""What the administration page shows: users table, trajectory points editor, threshold.

Pure builders. The editor's rows are plain dicts of texts (what the inputs
hold): `point_rows` turns stored points into them, `rows_from_states` reads
them back from the pattern-matching inputs of a callback.
"""

from __future__ import annotations

from collections.abc import Iterable

from dash import dcc, html

from dashboard.auth import ROLE_LABELS
from dashboard.models import Role
from dashboard.targets_edit import EditedPoint
from dashboard.user_admin import ASSIGNABLE_ROLES, TerritoryUser
from layouts import ids
from layouts.imports_views import local_time
from metrics.registry import REGISTRY

POINT_COLUMNS = ("period_start", "period_end", "target_value", "baseline_value")
DIRECTION_HELP = {
    "higher": "plus la valeur est haute, mieux c'est",
    "lower": "plus la valeur est basse, mieux c'est",
    "neutral": "ni la hausse ni la baisse n'est un progrès en soi",
}


def role_options(roles: Iterable[Role]) -> list[dict[str, str]]:
    return [{"label": ROLE_LABELS[role], "value": role.value} for role in roles]


def indicator_options() -> list[dict[str, str]]:
    return [{"label": f"{i.label} ({code})", "value": code} for code, i in REGISTRY.items()]


def indicator_help(code: str | None) -> str:
    if code not in REGISTRY:
        return "Choisissez un indicateur pour voir et modifier sa trajectoire."
    indicator = REGISTRY[code]
    unit = "taux en %, de 0 à 100" if indicator.unit == "%" else indicator.unit
    return f"Unité : {unit} ; {DIRECTION_HELP[indicator.direction]}."


def users_view(users: list[TerritoryUser], actor_id: int) -> object:
    if not users:
        return html.P("Aucun compte n'est rattaché à ce territoire.", className="empty")
    header = ["Identifiant", "Rôle", "Statut", "Dernière connexion", "Actions"]
    body = []
    for user in users:
        if user.id == actor_id:
            role_cell: object = f"{user.role_label} (vous)"
            actions: object = "—"
        elif user.role not in ASSIGNABLE_ROLES:
            role_cell, actions = user.role_label, "—"
        else:
            role_cell = html.Div(
                [
                    dcc.Dropdown(
                        id={"type": ids.USER_ROLE, "user": user.id},
                        options=role_options(ASSIGNABLE_ROLES),
                        value=user.role.value,
                        clearable=False,
                        searchable=False,
                        className="role-select",
                    ),
                    html.Button(
                        "Changer le rôle",
                        id={"type": ids.USER_ROLE_SAVE, "user": user.id},
                        className="button-secondary",
                        n_clicks=0,
                    ),
                ],
                className="role-cell",
            )
            action = "deactivate" if user.active else "reactivate"
            actions = html.Button(
                "Désactiver" if user.active else "Réactiver",
                id={"type": ids.USER_TOGGLE, "user": user.id, "action": action},
                className="button-secondary",
                n_clicks=0,
            )
        body.append(
            html.Tr(
                [
                    html.Td(user.login),
                    html.Td(role_cell),
                    html.Td("Actif" if user.active else "Désactivé"),
                    html.Td(local_time(user.last_login_at)),
                    html.Td(actions),
                ],
                className="" if user.active else "inactive",
            )
        )
    return html.Table(
        [
            html.Thead(html.Tr([html.Th(text, scope="col") for text in header])),
            html.Tbody(body),
        ],
        className="table users-table",
    )


def _number_text(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}".replace(".", ",")


def point_rows(points: list[EditedPoint]) -> list[dict[str, str]]:
    return [
        {
            "period_start": point.period_start.isoformat(),
            "period_end": point.period_end.isoformat(),
            "target_value": _number_text(point.target_value),
            "baseline_value": _number_text(point.baseline_value),
        }
        for point in points
    ]


def empty_row() -> dict[str, str]:
    return dict.fromkeys(POINT_COLUMNS, "")


def rows_from_states(states_list: list) -> list[dict[str, str]]:
    """The editor's rows from a callback's ALL state over POINT_FIELD, in line order."""
    rows: dict[int, dict[str, str]] = {}
    for group in states_list:
        if not isinstance(group, list):
            continue
        for item in group:
            key = item.get("id")
            if not isinstance(key, dict) or key.get("type") != ids.POINT_FIELD:
                continue
            line, name = key.get("line"), key.get("name")
            if isinstance(line, int) and name in POINT_COLUMNS:
                value = item.get("value")
                rows.setdefault(line, empty_row())[name] = value if isinstance(value, str) else ""
    return [rows[line] for line in sorted(rows)]


def _input(line: int, name: str, value: str, kind: str, label: str) -> html.Td:
    field = dcc.Input(
        id={"type": ids.POINT_FIELD, "line": line, "name": name}, type=kind, value=value
    )
    if kind == "text":
        field.inputMode = "decimal"
    # dcc.Input takes no aria-label: a label read by screen readers only names it.
    return html.Td(
        html.Label([html.Span(f"{label}, point {line + 1}", className="sr-only"), field])
    )


def points_view(code: str | None, rows: list[dict[str, str]]) -> object:
    if code not in REGISTRY:
        return None
    if not rows:
        return html.P(
            "Aucun point de trajectoire pour cet indicateur : ajoutez-en un.", className="empty"
        )
    header = ["Début de période", "Fin de période", "Cible", "Valeur de référence (T0)", ""]
    body = [
        html.Tr(
            [
                _input(line, "period_start", row["period_start"], "date", "Début"),
                _input(line, "period_end", row["period_end"], "date", "Fin"),
                _input(line, "target_value", row["target_value"], "text", "Cible"),
                _input(line, "baseline_value", row["baseline_value"], "text", "Référence"),
                html.Td(
                    html.Button(
                        "Retirer",
                        id={"type": ids.POINT_DELETE, "line": line},
                        className="button-secondary",
                        n_clicks=0,
                    )
                ),
            ]
        )
        for line, row in enumerate(rows)
    ]
    return html.Table(
        [
            html.Thead(html.Tr([html.Th(text, scope="col") for text in header])),
            html.Tbody(body),
        ],
        className="table points-table",
    )


def threshold_view(threshold: int) -> html.Div:
    return html.Div(
        [
            html.P(
                [
                    html.Span("Seuil en vigueur : "),
                    html.Strong(str(threshold), id=ids.ADMIN_THRESHOLD_VALUE),
                ],
                className="threshold",
            ),
            html.P(
                f"Aux rôles COPIL et national, tout effectif inférieur à {threshold} personnes est "
                "masqué, ainsi que les cases qui permettraient de le retrouver par différence "
                "(secret statistique).",
            ),
            html.P(
                "Il se règle par la variable d'environnement PILOTAGE_DISCLOSURE_THRESHOLD du "
                "serveur et ne se modifie pas depuis cette page.",
                className="hint",
            ),
        ]
    )
