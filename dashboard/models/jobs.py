"""Scheduled jobs: APScheduler's job store and one row per job run (the lock)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    LargeBinary,
    String,
    Table,
    Text,
    Unicode,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from dashboard.models.base import Base, created_at_column

# APScheduler's SQLAlchemyJobStore table, declared here so that alembic (not
# APScheduler's create_all) creates it; the columns are APScheduler 3.x's.
apscheduler_jobs = Table(
    "apscheduler_jobs",
    Base.metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)


class JobRun(Base):
    """One run of a scheduled job for one slot; the unique key makes it run once.

    Every process that runs a scheduler tries to insert the row before doing
    the work: only one insert per (job, slot) can succeed, on SQLite as on
    PostgreSQL, so several workers never run the same slot twice.
    """

    __tablename__ = "job_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(String(100))
    slot: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[dt.datetime] = created_at_column()
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), default="running")
    message: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("job_id", "slot"),)
