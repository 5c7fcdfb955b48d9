"""The smaller parts of the project team page: status summary, undated actions, an
action's history and the Monday digest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from dash import html

from dashboard.roadmap import DigestRun, StoredAction
from dashboard.roadmap_edit import HistoryEntry
from layouts.format import format_date
from metrics.roadmap_status import PROGRESS_LABELS, DueDigest, RoadmapStatus, summarise

PARIS = ZoneInfo("Europe/Paris")
FIELD_LABELS = {
    "progress": "Avancement",
    "comment": "Commentaire",
    "deadline_text": "Échéance",
    "due_on": "Date d'échéance",
}
EMPTY_VALUE = "(vide)"


def summary_view(
    shown: Sequence[tuple[StoredAction, RoadmapStatus]], total: int, as_of: dt.date
) -> list:
    """ "9 actions affichées sur 27 au 31/12/2024" and one chip per status present."""
    summary = summarise(status for _, status in shown)
    chips = [
        html.Span(
            [html.Strong(str(count)), f" {status.label.lower()}"],
            className=f"projet-chip projet-status-{status.value}",
            id={"type": "projet-count", "status": status.value},
        )
        for status, count in summary.counts.items()
        if count
    ]
    lead = f"{len(shown)} action(s) affichée(s) sur {total}, statut au {format_date(as_of)}"
    if summary.share_done is not None:
        lead += f" · réalisées {summary.share_done} %, en retard {summary.share_late} %"
    return [html.P(lead, className="projet-lead"), html.Div(chips, className="projet-chips")]


def undated_view(undated: Sequence[tuple[StoredAction, RoadmapStatus]]) -> list:
    """The actions the timeline cannot draw: no due date and not continuous."""
    if not undated:
        return []
    items = [
        html.Li(
            [
                html.Strong(stored.item.action),
                f" ({stored.item.axis}) : ",
                f"« {stored.item.deadline_text} »"
                if stored.item.deadline_text
                else "échéance vide",
                f" · {status.label}",
            ]
        )
        for stored, status in undated
    ]
    return [
        html.H3("Actions sans échéance datée"),
        html.P(
            "Leur échéance est vide ou n'a pas pu être lue : elles ne figurent pas sur le "
            "calendrier. Précisez l'échéance dans le tableau.",
            className="projet-note",
        ),
        html.Ul(items, className="projet-undated-list"),
    ]


def paris_time(moment: dt.datetime) -> str:
    """A UTC timestamp of the database as French local time: "31/12/2024 à 09:05"."""
    local = moment.replace(tzinfo=dt.UTC).astimezone(PARIS)
    return f"{local:%d/%m/%Y} à {local:%H:%M}"


def _value(field: str, value: str | None) -> str:
    if value is None or value == "":
        return EMPTY_VALUE
    if field == "progress":
        return PROGRESS_LABELS.get(value, value)
    if field == "due_on":
        try:
            return format_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return value


def history_view(title: str | None, entries: Sequence[HistoryEntry]) -> list:
    """The history table of the selected action (who, when, field, before, after)."""
    if title is None:
        return [html.P("Sélectionnez une action du tableau pour voir son historique.")]
    heading = html.H3(f"Historique : {title}")
    if not entries:
        return [heading, html.P("Aucune modification enregistrée.", className="empty")]
    header = html.Tr([html.Th(name) for name in ("Quand", "Qui", "Champ", "Avant", "Après")])
    body = [
        html.Tr(
            [
                html.Td(paris_time(entry.changed_at)),
                html.Td(entry.login or "import de fichier"),
                html.Td(FIELD_LABELS.get(entry.field, entry.field)),
                html.Td(_value(entry.field, entry.before)),
                html.Td(_value(entry.field, entry.after)),
            ]
        )
        for entry in entries
    ]
    return [heading, html.Table([html.Thead(header), html.Tbody(body)], className="table")]


def days_text(days: int) -> str:
    if days < 0:
        return f"{-days} j de retard"
    return "aujourd'hui" if days == 0 else f"dans {days} j"


def _run_text(digest: DueDigest, run: DigestRun | None) -> str:
    if run is None:
        return (
            "La tâche hebdomadaire n'a pas tourné pour ce lundi : la liste est calculée à "
            "l'affichage, avec les mêmes règles."
        )
    if run.status != "ok" or run.counts is None:
        return "La tâche hebdomadaire de ce lundi a échoué ; la liste est calculée à l'affichage."
    when = paris_time(run.finished_at) if run.finished_at else "ce lundi"
    return (
        f"Tâche hebdomadaire passée le {when} : {run.counts.get('late', 0)} en retard, "
        f"{run.counts.get('due_soon', 0)} à échéance proche. Liste à jour des modifications "
        "faites depuis."
    )


def digest_view(digest: DueDigest, run: DigestRun | None) -> list:
    """The Monday list: late and due-soon actions per owner, and what the job recorded."""
    intro = html.P(
        f"Au lundi {format_date(digest.as_of)} : {digest.late} action(s) en retard, "
        f"{digest.due_soon} à échéance dans les {digest.window_days} jours.",
        className="projet-lead",
    )
    notes = html.P(_run_text(digest, run), className="projet-note")
    if not digest.owners:
        return [intro, notes, html.P("Aucune action en retard ni à échéance proche.")]
    cards = [
        html.Div(
            [
                html.H3(owner.label),
                html.P(
                    f"{owner.late} en retard · {owner.due_soon} échéance(s) proche(s)",
                    className="card-label",
                ),
                html.Ul(
                    [
                        html.Li(
                            [
                                entry.item.action,
                                html.Span(
                                    f" — {format_date(entry.item.due)}, {days_text(entry.days)}",
                                    className=f"projet-days projet-status-{entry.status.value}",
                                ),
                            ]
                        )
                        for entry in owner.entries
                    ]
                ),
            ],
            className="card projet-owner",
            id={"type": "projet-owner", "owner": owner.label},
        )
        for owner in digest.owners
    ]
    return [intro, notes, html.Div(cards, className="projet-owners")]
