"""Creating and finding territories (the CLI and the demo go through here)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.models import Territory
from metrics.params import Params

NATIONAL_CODE = "FR"
NATIONAL_NAME = "France (niveau national)"
CODE_PATTERN = re.compile(r"^[A-Z0-9]{2,3}(-[A-Z0-9]+)*$")
DEPARTEMENT_PATTERN = re.compile(r"^(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-6])$")


class TerritoryError(ValueError):
    """A territory cannot be created or found (message in French)."""


def normalise_code(code: str) -> str:
    normalised = code.strip().upper()
    if not CODE_PATTERN.match(normalised):
        raise TerritoryError(
            f"Code de territoire invalide : {code!r}. Format attendu : département, tiret, "
            "nom en majuscules (ex. 35-REDON)."
        )
    return normalised


def get_territory(db: Session, code: str) -> Territory:
    territory = db.scalar(select(Territory).where(Territory.code == normalise_code(code)))
    if territory is None:
        raise TerritoryError(f"Territoire inconnu : {code}. Voir « pilotage territory list ».")
    return territory


def ensure_national(db: Session) -> Territory:
    """The national level every pilot territory hangs from (created on first need)."""
    national = db.scalar(select(Territory).where(Territory.code == NATIONAL_CODE))
    if national is None:
        national = Territory(code=NATIONAL_CODE, name=NATIONAL_NAME)
        db.add(national)
        db.flush()
    return national


def add_territory(
    db: Session,
    code: str,
    name: str,
    departement: str | None,
    pilot_start: dt.date | None = None,
    parent_code: str | None = None,
) -> Territory:
    """Create a territory; without a parent it hangs from the national level."""
    code = normalise_code(code)
    if not name.strip():
        raise TerritoryError("Le nom du territoire ne peut pas être vide.")
    if departement is not None and not DEPARTEMENT_PATTERN.match(departement.strip().upper()):
        raise TerritoryError(
            f"Code de département invalide : {departement!r} "
            "(attendu : 01 à 95, 2A, 2B, 971 à 976)."
        )
    if db.scalar(select(Territory.id).where(Territory.code == code)) is not None:
        raise TerritoryError(f"Le territoire {code} existe déjà.")
    if code == NATIONAL_CODE:
        parent = None
    elif parent_code:
        parent = get_territory(db, parent_code)
    else:
        parent = ensure_national(db)
    territory = Territory(
        code=code,
        name=name.strip(),
        departement_code=departement.strip().upper() if departement else None,
        pilot_start=pilot_start,
        parent=parent,
    )
    db.add(territory)
    db.flush()
    return territory


def set_indicator_params(
    db: Session, code: str, settings: tuple[str, ...] | list[str], reset: bool = False
) -> dict[str, int | str]:
    """Change a territory's indicator thresholds (`orientation_days=30`...); all of them back.

    Every threshold is shown, the territory's own values over the defaults.
    Changing them changes the figures: the facts cache sees it on its next
    check (the territory row is re-read with the facts).
    """
    territory = get_territory(db, code)
    known = {item.name: item for item in fields(Params) if item.name != "pilot_start"}
    values: dict[str, int] = {} if reset else dict(territory.indicator_params or {})
    for setting in settings:
        name, sep, raw = setting.partition("=")
        name = name.strip()
        if not sep or name not in known:
            names = ", ".join(sorted(known))
            raise TerritoryError(f"Réglage inconnu : {setting!r}. Réglages possibles : {names}.")
        try:
            number = int(raw.strip())
        except ValueError:
            raise TerritoryError(f"{name} attend un nombre entier (reçu : {raw!r}).") from None
        if number < 1:
            raise TerritoryError(f"{name} doit être un entier positif (reçu : {number}).")
        values[name] = number
    territory.indicator_params = values
    db.flush()
    effective = Params.from_mapping(values)
    return {name: getattr(effective, name) for name in known}
