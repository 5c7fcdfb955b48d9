"""Every SQL query of the application: (session, scope) in, plain data out.

Callers pass the territory ids they are allowed to read (from
`auth.allowed_territory_ids`, i.e. from the logged-in user), never ids taken
from a browser payload.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Select, func, select
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


# --- Imports and data quality page (layouts/imports.py) -------------------------------


def _rows_of_source(db: Session, query: Select, source: str | None) -> list[dict[str, object]]:
    """The rows of `query` (which joins ImportBatch) as dicts; only `source`'s when given."""
    if source:
        query = query.where(ImportBatch.source == source)
    return [dict(row._mapping) for row in db.execute(query)]


def import_history(
    db: Session, territory_id: int, source: str | None = None, limit: int = 50
) -> list[dict[str, object]]:
    """The territory's newest batches, with who imported them and their unknown columns."""
    from dashboard.models import User

    query = (
        select(
            ImportBatch.id,
            ImportBatch.started_at,
            ImportBatch.source,
            ImportBatch.file_name,
            ImportBatch.status,
            ImportBatch.rows_read,
            ImportBatch.rows_loaded,
            ImportBatch.rows_updated,
            ImportBatch.rows_quarantined,
            ImportBatch.extracted_on,
            ImportBatch.message,
            ImportBatch.ignored_columns,
            User.login.label("user_login"),
        )
        .outerjoin(User, ImportBatch.user_id == User.id)
        .where(ImportBatch.territory_id == territory_id)
        .order_by(ImportBatch.id.desc())
        .limit(limit)
    )
    return _rows_of_source(db, query, source)


def pending_quarantine(
    db: Session, territory_id: int, source: str | None = None, limit: int = 200
) -> list[dict[str, object]]:
    """The territory's quarantined rows still to correct or discard, newest batch first."""
    from dashboard.models import QuarantineStatus

    query = (
        select(
            QuarantinedRow.id,
            QuarantinedRow.batch_id,
            QuarantinedRow.row_number,
            QuarantinedRow.reasons,
            ImportBatch.source,
            ImportBatch.file_name,
            ImportBatch.status.label("batch_status"),
        )
        .join(ImportBatch, QuarantinedRow.batch_id == ImportBatch.id)
        .where(
            ImportBatch.territory_id == territory_id,
            QuarantinedRow.status == QuarantineStatus.PENDING,
        )
        .order_by(ImportBatch.id.desc(), QuarantinedRow.row_number)
        .limit(limit)
    )
    return _rows_of_source(db, query, source)


def source_freshness(db: Session, territory_id: int) -> dict[str, dict[str, object]]:
    """Per source: newest extraction date and import time of loaded batches, and how the
    latest attempt ended (a failed import after a good one shows here)."""
    done = [ImportStatus.LOADED, ImportStatus.UNCHANGED]
    loaded = db.execute(
        select(
            ImportBatch.source,
            func.max(ImportBatch.extracted_on),
            func.max(ImportBatch.finished_at),
            func.count(),
        )
        .where(ImportBatch.territory_id == territory_id, ImportBatch.status.in_(done))
        .group_by(ImportBatch.source)
    ).all()
    latest_ids = (
        select(func.max(ImportBatch.id))
        .where(ImportBatch.territory_id == territory_id)
        .group_by(ImportBatch.source)
    )
    last = db.execute(
        select(ImportBatch.source, ImportBatch.status, ImportBatch.started_at).where(
            ImportBatch.id.in_(latest_ids)
        )
    ).all()
    result: dict[str, dict[str, object]] = {
        str(source): {
            "extracted_on": extracted,
            "imported_at": finished,
            "batches": count,
            "last_status": None,
            "last_started_at": None,
        }
        for source, extracted, finished, count in loaded
    }
    for source, status, started in last:
        entry = result.setdefault(
            str(source),
            {"extracted_on": None, "imported_at": None, "batches": 0},
        )
        entry["last_status"], entry["last_started_at"] = str(status), started
    return dict(sorted(result.items()))


def unknown_columns_seen(db: Session, territory_id: int) -> list[dict[str, object]]:
    """Columns a connector did not recognise, per source: how many batches carried each,
    and the newest of them (ImportBatch.ignored_columns)."""
    rows = db.execute(
        select(ImportBatch.id, ImportBatch.source, ImportBatch.ignored_columns)
        .where(ImportBatch.territory_id == territory_id)
        .order_by(ImportBatch.id)
    )
    seen: dict[tuple[str, str], dict[str, object]] = {}
    for batch_id, source, columns in rows:
        for column in columns or []:
            entry = seen.setdefault((str(source), str(column)), {"batches": 0})
            entry["batches"] = int(entry["batches"]) + 1
            entry["last_batch_id"] = batch_id
    return [
        {"source": source, "column": column, **entry}
        for (source, column), entry in sorted(seen.items())
    ]


def cross_source_match(db: Session, territory_id: int) -> dict[str, tuple[int, int]]:
    """Per source: (people holding a fact written by it, of whom known to another source).

    The same "known elsewhere" as the import report's match rate
    (dashboard/loading/people.py known_elsewhere), over the whole territory.
    """
    from sqlalchemy import case, union

    from dashboard.models import (
        ActivityHours,
        Appointment,
        Contract,
        EmploymentOutcome,
    )

    models = (RightsPeriod, Orientation, Appointment, Contract, ActivityHours, EmploymentOutcome)
    pairs = union(
        *(
            select(model.beneficiary_id.label("person"), model.source.label("source")).where(
                model.territory_id == territory_id
            )
            for model in models
        )
    ).subquery()
    sources_per_person = (
        select(pairs.c.person, func.count().label("sources")).group_by(pairs.c.person).subquery()
    )
    query = (
        select(
            pairs.c.source,
            func.count(),
            func.sum(case((sources_per_person.c.sources > 1, 1), else_=0)),
        )
        .join(sources_per_person, sources_per_person.c.person == pairs.c.person)
        .group_by(pairs.c.source)
    )
    return {
        str(source): (int(people), int(matched or 0))
        for source, people, matched in db.execute(query)
    }
