"""Who is in the demo territory: rights periods, droits et devoirs, exits and description.

Three groups are drawn, then shuffled together:

- new entrants: droits et devoirs start during the 24 months of history,
  about 30 a month for a stock of 1,400 (scaled linearly);
- the older stock: rights opened before the pilot (up to 10 years before
  `end`), so that seniority in the RSA spreads from 0 to 10 years; its size
  is computed so that the stock at `end` (droits et devoirs started, no exit)
  is exactly `size`, some of it leaving during the history;
- about 5 % of people never subject to droits et devoirs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dashboard.demo.sampling import draw_codes, integers

REFERENCE_SIZE = 1400
NEW_ENTRANTS_PER_MONTH = 30
HISTORY_MONTHS = 24
NO_DUTIES_SHARE = 0.05
OLD_STOCK_EXIT_SHARE = 0.20  # of the older stock leaves during the history
NEW_ENTRANT_MEAN_STAY_DAYS = 1000  # exponential stay after 30 days: ~25 % leave within the window
OLD_STOCK_MEAN_SENIORITY_DAYS = 730  # before the pilot start, capped to 8 years
UNKNOWN_T0_SHARE = 0.03
LATE_DUTIES_SHARE = 0.15  # duties start up to 30 days after rights opening

GROUP_NEW, GROUP_STOCK, GROUP_NO_DUTIES = 0, 1, 2
# ExitReason order: emploi, fin_de_droits, demenagement, radiation, autre
EXIT_REASON_SHARES = (0.33, 0.27, 0.14, 0.16, 0.10)
# Sex order: F, M
SEX_SHARES = (0.55, 0.45)
# FamilySituation order: seul, seul_avec_enfants, couple, couple_avec_enfants
FAMILY_SHARES_F = (0.38, 0.35, 0.08, 0.19)
FAMILY_SHARES_M = (0.68, 0.06, 0.09, 0.17)
MISSING_FAMILY_SHARE = 0.01
# EducationLevel order: sans_diplome, niveau_3, niveau_4, niveau_5, niveau_6_plus
EDUCATION_SHARES = (0.30, 0.32, 0.22, 0.08, 0.08)
MISSING_EDUCATION_SHARE = 0.04
# Payer order: CAF, MSA
PAYER_SHARES = (0.93, 0.07)
# Home CDAS order: Redon, Guichen, Bain-de-Bretagne
CDAS_SHARES = (0.50, 0.30, 0.20)
UNDER_26_SHARE = (0.24, 0.10, 0.15)  # by group: new entrants, older stock, no duties


@dataclass
class Population:
    """One entry per person (and per rights period: each person has exactly one).

    Days are day numbers; `*_known` / `subject` / `exited` say where they apply.
    Category fields are codes in the order of the matching enum (-1: unknown).
    """

    group: np.ndarray
    rights_opened: np.ndarray
    t0: np.ndarray
    t0_known: np.ndarray
    duties_start: np.ndarray
    subject: np.ndarray
    exit_day: np.ndarray
    exited: np.ndarray
    exit_reason: np.ndarray
    birth_year: np.ndarray
    sex: np.ndarray
    family: np.ndarray
    education: np.ndarray
    payer: np.ndarray
    home_cdas: np.ndarray

    @property
    def size(self) -> int:
        return int(self.group.size)

    @property
    def in_stock(self) -> np.ndarray:
        """Subject to droits et devoirs and not exited at `end`."""
        return self.subject & ~self.exited


def years_of(days: np.ndarray) -> np.ndarray:
    """Calendar year of each day number."""
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def _late_start(rng: np.random.Generator, total: int) -> np.ndarray:
    late = rng.random(total) < LATE_DUTIES_SHARE
    return np.where(late, integers(rng, 1, 30, total), 0)


def _new_entrants(rng: np.random.Generator, size: int, start: int, end: int) -> dict:
    total = max(1, round(NEW_ENTRANTS_PER_MONTH * size / REFERENCE_SIZE * HISTORY_MONTHS))
    duties = start + rng.integers(0, end - start + 1, size=total)
    rights = duties - _late_start(rng, total)
    stay = np.floor(rng.exponential(NEW_ENTRANT_MEAN_STAY_DAYS, size=total)).astype(np.int64)
    exit_day = duties + 30 + stay
    return {"rights": rights, "duties": duties, "exit": exit_day, "exited": exit_day <= end}


def _older_stock(rng: np.random.Generator, total: int, leaving: int, start: int, end: int) -> dict:
    before = 1 + np.floor(rng.exponential(OLD_STOCK_MEAN_SENIORITY_DAYS, size=total))
    rights = start - np.minimum(before.astype(np.int64), 8 * 365)
    duties = np.minimum(rights + _late_start(rng, total), start - 1)
    exited = rng.permutation(total) < leaving
    exit_day = start + rng.integers(0, end - start + 1, size=total)
    return {"rights": rights, "duties": duties, "exit": exit_day, "exited": exited}


def _no_duties(rng: np.random.Generator, total: int, start: int, end: int) -> dict:
    recent = rng.random(total) < 0.4
    before = 1 + np.floor(rng.exponential(OLD_STOCK_MEAN_SENIORITY_DAYS, size=total))
    rights = np.where(
        recent,
        start + rng.integers(0, end - start + 1, size=total),
        start - np.minimum(before.astype(np.int64), 8 * 365),
    )
    earliest_exit = np.maximum(rights + 30, start)
    room = end - earliest_exit
    exit_day = earliest_exit + np.floor(rng.random(total) * (np.maximum(room, 0) + 1))
    exited = (rng.random(total) < 0.3) & (room >= 0)
    return {"rights": rights, "duties": rights, "exit": exit_day.astype(np.int64), "exited": exited}


def draw_population(rng: np.random.Generator, size: int, start: int, end: int) -> Population:
    """People of the territory over the history [start, end] (day numbers), stock = `size`."""
    new = _new_entrants(rng, size, start, end)
    new_in_stock = int((~new["exited"]).sum())
    stock_in_stock = max(0, size - new_in_stock)
    stock_total = round(stock_in_stock / (1 - OLD_STOCK_EXIT_SHARE))
    stock = _older_stock(rng, stock_total, stock_total - stock_in_stock, start, end)
    subject_total = new["rights"].size + stock_total
    no_duties_total = round(NO_DUTIES_SHARE / (1 - NO_DUTIES_SHARE) * subject_total)
    others = _no_duties(rng, no_duties_total, start, end)

    parts = (new, stock, others)
    group = np.repeat(
        [GROUP_NEW, GROUP_STOCK, GROUP_NO_DUTIES], [part["rights"].size for part in parts]
    )
    order = rng.permutation(group.size)
    group = group[order]
    rights, duties, exit_day = (
        np.concatenate([part[key] for part in parts]).astype(np.int64)[order]
        for key in ("rights", "duties", "exit")
    )
    exited = np.concatenate([part["exited"] for part in parts])[order]
    subject = group != GROUP_NO_DUTIES
    total = group.size

    t0 = rights + integers(rng, 0, 10, total)
    t0_known = (rng.random(total) >= UNKNOWN_T0_SHARE) & (t0 <= end)
    exit_reason = draw_codes(rng, total, EXIT_REASON_SHARES)

    under_26 = rng.random(total) < np.asarray(UNDER_26_SHARE)[group]
    age = np.where(
        under_26,
        integers(rng, 18, 25, total),
        np.floor(rng.triangular(26, 38, 66, size=total)).astype(np.int64),
    )
    end_year = int(years_of(np.array([end]))[0])
    birth_year = np.minimum(end_year - age, years_of(rights) - 18)

    sex = draw_codes(rng, total, SEX_SHARES)
    family = np.where(
        sex == 0, draw_codes(rng, total, FAMILY_SHARES_F), draw_codes(rng, total, FAMILY_SHARES_M)
    )
    family[rng.random(total) < MISSING_FAMILY_SHARE] = -1
    education = draw_codes(rng, total, EDUCATION_SHARES)
    education[rng.random(total) < MISSING_EDUCATION_SHARE] = -1
    return Population(
        group=group,
        rights_opened=rights,
        t0=t0,
        t0_known=t0_known,
        duties_start=duties,
        subject=subject,
        exit_day=exit_day,
        exited=exited,
        exit_reason=exit_reason,
        birth_year=birth_year,
        sex=sex,
        family=family,
        education=education,
        payer=draw_codes(rng, total, PAYER_SHARES),
        home_cdas=draw_codes(rng, total, CDAS_SHARES),
    )
