"""Every SQL query of the application: (session, scope) in, plain data out.

Callers pass the territory ids they are allowed to read (from
`auth.allowed_territory_ids`, i.e. from the logged-in user), never ids taken
from a browser payload.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.models import (
    Beneficiary,
    ImportBatch,
    ImportStatus,
    Orientation,
    QuarantinedRow,
    Referent,
    RightsPeriod,
    RoadmapAction,
    Site,
    Territory,
)

SUMMARY_COLUMNS = [
    "territory_id",
    "code",
    "name",
    "beneficiaries",
    "subject_to_duties",
    "oriented",
    "referents",
    "sites",
    "roadmap_actions",
]


def _count_by_territory(db: Session, column, territory_ids: list[int], *where) -> dict[int, int]:
    query = select(column, func.count()).where(column.in_(territory_ids), *where).group_by(column)
    return dict(db.execute(query).all())


def territory_summary(db: Session, territory_ids: list[int]) -> pd.DataFrame:
    """One row per territory: how many people, referents, sites and actions it holds."""
    territories = db.execute(
        select(Territory.id, Territory.code, Territory.name)
        .where(Territory.id.in_(territory_ids))
        .order_by(Territory.code)
    ).all()
    counts = {
        "beneficiaries": _count_by_territory(db, Beneficiary.territory_id, territory_ids),
        "subject_to_duties": _count_by_territory(
            db,
            RightsPeriod.territory_id,
            territory_ids,
            RightsPeriod.duties_start_on.is_not(None),
            RightsPeriod.exit_on.is_(None),
        ),
        "oriented": dict(
            db.execute(
                select(
                    Orientation.territory_id, func.count(func.distinct(Orientation.beneficiary_id))
                )
                .where(Orientation.territory_id.in_(territory_ids))
                .group_by(Orientation.territory_id)
            ).all()
        ),
        "referents": _count_by_territory(db, Referent.territory_id, territory_ids),
        "sites": _count_by_territory(db, Site.territory_id, territory_ids),
        "roadmap_actions": _count_by_territory(db, RoadmapAction.territory_id, territory_ids),
    }
    rows = [
        {
            "territory_id": territory_id,
            "code": code,
            "name": name,
            **{key: per_territory.get(territory_id, 0) for key, per_territory in counts.items()},
        }
        for territory_id, code, name in territories
    ]
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def latest_extractions(db: Session, territory_ids: list[int]) -> dict[str, dt.date]:
    """Per source, the extraction date of the newest loaded batch ("Données SOLIS au ...")."""
    query = (
        select(ImportBatch.source, func.max(ImportBatch.extracted_on))
        .where(
            ImportBatch.territory_id.in_(territory_ids),
            ImportBatch.status.in_([ImportStatus.LOADED, ImportStatus.UNCHANGED]),
        )
        .group_by(ImportBatch.source)
    )
    return {str(source): extracted for source, extracted in db.execute(query).all() if extracted}


def latest_import_per_source(db: Session) -> dict[str, str]:
    """Per source, when the newest successful import finished (for the public health check)."""
    query = (
        select(ImportBatch.source, func.max(ImportBatch.finished_at))
        .where(ImportBatch.status.in_([ImportStatus.LOADED, ImportStatus.UNCHANGED]))
        .group_by(ImportBatch.source)
    )
    return {
        str(source): finished.isoformat()
        for source, finished in db.execute(query).all()
        if finished
    }


def list_territories(db: Session) -> pd.DataFrame:
    """All territories with their parent's code, for `pilotage territory list`."""
    parent = Territory.__table__.alias("parent")
    query = (
        select(
            Territory.code,
            Territory.name,
            Territory.departement_code,
            Territory.pilot_start,
            parent.c.code.label("parent_code"),
        )
        .outerjoin(parent, Territory.parent_id == parent.c.id)
        .order_by(Territory.code)
    )
    return pd.DataFrame(
        db.execute(query).all(),
        columns=["code", "name", "departement_code", "pilot_start", "parent_code"],
    )


def list_batches(db: Session, territory_code: str | None = None, limit: int = 50) -> pd.DataFrame:
    """The newest import batches, for `pilotage imports` and the imports page."""
    query = (
        select(
            ImportBatch.id,
            ImportBatch.started_at,
            Territory.code.label("territory"),
            ImportBatch.source,
            ImportBatch.file_name,
            ImportBatch.status,
            ImportBatch.rows_read,
            ImportBatch.rows_loaded,
            ImportBatch.rows_updated,
            ImportBatch.rows_quarantined,
            ImportBatch.extracted_on,
            ImportBatch.message,
        )
        .join(Territory, ImportBatch.territory_id == Territory.id)
        .order_by(ImportBatch.id.desc())
        .limit(limit)
    )
    if territory_code:
        query = query.where(Territory.code == territory_code)
    rows = db.execute(query).all()
    return pd.DataFrame(rows, columns=list(query.selected_columns.keys()))


def quarantined_rows(db: Session, batch_id: int) -> list[QuarantinedRow]:
    return list(
        db.scalars(
            select(QuarantinedRow)
            .where(QuarantinedRow.batch_id == batch_id)
            .order_by(QuarantinedRow.row_number)
        )
    )
