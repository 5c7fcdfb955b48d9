"""What the COMOP page reads from the database beside the facts cache, always per territory.

The indicator frames know people and referents by database id only; the page
shows a short pseudonym, the referent's code and the site's name. Every
function takes the territory id the server resolved from the user's scope
(callbacks.context.page_context), never an id sent by the browser, and filters
on it: a site, referent or beneficiary of another territory is simply not found.
Exports of person-level lists are written to the audit log here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import audit
from dashboard.auth import SessionUser
from dashboard.models import Beneficiary, Referent, Site
from metrics.frames import Frames

# Pseudonyms are 64 hexadecimal characters (HMAC-SHA-256); 10 tell people apart on a page.
PSEUDONYM_DISPLAY_LENGTH = 10
# Bound parameters per IN list: far below the limits of SQLite (32,766) and PostgreSQL.
CHUNK = 1000
EXPORT_ACTION = "export"


@dataclass(frozen=True)
class SiteChoice:
    site_id: int
    name: str


@dataclass(frozen=True)
class ReferentChoice:
    referent_id: int
    code: str
    organisme: str
    site: str | None

    @property
    def label(self) -> str:
        """`REF001 (CD, CDAS Redon)`."""
        where = ", ".join(part for part in (self.organisme, self.site) if part)
        return f"{self.code} ({where})"


def territory_sites(db: Session, territory_id: int) -> list[SiteChoice]:
    """The territory's sites, by name."""
    rows = db.execute(
        select(Site.id, Site.name).where(Site.territory_id == territory_id).order_by(Site.name)
    )
    return [SiteChoice(site_id, str(name)) for site_id, name in rows]


def territory_referents(db: Session, territory_id: int) -> list[ReferentChoice]:
    """The territory's referents, by code, with their organisme and site."""
    rows = db.execute(
        select(Referent.id, Referent.code, Referent.organisme, Site.name)
        .outerjoin(Site, Referent.site_id == Site.id)
        .where(Referent.territory_id == territory_id)
        .order_by(Referent.code)
    )
    return [
        ReferentChoice(referent_id, str(code), str(organisme), None if site is None else str(site))
        for referent_id, code, organisme, site in rows
    ]


def territory_choices(
    db: Session, frames: Frames, territory_id: int
) -> tuple[list[SiteChoice], list[ReferentChoice]]:
    """The territory's sites and referents, read once per version of its facts: kept in
    the memo of `frames` (the facts cache's frames of that territory), which an import,
    the only way sites and referents arrive, replaces. The lists are shared: read only."""

    def build() -> tuple[list[SiteChoice], list[ReferentChoice]]:
        return territory_sites(db, territory_id), territory_referents(db, territory_id)

    return frames.derived(("comop_territory_choices", territory_id), build)


def short_pseudonyms(
    db: Session, territory_id: int, beneficiary_ids: Iterable[int]
) -> dict[int, str]:
    """beneficiary id -> the first characters of their pseudonym, for the territory's people
    among `beneficiary_ids` (an id of another territory is left out)."""
    wanted = sorted({int(item) for item in beneficiary_ids})
    found: dict[int, str] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        rows = db.execute(
            select(Beneficiary.id, Beneficiary.pseudonym).where(
                Beneficiary.territory_id == territory_id, Beneficiary.id.in_(chunk)
            )
        )
        found.update({row_id: pseudonym[:PSEUDONYM_DISPLAY_LENGTH] for row_id, pseudonym in rows})
    return found


def record_list_export(
    db: Session,
    user: SessionUser,
    territory_code: str,
    details: dict[str, object],
    remote_addr: str | None = None,
) -> None:
    """Write one `export` entry to the audit log (list, format, row count...) and commit."""
    audit.record(
        db,
        EXPORT_ACTION,
        user_id=user.user_id,
        login=user.login,
        territory_code=territory_code,
        remote_addr=remote_addr,
        details={"page": "comop", **details},
    )
    db.commit()
