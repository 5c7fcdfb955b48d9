"""French wording of the COPIL figures: values, changes, statuses, the statistical secret.

Shared by the page (layouts/copil_*.py) and the PDF pack (layouts/copil_pdf.py).
A suppressed figure is always the words of `secret_text`, never a number.
"""

from __future__ import annotations

from layouts.filters import month_label
from metrics.registry import REGISTRY
from metrics.result import IndicatorResult
from metrics.rounding import round_half_away
from metrics.trajectory import STATUS_LABELS, Status

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
UNIT_SUFFIX = {"%": f"{NBSP}%", "jours": f"{NBSP}jours", "personnes": ""}
CHANGE_SUFFIX = {"%": f"{NBSP}pt", "jours": f"{NBSP}j", "personnes": ""}
STATUS_CLASSES = {status.value: f"status-{status.value.replace('_', '-')}" for status in Status}
# Text and background colours with a contrast of at least 4.5:1 (WCAG AA).
STATUS_COLOURS = {
    Status.ATTEINT.value: ("#18753c", "#b8fec9"),
    Status.EN_TRAJECTOIRE.value: ("#0063cb", "#e8edff"),
    Status.A_SURVEILLER.value: ("#b34000", "#ffe9e6"),
    Status.HORS_TRAJECTOIRE.value: ("#ce0500", "#ffe9e9"),
}
DIRECTION_TEXT = {
    "higher": "plus c'est haut, mieux c'est",
    "lower": "plus c'est bas, mieux c'est",
    "neutral": "ni haut ni bas n'est meilleur en soi (volume ou répartition)",
}


def secret_text(threshold: int | None) -> str:
    """What replaces a hidden figure, everywhere (card, chart, table, PDF)."""
    return f"secret statistique (< {threshold})" if threshold else "secret statistique"


def format_number(value: float, decimals: int = 1) -> str:
    """12.5 -> "12,5"; 54.0 -> "54"; 1396 -> "1 396" (narrow no-break space)."""
    rounded = round_half_away(value, decimals)
    if rounded == int(rounded):
        text = f"{int(rounded):,}"
    else:
        text = f"{rounded:,.{decimals}f}"
    return text.replace(",", NARROW_NBSP).replace(".", ",")


def format_value(value: float | None, unit: str) -> str:
    """A value with its unit ("19,3 %", "54 jours"), or "non disponible"."""
    if value is None:
        return "non disponible"
    return format_number(value) + UNIT_SUFFIX[unit]


def shown_value(result: IndicatorResult, threshold: int | None) -> str:
    """The value as the audience may see it."""
    if result.suppressed:
        return secret_text(threshold)
    return format_value(result.value, result.unit)


def format_target(result: IndicatorResult) -> str:
    if result.target is None:
        return "pas de cible"
    return format_value(result.target, result.unit)


def change(result: IndicatorResult, previous: IndicatorResult | None) -> float | None:
    """value - previous value, one decimal; None when either is missing or hidden."""
    if previous is None or result.value is None or previous.value is None:
        return None
    return round_half_away(result.value - previous.value)


def change_text(
    result: IndicatorResult, previous: IndicatorResult | None, previous_label: str
) -> str:
    """ "+3,2 pt par rapport à T2 2024 (en progrès)", or why there is no change to show."""
    if result.suppressed or (previous is not None and previous.suppressed):
        return f"Évolution par rapport à {previous_label} : non publiée (secret statistique)"
    delta = change(result, previous)
    if delta is None:
        return f"Évolution par rapport à {previous_label} : non disponible"
    sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
    amount = f"{sign}{format_number(abs(delta))}{CHANGE_SUFFIX[result.unit]}"
    text = f"{amount} par rapport à {previous_label}"
    direction = REGISTRY[result.code].direction if result.code in REGISTRY else "neutral"
    if delta == 0 or direction == "neutral":
        return text
    better = (delta > 0) == (direction == "higher")
    return f"{text} ({'en progrès' if better else 'en recul'})"


def status_label(status: str | None) -> str:
    return STATUS_LABELS[Status(status)] if status else "Sans statut"


def status_class(status: str | None) -> str:
    return STATUS_CLASSES.get(status or "", "status-none")


# What the category codes of the breakdowns and splits read as.
CATEGORY_LABELS = {
    "FT": "France Travail",
    "CD": "Département",
    "ML": "Mission locale",
    "CAP_EMPLOI": "Cap emploi",
    "MSA": "MSA",
    "CCAS": "CCAS",
    "OTHER": "Autre organisme",
    "emploi": "Emploi",
    "socio_professionnel": "Socio-professionnelle",
    "social": "Sociale",
    "F": "Femmes",
    "M": "Hommes",
    "seul": "Seul·e",
    "seul_avec_enfants": "Seul·e avec enfants",
    "couple": "En couple",
    "couple_avec_enfants": "En couple avec enfants",
    "sans_diplome": "Sans diplôme",
    "niveau_3": "Niveau 3 (CAP, BEP)",
    "niveau_4": "Niveau 4 (bac)",
    "niveau_5": "Niveau 5 (bac + 2)",
    "niveau_6_plus": "Niveau 6 et plus",
    "inconnu": "Non renseigné",
}
AGE_LABELS = {"<26": "Moins de 26 ans", "26-34": "26 à 34 ans", "35-49": "35 à 49 ans"}
SENIORITY_LABELS = {"<1": "Moins d'un an", "1-2": "1 à 2 ans", "2-5": "2 à 5 ans"}


def category_label(key: str, dimension: str | None = None) -> str:
    """The French label of a breakdown key (a month `2024-03` reads "mars 2024")."""
    if dimension == "age_band":
        return AGE_LABELS.get(key, "50 ans et plus" if key == "50+" else category_label(key))
    if dimension == "seniority":
        return SENIORITY_LABELS.get(key, "5 ans et plus" if key == "5+" else category_label(key))
    if dimension == "cohorte" and len(key) == 7 and key[4] == "-":
        return month_label(key)
    return CATEGORY_LABELS.get(key, key)


def basis_text(result: IndicatorResult) -> str:
    """The counts behind a value ("61 sur 316"); empty when hidden or not applicable."""
    if result.suppressed or result.value is None:
        return ""
    if result.unit == "%" and result.denominator is not None:
        return f"{format_number(result.numerator, 0)} sur {format_number(result.denominator, 0)}"
    if result.unit == "jours" and isinstance(result.details.get("count"), int):
        return f"médiane sur {format_number(result.details['count'], 0)} personnes"
    if result.unit == "personnes" and result.denominator:
        return (
            f"{format_number(result.numerator, 0)} personnes, "
            f"{format_number(result.denominator, 0)} référents"
        )
    return ""
