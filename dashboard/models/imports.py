"""Traceability of data in: one batch per imported file, and its rejected rows."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dashboard.models.base import Base, created_at_column, enum_type, territory_fk
from dashboard.models.enums import DataSource, ImportStatus, QuarantineStatus


class ImportBatch(Base):
    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = territory_fk()
    source: Mapped[DataSource] = mapped_column(enum_type(DataSource))
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    profile: Mapped[str | None] = mapped_column(String(255))
    extracted_on: Mapped[dt.date | None] = mapped_column(Date)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_loaded: Mapped[int] = mapped_column(Integer, default=0)
    rows_updated: Mapped[int] = mapped_column(Integer, default=0)
    rows_quarantined: Mapped[int] = mapped_column(Integer, default=0)
    ignored_columns: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[ImportStatus] = mapped_column(enum_type(ImportStatus))
    message: Mapped[str | None] = mapped_column(Text)
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    started_at: Mapped[dt.datetime] = created_at_column()
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))

    quarantined_rows: Mapped[list[QuarantinedRow]] = relationship(
        back_populates="batch", cascade="all, delete-orphan"
    )

    __table_args__ = (Index("ix_import_batch_territory_source", "territory_id", "source"),)


class QuarantinedRow(Base):
    """A row that failed validation, kept with its (pseudonymised) raw values and reasons."""

    __tablename__ = "quarantined_row"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("import_batch.id", ondelete="CASCADE"), index=True
    )
    row_number: Mapped[int] = mapped_column(Integer)
    raw_values: Mapped[dict[str, str | None]] = mapped_column(JSON)
    reasons: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[QuarantineStatus] = mapped_column(
        enum_type(QuarantineStatus), default=QuarantineStatus.PENDING
    )

    batch: Mapped[ImportBatch] = relationship(back_populates="quarantined_rows")
