"""The audit journal of the administration page: labels and the table (pure builders)."""

from __future__ import annotations

from dash import html

from dashboard.audit import JOURNAL_LIMIT, AuditEntry
from layouts.imports_views import local_time

ACTION_LABELS = {
    "login": "Connexion",
    "login_failed": "Échec de connexion",
    "login_throttled": "Connexion bloquée (trop de tentatives)",
    "logout": "Déconnexion",
    "import": "Import de fichier",
    "import_dry_run": "Vérification d'un fichier (simulation)",
    "quarantine_corrected": "Ligne en quarantaine corrigée",
    "quarantine_discarded": "Ligne en quarantaine écartée",
    "export": "Export",
    "export_national": "Export national",
    "roadmap_action_edit": "Modification de la feuille de route",
    "targets_changed": "Modification d'une trajectoire",
    "user_created": "Création de compte",
    "user_role_changed": "Changement de rôle",
    "user_deactivated": "Désactivation de compte",
    "user_reactivated": "Réactivation de compte",
    "token_created": "Jeton d'API créé",
    "token_revoked": "Jeton d'API révoqué",
    "api": "Appel de l'API",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def action_options() -> list[dict[str, str]]:
    return [{"label": label, "value": code} for code, label in ACTION_LABELS.items()]


def _value(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key} {item}" for key, item in value.items())
    return str(value)


def details_text(details: dict[str, object]) -> str:
    """`{"user": "a.b", "role": "comop"}` -> "user : a.b · role : comop" (shown as text)."""
    return " · ".join(f"{key} : {_value(value)}" for key, value in details.items())


def journal_view(entries: list[AuditEntry]) -> object:
    if not entries:
        return html.P("Aucune entrée du journal pour ce territoire.", className="empty")
    header = ["Date", "Compte", "Action", "Adresse", "Détails"]
    body = [
        html.Tr(
            [
                html.Td(local_time(entry.at)),
                html.Td(entry.login or "—"),
                html.Td(action_label(entry.action)),
                html.Td(entry.remote_addr or "—"),
                html.Td(details_text(entry.details), className="audit-details"),
            ]
        )
        for entry in entries
    ]
    shown = (
        f"Les {JOURNAL_LIMIT} entrées les plus récentes."
        if len(entries) >= JOURNAL_LIMIT
        else f"{len(entries)} entrée(s)."
    )
    return html.Div(
        [
            html.P(shown, className="hint"),
            html.Table(
                [
                    html.Thead(html.Tr([html.Th(label, scope="col") for label in header])),
                    html.Tbody(body),
                ],
                className="table audit-table",
            ),
        ]
    )
