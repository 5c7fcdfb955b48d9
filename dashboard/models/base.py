"""Declarative base, naming convention and column helpers shared by all models."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import DateTime, Enum, ForeignKey, Integer, MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Deterministic constraint names keep alembic migrations identical on SQLite
# and PostgreSQL (and let a later migration drop a constraint by name).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> dt.datetime:
    """Naive UTC timestamp: stored the same way by SQLite and PostgreSQL."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def enum_type(enum_cls: type[StrEnum]) -> Enum:
    """A VARCHAR with a CHECK constraint on the enum's values (not a native PG enum)."""
    return Enum(
        enum_cls,
        name=enum_cls.__name__.lower(),
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=max(len(member.value) for member in enum_cls),
        values_callable=lambda members: [member.value for member in members],
    )


def created_at_column() -> Mapped[dt.datetime]:
    return mapped_column(DateTime, default=utcnow, nullable=False)


def territory_fk() -> Mapped[int]:
    return mapped_column(
        Integer, ForeignKey("territory.id", ondelete="CASCADE"), nullable=False, index=True
    )


def beneficiary_fk() -> Mapped[int]:
    return mapped_column(
        Integer, ForeignKey("beneficiary.id", ondelete="CASCADE"), nullable=False, index=True
    )


def batch_fk() -> Mapped[int | None]:
    return mapped_column(Integer, ForeignKey("import_batch.id", ondelete="SET NULL"), nullable=True)
