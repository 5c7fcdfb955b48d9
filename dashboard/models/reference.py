"""Where accompaniment happens: territories, sites and referents."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dashboard.models.base import Base, created_at_column, enum_type, territory_fk
from dashboard.models.enums import Organisme, SiteKind

DEFAULT_PORTFOLIO_TARGET = 70


class Territory(Base):
    """A pilot territory (e.g. `35-REDON`), or the national level that parents them."""

    __tablename__ = "territory"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    departement_code: Mapped[str | None] = mapped_column(String(3))
    pilot_start: Mapped[dt.date | None] = mapped_column(Date)
    # The territory's own indicator thresholds (metrics.params.Params field -> value),
    # e.g. {"orientation_days": 30}; empty = the pilot's defaults.
    indicator_params: Mapped[dict[str, int]] = mapped_column(
        JSON, default=dict, server_default="{}"
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("territory.id", ondelete="RESTRICT"), index=True
    )
    created_at: Mapped[dt.datetime] = created_at_column()

    parent: Mapped[Territory | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Territory]] = relationship(back_populates="parent")

    __table_args__ = (CheckConstraint("length(code) >= 2", name="code_not_empty"),)

    def __repr__(self) -> str:
        return f"Territory({self.code!r})"


class Site(Base):
    """A place people are followed from: CDAS / UTAS, FT agency, mission locale..."""

    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = territory_fk()
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[SiteKind] = mapped_column(enum_type(SiteKind), default=SiteKind.OTHER)

    __table_args__ = (UniqueConstraint("territory_id", "name"),)


class Referent(Base):
    """A referent, known only by the code of the source tool (e.g. `REF001`, `FT81`)."""

    __tablename__ = "referent"

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = territory_fk()
    code: Mapped[str] = mapped_column(String(64))
    organisme: Mapped[Organisme] = mapped_column(enum_type(Organisme))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id", ondelete="SET NULL"))
    portfolio_target: Mapped[int] = mapped_column(Integer, default=DEFAULT_PORTFOLIO_TARGET)

    __table_args__ = (
        UniqueConstraint("territory_id", "code"),
        CheckConstraint("portfolio_target > 0", name="portfolio_target_positive"),
    )
