"""What the committees steer against: indicator targets and the feuille de route."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dashboard.models.base import (
    Base,
    batch_fk,
    created_at_column,
    enum_type,
    territory_fk,
    utcnow,
)
from dashboard.models.enums import DataSource, RoadmapProgress


class IndicatorTarget(Base):
    """One point of an indicator's trajectory: the target to reach by `period_end`.

    The point with the earliest period carries the baseline (T0); the
    trajectory between points is interpolated by the indicator engine.
    """

    __tablename__ = "indicator_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = territory_fk()
    indicator_code: Mapped[str] = mapped_column(String(64))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    target_value: Mapped[float] = mapped_column(Float)
    baseline_value: Mapped[float | None] = mapped_column(Float)
    source: Mapped[DataSource] = mapped_column(enum_type(DataSource))
    batch_id: Mapped[int | None] = batch_fk()

    __table_args__ = (
        UniqueConstraint("territory_id", "indicator_code", "period_end"),
        CheckConstraint("period_end >= period_start", name="period_ordered"),
    )


class RoadmapAction(Base):
    """One étape / action of the feuille de route, with its parsed deadline."""

    __tablename__ = "roadmap_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = territory_fk()
    axis: Mapped[str] = mapped_column(String(200))
    operational_target: Mapped[str] = mapped_column(String(500))
    action: Mapped[str] = mapped_column(String(1000))
    owners: Mapped[list[str]] = mapped_column(JSON, default=list)
    deadline_text: Mapped[str | None] = mapped_column(String(500))
    start_on: Mapped[dt.date | None] = mapped_column(Date)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    continuous: Mapped[bool] = mapped_column(Boolean, default=False)
    milestones: Mapped[list[str]] = mapped_column(JSON, default=list)
    follow_up_indicator: Mapped[str | None] = mapped_column(String(500))
    progress: Mapped[RoadmapProgress | None] = mapped_column(enum_type(RoadmapProgress))
    comment: Mapped[str | None] = mapped_column(Text)
    source: Mapped[DataSource] = mapped_column(enum_type(DataSource))
    batch_id: Mapped[int | None] = batch_fk()
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    history: Mapped[list[RoadmapActionChange]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="RoadmapActionChange.id"
    )

    __table_args__ = (
        UniqueConstraint("territory_id", "axis", "operational_target", "action"),
        CheckConstraint("due_on IS NULL OR start_on IS NULL OR due_on >= start_on", name="dates"),
    )


class RoadmapActionChange(Base):
    """One edit of an action: who changed which field, from what, to what."""

    __tablename__ = "roadmap_action_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("roadmap_action.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    field: Mapped[str] = mapped_column(String(64))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[dt.datetime] = created_at_column()

    action: Mapped[RoadmapAction] = relationship(back_populates="history")
