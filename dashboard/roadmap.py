"""A territory's feuille de route with the status of each action: the SQL and the payload.

`load_roadmap` reads the actions as `metrics.roadmap_status.RoadmapItem`s;
`roadmap_payload` computes their status at `as_of` and builds the JSON-ready
answer shared by `pilotage roadmap`, the API and the pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.models import RoadmapAction
from metrics.roadmap_status import (
    DEFAULT_WINDOW_DAYS,
    RoadmapItem,
    RoadmapStatus,
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
    axis_rank: dict[str, int] = {}
    for row in rows:
        axis_rank.setdefault(row.axis, len(axis_rank))
    items = [
        RoadmapItem(
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
        for row in rows
    ]
    # sorted() is stable: within an axis, actions keep their id order.
    return sorted(items, key=lambda item: axis_rank[item.axis])


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
