"""Every indicator the dashboard, the API, the CLI and the national export can compute.

`REGISTRY` maps a code to its `Indicator`; `compute_all` computes them all
for one period. Each compute function takes the validated `Frames` and
keyword arguments period_start, period_end, as_of, params and by (a
`Dimension` for a breakdown); its docstring is the indicator's definition.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from dataclasses import dataclass

from metrics.accompaniment import (
    DELAI_PREMIER_ACCOMPAGNEMENT,
    TAUX_PREMIER_RDV_15J,
    delai_premier_accompagnement_median_j,
    taux_premier_rdv_15j,
)
from metrics.appointments import (
    TAUX_ABSENCE_PREMIER_RDV,
    TAUX_RELANCE_15J,
    taux_absence_premier_rdv,
    taux_relance_15j,
)
from metrics.breakdown import Dimension
from metrics.contracts import (
    TAUX_CONTRAT_1MOIS,
    TAUX_CONTRAT_7J,
    TAUX_CONTRAT_ENGAGEMENT,
    taux_contrat_1mois,
    taux_contrat_7j,
    taux_contrat_engagement,
)
from metrics.definitions_fr import DEFINITIONS_FR
from metrics.employment import (
    TAUX_RETOUR_EMPLOI,
    TAUX_RETOUR_EMPLOI_DURABLE,
    TAUX_SORTIE_RSA,
    taux_retour_emploi,
    taux_retour_emploi_durable,
    taux_sortie_rsa,
)
from metrics.frames import Frames
from metrics.intensity import PART_INTENSIF_15H, part_intensif_15h
from metrics.orientation import (
    DELAI_ORIENTATION,
    NOUVEAUX_ENTRANTS,
    TAUX_ORIENTES_1MOIS,
    TAUX_ORIENTES_6SEM,
    TAUX_ORIENTES_15J,
    delai_orientation_median_j,
    nouveaux_entrants,
    taux_orientes_1mois,
    taux_orientes_6sem,
    taux_orientes_15j,
)
from metrics.params import DEFAULT_PARAMS, Params
from metrics.periods import check_period
from metrics.portfolios import (
    PART_REFERENTS_AU_DESSUS_CIBLE,
    TAILLE_PORTEFEUILLE,
    part_referents_au_dessus_cible,
    taille_portefeuille_moyenne,
)
from metrics.result import DIRECTIONS, UNITS, Definition, IndicatorResult
from metrics.stock import (
    REPARTITION_DOMINANTE,
    REPARTITION_ORGANISME,
    TAUX_ORIENTATION,
    repartition_dominante,
    repartition_organisme,
    taux_orientation,
)
from metrics.takeover import REPRISE_STOCK_AVANCEMENT, reprise_stock_avancement


@dataclass(frozen=True)
class Indicator:
    """A registered indicator: code, French label, unit, better direction, compute, doc.

    `doc` is the compute function's docstring (the English reference);
    `definition_fr` the French definition shown to readers (metrics/definitions_fr.py,
    equal to docs/indicators.md).
    """

    code: str
    label: str
    unit: str
    direction: str
    compute: Callable[..., IndicatorResult]
    doc: str
    dimensions: frozenset[Dimension]
    definition_fr: str = ""
    # True when the indicator takes scope="stock" (default) or scope="flux".
    scoped: bool = False

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"Unknown unit {self.unit!r} for {self.code}.")
        if self.direction not in DIRECTIONS:
            raise ValueError(f"Unknown direction {self.direction!r} for {self.code}.")
        if not self.doc:
            raise ValueError(f"Indicator {self.code} has no docstring.")
        if not self.definition_fr:
            raise ValueError(f"Indicator {self.code} has no French definition.")


def _indicator(
    definition: Definition,
    compute: Callable[..., IndicatorResult],
    dimensions: frozenset[Dimension],
    scoped: bool = False,
) -> Indicator:
    return Indicator(
        code=definition.code,
        label=definition.label,
        unit=definition.unit,
        direction=definition.direction,
        compute=compute,
        doc=inspect.getdoc(compute) or "",
        dimensions=dimensions,
        definition_fr=DEFINITIONS_FR.get(definition.code, ""),
        scoped=scoped,
    )


# The breakdowns each indicator can give (tests/metrics/test_registry.py checks the
# compute functions agree): every dimension for the flows of the period, no entry-month
# cohort for the stock at as_of, only the organisme for referents, none for a split.
EVERY_DIMENSION = frozenset(Dimension)
NO_COHORT = EVERY_DIMENSION - {Dimension.COHORTE}
ORGANISME_ONLY = frozenset({Dimension.ORGANISME})
NO_DIMENSION: frozenset[Dimension] = frozenset()


def _registry(*indicators: Indicator) -> dict[str, Indicator]:
    registry: dict[str, Indicator] = {}
    for indicator in indicators:
        if indicator.code in registry:
            raise ValueError(f"Indicator {indicator.code} is registered twice.")
        registry[indicator.code] = indicator
    return registry


REGISTRY: dict[str, Indicator] = _registry(
    _indicator(NOUVEAUX_ENTRANTS, nouveaux_entrants, EVERY_DIMENSION),
    _indicator(TAUX_ORIENTES_15J, taux_orientes_15j, EVERY_DIMENSION),
    _indicator(TAUX_ORIENTES_1MOIS, taux_orientes_1mois, EVERY_DIMENSION),
    _indicator(TAUX_ORIENTES_6SEM, taux_orientes_6sem, EVERY_DIMENSION),
    _indicator(DELAI_ORIENTATION, delai_orientation_median_j, EVERY_DIMENSION),
    _indicator(TAUX_ORIENTATION, taux_orientation, NO_COHORT),
    _indicator(REPARTITION_ORGANISME, repartition_organisme, NO_DIMENSION, scoped=True),
    _indicator(REPARTITION_DOMINANTE, repartition_dominante, NO_DIMENSION, scoped=True),
    _indicator(
        DELAI_PREMIER_ACCOMPAGNEMENT, delai_premier_accompagnement_median_j, EVERY_DIMENSION
    ),
    _indicator(TAUX_PREMIER_RDV_15J, taux_premier_rdv_15j, EVERY_DIMENSION),
    _indicator(TAUX_CONTRAT_ENGAGEMENT, taux_contrat_engagement, NO_COHORT),
    _indicator(TAUX_CONTRAT_7J, taux_contrat_7j, EVERY_DIMENSION),
    _indicator(TAUX_CONTRAT_1MOIS, taux_contrat_1mois, EVERY_DIMENSION),
    _indicator(TAILLE_PORTEFEUILLE, taille_portefeuille_moyenne, ORGANISME_ONLY),
    _indicator(PART_REFERENTS_AU_DESSUS_CIBLE, part_referents_au_dessus_cible, ORGANISME_ONLY),
    _indicator(PART_INTENSIF_15H, part_intensif_15h, NO_COHORT),
    _indicator(TAUX_ABSENCE_PREMIER_RDV, taux_absence_premier_rdv, EVERY_DIMENSION),
    _indicator(TAUX_RELANCE_15J, taux_relance_15j, EVERY_DIMENSION),
    _indicator(TAUX_RETOUR_EMPLOI, taux_retour_emploi, NO_COHORT),
    _indicator(TAUX_RETOUR_EMPLOI_DURABLE, taux_retour_emploi_durable, NO_COHORT),
    _indicator(TAUX_SORTIE_RSA, taux_sortie_rsa, NO_COHORT),
    _indicator(REPRISE_STOCK_AVANCEMENT, reprise_stock_avancement, NO_COHORT),
)


def compute_all(
    frames: Frames,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params | None = None,
) -> list[IndicatorResult]:
    """Every registered indicator, in registry order, without breakdown, default scopes."""
    if not isinstance(frames, Frames):
        raise ValueError(f"frames must be metrics.frames.Frames, got {type(frames).__name__}.")
    check_period(period_start, period_end, as_of)
    settings = DEFAULT_PARAMS if params is None else params
    return [
        indicator.compute(
            frames,
            period_start=period_start,
            period_end=period_end,
            as_of=as_of,
            params=settings,
        )
        for indicator in REGISTRY.values()
    ]
