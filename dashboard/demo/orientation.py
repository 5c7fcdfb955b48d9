"""Orientations of the demo: delays from T0, who is oriented, dominante and organisme.

Calibrated on the Pays de Redon et Vallons de Vilaine figures (domain.md):
76.7 % of the stock oriented; among the oriented, MSA 3.6 %, missions locales
8.6 %, France Travail 11 %, CD and CCAS 76.8 %; dominantes emploi 44.5 %,
socio-professionnel 11.6 %, social 43.9 %. Shares are met with exact quotas,
separately for the stock at `end` and for the people who left, so they hold
even for small territories. Missions locales only take people under 26, the
MSA (mostly) its own insured people.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dashboard.demo.population import GROUP_NEW, GROUP_STOCK, Population, years_of
from dashboard.demo.sampling import exact_codes, exact_counts, integers
from dashboard.models import Dominante, Organisme

ORIENTATION_RATE = 0.767
NEVER_ORIENTED_SHARE = 0.04  # of new entrants: never show up
LEAVERS_ORIENTED_SHARE = 0.75  # of the older stock that left during the history
REORIENTATION_SHARE = 0.07
UNKNOWN_T0_PROXY_DAYS = 5  # T0 unknown: delays run from rights opening + 5 days
DELAY_MIN, DELAY_MAX = 5, 60  # days from T0 to the notification of the orientation
DELAY_SPREAD = 0.45  # lognormal sigma around the median delay
STOCK_MEDIAN_DELAY = 32
PILOT_MEDIAN_DELAY_START, PILOT_MEDIAN_DELAY_END = 34, 17  # the pilot improves delays

# Local category codes (the generator's own order, not the enum's).
ORGANISMES = (Organisme.MSA, Organisme.ML, Organisme.FT, Organisme.CD, Organisme.CCAS)
ORG_MSA, ORG_ML, ORG_FT, ORG_CD, ORG_CCAS = range(len(ORGANISMES))
ORGANISME_SHARES = (0.036, 0.086, 0.110, 0.691, 0.077)
DOMINANTES = (Dominante.EMPLOI, Dominante.SOCIO_PROFESSIONNEL, Dominante.SOCIAL)
DOM_EMPLOI, DOM_SOCIO, DOM_SOCIAL = range(len(DOMINANTES))
DOMINANTE_SHARES = (0.445, 0.116, 0.439)
# Dominante given the organisme; the CD takes whatever keeps the overall split.
DOMINANTE_GIVEN_ORGANISME = {
    ORG_MSA: (0.30, 0.20, 0.50),
    ORG_ML: (0.60, 0.20, 0.20),
    ORG_FT: (0.85, 0.15, 0.00),
    ORG_CCAS: (0.00, 0.10, 0.90),
}
YOUNG_MAX_AGE = 25  # "moins de 26 ans"
PAYER_MSA = 1


@dataclass
class Orientations:
    """Per person: the first orientation and, for some, a later re-orientation.

    `oriented` marks a first orientation decided on or before `end` (and before
    any exit); `would_orient` marks new entrants who attend their orientation
    appointment (even if the decision falls after `end`). `current_*` are the
    re-orientation's values where there is one, else the first orientation's.
    Referent fields are indexes into the referent list (-1: none), set later.
    """

    reference_day: np.ndarray
    decided: np.ndarray
    notified: np.ndarray
    notified_known: np.ndarray
    oriented: np.ndarray
    would_orient: np.ndarray
    organisme: np.ndarray
    dominante: np.ndarray
    reoriented: np.ndarray
    re_decided: np.ndarray
    re_notified: np.ndarray
    re_notified_known: np.ndarray
    current_organisme: np.ndarray
    current_dominante: np.ndarray
    referent: np.ndarray
    current_referent: np.ndarray

    @property
    def current_notified(self) -> np.ndarray:
        return np.where(self.reoriented, self.re_notified, self.notified)

    @property
    def current_notified_known(self) -> np.ndarray:
        return np.where(self.reoriented, self.re_notified_known, self.notified_known)


def _before_exit(pop: Population, days: np.ndarray) -> np.ndarray:
    return ~pop.exited | (days < pop.exit_day)


def _take(candidates: np.ndarray, free: np.ndarray, count: int) -> np.ndarray:
    """The first `count` positions (in the given order) that are candidates and still free."""
    return np.flatnonzero(candidates & free)[:count]


def assign_organismes(rng: np.random.Generator, young: np.ndarray, msa: np.ndarray) -> np.ndarray:
    """Organisme codes with exact shares: ML among the young, MSA among MSA payers first."""
    total = young.size
    counts = exact_counts(total, ORGANISME_SHARES)
    order = rng.permutation(total)
    young, msa = young[order], msa[order]
    result = np.full(total, ORG_CD)
    free = np.ones(total, dtype=bool)
    everyone = free.copy()
    picks = [(ORG_ML, young), (ORG_MSA, msa), (ORG_FT, ~young), (ORG_CCAS, everyone)]
    for code, candidates in picks:
        chosen = _take(candidates, free, int(counts[code]))
        if code in (ORG_MSA, ORG_FT) and chosen.size < counts[code]:
            free[chosen] = False
            missing = int(counts[code]) - chosen.size
            chosen = np.concatenate([chosen, _take(everyone, free, missing)])
        result[chosen] = code
        free[chosen] = False
    unshuffled = np.empty_like(result)
    unshuffled[order] = result
    return unshuffled


def assign_dominantes(rng: np.random.Generator, organisme: np.ndarray) -> np.ndarray:
    """Dominante codes: conditional on the organisme, the CD completing the overall split."""
    result = np.full(organisme.size, DOM_SOCIAL)
    remaining = exact_counts(organisme.size, DOMINANTE_SHARES)
    for code, shares in DOMINANTE_GIVEN_ORGANISME.items():
        members = np.flatnonzero(organisme == code)
        drawn = exact_codes(rng, members.size, shares)
        result[members] = drawn
        remaining -= np.bincount(drawn, minlength=len(DOMINANTES))
    cd_members = np.flatnonzero(organisme == ORG_CD)
    remaining = np.maximum(remaining, 0)
    shares = remaining if remaining.sum() > 0 else np.asarray(DOMINANTE_SHARES)
    result[cd_members] = exact_codes(rng, cd_members.size, shares)
    return result


def _delays(
    rng: np.random.Generator, reference_day: np.ndarray, start: int, end: int
) -> np.ndarray:
    progress = np.clip((reference_day - start) / max(end - start, 1), 0.0, 1.0)
    pilot_median = (
        PILOT_MEDIAN_DELAY_START + (PILOT_MEDIAN_DELAY_END - PILOT_MEDIAN_DELAY_START) * progress
    )
    median = np.where(reference_day < start, STOCK_MEDIAN_DELAY, pilot_median)
    spread = np.exp(rng.normal(0.0, DELAY_SPREAD, size=reference_day.size))
    return np.clip(np.rint(median * spread), DELAY_MIN, DELAY_MAX).astype(np.int64)


def draw_orientations(
    rng: np.random.Generator, pop: Population, start: int, end: int
) -> Orientations:
    """Orientation timing and content for every person (see `Orientations`)."""
    total = pop.size
    reference_day = np.where(pop.t0_known, pop.t0, pop.rights_opened + UNKNOWN_T0_PROXY_DAYS)
    delay = _delays(rng, reference_day, start, end)
    notify_lag = np.floor(rng.random(total) * (np.minimum(7, delay - 3) + 1)).astype(np.int64)
    notified = reference_day + delay
    decided = notified - notify_lag

    in_stock = pop.in_stock
    possible = pop.subject & (decided <= end) & _before_exit(pop, decided)
    never = rng.random(total) < NEVER_ORIENTED_SHARE
    is_new, is_stock = pop.group == GROUP_NEW, pop.group == GROUP_STOCK
    oriented = possible & is_new & ~never
    oriented |= possible & is_stock & pop.exited & (rng.random(total) < LEAVERS_ORIENTED_SHARE)
    wanted = round(ORIENTATION_RATE * int(in_stock.sum())) - int((oriented & in_stock).sum())
    candidates = rng.permutation(np.flatnonzero(possible & is_stock & in_stock))
    oriented[candidates[: max(0, min(wanted, candidates.size))]] = True
    notified_known = oriented & (notified <= end) & _before_exit(pop, notified)

    re_decided = notified + integers(rng, 60, 540, total)
    reoriented = (
        notified_known
        & (rng.random(total) < REORIENTATION_SHARE)
        & (re_decided <= end)
        & _before_exit(pop, re_decided)
    )
    re_notified = re_decided + integers(rng, 0, 7, total)
    re_notified_known = reoriented & (re_notified <= end) & _before_exit(pop, re_notified)

    young = (years_of(np.array([end]))[0] - pop.birth_year) <= YOUNG_MAX_AGE
    msa = pop.payer == PAYER_MSA
    current_organisme = np.full(total, -1)
    current_dominante = np.full(total, -1)
    for members in (np.flatnonzero(oriented & in_stock), np.flatnonzero(oriented & ~in_stock)):
        codes = assign_organismes(rng, young[members], msa[members])
        current_organisme[members] = codes
        current_dominante[members] = assign_dominantes(rng, codes)

    # Before a re-orientation: another organisme (CD <-> FT) and another dominante.
    organisme = np.where(
        reoriented, np.where(current_organisme == ORG_CD, ORG_FT, ORG_CD), current_organisme
    )
    shifted = (current_dominante + integers(rng, 1, 2, total)) % len(DOMINANTES)
    dominante = np.where(
        reoriented, np.where(organisme == ORG_FT, DOM_EMPLOI, shifted), current_dominante
    )
    return Orientations(
        reference_day=reference_day,
        decided=decided,
        notified=notified,
        notified_known=notified_known,
        oriented=oriented,
        would_orient=pop.subject & is_new & ~never,
        organisme=organisme,
        dominante=dominante,
        reoriented=reoriented,
        re_decided=re_decided,
        re_notified=re_notified,
        re_notified_known=re_notified_known,
        current_organisme=current_organisme,
        current_dominante=current_dominante,
        referent=np.full(total, -1),
        current_referent=np.full(total, -1),
    )
