"""Cibles et trajectoires: the value each indicator should reach by the end of a period.

One row per point of a trajectory: indicator (its code, or one of a few French
labels), period start and end, target, and optionally the reference value (T0).
Values accept "60 %", "60", "60,0"; rates (`taux_*`, `part_*`) must lie in 0-100, and
a rate written as a bare number from 0 to 1 is a fraction (an Excel percentage cell).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from connectors.profiles import FieldType, Profile, ProfileField
from connectors.rows import ParseContext, RowReader
from connectors.values import fold, parse_decimal

F = FieldType
PROFILE = Profile(
    source="targets",
    fields=(
        ProfileField("indicator_code", ("Indicateur", "Code indicateur"), required=True),
        ProfileField(
            "period_start",
            ("Début de période", "Date de début", "Début"),
            F.DATE,
            required=True,
        ),
        ProfileField(
            "period_end",
            ("Fin de période", "Date de fin", "Fin", "Échéance"),
            F.DATE,
            required=True,
        ),
        ProfileField(
            "target_value", ("Cible", "Valeur cible", "Objectif"), F.DECIMAL, required=True
        ),
        ProfileField(
            "baseline_value",
            ("Valeur de référence (T0)", "Valeur de référence", "Référence", "T0"),
            F.DECIMAL,
        ),
    ),
)

# The indicators a target may be set for. The indicator engine will own this registry.
INDICATOR_CODES: tuple[str, ...] = (
    "taux_orientes_15j",
    "taux_orientes_1mois",
    "taux_orientes_6sem",
    "delai_orientation_median_j",
    "taux_orientation",
    "delai_premier_accompagnement_median_j",
    "taux_premier_rdv_15j",
    "taux_contrat_engagement",
    "taux_contrat_7j",
    "taux_contrat_1mois",
    "taille_portefeuille_moyenne",
    "part_referents_au_dessus_cible",
    "part_intensif_15h",
    "taux_retour_emploi",
    "taux_retour_emploi_durable",
    "taux_sortie_rsa",
    "taux_absence_premier_rdv",
    "taux_relance_15j",
    "reprise_stock_avancement",
    "nouveaux_entrants",
)
# French labels a project team types instead of the code (compared folded).
INDICATOR_LABELS: dict[str, str] = {
    "Part des nouveaux entrants orientés en 15 jours": "taux_orientes_15j",
    "Délai médian d'orientation (jours)": "delai_orientation_median_j",
    "Taux d'orientation": "taux_orientation",
    "Taux de contractualisation": "taux_contrat_engagement",
    "Part en accompagnement intensif (15 h)": "part_intensif_15h",
}
_BY_FOLD = {fold(code): code for code in INDICATOR_CODES} | {
    fold(label): code for label, code in INDICATOR_LABELS.items()
}
RATE_PREFIXES = ("taux_", "part_")
_PERCENT_SIGN = re.compile(r"\s*%$")


@dataclass(frozen=True)
class TargetRecord:
    indicator_code: str
    period_start: dt.date
    period_end: dt.date
    target_value: float
    baseline_value: float | None
    # Where the row came from, for the writer's rejections.
    row_number: int | None = None
    raw_values: dict[str, str | None] = field(default_factory=dict, compare=False)

    @property
    def key(self) -> tuple[str, dt.date]:
        return (self.indicator_code, self.period_end)


def parse_indicator(raw: str) -> str:
    """ "taux_orientes_15j", "TAUX_ORIENTES_15J", "Taux d'orientation" -> the code."""
    code = _BY_FOLD.get(fold(raw))
    if code is None:
        raise ValueError(f"indicateur inconnu : {raw.strip()}")
    return code


def parse_value(raw: str) -> float:
    """ "60 %", "60", "60,0", "12.5" -> float (the % sign is allowed, not required)."""
    value = parse_decimal(_PERCENT_SIGN.sub("", raw.strip()))
    if not math.isfinite(value):  # float() also reads "nan" and "inf"
        raise ValueError(f"nombre illisible : {raw.strip()}")
    return value


def is_rate(code: str) -> bool:
    return code.startswith(RATE_PREFIXES)


def _percentage(
    reader: RowReader, name: str, code: str | None, value: float | None
) -> float | None:
    """A rate written as a bare fraction (0.6, 1: an Excel percentage cell) -> 60, 100."""
    raw = reader.raw(name) or ""
    if value is None or code is None or not is_rate(code) or "%" in raw or not 0 < value <= 1:
        return value
    return round(value * 100, 9)


def _check_range(reader: RowReader, name: str, code: str | None, value: float | None) -> None:
    if value is None or code is None:
        return
    shown = f"{value:g}".replace(".", ",")
    if is_rate(code) and not 0 <= value <= 100:
        reader.reasons.append(f"{reader.label(name)} : taux hors de 0 à 100 % ({shown})")
    elif value < 0:
        reader.reasons.append(f"{reader.label(name)} : valeur négative ({shown})")


def parse_row(reader: RowReader, context: ParseContext) -> TargetRecord | None:
    """One target row -> a record, or None with `reader.reasons` saying why."""
    del context  # targets need neither the key, the file date nor the roadmap year
    code = reader.choice("indicator_code", parse_indicator, required=True)
    start = reader.date("period_start", required=True)
    end = reader.date("period_end", required=True)
    target = reader.choice("target_value", parse_value, required=True)
    baseline = reader.choice("baseline_value", parse_value)
    target = _percentage(reader, "target_value", code, target)
    baseline = _percentage(reader, "baseline_value", code, baseline)
    reader.ordered("period_start", start, "period_end", end)
    _check_range(reader, "target_value", code, target)
    _check_range(reader, "baseline_value", code, baseline)
    if reader.reasons or code is None or start is None or end is None or target is None:
        return None
    row_number = reader.row.get("__row__")
    return TargetRecord(
        indicator_code=code,
        period_start=start,
        period_end=end,
        target_value=target,
        baseline_value=baseline,
        row_number=int(row_number) if row_number is not None else None,
        raw_values=reader.quarantine_values(),
    )
