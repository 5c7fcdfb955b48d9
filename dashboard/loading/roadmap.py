"""Write the feuille de route: actions upserted on (axis, target, action), with history.

A newer roadmap file updates the actions it names (an action absent from it is
kept) and records, for each action whose progress, comment or deadline changed,
one `RoadmapActionChange` per changed field (no user: the import did it).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from connectors import roadmap
from connectors.roadmap import RoadmapRecord
from dashboard.loading.common import Connector, WriteCounts, upsert_rows
from dashboard.models import DataSource, RoadmapAction, RoadmapActionChange

SOURCE = DataSource.ROADMAP
KEY = ("axis", "operational_target", "action")
# Columns whose change is written to the action's history; owners, the follow-up
# indicator and the dates derived from the deadline text are updated silently
# (start_on / continuous / milestones follow deadline_text, and due_on is tracked).
TRACKED = ("progress", "comment", "deadline_text", "due_on")


def _as_text(value: object) -> str | None:
    """How a value is kept in the history: ISO dates, enum values, plain text."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _row(territory_id: int, batch_id: int | None, record: RoadmapRecord) -> dict[str, object]:
    deadline = record.deadline
    return {
        "territory_id": territory_id,
        "axis": record.axis,
        "operational_target": record.operational_target,
        "action": record.action,
        "owners": list(record.owners),
        "deadline_text": deadline.text or None,
        "start_on": deadline.start,
        "due_on": deadline.due,
        "continuous": deadline.continuous,
        "milestones": [day.isoformat() for day in deadline.milestones],
        "follow_up_indicator": record.follow_up_indicator,
        "progress": record.progress,
        "comment": record.comment,
        "source": SOURCE,
        "batch_id": batch_id,
    }


def _duplicate(record: RoadmapRecord, first: RoadmapRecord) -> dict[str, object]:
    return {
        "row_number": record.row_number or 0,
        "raw_values": record.raw_values,
        "reasons": [
            "action en double dans le fichier (même axe, cible opérationnelle et action "
            f"qu'à la ligne {first.row_number}) : seule la première est importée"
        ],
    }


def write_roadmap(
    db: Session, territory_id: int, batch_id: int | None, records: list[RoadmapRecord]
) -> WriteCounts:
    """Upsert one roadmap file; changes to existing actions go to their history."""
    counts = WriteCounts()
    unique: dict[tuple[str, str, str], RoadmapRecord] = {}
    for record in records:
        first = unique.setdefault(record.key, record)
        if first is not record:
            counts.rejected.append(_duplicate(record, first))
    rows = {key: _row(territory_id, batch_id, record) for key, record in unique.items()}
    columns = RoadmapAction.__table__.c
    before = {
        tuple(stored[1:4]): stored
        for stored in db.execute(
            select(columns.id, *(columns[n] for n in KEY), *(columns[n] for n in TRACKED)).where(
                columns.territory_id == territory_id
            )
        )
    }
    result = upsert_rows(
        db,
        RoadmapAction.__table__,
        territory_id,
        KEY,
        list(rows.values()),
        untracked=("batch_id", "source"),
    )
    changes = []
    for key, row in rows.items():
        if key not in result.updated:
            continue
        stored = before[key]
        for position, name in enumerate(TRACKED, start=1 + len(KEY)):
            old, new = _as_text(stored[position]), _as_text(row[name])
            if old != new:
                changes.append(
                    {
                        "action_id": stored[0],
                        "user_id": None,
                        "field": name,
                        "before": old,
                        "after": new,
                    }
                )
    if changes:
        db.execute(insert(RoadmapActionChange.__table__), changes)
    counts.created = len(result.created)
    counts.updated = len(result.updated)
    counts.unchanged = len(unique) - counts.created - counts.updated
    counts.notes = roadmap.import_notes(records)
    return counts


CONNECTOR = Connector(SOURCE, roadmap.PROFILE, roadmap.parse_row, write_roadmap, unit="actions")
