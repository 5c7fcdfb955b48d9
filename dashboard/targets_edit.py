"""The administrator's targets editor: one indicator's trajectory, validated and replaced.

A trajectory is the list of an indicator's points (period start, period end,
target; the baseline T0 on the first point only). `parse_points` turns what
the form holds into points or French reasons; `replace_trajectory` deletes
the indicator's rows and inserts the new ones in one transaction, so
`dashboard.facts.facts_version` changes (targets are never edited in place)
and every worker's facts cache sees the new trajectory. Each save is written
to the audit log with the points before and after.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from connectors.values import parse_date, parse_decimal
from dashboard import audit
from dashboard.auth import SessionUser
from dashboard.models import DataSource, IndicatorTarget
from metrics.registry import REGISTRY

# Points per indicator: a trajectory is a handful of dated steps, not a series.
MAX_POINTS = 24


class TargetEditError(ValueError):
    """The trajectory cannot be saved; `reasons` lists every problem (French)."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(" ; ".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class EditedPoint:
    period_start: dt.date
    period_end: dt.date
    target_value: float
    baseline_value: float | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "target_value": self.target_value,
            "baseline_value": self.baseline_value,
        }


def check_indicator(code: object) -> str:
    if not isinstance(code, str) or code not in REGISTRY:
        raise TargetEditError(["Indicateur inconnu : choisissez-le dans la liste."])
    return code


def trajectory(db: Session, territory_id: int, code: str) -> list[EditedPoint]:
    """The indicator's stored points for the territory, by period end."""
    rows = db.execute(
        select(
            IndicatorTarget.period_start,
            IndicatorTarget.period_end,
            IndicatorTarget.target_value,
            IndicatorTarget.baseline_value,
        )
        .where(IndicatorTarget.territory_id == territory_id, IndicatorTarget.indicator_code == code)
        .order_by(IndicatorTarget.period_end)
    )
    return [EditedPoint(*row) for row in rows]


def _date(text: object, label: str, line: int, reasons: list[str]) -> dt.date | None:
    raw = str(text).strip() if text is not None else ""
    if not raw:
        reasons.append(f"Point {line} : {label} manquante.")
        return None
    try:
        return parse_date(raw)
    except ValueError as error:
        reasons.append(f"Point {line} : {label} : {error}.")
        return None


def _number(text: object, label: str, line: int, unit: str, reasons: list[str]) -> float | None:
    raw = str(text).strip().removesuffix("%").strip() if text is not None else ""
    if not raw:
        return None
    try:
        value = parse_decimal(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        reasons.append(f"Point {line} : {label} : nombre illisible ({raw}).")
        return None
    if unit == "%" and not 0 <= value <= 100:
        reasons.append(f"Point {line} : {label} : un taux est compris entre 0 et 100 %.")
        return None
    if value < 0:
        reasons.append(f"Point {line} : {label} : valeur négative.")
        return None
    return value


def parse_points(code: str, rows: list[dict[str, object]]) -> list[EditedPoint]:
    """The form's rows (texts) -> points sorted by period end; TargetEditError with every
    reason otherwise. Entirely empty rows are ignored; an empty list deletes the trajectory.
    """
    unit = REGISTRY[check_indicator(code)].unit
    reasons: list[str] = []
    filled = [row for row in rows if any(str(v or "").strip() for v in row.values())]
    if len(filled) > MAX_POINTS:
        raise TargetEditError([f"Au plus {MAX_POINTS} points par indicateur."])
    points: list[EditedPoint] = []
    for line, row in enumerate(filled, start=1):
        start = _date(row.get("period_start"), "date de début", line, reasons)
        end = _date(row.get("period_end"), "date de fin", line, reasons)
        target = _number(row.get("target_value"), "cible", line, unit, reasons)
        baseline = _number(row.get("baseline_value"), "valeur de référence", line, unit, reasons)
        if target is None and str(row.get("target_value") or "").strip() == "":
            reasons.append(f"Point {line} : cible manquante.")
        if start and end and end < start:
            reasons.append(f"Point {line} : la fin ({end:%d/%m/%Y}) précède le début.")
        if start and end and target is not None:
            points.append(EditedPoint(start, end, target, baseline))
    seen: dict[dt.date, int] = {}
    for point in points:
        seen[point.period_end] = seen.get(point.period_end, 0) + 1
    reasons += [
        f"Deux points ont la même fin de période ({end:%d/%m/%Y}) : un seul par date."
        for end, count in seen.items()
        if count > 1
    ]
    points.sort(key=lambda point: point.period_end)
    if any(point.baseline_value is not None for point in points[1:]):
        reasons.append("La valeur de référence (T0) se saisit sur le premier point seulement.")
    if reasons:
        raise TargetEditError(reasons)
    return points


def replace_trajectory(
    db: Session,
    actor: SessionUser,
    territory_id: int,
    code: str,
    points: list[EditedPoint],
    remote_addr: str | None = None,
) -> list[EditedPoint]:
    """Replace the indicator's points (delete + insert) and audit it; the caller commits.

    Returns the points stored before the change.
    """
    check_indicator(code)
    before = trajectory(db, territory_id, code)
    where = (IndicatorTarget.territory_id == territory_id, IndicatorTarget.indicator_code == code)
    # Core statements in this order: the ORM flush would insert before deleting and
    # trip the unique (territory, indicator, period end) constraint.
    db.execute(delete(IndicatorTarget).where(*where))
    if points:
        db.execute(
            insert(IndicatorTarget),
            [
                {
                    "territory_id": territory_id,
                    "indicator_code": code,
                    "source": DataSource.MANUAL,
                    "batch_id": None,
                    "period_start": point.period_start,
                    "period_end": point.period_end,
                    "target_value": point.target_value,
                    "baseline_value": point.baseline_value,
                }
                for point in points
            ],
        )
    audit.record(
        db,
        "targets_changed",
        user_id=actor.user_id,
        login=actor.login,
        territory_code=actor.territory_code,
        remote_addr=remote_addr,
        details={
            "indicator": code,
            "before": [point.as_dict() for point in before],
            "after": [point.as_dict() for point in points],
        },
    )
    return before
