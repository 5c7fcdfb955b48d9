"""Weekly activity hours and returns to employment of accompanied people.

- Hours: for each accompanied person, a run of 8 to 15 consecutive weeks
  (Mondays) ending at the last week of the history (or the week before the
  exit), never before the first attended accompaniment appointment nor the
  pilot start. About a quarter of the weeks reach 15 hours, the intensive
  share rising over the pilot.
- Employment: about 12 % of the people accompanied during the history
  return to work, first those whose rights ended for employment. Durable:
  CDI, creation, or CDD / interim of 6 months or more.
"""

from __future__ import annotations

import numpy as np

from dashboard.demo.population import Population
from dashboard.demo.records import ActivityHoursRecord, EmploymentOutcomeRecord
from dashboard.demo.sampling import (
    as_dates,
    as_floats,
    as_ints,
    as_objects,
    draw_codes,
    integers,
    monday_on_or_before,
)
from dashboard.models import EmploymentContractType

WEEKS_MIN, WEEKS_MAX = 8, 15
INTENSIVE_SHARE_START, INTENSIVE_SHARE_END = 0.18, 0.32
INTENSIVE_MEAN_HOURS, INTENSIVE_SD_HOURS = 18.0, 3.5
LIGHT_GAMMA_SHAPE, LIGHT_GAMMA_SCALE = 2.0, 3.2
IDLE_WEEK_SHARE = 0.08
MAX_HOURS = 25.0
EXIT_REASON_EMPLOI = 0
EMPLOYMENT_SHARE = 0.12

CONTRACT_TYPES = (
    EmploymentContractType.CDI,
    EmploymentContractType.CDD,
    EmploymentContractType.INTERIM,
    EmploymentContractType.CREATION,
    EmploymentContractType.IAE,
    EmploymentContractType.ALTERNANCE,
)
CDI, CDD, INTERIM, CREATION, IAE, ALTERNANCE = range(len(CONTRACT_TYPES))
CONTRACT_TYPE_SHARES = (0.18, 0.33, 0.18, 0.08, 0.15, 0.08)
# Duration in months (and probabilities) per contract type; CDI and creation have none.
DURATIONS = {
    CDD: ((1, 2, 3, 4, 5, 6, 8, 12), (0.12, 0.12, 0.14, 0.12, 0.10, 0.18, 0.10, 0.12)),
    INTERIM: ((1, 2, 3, 4, 6, 9), (0.25, 0.25, 0.20, 0.15, 0.10, 0.05)),
    IAE: ((4, 6, 8, 12, 24), (0.35, 0.20, 0.15, 0.20, 0.10)),
    ALTERNANCE: ((6, 12, 24), (0.30, 0.40, 0.30)),
}
DURABLE_MIN_MONTHS = 6


def _last_active_day(pop: Population, end: int) -> np.ndarray:
    return np.where(pop.exited, np.minimum(pop.exit_day - 1, end), end)


def draw_activity_hours(
    rng: np.random.Generator,
    pop: Population,
    accompanied_on: np.ndarray,
    accompanied: np.ndarray,
    start: int,
    end: int,
) -> list[ActivityHoursRecord]:
    """8 to 15 recent weeks of activity hours per accompanied person."""
    first_week = monday_on_or_before(np.maximum(accompanied_on, start) + 6)
    last_week = monday_on_or_before(_last_active_day(pop, end))
    available = np.where(accompanied, (last_week - first_week) // 7 + 1, 0)
    weeks = np.clip(np.minimum(integers(rng, WEEKS_MIN, WEEKS_MAX, pop.size), available), 0, None)
    people = np.flatnonzero(weeks > 0)
    weeks, last_week = weeks[people], last_week[people]
    progress = np.clip((last_week - start) / max(end - start, 1), 0.0, 1.0)
    intensive_share = (
        INTENSIVE_SHARE_START + (INTENSIVE_SHARE_END - INTENSIVE_SHARE_START) * progress
    )
    intensive = rng.random(people.size) < intensive_share

    rows = int(weeks.sum())
    row_person = np.repeat(np.arange(people.size), weeks)
    offset = np.arange(rows) - np.repeat(np.cumsum(weeks) - weeks, weeks)
    week_start = last_week[row_person] - 7 * offset
    hours = np.where(
        intensive[row_person],
        rng.normal(INTENSIVE_MEAN_HOURS, INTENSIVE_SD_HOURS, size=rows),
        rng.gamma(LIGHT_GAMMA_SHAPE, LIGHT_GAMMA_SCALE, size=rows),
    )
    hours[rng.random(rows) < IDLE_WEEK_SHARE] = 0.0
    hours = np.round(np.clip(hours, 0.0, MAX_HOURS) * 2) / 2
    order = np.lexsort((week_start, row_person))
    return list(
        map(
            ActivityHoursRecord,
            as_ints(people[row_person][order]),
            as_dates(week_start[order]),
            as_floats(hours[order]),
        )
    )


def draw_employment(
    rng: np.random.Generator,
    pop: Population,
    accompanied_on: np.ndarray,
    accompanied: np.ndarray,
    start: int,
    end: int,
) -> list[EmploymentOutcomeRecord]:
    """Returns to employment of about 12 % of the accompanied people."""
    total = pop.size
    earliest = np.maximum(accompanied_on, start)
    last = _last_active_day(pop, end)
    to_work = pop.exited & (pop.exit_reason == EXIT_REASON_EMPLOI)
    at_exit = np.maximum(pop.exit_day - integers(rng, 0, 30, total), earliest)
    lower = np.maximum(accompanied_on + 30, start)
    during = lower + np.floor(rng.random(total) * (np.maximum(last - lower, 0) + 1))
    started = np.where(to_work, at_exit, during.astype(np.int64))
    valid = accompanied & np.where(to_work, at_exit <= last + 1, lower <= last)

    wanted = round(EMPLOYMENT_SHARE * int(accompanied.sum()))
    priority = np.where(to_work, 0, 1) * total + rng.permutation(total)
    ranked = np.argsort(priority, kind="stable")
    people = np.sort(ranked[valid[ranked]][:wanted])
    count = people.size

    kind = draw_codes(rng, count, CONTRACT_TYPE_SHARES)
    duration = np.full(count, np.nan)
    for code, (values, shares) in DURATIONS.items():
        members = np.flatnonzero(kind == code)
        duration[members] = np.asarray(values, dtype=float)[draw_codes(rng, members.size, shares)]
    long_enough = np.nan_to_num(duration, nan=0.0) >= DURABLE_MIN_MONTHS
    durable = (
        (kind == CDI) | (kind == CREATION) | (((kind == CDD) | (kind == INTERIM)) & long_enough)
    )
    return list(
        map(
            EmploymentOutcomeRecord,
            as_ints(people),
            as_dates(started[people]),
            as_objects(kind, CONTRACT_TYPES),
            as_floats(duration),
            durable.tolist(),
        )
    )
