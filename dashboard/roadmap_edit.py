"""Edit one action of the feuille de route (progress, comment, deadline), with its history.

`update_action(db, user, action_id, changes)` is the one write path for
people: the project team page calls it, and so should the API route
`PATCH /api/v1/roadmap/actions/{id}`. It checks, on the server:
- the role: `projet` and `admin` edit, every other role is refused (403);
- the territory: an action outside the user's scope answers exactly like an
  unknown id (404), so a forged id reveals nothing;
- the values, with French messages (400).
Then it writes the fields, one `RoadmapActionChange` per changed field (user,
field, before, after; `changed_at` set by the database default), one audit
entry, and commits.

A new deadline text is read by the import's parser (`connectors.deadlines.
parse_deadline`): start, due date, continuity and milestones follow it. A text
the parser does not understand is kept as written, without dates: the action
becomes "à préciser", as at import. A deadline without a year ("Fin juin")
belongs to the year of the action's current due date (else its start, else
the year of the edit): write the year to say otherwise ("Fin juin 2025").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors.deadlines import parse_deadline
from connectors.roadmap import remove_nirs
from dashboard import audit
from dashboard.auth import allowed_territory_ids
from dashboard.models import (
    RoadmapAction,
    RoadmapActionChange,
    RoadmapProgress,
    Role,
    Territory,
    User,
)
from metrics.roadmap_status import PROGRESS_LABELS

EDITABLE_FIELDS = ("progress", "comment", "deadline_text")
# Written to the history, as the import does (dashboard/loading/roadmap.py): the
# start, continuity and milestones follow the deadline text silently.
TRACKED_FIELDS = ("progress", "comment", "deadline_text", "due_on")
EDIT_ROLES = frozenset({Role.PROJET, Role.ADMIN})
MAX_COMMENT_LENGTH = 2000
MAX_DEADLINE_LENGTH = 500  # the column's size
AUDIT_ACTION = "roadmap_action_edit"

EDIT_REFUSED = "Votre rôle permet de consulter la feuille de route, pas de la modifier."
ACTION_UNKNOWN = "Action inconnue ou hors de votre territoire."


class RoadmapEditError(ValueError):
    """An edit refused, with the French sentence to show and the HTTP status to answer."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class EditForbiddenError(RoadmapEditError):
    status = 403


class ActionNotFoundError(RoadmapEditError):
    status = 404


class InvalidChangeError(RoadmapEditError):
    status = 400


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class EditResult:
    """What an edit did: the changed fields (empty: nothing to change) and notes in French."""

    action_id: int
    changes: tuple[FieldChange, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class HistoryEntry:
    """One line of an action's history; `login` None: the change came from an import."""

    changed_at: dt.datetime
    login: str | None
    field: str
    before: str | None
    after: str | None


def history_text(value: object) -> str | None:
    """How a value is kept in the history: ISO dates, enum values, plain text (as the import)."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _user_id(user: Any) -> int | None:
    """The id of a session user (`user_id`) or of a `User` row (`id`)."""
    return getattr(user, "user_id", None) or getattr(user, "id", None)


def _action_in_scope(db: Session, user: Any, action_id: object) -> RoadmapAction:
    if isinstance(action_id, bool) or not isinstance(action_id, int | str):
        raise ActionNotFoundError(ACTION_UNKNOWN)
    if isinstance(action_id, str):
        if not action_id.strip().isdigit():
            raise ActionNotFoundError(ACTION_UNKNOWN)
        action_id = int(action_id)
    action = db.get(RoadmapAction, action_id)
    if action is None or action.territory_id not in allowed_territory_ids(db, user):
        raise ActionNotFoundError(ACTION_UNKNOWN)
    return action


def _progress(value: object) -> RoadmapProgress:
    codes = ", ".join(f"{code} ({label.lower()})" for code, label in PROGRESS_LABELS.items())
    if isinstance(value, str):
        try:
            return RoadmapProgress(value.strip().lower())
        except ValueError:
            pass
    shown = "vide" if value is None or value == "" else f"« {value} »"
    raise InvalidChangeError(f"Avancement inconnu : {shown}. Valeurs possibles : {codes}.")


def _text(value: object, label: str, limit: int, notes: list[str]) -> str | None:
    """A free text as stored: stripped, empty -> None, NIR-shaped numbers removed."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidChangeError(f"{label} : un texte est attendu.")
    text = value.strip()
    if len(text) > limit:
        raise InvalidChangeError(
            f"{label} : texte trop long ({len(text)} caractères, {limit} au plus)."
        )
    scrubbed = remove_nirs(text)
    if scrubbed != text:
        notes.append(f"{label} : numéro ressemblant à un NIR retiré du texte.")
    return scrubbed or None


def _reference_year(action: RoadmapAction, today: dt.date) -> int:
    for day in (action.due_on, action.start_on):
        if day is not None:
            return day.year
    return today.year


def _validated(changes: object) -> Mapping[str, object]:
    if not isinstance(changes, Mapping) or not changes:
        raise InvalidChangeError("Aucune modification demandée.")
    unknown = sorted(str(name) for name in changes if name not in EDITABLE_FIELDS)
    if unknown:
        raise InvalidChangeError(
            f"Champ non modifiable : {', '.join(unknown)}. "
            f"Champs modifiables : {', '.join(EDITABLE_FIELDS)}."
        )
    return changes


def _new_values(
    action: RoadmapAction, changes: Mapping[str, object], today: dt.date, notes: list[str]
) -> dict[str, object]:
    """The columns to write, validated; every check runs before anything is written."""
    values: dict[str, object] = {}
    if "progress" in changes:
        values["progress"] = _progress(changes["progress"])
    if "comment" in changes:
        values["comment"] = _text(changes["comment"], "Commentaire", MAX_COMMENT_LENGTH, notes)
    if "deadline_text" in changes:
        text = _text(changes["deadline_text"], "Échéance", MAX_DEADLINE_LENGTH, notes)
        deadline = parse_deadline(text, _reference_year(action, today))
        values.update(
            deadline_text=deadline.text or None,
            start_on=deadline.start,
            due_on=deadline.due,
            continuous=deadline.continuous,
            milestones=[day.isoformat() for day in deadline.milestones],
        )
        if text is None:
            notes.append("Échéance effacée : l'action est « à préciser ».")
        elif not deadline.understood:
            notes.append(
                f"Échéance « {text} » non reconnue : le texte est gardé, l'action est "
                "« à préciser »."
            )
        elif deadline.due is not None:
            notes.append(f"Échéance lue : le {deadline.due.strftime('%d/%m/%Y')}.")
        elif deadline.continuous:
            notes.append("Échéance lue : action continue.")
    return values


def update_action(
    db: Session,
    user: Any,
    action_id: object,
    changes: object,
    *,
    today: dt.date | None = None,
    remote_addr: str | None = None,
) -> EditResult:
    """Apply `changes` ({"progress", "comment", "deadline_text"}) to one action and commit.

    `user` is the session user (or a `User` row): its role and territory
    decide. Raises EditForbiddenError (403), ActionNotFoundError (404) or
    InvalidChangeError (400), each with a French `message`, before writing
    anything. Values equal to the stored ones change nothing and write no
    history; an edit that changes nothing commits nothing.
    """
    if Role(user.role) not in EDIT_ROLES:
        raise EditForbiddenError(EDIT_REFUSED)
    action = _action_in_scope(db, user, action_id)
    stored_id = action.id
    notes: list[str] = []
    values = _new_values(action, _validated(changes), today or dt.date.today(), notes)
    before = {name: history_text(getattr(action, name)) for name in TRACKED_FIELDS}
    for name, value in values.items():
        setattr(action, name, value)
    changed = tuple(
        FieldChange(name, before[name], history_text(getattr(action, name)))
        for name in TRACKED_FIELDS
        if history_text(getattr(action, name)) != before[name]
    )
    if not changed:
        # Nothing the history tracks changed (e.g. the same text again): write nothing.
        db.rollback()
        return EditResult(stored_id, (), tuple(notes))
    user_id = _user_id(user)
    for change in changed:
        db.add(
            RoadmapActionChange(
                action_id=action.id,
                user_id=user_id,
                field=change.field,
                before=change.before,
                after=change.after,
            )
        )
    territory_code = db.scalar(select(Territory.code).where(Territory.id == action.territory_id))
    audit.record(
        db,
        AUDIT_ACTION,
        user_id=user_id,
        login=getattr(user, "login", None),
        territory_code=territory_code,
        remote_addr=remote_addr,
        details={"action_id": action.id, "fields": [change.field for change in changed]},
    )
    db.commit()
    return EditResult(stored_id, changed, tuple(notes))


@dataclass(frozen=True)
class ActionHistory:
    action_id: int
    action: str
    entries: tuple[HistoryEntry, ...]


def action_history(db: Session, user: Any, action_id: object) -> ActionHistory:
    """Every change of one action of the user's scope, newest first (ActionNotFoundError).

    Any role that may read the roadmap reads the history; the scope check is
    the same as for an edit.
    """
    action = _action_in_scope(db, user, action_id)
    rows = db.execute(
        select(
            RoadmapActionChange.changed_at,
            User.login,
            RoadmapActionChange.field,
            RoadmapActionChange.before,
            RoadmapActionChange.after,
        )
        .outerjoin(User, User.id == RoadmapActionChange.user_id)
        .where(RoadmapActionChange.action_id == action.id)
        .order_by(RoadmapActionChange.changed_at.desc(), RoadmapActionChange.id.desc())
    ).all()
    return ActionHistory(action.id, action.action, tuple(HistoryEntry(*row) for row in rows))
