"""Generate a reproducible demo territory (Pays de Redon et Vallons de Vilaine, 35).

`generate_demo` is pure: no database, no clock, and all randomness comes from
`numpy.random.default_rng(seed)`, so the same arguments always give the same
`DemoData`. The figures are those of the Redon pilot (domain.md), scaled
linearly by `size`, the stock of people subject to droits et devoirs at `end`.
The steps live in their own modules: population, orientation, reference
(sites, referents, targets), journey (appointments, contracts), activity
(hours, employment) and roadmap.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np

from dashboard.demo.activity import draw_activity_hours, draw_employment
from dashboard.demo.journey import draw_journey
from dashboard.demo.orientation import DOMINANTES, ORGANISMES, Orientations, draw_orientations
from dashboard.demo.population import HISTORY_MONTHS, Population, draw_population
from dashboard.demo.records import (
    BeneficiaryRecord,
    DemoData,
    OrientationRecord,
    ReferentRecord,
    RightsPeriodRecord,
)
from dashboard.demo.reference import (
    CDAS_SITES,
    SITES,
    assign_referents,
    build_referents,
    build_targets,
)
from dashboard.demo.roadmap import build_roadmap
from dashboard.demo.sampling import add_months, as_dates, as_ints, as_objects, day_number
from dashboard.models import (
    EducationLevel,
    ExitReason,
    FamilySituation,
    Payer,
    Sex,
)

DEFAULT_SIZE = 1400
DEFAULT_SEED = 2024
DEFAULT_END = dt.date(2024, 12, 31)
MIN_SIZE = 1


def pilot_start_for(end: dt.date) -> dt.date:
    """First day of the 24 months of history ending at `end`."""
    return add_months(end, -HISTORY_MONTHS) + dt.timedelta(days=1)


def demo_pseudonym(seed: int, index: int) -> str:
    """The pseudonym of the demo person `index`: 64 hex characters, like a keyed hash."""
    return hashlib.sha256(f"demo-{seed}-{index}".encode()).hexdigest()


def _beneficiaries(
    seed: int, pop: Population, orient: Orientations, referents: list[ReferentRecord]
) -> list[BeneficiaryRecord]:
    referent_sites = [r.site for r in referents]
    home = as_objects(pop.home_cdas, CDAS_SITES)
    current = orient.current_referent
    sites = [
        referent_sites[referent] if referent >= 0 else home_site
        for referent, home_site in zip(current.tolist(), home, strict=True)
    ]
    return list(
        map(
            BeneficiaryRecord,
            [demo_pseudonym(seed, index) for index in range(pop.size)],
            as_ints(pop.birth_year),
            as_objects(pop.sex, tuple(Sex)),
            as_objects(pop.family, tuple(FamilySituation), pop.family >= 0),
            as_objects(pop.education, tuple(EducationLevel), pop.education >= 0),
            as_objects(pop.payer, tuple(Payer)),
            sites,
        )
    )


def _rights_periods(pop: Population, orient: Orientations, start: int) -> list[RightsPeriodRecord]:
    entered = orient.notified_known & (orient.notified >= start)
    exit_known = pop.exited
    return list(
        map(
            RightsPeriodRecord,
            range(pop.size),
            as_dates(pop.rights_opened),
            as_dates(pop.t0, pop.t0_known),
            as_dates(orient.notified, entered),
            as_dates(pop.duties_start, pop.subject),
            as_dates(pop.exit_day, pop.subject & exit_known),
            as_dates(pop.exit_day, exit_known),
            as_objects(pop.exit_reason, tuple(ExitReason), exit_known),
        )
    )


def _orientations(orient: Orientations, referents: list[ReferentRecord]) -> list[OrientationRecord]:
    first, again = np.flatnonzero(orient.oriented), np.flatnonzero(orient.reoriented)
    people = np.concatenate([first, again])
    decided = np.concatenate([orient.decided[first], orient.re_decided[again]])
    notified = np.concatenate([orient.notified[first], orient.re_notified[again]])
    known = np.concatenate([orient.notified_known[first], orient.re_notified_known[again]])
    dominante = np.concatenate([orient.dominante[first], orient.current_dominante[again]])
    organisme = np.concatenate([orient.organisme[first], orient.current_organisme[again]])
    referent = np.concatenate([orient.referent[first], orient.current_referent[again]])
    is_reorientation = np.concatenate([np.zeros(first.size, bool), np.ones(again.size, bool)])
    order = np.lexsort((decided, people))
    return list(
        map(
            OrientationRecord,
            as_ints(people[order]),
            as_dates(decided[order]),
            as_dates(notified[order], known[order]),
            as_objects(dominante[order], DOMINANTES),
            as_objects(organisme[order], ORGANISMES),
            as_objects(referent[order], [r.code for r in referents], referent[order] >= 0),
            is_reorientation[order].tolist(),
        )
    )


def generate_demo(
    size: int = DEFAULT_SIZE, seed: int = DEFAULT_SEED, end: dt.date = DEFAULT_END
) -> DemoData:
    """Generate the demo territory: a stock of `size` people at `end`, 24 months of history.

    Deterministic: the same (size, seed, end) always give equal `DemoData`.
    Records reference beneficiaries by index in `DemoData.beneficiaries`,
    sites by name and referents by code (see `dashboard.demo.records`).
    """
    if size < MIN_SIZE:
        raise ValueError(f"Taille de démonstration invalide : {size} (au moins {MIN_SIZE}).")
    rng = np.random.default_rng(seed)
    pilot_start = pilot_start_for(end)
    start, stop = day_number(pilot_start), day_number(end)

    pop = draw_population(rng, size, start, stop)
    orient = draw_orientations(rng, pop, start, stop)
    referents = build_referents(rng, pop, orient)
    orient.current_referent = assign_referents(
        rng, referents, orient.current_organisme, pop.home_cdas, orient.oriented
    )
    before = assign_referents(rng, referents, orient.organisme, pop.home_cdas, orient.reoriented)
    orient.referent = np.where(orient.reoriented, before, orient.current_referent)

    journey = draw_journey(rng, pop, orient, referents.records, stop)
    hours = draw_activity_hours(rng, pop, journey.accompanied_on, journey.accompanied, start, stop)
    outcomes = draw_employment(rng, pop, journey.accompanied_on, journey.accompanied, start, stop)
    return DemoData(
        size=size,
        seed=seed,
        end=end,
        pilot_start=pilot_start,
        sites=list(SITES),
        referents=referents.records,
        beneficiaries=_beneficiaries(seed, pop, orient, referents.records),
        rights_periods=_rights_periods(pop, orient, start),
        orientations=_orientations(orient, referents.records),
        appointments=journey.appointments,
        contracts=journey.contracts,
        activity_hours=hours,
        employment_outcomes=outcomes,
        indicator_targets=build_targets(pilot_start),
        roadmap_actions=build_roadmap(pilot_start),
    )
