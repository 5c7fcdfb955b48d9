"""A territory's facts, read once from the database into the indicator engine's frames.

The SQL of the indicator path lives here (dashboard/queries.py holds the
page queries); metrics/ only ever sees the polars frames.
"""

from __future__ import annotations

import json

import polars as pl
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from dashboard.models import (
    ActivityHours,
    Appointment,
    Beneficiary,
    Contract,
    EmploymentOutcome,
    ImportBatch,
    IndicatorTarget,
    Orientation,
    Referent,
    RightsPeriod,
    Site,
    Territory,
)
from metrics.frames import (
    ACTIVITY_HOURS_SCHEMA,
    APPOINTMENTS_SCHEMA,
    CONTRACTS_SCHEMA,
    ORIENTATIONS_SCHEMA,
    OUTCOMES_SCHEMA,
    PEOPLE_SCHEMA,
    REFERENTS_SCHEMA,
    RIGHTS_SCHEMA,
    Frames,
)
from metrics.params import Params
from metrics.trajectory import TargetPoint


def _frame(db: Session, query: Select, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    rows = [
        tuple(str(value) if isinstance(value, str) else value for value in row)
        for row in db.execute(query)
    ]
    return pl.DataFrame(rows, schema=schema, orient="row")


def load_frames(db: Session, territory_id: int) -> Frames:
    """Every fact of one territory, as the frames metrics/ computes on."""
    people = (
        select(
            Beneficiary.id,
            Beneficiary.birth_year,
            Beneficiary.sex,
            Site.name,
            Beneficiary.family_situation,
            Beneficiary.education_level,
        )
        .outerjoin(Site, Beneficiary.site_id == Site.id)
        .where(Beneficiary.territory_id == territory_id)
    )
    rights = select(
        RightsPeriod.beneficiary_id,
        RightsPeriod.rights_opened_on,
        RightsPeriod.notification_received_on,
        RightsPeriod.duties_start_on,
        RightsPeriod.duties_end_on,
        RightsPeriod.exit_on,
    ).where(RightsPeriod.territory_id == territory_id)
    orientations = select(
        Orientation.beneficiary_id,
        Orientation.decided_on,
        Orientation.notified_on,
        Orientation.dominante,
        Orientation.organisme,
        Orientation.referent_id,
        Orientation.is_reorientation,
    ).where(Orientation.territory_id == territory_id)
    appointments = select(
        Appointment.beneficiary_id,
        Appointment.kind,
        Appointment.invited_on,
        Appointment.scheduled_at,
        Appointment.status,
        Appointment.reminder_on,
        Appointment.referent_id,
    ).where(Appointment.territory_id == territory_id)
    contracts = select(
        Contract.beneficiary_id, Contract.kind, Contract.signed_on, Contract.ended_on
    ).where(Contract.territory_id == territory_id)
    referents = (
        select(Referent.id, Referent.organisme, Site.name, Referent.portfolio_target)
        .outerjoin(Site, Referent.site_id == Site.id)
        .where(Referent.territory_id == territory_id)
    )
    hours = select(
        ActivityHours.beneficiary_id, ActivityHours.week_start, ActivityHours.hours
    ).where(ActivityHours.territory_id == territory_id)
    outcomes = select(
        EmploymentOutcome.beneficiary_id,
        EmploymentOutcome.started_on,
        EmploymentOutcome.contract_type,
        EmploymentOutcome.duration_months,
        EmploymentOutcome.durable,
    ).where(EmploymentOutcome.territory_id == territory_id)
    return Frames(
        people=_frame(db, people, PEOPLE_SCHEMA),
        rights=_frame(db, rights, RIGHTS_SCHEMA),
        orientations=_frame(db, orientations, ORIENTATIONS_SCHEMA),
        appointments=_frame(db, appointments, APPOINTMENTS_SCHEMA),
        contracts=_frame(db, contracts, CONTRACTS_SCHEMA),
        referents=_frame(db, referents, REFERENTS_SCHEMA),
        activity_hours=_frame(db, hours, ACTIVITY_HOURS_SCHEMA),
        outcomes=_frame(db, outcomes, OUTCOMES_SCHEMA),
    )


def territory_by_code(db: Session, code: str) -> Territory | None:
    return db.scalar(select(Territory).where(Territory.code == code.strip().upper()))


def load_targets(db: Session, territory_id: int) -> dict[str, list[TargetPoint]]:
    """The territory's trajectory points, per indicator code."""
    rows = db.execute(
        select(
            IndicatorTarget.indicator_code,
            IndicatorTarget.period_start,
            IndicatorTarget.period_end,
            IndicatorTarget.target_value,
            IndicatorTarget.baseline_value,
        )
        .where(IndicatorTarget.territory_id == territory_id)
        .order_by(IndicatorTarget.indicator_code, IndicatorTarget.period_end)
    )
    targets: dict[str, list[TargetPoint]] = {}
    for code, start, end, target, baseline in rows:
        targets.setdefault(code, []).append(TargetPoint(start, end, target, baseline))
    return targets


def territory_params(territory: Territory) -> Params:
    """The territory's indicator thresholds over the defaults, with its pilot start."""
    return Params.from_mapping(
        {**(territory.indicator_params or {}), "pilot_start": territory.pilot_start}
    )


def facts_version(db: Session, territory_id: int) -> tuple[object, ...]:
    """Changes whenever an import batch lands, a target is added, replaced or removed,
    or the territory's thresholds or pilot start change.

    Batches are never updated after they finish and targets are replaced, not
    edited in place (dashboard/facts_cache.py relies on both).
    """
    batches = db.execute(
        select(func.count(ImportBatch.id), func.coalesce(func.max(ImportBatch.id), 0)).where(
            ImportBatch.territory_id == territory_id
        )
    ).one()
    targets = db.execute(
        select(
            func.count(IndicatorTarget.id), func.coalesce(func.max(IndicatorTarget.id), 0)
        ).where(IndicatorTarget.territory_id == territory_id)
    ).one()
    settings = db.execute(
        select(Territory.indicator_params, Territory.pilot_start).where(
            Territory.id == territory_id
        )
    ).one()
    params = json.dumps(settings[0] or {}, sort_keys=True)
    return (*batches, *targets, params, settings[1])
