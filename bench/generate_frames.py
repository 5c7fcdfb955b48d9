"""Generated indicator input tables for the benchmark: N beneficiaries over K territories.

`generate_tables(size, territories, seed)` draws, with numpy array operations
only (no Python loop over people), the eight tables of `metrics.frames`
(people, rights, orientations, appointments, contracts, referents,
activity_hours, outcomes) in their canonical dtypes, each with an extra
`territory` column (Int16). Beneficiaries 1..N are split into K territories
of consecutive ids; referents belong to one territory. The same arguments
always give the same tables.

The shape follows the demo territory (`dashboard.demo`, the Redon figures of
/work/shared/domain.md); on 20,000 people, for 2024 seen at 31/12/2024: about
30 new entrants a month per 1,400 people subject, 80 % of the stock oriented
(FT 14 %, ML 9.5 %, MSA 3.4 %, CD and CCAS most of the rest; dominantes
43 / 12.5 / 44 %), a median orientation delay of 22 days (falling from
about 34 to 17 over the pilot), 17 % of first appointments missed, contracts
mostly signed 1 to 20 days after the first attended appointment, 16.5 % of
the oriented at 15 hours a week, 7 % returns to employment in the year.
Every person gets about 15 weekly activity rows on average (the issue's
benchmark shape).

Edge cases drawn on purpose: missing T0 (3 %) and missing rights opening
(1 %), late start of droits et devoirs, duplicate rights rows starting the
same day, re-entries after an exit (immediate or after a gap, with a recent
orientation or not), duties ended without leaving the RSA, re-orientations
(some on the same day as the first decision), orientations never notified
or notified after `as_of`, people never oriented, missed / excused /
cancelled / still planned appointments, reminders from day 0 to day 20,
appointments without an invitation date, exact duplicate appointment times,
contracts signed before the appointment, ended and renewed, weeks with 0
hours and weeks with two rows, employment flagged durable by the source.

Facts run to `DATA_END` (two months after the bench's `as_of`) so the
`as_of` cut-off matters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from metrics.frames import Frames
from metrics.params import Params

EPOCH = dt.date(1970, 1, 1)
OLDEST_RIGHTS = dt.date(2015, 1, 1)
PILOT_START = dt.date(2023, 1, 1)
APPOINTMENTS_FROM = dt.date(2022, 7, 1)  # the appointments tool's history starts here
CE_FROM = dt.date(2025, 1, 1)  # contrat d'engagement of the loi pour le plein emploi
DATA_END = dt.date(2025, 2, 28)  # the extraction date: nothing later is drawn

# The bench's periods: the year 2024 seen at its last day, and one month for the export.
PERIOD_START = dt.date(2024, 1, 1)
PERIOD_END = dt.date(2024, 12, 31)
AS_OF = dt.date(2024, 12, 31)
EXPORT_START = dt.date(2024, 12, 1)
EXPORT_END = dt.date(2024, 12, 31)
BENCH_PARAMS = Params(pilot_start=PILOT_START)

TABLES = (
    "people",
    "rights",
    "orientations",
    "appointments",
    "contracts",
    "referents",
    "activity_hours",
    "outcomes",
)

GROUP_NEW, GROUP_STOCK, GROUP_REENTRY, GROUP_NO_DUTIES = range(4)
GROUP_SHARES = (0.36, 0.49, 0.10, 0.05)

SEXES = ("F", "M")
SEX_SHARES = (0.55, 0.45)
FAMILY_SITUATIONS = ("seul", "seul_avec_enfants", "couple", "couple_avec_enfants")
FAMILY_SHARES = (0.51, 0.23, 0.08, 0.18)
EDUCATION_LEVELS = ("sans_diplome", "niveau_3", "niveau_4", "niveau_5", "niveau_6_plus")
EDUCATION_SHARES = (0.30, 0.32, 0.22, 0.08, 0.08)
SITES = ("CDAS Nord", "CDAS Centre", "CDAS Sud", "Agence France Travail", "Mission locale")
CDAS_COUNT = 3
SITE_FT, SITE_ML = 3, 4

ORGANISMES = ("FT", "CD", "ML", "CAP_EMPLOI", "MSA", "CCAS", "OTHER")
ORG_FT, ORG_CD, ORG_ML, ORG_CAP, ORG_MSA, ORG_CCAS, ORG_OTHER = range(7)
ORGANISME_SHARES_ADULT = (0.12, 0.68, 0.0, 0.03, 0.04, 0.105, 0.025)
ORGANISME_SHARES_YOUNG = (0.10, 0.30, 0.50, 0.01, 0.02, 0.06, 0.01)
DOMINANTES = ("emploi", "socio_professionnel", "social")
DOMINANTE_GIVEN_ORGANISME = (
    (0.85, 0.15, 0.0),  # FT
    (0.36, 0.10, 0.54),  # CD
    (0.60, 0.20, 0.20),  # ML
    (0.70, 0.30, 0.0),  # CAP_EMPLOI
    (0.30, 0.20, 0.50),  # MSA
    (0.0, 0.10, 0.90),  # CCAS
    (0.40, 0.30, 0.30),  # OTHER
)
PEOPLE_PER_REFERENT = 85  # orientations drawn per referent (portfolios of about 60 at as_of)
PORTFOLIO_TARGETS = (70, 50, 90)
PORTFOLIO_TARGET_SHARES = (0.75, 0.20, 0.05)

KINDS = ("orientation", "accompagnement", "jalon")
KIND_ORIENTATION, KIND_ACCOMPAGNEMENT, KIND_JALON = range(3)
STATUSES = ("present", "absent", "excuse", "annule", "planifie")
PRESENT, ABSENT, EXCUSE, ANNULE, PLANIFIE = range(5)
SLOTS_MINUTES = np.array([9 * 60, 9 * 60 + 30, 10 * 60 + 30, 14 * 60, 15 * 60 + 30])
CONTRACT_KINDS = ("CER", "PPAE", "CE", "CEJ")
CER, PPAE, CE, CEJ = range(4)
CONTRACT_TYPES = ("CDI", "CDD", "interim", "creation", "IAE", "alternance", "autre")
CDI, CDD, INTERIM, CREATION, IAE, ALTERNANCE, AUTRE = range(7)
CONTRACT_TYPE_SHARES = (0.17, 0.32, 0.18, 0.08, 0.14, 0.08, 0.03)
DURATIONS = {
    CDD: ((1, 2, 3, 4, 5, 6, 8, 12), (0.12, 0.12, 0.14, 0.12, 0.10, 0.18, 0.10, 0.12)),
    INTERIM: ((1, 2, 3, 4, 6, 9), (0.25, 0.25, 0.20, 0.15, 0.10, 0.05)),
    IAE: ((4, 6, 8, 12, 24), (0.35, 0.20, 0.15, 0.20, 0.10)),
    ALTERNANCE: ((6, 12, 24), (0.30, 0.40, 0.30)),
}
WEEKS_MIN, WEEKS_MAX = 16, 44  # a run of weekly activity rows (about 15 per person overall)
NEVER = 10**9  # a day number standing for "no such day"


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01 (polars' Date)."""
    return (day - EPOCH).days


def monday_on_or_before(days: np.ndarray) -> np.ndarray:
    """The Monday of each day's ISO week (1970-01-01 was a Thursday)."""
    return days - (days + 3) % 7


def _between(rng: np.random.Generator, low: np.ndarray | int, high: np.ndarray | int, total: int):
    """`total` integers uniform in [low, high] (arrays allowed, high >= low)."""
    low_array = np.broadcast_to(np.asarray(low, dtype=np.int64), (total,))
    span = np.broadcast_to(np.asarray(high, dtype=np.int64), (total,)) - low_array
    return low_array + np.floor(rng.random(total) * (np.maximum(span, 0) + 1)).astype(np.int64)


def _codes(rng: np.random.Generator, total: int, shares) -> np.ndarray:
    weights = np.asarray(shares, dtype=float)
    return rng.choice(len(weights), size=total, p=weights / weights.sum())


def _conditional_codes(
    rng: np.random.Generator, given: np.ndarray, table: tuple[tuple[float, ...], ...]
) -> np.ndarray:
    """One code per row of `given`, drawn from the row of `table` that `given` names."""
    cumulative = np.cumsum(np.asarray(table, dtype=float), axis=1)
    cumulative /= cumulative[:, -1:]
    draws = rng.random(given.size)
    return (draws[:, None] >= cumulative[given]).sum(axis=1)


def _dates(name: str, days: np.ndarray, valid: np.ndarray | None = None) -> pl.Series:
    series = pl.Series(name, np.asarray(days, dtype=np.int32)).cast(pl.Date)
    if valid is None:
        return series
    return pl.select(pl.when(pl.lit(pl.Series(valid))).then(series).alias(name)).to_series()


def _strings(
    name: str, codes: np.ndarray, labels: tuple[str, ...], valid: np.ndarray | None = None
) -> pl.Series:
    indexes = pl.Series(np.asarray(codes, dtype=np.uint32))
    values = pl.Series(name, labels, dtype=pl.String).gather(indexes).alias(name)
    if valid is None:
        return values
    return pl.select(pl.when(pl.lit(pl.Series(valid))).then(values).alias(name)).to_series()


def _ints(name: str, values: np.ndarray, valid: np.ndarray | None = None) -> pl.Series:
    series = pl.Series(name, np.asarray(values, dtype=np.int64))
    if valid is None:
        return series
    return pl.select(pl.when(pl.lit(pl.Series(valid))).then(series).alias(name)).to_series()


def _territory(values: np.ndarray) -> pl.Series:
    return pl.Series("territory", np.asarray(values, dtype=np.int16))


@dataclass
class _Spells:
    """The rights rows: one per spell (row arrays) and the current spell per person."""

    person: np.ndarray
    opened: np.ndarray
    opened_known: np.ndarray
    t0: np.ndarray
    t0_known: np.ndarray
    duties: np.ndarray
    subject: np.ndarray
    duties_end: np.ndarray
    duties_end_known: np.ndarray
    exit_day: np.ndarray
    exited: np.ndarray


@dataclass
class _Orientations:
    person: np.ndarray
    decided: np.ndarray
    notified: np.ndarray
    notified_known: np.ndarray
    organisme: np.ndarray
    dominante: np.ndarray
    referent: np.ndarray
    referent_known: np.ndarray
    is_reorientation: np.ndarray


class _Generator:
    """Draws the tables step by step; every array is indexed by person or by row."""

    def __init__(self, size: int, territories: int, seed: int) -> None:
        if size < 1 or territories < 1 or territories > size:
            raise ValueError(f"Bad benchmark size {size} for {territories} territories.")
        self.rng = np.random.default_rng(seed)
        self.size = size
        self.territories = territories
        self.ids = np.arange(1, size + 1, dtype=np.int64)
        self.territory = (np.arange(size, dtype=np.int64) * territories) // size
        self.start = day_number(PILOT_START)
        self.end = day_number(DATA_END)
        self.appointments_from = day_number(APPOINTMENTS_FROM)

    # -- people and rights -------------------------------------------------------------

    def _late(self, total: int) -> np.ndarray:
        late = self.rng.random(total) < 0.15
        return np.where(late, _between(self.rng, 1, 30, total), 0)

    def draw_population(self) -> None:
        rng, n, start, end = self.rng, self.size, self.start, self.end
        group = _codes(rng, n, GROUP_SHARES)
        self.group = group
        oldest = day_number(OLDEST_RIGHTS)
        # Re-entries: a first spell that ended, then a new start (immediate or after a gap);
        # those whose new start would fall after the extraction stay in the stock.
        first_opened = start - 30 - np.minimum(np.floor(rng.exponential(800, n)), 7 * 365)
        first_duties = first_opened.astype(np.int64) + self._late(n)
        first_exit = np.maximum(
            _between(rng, day_number(dt.date(2022, 9, 1)), day_number(dt.date(2024, 11, 30)), n),
            first_duties + 30,
        )
        gap = np.where(rng.random(n) < 0.25, 0, _between(rng, 1, 420, n))
        reentry_duties = first_exit + gap
        reentering = (group == GROUP_REENTRY) & (reentry_duties <= end)
        group[(group == GROUP_REENTRY) & ~reentering] = GROUP_STOCK
        self.first_duties, self.first_exit = first_duties, first_exit

        # Current spell of every person.
        seniority = np.minimum(
            1 + np.floor(rng.exponential(900, n)).astype(np.int64), start - oldest
        )
        duties = np.where(group == GROUP_NEW, _between(rng, start, end, n), reentry_duties)
        opened = duties - self._late(n)
        stock_opened = start - seniority
        stock_duties = np.minimum(stock_opened + self._late(n), start - 1)
        opened = np.where(group == GROUP_STOCK, stock_opened, opened)
        duties = np.where(group == GROUP_STOCK, stock_duties, duties)

        no_duties = group == GROUP_NO_DUTIES
        opened = np.where(no_duties, _between(rng, day_number(dt.date(2019, 1, 1)), end, n), opened)
        subject = ~no_duties
        t0 = opened + _between(rng, 0, 10, n)
        t0_known = (rng.random(n) >= 0.03) & (t0 <= end)
        entering = (group == GROUP_NEW) | reentering
        opened_known = ~(entering & (rng.random(n) < 0.01))
        t0_known &= opened_known | (rng.random(n) < 0.5)

        # Exits: entrants stay about 1,000 days; 22 % of the stock leaves during the pilot
        # and 5 % left before it.
        stay_exit = duties + 30 + np.floor(rng.exponential(1000, n)).astype(np.int64)
        stock_draw = rng.random(n)
        stock_exit = np.where(
            stock_draw < 0.22,
            _between(rng, start, end, n),
            _between(rng, np.maximum(duties + 1, start - 730), start - 1, n),
        )
        exit_day = np.where(group == GROUP_STOCK, stock_exit, stay_exit)
        exited = np.where(group == GROUP_STOCK, stock_draw < 0.27, stay_exit <= end)
        no_duties_exit = opened + 30 + np.floor(rng.exponential(500, n)).astype(np.int64)
        exit_day = np.where(no_duties, no_duties_exit, exit_day)
        exited = np.where(no_duties, (no_duties_exit <= end) & (rng.random(n) < 0.3), exited)
        # The last day subject: the day before the exit (70 %), or duties ended while the
        # person stays in the RSA (4 % of the others).
        duties_end = np.where(exited, exit_day - 1, _between(rng, duties + 60, end + 60, n))
        duties_end_known = subject & np.where(
            exited, rng.random(n) < 0.7, (rng.random(n) < 0.04) & (duties_end <= end)
        )
        self.current = _Spells(
            self.ids,
            opened,
            opened_known,
            t0,
            t0_known,
            duties,
            subject,
            duties_end,
            duties_end_known,
            exit_day,
            exited,
        )
        self.reentering, self.entering = reentering, entering
        self.last_active = np.where(exited, np.minimum(exit_day - 1, end), end)

        age = np.where(
            rng.random(n) < 0.20,
            _between(rng, 18, 25, n),
            np.floor(rng.triangular(26, 38, 66, n)).astype(np.int64),
        )
        self.birth_year = AS_OF.year - age
        self.young = age <= 25
        self.home_cdas = _codes(rng, n, (0.5, 0.3, 0.2))

    def rights_table(self) -> pl.DataFrame:
        rng, spell, n = self.rng, self.current, self.size
        people = [self.ids]
        columns = {
            key: [value]
            for key, value in (
                ("opened", spell.opened),
                ("opened_known", spell.opened_known),
                ("t0", spell.t0),
                ("t0_known", spell.t0_known),
                ("duties", spell.duties),
                ("subject", spell.subject),
                ("duties_end", spell.duties_end),
                ("duties_end_known", spell.duties_end_known),
                ("exit", spell.exit_day),
                ("exited", spell.exited),
            )
        }
        # The first spell of the re-entrants.
        again = np.flatnonzero(self.reentering)
        first_end_known = rng.random(again.size) < 0.7
        extra = {
            "opened": self.first_duties[again] - self._late(again.size),
            "opened_known": np.ones(again.size, bool),
            "t0": self.first_duties[again] + _between(rng, 0, 10, again.size),
            "t0_known": rng.random(again.size) >= 0.03,
            "duties": self.first_duties[again],
            "subject": np.ones(again.size, bool),
            "duties_end": self.first_exit[again] - 1,
            "duties_end_known": first_end_known,
            "exit": self.first_exit[again],
            "exited": np.ones(again.size, bool),
        }
        # A duplicate row starting the same day, without T0 (0.5 % of the new entrants).
        twins = np.flatnonzero((self.group == GROUP_NEW) & (rng.random(n) < 0.005))
        twin = {key: values[0][twins] for key, values in columns.items()}
        twin["t0_known"] = np.zeros(twins.size, bool)
        twin["opened"] = twin["opened"] - _between(rng, 0, 5, twins.size)
        for part, who in ((extra, again), (twin, twins)):
            people.append(self.ids[who])
            for key in columns:
                columns[key].append(part[key])
        merged = {key: np.concatenate(parts) for key, parts in columns.items()}
        person = np.concatenate(people)
        order = np.lexsort((merged["duties"], person))
        merged = {key: values[order] for key, values in merged.items()}
        person = person[order]
        return pl.DataFrame(
            [
                _territory(self.territory[person - 1]),
                _ints("beneficiary_id", person),
                _dates("rights_opened_on", merged["opened"], merged["opened_known"]),
                _dates("notification_received_on", merged["t0"], merged["t0_known"]),
                _dates("duties_start_on", merged["duties"], merged["subject"]),
                _dates("duties_end_on", merged["duties_end"], merged["duties_end_known"]),
                _dates("exit_on", merged["exit"], merged["exited"]),
            ]
        )

    # -- orientations and referents ----------------------------------------------------

    def _delays(self, reference: np.ndarray) -> np.ndarray:
        progress = np.clip((reference - self.start) / (self.end - self.start), 0.0, 1.0)
        median = np.where(reference < self.start, 32.0, 34.0 - 17.0 * progress)
        spread = np.exp(self.rng.normal(0.0, 0.5, reference.size))
        return np.clip(np.rint(median * spread), 1, 150).astype(np.int64)

    def draw_orientations(self) -> None:
        rng, n, spell, start, end = self.rng, self.size, self.current, self.start, self.end
        reference = np.where(
            spell.t0_known, spell.t0, np.where(spell.opened_known, spell.opened, spell.duties) + 5
        )
        delay = self._delays(reference)
        notified = reference + delay
        decided = notified - _between(rng, 0, np.minimum(7, delay - 1), n)
        # The stock: oriented long ago, or during the take-over of the pilot.
        is_stock = self.group == GROUP_STOCK
        late = rng.random(n) < 0.3
        stock_decided = np.where(
            late, _between(rng, start, end, n), spell.duties + self._delays(spell.duties)
        )
        decided = np.where(is_stock, stock_decided, decided)
        notified = np.where(is_stock, decided + _between(rng, 0, 7, n), notified)
        before_exit = ~spell.exited | (decided < spell.exit_day)
        willing = np.where(is_stock, rng.random(n) < 0.72, rng.random(n) < 0.94)
        oriented = spell.subject & willing & (decided <= end) & before_exit
        notified_known = (
            oriented
            & (rng.random(n) >= 0.03)
            & (notified <= end)
            & (~spell.exited | (notified < spell.exit_day))
        )
        self.would_orient = spell.subject & willing
        self.oriented, self.decided, self.notified = oriented, decided, notified
        self.notified_known = notified_known

        organisme = np.where(
            self.young,
            _codes(rng, n, ORGANISME_SHARES_YOUNG),
            _codes(rng, n, ORGANISME_SHARES_ADULT),
        )
        dominante = _conditional_codes(rng, organisme, DOMINANTE_GIVEN_ORGANISME)

        # Re-orientations: 8 % of the notified, 60 to 540 days later; 0.4 % the same day.
        re_decided = notified + _between(rng, 60, 540, n)
        same_day = rng.random(n) < 0.004
        re_decided = np.where(same_day, decided, re_decided)
        reoriented = (
            np.where(same_day, oriented, notified_known & (rng.random(n) < 0.08))
            & (re_decided <= end)
            & (~spell.exited | (re_decided < spell.exit_day))
        )
        re_notified = re_decided + _between(rng, 0, 7, n)
        re_notified_known = reoriented & (rng.random(n) >= 0.03) & (re_notified <= end)
        re_organisme = np.where(organisme == ORG_CD, ORG_FT, ORG_CD)
        re_dominante = np.where(
            re_organisme == ORG_FT,
            0,
            _conditional_codes(rng, re_organisme, DOMINANTE_GIVEN_ORGANISME),
        )
        self.reoriented, self.re_notified, self.re_notified_known = (
            reoriented,
            re_notified,
            re_notified_known,
        )
        self.current_organisme = np.where(reoriented, re_organisme, organisme)

        # Re-entrants: the first spell's orientation, and for half a later one (a
        # follow-up that may still be in progress when they come back).
        again = np.flatnonzero(self.reentering & (rng.random(n) < 0.8))
        first_decided = self.first_duties[again] + self._delays(self.first_duties[again])
        keep = first_decided < self.first_exit[again] - 10
        again, first_decided = again[keep], first_decided[keep]
        recent = rng.random(again.size) < 0.5
        recent_decided = _between(
            rng,
            np.maximum(first_decided + 30, self.first_exit[again] - 300),
            self.first_exit[again] - 10,
            again.size,
        )
        recent &= recent_decided > first_decided + 30
        follow = again[recent]

        parts = [
            (np.flatnonzero(oriented), decided, notified, notified_known, organisme, dominante, 0),
            (
                np.flatnonzero(reoriented),
                re_decided,
                re_notified,
                re_notified_known,
                re_organisme,
                re_dominante,
                1,
            ),
        ]
        people = [part[0] for part in parts]
        decided_parts = [part[1][part[0]] for part in parts]
        notified_parts = [part[2][part[0]] for part in parts]
        known_parts = [part[3][part[0]] for part in parts]
        organisme_parts = [part[4][part[0]] for part in parts]
        dominante_parts = [part[5][part[0]] for part in parts]
        reorientation_parts = [np.full(part[0].size, bool(part[6])) for part in parts]
        for who, days, reoriented_flag in (
            (again, first_decided, False),
            (follow, recent_decided[recent], True),
        ):
            codes = np.where(self.young[who], ORG_ML, _codes(rng, who.size, ORGANISME_SHARES_ADULT))
            people.append(who)
            decided_parts.append(days)
            notified_parts.append(days + _between(rng, 0, 7, who.size))
            known_parts.append(np.ones(who.size, bool))
            organisme_parts.append(codes)
            dominante_parts.append(_conditional_codes(rng, codes, DOMINANTE_GIVEN_ORGANISME))
            reorientation_parts.append(np.full(who.size, reoriented_flag))
        person = np.concatenate(people)
        decided_all = np.concatenate(decided_parts)
        flag_all = np.concatenate(reorientation_parts)
        order = np.lexsort((flag_all, decided_all, person))
        # At most one orientation per person, day and kind (no tie left for "the latest").
        repeated = np.zeros(order.size, bool)
        repeated[1:] = (
            (person[order][1:] == person[order][:-1])
            & (decided_all[order][1:] == decided_all[order][:-1])
            & (flag_all[order][1:] == flag_all[order][:-1])
        )
        order = order[~repeated]
        organisme_all = np.concatenate(organisme_parts)[order]
        person = person[order]
        referent, referent_known = self._assign_referents(person, organisme_all)
        self.orientations = _Orientations(
            person=person,
            decided=decided_all[order],
            notified=np.concatenate(notified_parts)[order],
            notified_known=np.concatenate(known_parts)[order],
            organisme=organisme_all,
            dominante=np.concatenate(dominante_parts)[order],
            referent=referent,
            referent_known=referent_known,
            is_reorientation=np.concatenate(reorientation_parts)[order],
        )

    def _assign_referents(
        self, person: np.ndarray, organisme: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Referent ids (globally unique) within each (territory, organisme) pool."""
        rng = self.rng
        pools = len(ORGANISMES) * self.territories
        pool = self.territory[person] * len(ORGANISMES) + organisme
        counts = np.bincount(pool, minlength=pools)
        per_pool = np.where(counts > 0, np.maximum(1, np.rint(counts / PEOPLE_PER_REFERENT)), 0)
        per_pool = per_pool.astype(np.int64)
        base = np.concatenate([[0], np.cumsum(per_pool)[:-1]])
        local = np.floor(per_pool[pool] * rng.random(person.size) ** 1.2).astype(np.int64)
        self.referent_pool = np.repeat(np.arange(pools), per_pool)
        self.referent_cdas = _codes(rng, self.referent_pool.size, (0.5, 0.3, 0.2))
        return base[pool] + local + 1, rng.random(person.size) >= 0.04

    def orientations_table(self) -> pl.DataFrame:
        o = self.orientations
        return pl.DataFrame(
            [
                _territory(self.territory[o.person]),
                _ints("beneficiary_id", self.ids[o.person]),
                _dates("decided_on", o.decided),
                _dates("notified_on", o.notified, o.notified_known),
                _strings("dominante", o.dominante, DOMINANTES),
                _strings("organisme", o.organisme, ORGANISMES),
                _ints("referent_id", o.referent, o.referent_known),
                pl.Series("is_reorientation", o.is_reorientation),
            ]
        )

    def _referent_sites(self) -> np.ndarray:
        organisme = self.referent_pool % len(ORGANISMES)
        return np.select(
            [organisme == ORG_FT, organisme == ORG_ML, organisme == ORG_CD],
            [SITE_FT, SITE_ML, self.referent_cdas],
            0,
        )

    def referents_table(self) -> pl.DataFrame:
        rng, total = self.rng, self.referent_pool.size
        listed = rng.random(total) >= 0.03  # a few referents missing from the table
        target = np.asarray(PORTFOLIO_TARGETS)[_codes(rng, total, PORTFOLIO_TARGET_SHARES)]
        who = np.flatnonzero(listed)
        return pl.DataFrame(
            [
                _territory(self.referent_pool[who] // len(ORGANISMES)),
                _ints("referent_id", who + 1),
                _strings("organisme", self.referent_pool[who] % len(ORGANISMES), ORGANISMES),
                _strings("site", self._referent_sites()[who], SITES),
                _ints("portfolio_target", target[who]),
            ]
        )

    def people_table(self) -> pl.DataFrame:
        rng, n, o = self.rng, self.size, self.orientations
        # The site of the referent of the person's latest orientation, else the home CDAS.
        site = self.home_cdas.copy()
        with_referent = o.referent_known
        latest = np.zeros(n, dtype=np.int64) - 1
        latest[o.person[with_referent]] = o.referent[with_referent] - 1  # rows sorted by date
        has = latest >= 0
        site[has] = self._referent_sites()[latest[has]]
        return pl.DataFrame(
            [
                _territory(self.territory),
                _ints("beneficiary_id", self.ids),
                _ints("birth_year", self.birth_year, rng.random(n) >= 0.005),
                _strings("sex", _codes(rng, n, SEX_SHARES), SEXES, rng.random(n) >= 0.003),
                _strings("site", site, SITES, rng.random(n) >= 0.01),
                _strings(
                    "family_situation",
                    _codes(rng, n, FAMILY_SHARES),
                    FAMILY_SITUATIONS,
                    rng.random(n) >= 0.01,
                ),
                _strings(
                    "education_level",
                    _codes(rng, n, EDUCATION_SHARES),
                    EDUCATION_LEVELS,
                    rng.random(n) >= 0.04,
                ),
            ]
        )

    # -- appointments and contracts ----------------------------------------------------

    def draw_journey(self) -> None:
        rng, n, spell, end = self.rng, self.size, self.current, self.end
        rows: list[tuple[np.ndarray, ...]] = []

        def add(
            people,
            kind,
            day,
            status,
            invited,
            invited_known,
            reminder,
            reminded,
            referent,
            slot=None,
        ):
            total = people.size
            if slot is None:
                slot = SLOTS_MINUTES[rng.integers(0, SLOTS_MINUTES.size, total)]
            rows.append(
                (
                    people,
                    np.full(total, kind),
                    day,
                    slot,
                    status,
                    invited,
                    invited_known,
                    reminder,
                    reminded,
                    referent,
                )
            )

        no_referent = np.zeros(0, dtype=np.int64)

        def none(total):
            return np.full(total, -1) if total else no_referent

        # Orientation appointments of the orientations decided since the tool started.
        o = self.orientations
        first = np.flatnonzero(~o.is_reorientation & (o.decided >= self.appointments_from))
        people, decided = o.person[first], o.decided[first]
        total = people.size
        held = decided - _between(rng, 0, 3, total)
        missed = rng.random(total) < 0.22
        missed_day = held - _between(rng, 6, 25, total)
        missed_status = _codes(rng, total, (0.64, 0.22, 0.14)) + ABSENT
        reminded = (missed_status == ABSENT) & (rng.random(total) < 0.8)
        reminder = missed_day + _between(rng, 0, 20, total)
        add(
            people[missed],
            KIND_ORIENTATION,
            missed_day[missed],
            missed_status[missed],
            (missed_day - _between(rng, 2, 10, total))[missed],
            (rng.random(total) >= 0.05)[missed],
            reminder[missed],
            reminded[missed],
            none(int(missed.sum())),
        )
        reinvited = np.minimum(missed_day + _between(rng, 1, 25, total), held)
        slot = SLOTS_MINUTES[rng.integers(0, SLOTS_MINUTES.size, total)]
        add(
            people,
            KIND_ORIENTATION,
            held,
            np.full(total, PRESENT),
            np.where(missed, reinvited, held - _between(rng, 1, 15, total)),
            rng.random(total) >= 0.05,
            held,
            np.zeros(total, bool),
            none(total),
            slot,
        )
        # A duplicate record at the exact same time (0.3 %): the row order decides.
        twins = rng.random(total) < 0.003
        count = int(twins.sum())
        add(
            people[twins],
            KIND_ORIENTATION,
            held[twins],
            np.full(count, ABSENT),
            held[twins],
            np.ones(count, bool),
            held[twins] + 2,
            np.ones(count, bool),
            none(count),
            slot[twins],
        )

        # Entrants who never come: two missed orientation appointments.
        never = np.flatnonzero(self.entering & spell.subject & ~self.would_orient)
        total = never.size
        reference = np.where(spell.t0_known, spell.t0, spell.duties)[never]
        day_one = reference + _between(rng, 5, 20, total)
        day_two = day_one + _between(rng, 10, 30, total)
        for day, shares in ((day_one, (0.8, 0.1, 0.1)), (day_two, (0.9, 0.1, 0.0))):
            status = _codes(rng, total, shares) + ABSENT
            add(
                never,
                KIND_ORIENTATION,
                day,
                status,
                day - _between(rng, 3, 10, total),
                rng.random(total) >= 0.05,
                day + _between(rng, 1, 20, total),
                (status == ABSENT) & (rng.random(total) < 0.7),
                none(total),
            )

        # First accompaniment appointment after each notified orientation since the tool
        # started; a second one when the first was not attended.
        notified = np.flatnonzero(o.notified_known & (o.notified >= self.appointments_from))
        people, notified_on = o.person[notified], o.notified[notified]
        referent = np.where(o.referent_known[notified], o.referent[notified], -1)
        total = people.size
        day_one = notified_on + _between(rng, 2, 45, total)
        status_one = _codes(rng, total, (0.85, 0.08, 0.04, 0.03))
        add(
            people,
            KIND_ACCOMPAGNEMENT,
            day_one,
            status_one,
            notified_on + _between(rng, 0, np.minimum(5, day_one - notified_on), total),
            rng.random(total) >= 0.05,
            day_one + _between(rng, 0, 20, total),
            (status_one == ABSENT) & (rng.random(total) < 0.6),
            referent,
        )
        again = status_one != PRESENT
        day_two = day_one + _between(rng, 5, 25, total)
        status_two = np.where(rng.random(total) < 0.9, PRESENT, ABSENT)
        add(
            people[again],
            KIND_ACCOMPAGNEMENT,
            day_two[again],
            status_two[again],
            (day_one + _between(rng, 1, 4, total))[again],
            np.ones(int(again.sum()), bool),
            day_two[again] + 3,
            np.zeros(int(again.sum()), bool),
            referent[again],
        )
        attended_day = np.where(again, day_two, day_one)
        attended = ~again | (status_two == PRESENT)
        first_attended = np.full(n, NEVER)
        np.minimum.at(first_attended, people[attended], attended_day[attended])

        # Taking over the stock: an accompaniment appointment during the pilot (65 %).
        stock = np.flatnonzero(
            (self.group == GROUP_STOCK)
            & self.oriented
            & (self.decided < self.appointments_from)
            & (rng.random(n) < 0.65)
        )
        total = stock.size
        day = _between(rng, self.start, end, total)
        status = _codes(rng, total, (0.80, 0.12, 0.05, 0.03))
        add(
            stock,
            KIND_ACCOMPAGNEMENT,
            day,
            status,
            day - _between(rng, 5, 20, total),
            rng.random(total) >= 0.05,
            day + _between(rng, 1, 20, total),
            (status == ABSENT) & (rng.random(total) < 0.6),
            none(total),
        )
        taken_over = stock[status == PRESENT]
        np.minimum.at(first_attended, taken_over, day[status == PRESENT])
        self.first_attended = first_attended
        self.appointment_rows = rows

    def appointments_table(self) -> pl.DataFrame:
        rng, spell, end = self.rng, self.current, self.end
        columns = [np.concatenate([row[i] for row in self.appointment_rows]) for i in range(10)]
        people, kind, day, minutes, status, invited, invited_known, reminder, reminded, ref = (
            columns
        )
        valid = (day <= end) & (~spell.exited[people] | (day < spell.exit_day[people]))
        # Not yet held at the extraction; 1 % of past ones never got their status.
        status = np.where(day >= end - 2, PLANIFIE, status)
        status = np.where(rng.random(status.size) < 0.01, PLANIFIE, status)
        reminded = reminded & (reminder <= end) & (status == ABSENT)
        invited = np.minimum(invited, day)
        # Equal times keep a random order (the engine breaks such ties by row order).
        order = np.lexsort((rng.random(people.size), minutes, day, people))
        order = order[valid[order]]
        stamps = (day[order] * 1440 + minutes[order]) * 60_000_000
        return pl.DataFrame(
            [
                _territory(self.territory[people[order]]),
                _ints("beneficiary_id", self.ids[people[order]]),
                _strings("kind", kind[order], KINDS),
                _dates("invited_on", invited[order], invited_known[order]),
                pl.Series("scheduled_at", stamps.astype("datetime64[us]")),
                _strings("status", status[order], STATUSES),
                _dates("reminder_on", reminder[order], reminded[order]),
                _ints("referent_id", ref[order], ref[order] >= 0),
            ]
        )

    def contracts_table(self) -> pl.DataFrame:
        rng, n, spell, end = self.rng, self.size, self.current, self.end
        attended = self.first_attended < NEVER
        lag = np.select(
            [rng.random(n) < 0.12, rng.random(n) < 0.03, rng.random(n) < 0.82],
            [0, -_between(rng, 1, 5, n), _between(rng, 1, 20, n)],
            _between(rng, 21, 60, n),
        )
        signed = np.where(attended, self.first_attended, 0) + lag
        # The stock oriented before the pilot signed long ago.
        old = self.oriented & ~attended & (self.decided < self.appointments_from)
        signed = np.where(old, self.decided + _between(rng, 5, 90, n), signed)
        signing = ((attended & (rng.random(n) < 0.92)) | (old & (rng.random(n) < 0.88))) & (
            signed <= end
        )
        signing &= ~spell.exited | (signed < spell.exit_day)
        ended_early = _between(rng, signed + 90, signed + 600, n)
        ended_by_exit = spell.exited & (spell.exit_day >= signed)
        ended = np.where(ended_by_exit, spell.exit_day, ended_early)
        has_end = ended_by_exit | ((rng.random(n) < 0.12) & (ended_early <= end))
        renewed = signing & has_end & ~ended_by_exit & (rng.random(n) < 0.4)
        renewed_on = ended + _between(rng, 0, 30, n)
        renewed &= renewed_on <= end

        who = np.concatenate([np.flatnonzero(signing), np.flatnonzero(renewed)])
        signed_on = np.concatenate([signed[signing], renewed_on[renewed]])
        ended_on = np.concatenate([ended[signing], np.zeros(int(renewed.sum()), np.int64)])
        ended_known = np.concatenate([has_end[signing], np.zeros(int(renewed.sum()), bool)])
        organisme = self.current_organisme[who]
        kind = np.select(
            [signed_on >= day_number(CE_FROM), organisme == ORG_FT, organisme == ORG_ML],
            [CE, PPAE, CEJ],
            CER,
        )
        order = np.lexsort((signed_on, who))
        self.contract_people, self.contract_signed = who[order], signed_on[order]
        return pl.DataFrame(
            [
                _territory(self.territory[who[order]]),
                _ints("beneficiary_id", self.ids[who[order]]),
                _strings("kind", kind[order], CONTRACT_KINDS),
                _dates("signed_on", signed_on[order]),
                _dates("ended_on", ended_on[order], ended_known[order]),
            ]
        )

    def add_milestones(self) -> None:
        """A milestone interview (jalon) about six months after 70 % of the contracts."""
        rng = self.rng
        who, signed = self.contract_people, self.contract_signed
        keep = rng.random(who.size) < 0.7
        who, signed = who[keep], signed[keep]
        total = who.size
        day = signed + _between(rng, 150, 210, total)
        status = _codes(rng, total, (0.85, 0.10, 0.05))
        self.appointment_rows.append(
            (
                who,
                np.full(total, KIND_JALON),
                day,
                SLOTS_MINUTES[rng.integers(0, SLOTS_MINUTES.size, total)],
                status,
                day - _between(rng, 7, 14, total),
                np.ones(total, bool),
                day + 2,
                status == ABSENT,
                np.full(total, -1),
            )
        )

    # -- activity and employment -------------------------------------------------------

    def draw_activity_start(self) -> None:
        """Who has activities (and employment), from when: the first attended accompaniment
        appointment, or for 60 % of the stock oriented before the pilot a day in its first
        300 days."""
        rng, n = self.rng, self.size
        attended = self.first_attended < NEVER
        stock_active = (
            (self.group == GROUP_STOCK)
            & self.oriented
            & (self.decided < self.start)
            & (rng.random(n) < 0.6)
        )
        start_day = np.where(attended, self.first_attended, self.start + _between(rng, 0, 300, n))
        self.activity_start = start_day
        self.active = (attended | stock_active) & (start_day <= self.last_active)

    def activity_hours_table(self) -> pl.DataFrame:
        rng = self.rng
        start_day = self.activity_start
        people = np.flatnonzero(self.active)
        # Activities start from two weeks before to three weeks after the first act.
        first_week = monday_on_or_before(start_day[people]) + 7 * _between(rng, -2, 3, people.size)
        last_week = monday_on_or_before(self.last_active[people])
        stopped = rng.random(people.size) < 0.3
        last_week = np.where(stopped, last_week - 7 * _between(rng, 1, 20, people.size), last_week)
        available = (last_week - first_week) // 7 + 1
        weeks = np.clip(
            np.minimum(_between(rng, WEEKS_MIN, WEEKS_MAX, people.size), available), 0, None
        )
        people, weeks, last_week = people[weeks > 0], weeks[weeks > 0], last_week[weeks > 0]
        progress = np.clip((last_week - self.start) / (self.end - self.start), 0.0, 1.0)
        intensive = rng.random(people.size) < 0.18 + 0.14 * progress
        total = int(weeks.sum())
        # Rows are built per person, weeks in ascending order, in 32-bit arrays (30 million
        # rows at 2 million people).
        row_person = np.repeat(np.arange(people.size, dtype=np.int32), weeks)
        offset = np.arange(total, dtype=np.int32)
        offset -= np.repeat((np.cumsum(weeks) - weeks).astype(np.int32), weeks)
        first_monday = (last_week - 7 * (weeks - 1)).astype(np.int32)
        week_start = first_monday[row_person] + 7 * offset
        del offset
        intensive_rows = intensive[row_person]
        hours = np.empty(total)
        hours[intensive_rows] = rng.normal(18.0, 3.5, int(intensive_rows.sum()))
        hours[~intensive_rows] = rng.gamma(2.0, 3.2, total - int(intensive_rows.sum()))
        del intensive_rows
        hours[rng.random(total, dtype=np.float32) < 0.08] = 0.0
        # Two rows in one week for 2 % of the weeks (they add up); appended at the end.
        doubled = np.flatnonzero(rng.random(total, dtype=np.float32) < 0.02)
        extra_hours = rng.gamma(1.5, 2.0, doubled.size)
        frames = []
        for rows, days, values in (
            (row_person, week_start, hours),
            (row_person[doubled], week_start[doubled], extra_hours),
        ):
            np.clip(values, 0.0, 35.0, out=values)
            values *= 2
            np.round(values, out=values)
            values /= 2
            index = pl.Series(rows)
            frames.append(
                pl.DataFrame(
                    [
                        _territory(self.territory[people]).gather(index),
                        _ints("beneficiary_id", self.ids[people]).gather(index),
                        _dates("week_start", days),
                        pl.Series("hours", values),
                    ]
                )
            )
            del index
        return pl.concat(frames, rechunk=False)

    def outcomes_table(self) -> pl.DataFrame:
        rng, n, spell = self.rng, self.size, self.current
        start_day, active = self.activity_start, self.active
        lower = start_day + 30
        during = _between(rng, lower, np.maximum(lower, self.last_active), n)
        to_work = spell.exited & (rng.random(n) < 0.33)
        started = np.where(
            to_work, np.maximum(spell.exit_day - _between(rng, 0, 30, n), start_day), during
        )
        chosen = active & (rng.random(n) < 0.12) & (started <= self.end)
        who = np.flatnonzero(chosen)
        started = started[who]
        second = rng.random(who.size) < 0.02
        later = started + _between(rng, 30, 200, who.size)
        second &= later <= self.end
        who = np.concatenate([who, who[second]])
        started = np.concatenate([started, later[second]])
        total = who.size
        kind = _codes(rng, total, CONTRACT_TYPE_SHARES)
        duration = np.full(total, np.nan)
        for code, (values, shares) in DURATIONS.items():
            members = np.flatnonzero(kind == code)
            duration[members] = np.asarray(values, float)[_codes(rng, members.size, shares)]
        long_enough = np.nan_to_num(duration, nan=0.0) >= 6
        durable = (kind == CDI) | (kind == CREATION) | (np.isin(kind, (CDD, INTERIM)) & long_enough)
        # The source sometimes flags an IAE or alternance contract durable, or a CDI not.
        durable |= np.isin(kind, (IAE, ALTERNANCE)) & (rng.random(total) < 0.04)
        durable &= ~((kind == CDI) & (rng.random(total) < 0.02))
        order = np.lexsort((started, who))
        return pl.DataFrame(
            [
                _territory(self.territory[who[order]]),
                _ints("beneficiary_id", self.ids[who[order]]),
                _dates("started_on", started[order]),
                _strings("contract_type", kind[order], CONTRACT_TYPES),
                pl.Series("duration_months", duration[order], nan_to_null=True),
                pl.Series("durable", durable[order]),
            ]
        )


def generate_tables(size: int, territories: int = 100, seed: int = 2024) -> dict[str, pl.DataFrame]:
    """The eight input tables for `size` beneficiaries split over `territories`, each with
    a `territory` column (Int16, 0 to territories - 1). Deterministic from `seed`."""
    generator = _Generator(size, territories, seed)
    generator.draw_population()
    rights = generator.rights_table()
    generator.draw_orientations()
    orientations = generator.orientations_table()
    referents = generator.referents_table()
    people = generator.people_table()
    generator.draw_journey()
    contracts = generator.contracts_table()
    generator.add_milestones()
    appointments = generator.appointments_table()
    del generator.appointment_rows
    generator.draw_activity_start()
    activity_hours = generator.activity_hours_table()
    outcomes = generator.outcomes_table()
    return {
        "people": people,
        "rights": rights,
        "orientations": orientations,
        "appointments": appointments,
        "contracts": contracts,
        "referents": referents,
        "activity_hours": activity_hours,
        "outcomes": outcomes,
    }


def frames_of(tables: dict[str, pl.DataFrame]) -> Frames:
    """The engine's Frames of `tables` (the `territory` column is ignored)."""
    return Frames(**{name: tables[name] for name in TABLES})


def split_by_territory(tables: dict[str, pl.DataFrame]) -> dict[int, dict[str, pl.DataFrame]]:
    """{territory: its tables}, every territory present in `people` listed (tables may be
    empty for one territory)."""
    territories = sorted(tables["people"]["territory"].unique().to_list())
    parts = {
        name: frame.partition_by("territory", as_dict=True, maintain_order=True)
        for name, frame in tables.items()
    }
    return {
        territory: {name: parts[name].get((territory,), tables[name].clear()) for name in TABLES}
        for territory in territories
    }


def table_rows(tables: dict[str, pl.DataFrame]) -> dict[str, int]:
    """Row count of each table."""
    return {name: tables[name].height for name in TABLES}
