"""The beneficiary's path: rights, orientation, appointments, contracts, activity, outcomes.

No table holds a name, a NIR or a CAF/MSA number: a person is known by the
keyed-hash pseudonym the connectors compute before anything is stored.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from dashboard.models.base import (
    Base,
    batch_fk,
    beneficiary_fk,
    created_at_column,
    enum_type,
    territory_fk,
    utcnow,
)
from dashboard.models.enums import (
    AppointmentKind,
    AppointmentStatus,
    ContractKind,
    DataSource,
    Dominante,
    EducationLevel,
    EmploymentContractType,
    ExitReason,
    FamilySituation,
    Organisme,
    Payer,
    Sex,
)


class Beneficiary(Base):
    __tablename__ = "beneficiary"

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = territory_fk()
    pseudonym: Mapped[str] = mapped_column(String(64))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    sex: Mapped[Sex | None] = mapped_column(enum_type(Sex))
    family_situation: Mapped[FamilySituation | None] = mapped_column(enum_type(FamilySituation))
    education_level: Mapped[EducationLevel | None] = mapped_column(enum_type(EducationLevel))
    payer: Mapped[Payer | None] = mapped_column(enum_type(Payer))
    site_id: Mapped[int | None] = mapped_column(
        ForeignKey("site.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = created_at_column()
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("territory_id", "pseudonym"),
        CheckConstraint(
            "birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100", name="birth_year"
        ),
    )


class BeneficiaryLink(Base):
    """A keyed hash of another identifier of the person (CAF/MSA number, with or
    without birth date), so that exports without NIR find the same beneficiary."""

    __tablename__ = "beneficiary_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    beneficiary_id: Mapped[int] = beneficiary_fk()
    territory_id: Mapped[int] = territory_fk()
    key_hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("territory_id", "key_hash"),)


class RightsPeriod(Base):
    """One opening of RSA rights, with T0 (notification received) and droits et devoirs."""

    __tablename__ = "rights_period"

    id: Mapped[int] = mapped_column(primary_key=True)
    beneficiary_id: Mapped[int] = beneficiary_fk()
    territory_id: Mapped[int] = territory_fk()
    rights_opened_on: Mapped[dt.date] = mapped_column(Date)
    notification_received_on: Mapped[dt.date | None] = mapped_column(Date)
    scheme_entry_on: Mapped[dt.date | None] = mapped_column(Date)
    duties_start_on: Mapped[dt.date | None] = mapped_column(Date)
    duties_end_on: Mapped[dt.date | None] = mapped_column(Date)
    exit_on: Mapped[dt.date | None] = mapped_column(Date)
    exit_reason: Mapped[ExitReason | None] = mapped_column(enum_type(ExitReason))
    source: Mapped[DataSource] = mapped_column(enum_type(DataSource))
    batch_id: Mapped[int | None] = batch_fk()

    __table_args__ = (
        UniqueConstraint("beneficiary_id", "rights_opened_on"),
        Index("ix_rights_period_territory_opened", "territory_id", "rights_opened_on"),
        Index("ix_rights_period_territory_duties", "territory_id", "duties_start_on"),
    )


class Orientation(Base):
    __tablename__ = "orientation"

    id: Mapped[int] = mapped_column(primary_key=True)
    beneficiary_id: Mapped[int] = beneficiary_fk()
    territory_id: Mapped[int] = territory_fk()
    decided_on: Mapped[dt.date] = mapped_column(Date)
    notified_on: Mapped[dt.date | None] = mapped_column(Date)
    dominante: Mapped[Dominante] = mapped_column(enum_type(Dominante))
    organisme: Mapped[Organisme] = mapped_column(enum_type(Organisme))
    referent_id: Mapped[int | None] = mapped_column(
        ForeignKey("referent.id", ondelete="SET NULL"), index=True
    )
    is_reorientation: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[DataSource] = mapped_column(enum_type(DataSource))
    batch_id: Mapped[int | None] = batch_fk()

    __table_args__ = (
        UniqueConstraint("beneficiary_id", "decided_on", "source"),
        Index("ix_orientation_territory_decided", "territory_id", "decided_on"),
        CheckConstraint(
            "notified_on IS NULL OR notified_on >= decided_on", name="notified_after_decided"
        ),
    )


class Appointment(Base):
    __tablename__ = "appointment"

    id: Mapped[int] = mapped_column(primary_key=True)
    beneficiary_id: Mapped[int] = beneficiary_fk()
    territory_id: Mapped[int] = territory_fk()
    kind: Mapped[AppointmentKind] = mapped_column(enum_type(AppointmentKind))
    invited_on: Mapped[dt.date | None] = mapped_column(Date)
    scheduled_at: Mapped[dt.datetime] = mapped_column(DateTime)
    status: Mapped[AppointmentStatus] = mapped_column(enum_type(AppointmentStatus))
    reminder_on: Mapped[dt.date | None] = mapped_column(Date)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id", ondelete="SET NULL"))
    referent_id: Mapped[int | None] = mapped_column(ForeignKey("referent.id", ondelete="SET NULL"))
    source: Mapped[DataSource] = mapped_column(enum_type(DataSource))
    batch_id: Mapped[int | None] = batch_fk()

    __table_args__ = (
        UniqueConstraint("beneficiary_id", "kind", "scheduled_at"),
        Index("ix_appointment_territory_scheduled", "territory_id", "scheduled_at"),
    )


class Contract(Base):
    """Contract of engagement: CER (département), PPAE (FT), CE (from 2025), CEJ (ML)."""

    __tablename__ = "contract"

    id: Mapped[int] = mapped_column(primary_key=True)
    beneficiary_id: Mapped[int] = beneficiary_fk()
    territory_id: Mapped[int] = territory_fk()
    kind: Mapped[ContractKind] = mapped_column(enum_type(ContractKind))
    signed_on: Mapped[dt.date] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[DataSource] = mapped_column(enum_type(DataSource))
    batch_id: Mapped[int | None] = batch_fk()

    __table_args__ = (
        UniqueConstraint("beneficiary_id", "kind", "signed_on"),
        Index("ix_contract_territory_signed", "territory_id", "signed_on"),
        CheckConstraint("ended_on IS NULL OR ended_on >= signed_on", name="ended_after_signed"),
    )


class ActivityHours(Base):
    """Hours of accompaniment activities in one ISO week (week_start is a Monday)."""

    __tablename__ = "activity_hours"

    id: Mapped[int] = mapped_column(primary_key=True)
    beneficiary_id: Mapped[int] = beneficiary_fk()
    territory_id: Mapped[int] = territory_fk()
    week_start: Mapped[dt.date] = mapped_column(Date)
    hours: Mapped[float] = mapped_column(Float)
    source: Mapped[DataSource] = mapped_column(enum_type(DataSource))
    batch_id: Mapped[int | None] = batch_fk()

    __table_args__ = (
        UniqueConstraint("beneficiary_id", "week_start", "source"),
        Index("ix_activity_hours_territory_week", "territory_id", "week_start"),
        CheckConstraint("hours >= 0 AND hours <= 168", name="hours_in_week"),
    )


class EmploymentOutcome(Base):
    """A return to employment. Durable: CDI, or CDD / interim of 6 months or more, or creation."""

    __tablename__ = "employment_outcome"

    id: Mapped[int] = mapped_column(primary_key=True)
    beneficiary_id: Mapped[int] = beneficiary_fk()
    territory_id: Mapped[int] = territory_fk()
    started_on: Mapped[dt.date] = mapped_column(Date)
    contract_type: Mapped[EmploymentContractType] = mapped_column(enum_type(EmploymentContractType))
    duration_months: Mapped[float | None] = mapped_column(Float)
    durable: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[DataSource] = mapped_column(enum_type(DataSource))
    batch_id: Mapped[int | None] = batch_fk()

    __table_args__ = (
        UniqueConstraint("beneficiary_id", "started_on", "source"),
        Index("ix_employment_outcome_territory_started", "territory_id", "started_on"),
        CheckConstraint(
            "duration_months IS NULL OR duration_months >= 0", name="duration_not_negative"
        ),
    )
