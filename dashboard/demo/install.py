"""Install the demo territory: generate, load, record the batch, create demo accounts."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.demo.generate import generate_demo
from dashboard.demo.load import DemoAlreadyLoadedError, load_demo
from dashboard.models import (
    DataSource,
    ImportBatch,
    ImportStatus,
    Role,
    Territory,
    User,
    utcnow,
)
from dashboard.passwords import hash_password
from dashboard.territories import add_territory, ensure_national, normalise_code

DEMO_CODE = "35-REDON"
DEMO_NAME = "Pays de Redon et Vallons de Vilaine"
DEMO_DEPARTEMENT = "35"
DEMO_END = dt.date(2024, 12, 31)
DEMO_SIZE = 1400
DEMO_SEED = 2024
# Documented in the README; demo accounts only ever exist on a demo database.
DEMO_PASSWORD = "demo-pilotage-rsa"
DEMO_ROLES = (Role.COPIL, Role.COMOP, Role.PROJET, Role.ADMIN)


class DemoError(RuntimeError):
    """The demo cannot be installed (message in French)."""


@dataclass
class DemoReport:
    territory_code: str
    size: int
    seed: int
    counts: dict[str, int]
    created_logins: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def describe(self) -> str:
        lines = [
            f"Territoire de démonstration {self.territory_code} chargé "
            f"(taille {self.size}, graine {self.seed}) en {self.seconds:.1f} s :"
        ]
        lines += [f"  {table:<22} {count:>9}" for table, count in sorted(self.counts.items())]
        if self.created_logins:
            lines.append(
                f"Comptes créés : {', '.join(self.created_logins)} (mot de passe : {DEMO_PASSWORD})"
            )
        return "\n".join(lines)


def demo_login(role: Role, territory_code: str) -> str:
    suffix = "" if territory_code == DEMO_CODE else "." + territory_code.lower()
    return f"demo.{role.value}{suffix}"


def _create_demo_users(db: Session, territory: Territory, national: Territory) -> list[str]:
    wanted = [(demo_login(role, territory.code), role, territory) for role in DEMO_ROLES]
    wanted.append(("demo.national", Role.NATIONAL, national))
    created = []
    password_hash = hash_password(DEMO_PASSWORD)
    for login, role, home in wanted:
        if db.scalar(select(User.id).where(User.login == login)) is None:
            db.add(User(login=login, password_hash=password_hash, role=role, territory_id=home.id))
            created.append(login)
    db.flush()
    return created


def install_demo(
    db: Session, territory_code: str = DEMO_CODE, size: int = DEMO_SIZE, seed: int = DEMO_SEED
) -> DemoReport:
    """Generate and load the demo into `territory_code` (created when absent). Caller commits."""
    started = time.perf_counter()
    code = normalise_code(territory_code)
    national = ensure_national(db)
    territory = db.scalar(select(Territory).where(Territory.code == code))
    if territory is None:
        name = DEMO_NAME if code == DEMO_CODE else f"Territoire de démonstration {code}"
        territory = add_territory(db, code, name, code.split("-")[0], parent_code=national.code)
    data = generate_demo(size=size, seed=seed, end=DEMO_END)
    try:
        counts = load_demo(db, territory, data)
    except DemoAlreadyLoadedError as error:
        raise DemoError(str(error)) from error
    label = f"demo-{code}-taille{size}-graine{seed}"
    db.add(
        ImportBatch(
            territory_id=territory.id,
            source=DataSource.DEMO,
            file_name=label,
            sha256=hashlib.sha256(label.encode()).hexdigest(),
            extracted_on=DEMO_END,
            rows_read=counts.get("beneficiary", 0),
            rows_loaded=sum(counts.values()),
            status=ImportStatus.LOADED,
            finished_at=utcnow(),
            duration_seconds=time.perf_counter() - started,
        )
    )
    created = _create_demo_users(db, territory, national)
    return DemoReport(code, size, seed, counts, created, time.perf_counter() - started)


def install_demo_if_empty(db: Session) -> DemoReport | None:
    """First start: a database without any pilot territory gets the demo one."""
    pilot_territories = db.scalar(
        select(func.count()).select_from(Territory).where(Territory.parent_id.is_not(None))
    )
    if pilot_territories:
        return None
    return install_demo(db)


def demo_logins(db: Session) -> list[str]:
    return list(
        db.scalars(select(User.login).where(User.login.like("demo.%")).order_by(User.login))
    )
