"""A territory's feuille de route with the status of each action: the SQL and the payload.

`load_roadmap` reads the actions as `metrics.roadmap_status.RoadmapItem`s;
`roadmap_payload` computes their status at `as_of` and builds the JSON-ready
answer shared by `pilotage roadmap`, the API and the pages.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.models import JobRun, RoadmapAction, Territory
from metrics.roadmap_status import (
    DEFAULT_WINDOW_DAYS,
    RoadmapItem,
    RoadmapStatus,
    due_digest,
    roadmap_status,
)

STATUS_CODES = tuple(status.value for status in RoadmapStatus)


class RoadmapStatusError(ValueError):
    """A status filter that is not one of the known statuses (French message)."""


def parse_status(value: str | None) -> RoadmapStatus | None:
    """A status filter as typed by a user ("en_retard", any case) -> the status; None: no filter."""
    if value is None or not value.strip():
        return None
    try:
        return RoadmapStatus(value.strip().lower())
    except ValueError:
        raise RoadmapStatusError(
            f"Statut inconnu : {value}. Statuts possibles : {', '.join(STATUS_CODES)}."
        ) from None


def load_roadmap(db: Session, territory_id: int) -> list[RoadmapItem]:
    """Every action of a territory's roadmap.

    Axes come in the order they first appear in the roadmap (their first
    action's id, i.e. the file's order), actions by id within an axis. Sorting
    axes by name would follow each database's collation ("Équipe" sorts apart
    on SQLite and PostgreSQL) and lose the order the territory wrote.
    """
    rows = db.execute(
        select(
            RoadmapAction.axis,
            RoadmapAction.operational_target,
            RoadmapAction.action,
            RoadmapAction.owners,
            RoadmapAction.deadline_text,
            RoadmapAction.start_on,
            RoadmapAction.due_on,
            RoadmapAction.continuous,
            RoadmapAction.milestones,
            RoadmapAction.progress,
        )
        .where(RoadmapAction.territory_id == territory_id)
        .order_by(RoadmapAction.id)
    ).all()
    axis_rank = _axis_rank(rows)
    items = [_roadmap_item(row) for row in rows]
    # sorted() is stable: within an axis, actions keep their id order.
    return sorted(items, key=lambda item: axis_rank[item.axis])


def _axis_rank(rows: Sequence[Any]) -> dict[str, int]:
    """Each axis's rank: the order in which it first appears in `rows` (sorted by id)."""
    rank: dict[str, int] = {}
    for row in rows:
        rank.setdefault(row.axis, len(rank))
    return rank


def _roadmap_item(row: Any) -> RoadmapItem:
    """A RoadmapItem from a RoadmapAction, or a row of its columns under the same names."""
    return RoadmapItem(
        axis=row.axis,
        target=row.operational_target,
        action=row.action,
        owners=tuple(row.owners or ()),
        deadline_text=row.deadline_text,
        start=row.start_on,
        due=row.due_on,
        continuous=bool(row.continuous),
        milestones=tuple(str(step) for step in row.milestones or ()),
        progress=row.progress.value if row.progress is not None else None,
    )


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def action_dict(item: RoadmapItem, status: RoadmapStatus) -> dict[str, Any]:
    """One action as JSON: the fields of the issue's payload, plus the status's French label."""
    return {
        "axis": item.axis,
        "target": item.target,
        "action": item.action,
        "owners": list(item.owners),
        "deadline_text": item.deadline_text,
        "start": _iso(item.start),
        "due": _iso(item.due),
        "continuous": item.continuous,
        "milestones": list(item.milestones),
        "progress": item.progress,
        "status": status.value,
        "status_label": status.label,
    }


def roadmap_payload(
    territory_code: str,
    items: Sequence[RoadmapItem],
    as_of: dt.date,
    status: str | RoadmapStatus | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> dict[str, Any]:
    """`{"territory", "as_of", "actions", "summary"}` for a territory's roadmap at `as_of`.

    `status` keeps only the actions with that status (RoadmapStatusError if
    unknown); the summary always covers the whole roadmap, so a filtered list
    still comes with the territory's overall picture.
    """
    wanted = status if isinstance(status, RoadmapStatus) else parse_status(status)
    report = roadmap_status(items, as_of, window_days)
    return {
        "territory": territory_code,
        "as_of": as_of.isoformat(),
        "actions": [
            action_dict(item, item_status)
            for item, item_status in report.actions
            if wanted is None or item_status is wanted
        ],
        "summary": report.as_dict(),
    }


# --- Actions with their ids (the project team page), the weekly digest per owner ---

DIGEST_JOB_ID = "roadmap_digest"


@dataclass(frozen=True)
class StoredAction:
    """An action as the project team page needs it: its id and comment beside the item."""

    id: int
    item: RoadmapItem
    comment: str | None
    updated_at: dt.datetime | None


def load_actions(db: Session, territory_id: int) -> list[StoredAction]:
    """Every action of a territory with its id, in `load_roadmap`'s order."""
    rows = db.scalars(
        select(RoadmapAction)
        .where(RoadmapAction.territory_id == territory_id)
        .order_by(RoadmapAction.id)
    ).all()
    axis_rank = _axis_rank(rows)
    actions = [
        StoredAction(
            id=row.id,
            item=_roadmap_item(row),
            comment=row.comment,
            updated_at=row.updated_at,
        )
        for row in rows
    ]
    return sorted(actions, key=lambda stored: axis_rank[stored.item.axis])


def due_payload(
    territory_code: str,
    items: Sequence[RoadmapItem],
    as_of: dt.date,
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> dict[str, Any]:
    """`pilotage roadmap --due-within DAYS`: late and due-soon actions grouped by owner.

    Each action carries `days`, its due date minus `as_of` (negative: days late).
    """
    digest = due_digest(items, as_of, window_days)
    return {
        "territory": territory_code,
        "as_of": as_of.isoformat(),
        "due_within": window_days,
        "late": digest.late,
        "due_soon": digest.due_soon,
        "owners": [
            {
                "owner": owner.owner,
                "owner_label": owner.label,
                "late": owner.late,
                "due_soon": owner.due_soon,
                "actions": [
                    {**action_dict(entry.item, entry.status), "days": entry.days}
                    for entry in owner.entries
                ],
            }
            for owner in digest.owners
        ],
    }


def digest_counts(db: Session, as_of: dt.date) -> dict[str, Any]:
    """What the Monday job records: per territory holding actions, its digest's counts.

    `{"as_of", "window_days", "territories": {code: {"late", "due_soon", "owners"}}}`.
    """
    territories = db.execute(
        select(Territory.id, Territory.code)
        .where(select(RoadmapAction.id).where(RoadmapAction.territory_id == Territory.id).exists())
        .order_by(Territory.id)
    ).all()
    return {
        "as_of": as_of.isoformat(),
        "window_days": DEFAULT_WINDOW_DAYS,
        "territories": {
            code: due_digest(load_roadmap(db, territory_id), as_of).counts()
            for territory_id, code in territories
        },
    }


@dataclass(frozen=True)
class DigestRun:
    """The Monday job's run for one week, as one territory may see it."""

    monday: dt.date
    status: str
    finished_at: dt.datetime | None
    counts: dict[str, int] | None  # this territory's counts; None if the run holds none


def digest_run(db: Session, monday: dt.date, territory_code: str) -> DigestRun | None:
    """The Monday job's run for the week of `monday`, reduced to one territory; None if none.

    The job's message holds every territory's counts: only `territory_code`'s
    leave this function.
    """
    row = db.execute(
        select(JobRun.status, JobRun.finished_at, JobRun.message).where(
            JobRun.job_id == DIGEST_JOB_ID, JobRun.slot == monday.isoformat()
        )
    ).first()
    if row is None:
        return None
    counts = None
    try:
        recorded = json.loads(row.message or "")
        counts = recorded["territories"].get(territory_code)
    except (ValueError, KeyError, TypeError, AttributeError):
        counts = None  # a failed run keeps the error as its message
    return DigestRun(monday, row.status, row.finished_at, counts)
