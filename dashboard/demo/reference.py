"""Sites, referents and indicator targets of the demo territory.

Five sites: the three CDAS of the basin, the France Travail agency and the
mission locale. Referents are sized at one per 70 oriented people of the
stock (`DEFAULT_PORTFOLIO_TARGET`), per organisme and, for the CD, per CDAS;
a few part-time CD referents have a target of 50. CCAS and MSA referents hold
their permanences at the CDAS de Redon.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from dashboard.demo.orientation import (
    ORG_CCAS,
    ORG_CD,
    ORG_FT,
    ORG_ML,
    ORG_MSA,
    ORGANISMES,
    Orientations,
)
from dashboard.demo.population import Population
from dashboard.demo.records import IndicatorTargetRecord, ReferentRecord, SiteRecord
from dashboard.demo.sampling import add_months
from dashboard.models import DEFAULT_PORTFOLIO_TARGET, SiteKind

CDAS_SITES = ("CDAS Redon", "CDAS Guichen", "CDAS Bain-de-Bretagne")
FT_SITE = "Agence France Travail Redon"
ML_SITE = "Mission locale du Pays de Redon et de Vilaine"
SITES = (
    *(SiteRecord(name, SiteKind.CDAS) for name in CDAS_SITES),
    SiteRecord(FT_SITE, SiteKind.AGENCE_FT),
    SiteRecord(ML_SITE, SiteKind.MISSION_LOCALE),
)
REDUCED_PORTFOLIO_TARGET = 50
REDUCED_EVERY = 5  # every fifth CD referent works part time
# Code prefix and zero-padding width per organisme (the CD's REF001 style).
CODE_STYLE = {
    ORG_CD: ("REF", 3),
    ORG_FT: ("FT", 2),
    ORG_ML: ("ML", 2),
    ORG_CCAS: ("CCAS", 2),
    ORG_MSA: ("MSA", 2),
}
POOL_ORDER = (ORG_CD, ORG_CCAS, ORG_FT, ORG_ML, ORG_MSA)

# Indicator trajectories: baseline (T0), then the target at the end of each
# six-month period from the pilot start. Lower is better for delays.
TARGET_TRAJECTORIES: dict[str, tuple[float, tuple[float, ...]]] = {
    "taux_orientes_15j": (40.0, (60.0, 80.0, 90.0, 100.0)),
    "taux_orientation": (70.0, (75.0, 80.0, 85.0, 90.0)),
    "taux_contrat_engagement": (85.0, (88.0, 92.0, 96.0, 100.0)),
    "part_intensif_15h": (10.0, (15.0, 20.0, 25.0, 30.0)),
    "delai_orientation_median_j": (45.0, (38.0, 30.0, 22.0, 15.0)),
}
TARGET_PERIOD_MONTHS = 6


@dataclass
class Referents:
    """The referent records and, per pool (organisme, CDAS or -1), their indexes and weights."""

    records: list[ReferentRecord]
    pools: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]]


def _site_of(organisme: int, cdas: int) -> str:
    if organisme == ORG_CD:
        return CDAS_SITES[cdas]
    if organisme == ORG_FT:
        return FT_SITE
    if organisme == ORG_ML:
        return ML_SITE
    return CDAS_SITES[0]


def _pool_keys(organisme: np.ndarray, cdas: np.ndarray) -> np.ndarray:
    """One integer key per person: organisme * 10 + CDAS for the CD, organisme * 10 - 1 else."""
    return np.where(organisme == ORG_CD, organisme * 10 + cdas, organisme * 10 - 1)


def build_referents(rng: np.random.Generator, pop: Population, orient: Orientations) -> Referents:
    """Referents sized on the oriented stock, then every orientation given one of them."""
    in_stock = orient.oriented & pop.in_stock
    stock_keys = _pool_keys(orient.current_organisme[in_stock], pop.home_cdas[in_stock])
    stock_counts = dict(zip(*np.unique(stock_keys, return_counts=True), strict=True))
    used = np.concatenate(
        [
            _pool_keys(orient.current_organisme[orient.oriented], pop.home_cdas[orient.oriented]),
            _pool_keys(orient.organisme[orient.oriented], pop.home_cdas[orient.oriented]),
            np.array([ORG_CD * 10 + cdas for cdas in range(len(CDAS_SITES))]),
        ]
    )
    used_keys = set(np.unique(used).tolist())
    records: list[ReferentRecord] = []
    pools: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
    numbers = dict.fromkeys(CODE_STYLE, 0)
    for organisme in POOL_ORDER:
        for cdas in range(len(CDAS_SITES)) if organisme == ORG_CD else (-1,):
            key = organisme * 10 + cdas
            if key not in used_keys:
                continue
            count = max(1, round(int(stock_counts.get(key, 0)) / DEFAULT_PORTFOLIO_TARGET))
            prefix, width = CODE_STYLE[organisme]
            indexes, targets = [], []
            for _ in range(count):
                numbers[organisme] += 1
                number = numbers[organisme]
                reduced = organisme == ORG_CD and number % REDUCED_EVERY == 0
                target = REDUCED_PORTFOLIO_TARGET if reduced else DEFAULT_PORTFOLIO_TARGET
                indexes.append(len(records))
                targets.append(target)
                records.append(
                    ReferentRecord(
                        code=f"{prefix}{number:0{width}d}",
                        organisme=ORGANISMES[organisme],
                        site=_site_of(organisme, cdas),
                        portfolio_target=target,
                    )
                )
            weights = np.asarray(targets, dtype=float) * rng.uniform(0.8, 1.25, size=count)
            pools[(organisme, cdas)] = (np.asarray(indexes), weights / weights.sum())
    return Referents(records, pools)


def assign_referents(
    rng: np.random.Generator,
    referents: Referents,
    organisme: np.ndarray,
    cdas: np.ndarray,
    mask: np.ndarray,
) -> np.ndarray:
    """A referent index for each person of `mask`, drawn in the matching pool (-1 elsewhere)."""
    result = np.full(organisme.size, -1)
    for (code, pool_cdas), (indexes, weights) in referents.pools.items():
        members = mask & (organisme == code)
        if pool_cdas >= 0:
            members &= cdas == pool_cdas
        positions = np.flatnonzero(members)
        result[positions] = indexes[rng.choice(indexes.size, size=positions.size, p=weights)]
    return result


def build_targets(pilot_start: dt.date) -> list[IndicatorTargetRecord]:
    """The indicator trajectories, one point per six-month period from `pilot_start`."""
    records = []
    for code, (baseline, targets) in TARGET_TRAJECTORIES.items():
        period_start = pilot_start
        for step, target in enumerate(targets, start=1):
            period_end = add_months(pilot_start, TARGET_PERIOD_MONTHS * step) - dt.timedelta(1)
            records.append(
                IndicatorTargetRecord(
                    indicator_code=code,
                    period_start=period_start,
                    period_end=period_end,
                    target_value=target,
                    baseline_value=baseline if step == 1 else None,
                )
            )
            period_start = period_end + dt.timedelta(1)
    return records
