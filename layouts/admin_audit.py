"""The audit journal of the administration page: labels and the table (pure builders)."""

from __future__ import annotations

import datetime as dt
import re

from dash import html

from dashboard.audit import JOURNAL_LIMIT, AuditEntry
from dashboard.auth import ROLE_LABELS
from layouts.format import NARROW_NBSP, format_count, format_date
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


# Every key the application stores in `audit_log.details` (grep `audit.record(` and
# `audit_details(`); a key missing here is shown as stored.
DETAIL_LABELS = {
    "via": "via",
    "user": "compte",
    "role": "rôle",
    "before": "avant",
    "after": "après",
    "scope": "portée",
    "retry_after": "nouvel essai dans (s)",
    "action_id": "action",
    "fields": "champs",
    "changed": "modifications",
    "indicator": "indicateur",
    "period_start": "début",
    "period_end": "fin",
    "target_value": "cible",
    "baseline_value": "référence",
    "prefix": "préfixe du jeton",
    "prefixes": "préfixes des jetons",
    "days": "durée (jours)",
    "os_user": "compte système",
    "volet": "volet",
    "period": "période",
    "rows": "lignes",
    "lignes": "lignes",
    "source": "source",
    "file": "fichier",
    "file_name": "fichier",
    "batch_id": "lot",
    "status": "statut",
    "import_status": "statut de l'import",
    "rows_read": "lignes lues",
    "created": "créées",
    "updated": "mises à jour",
    "quarantined": "en quarantaine",
    "document": "document",
    "format": "format",
    "du": "du",
    "au": "au",
    "page": "page",
    "liste": "liste",
    "filtres": "filtres",
    "row_id": "ligne en quarantaine",
    "row_number": "ligne du fichier",
    "correction_batch_id": "lot de correction",
    "re_entered": "champs ressaisis",
    "reason": "motif",
    "reasons": "motifs",
    "method": "méthode",
    "route": "route",
    "path": "chemin",
    "token_id": "jeton",
    "params": "paramètres",
}
# Identifiers and line numbers keep their digits together: "lot : 1234", not "1 234".
IDENTIFIER_KEYS = frozenset(
    {"action_id", "batch_id", "correction_batch_id", "row_id", "row_number", "token_id", "status"}
)
# Keys whose value is a role code, at the top level (`user_role_changed`: before/after).
ROLE_KEYS = frozenset({"role", "before", "after"})
ROLE_NAMES = {role.value: label for role, label in ROLE_LABELS.items()}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?")


def detail_label(key: str) -> str:
    return DETAIL_LABELS.get(key, key)


def _text(value: str) -> str:
    """ISO dates, months and UTC moments (as stored) written the French way; other text as is."""
    if ISO_DATE.fullmatch(value):
        return format_date(dt.date.fromisoformat(value))
    if month := ISO_MONTH.fullmatch(value):
        return f"{month.group(2)}/{month.group(1)}"
    if ISO_MOMENT.fullmatch(value):
        moment = dt.datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
        return local_time(moment)
    return value


def _value(value: object, key: str = "", nested: bool = False) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int):
        return str(value) if key in IDENTIFIER_KEYS else format_count(value)
    if isinstance(value, float):
        whole = format_count(int(value)) if value.is_integer() else None
        return whole or f"{value:,}".replace(",", NARROW_NBSP).replace(".", ",")
    if isinstance(value, list | tuple):
        return ", ".join(_value(item, key, nested=True) for item in value)
    if key in ROLE_KEYS and not nested and isinstance(value, str) and value in ROLE_NAMES:
        return ROLE_NAMES[value]
    if isinstance(value, dict):
        pairs = ", ".join(
            f"{detail_label(str(name))} {_value(item, str(name), nested=True)}"
            for name, item in value.items()
        )
        return f"({pairs})" if nested else pairs
    return _text(str(value))


def details_text(details: dict[str, object]) -> str:
    """`{"user": "a.b", "rows": 1234}` -> "compte : a.b · lignes : 1 234" (shown as text)."""
    return " · ".join(
        f"{detail_label(key)} : {_value(value, key)}" for key, value in details.items()
    )


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
