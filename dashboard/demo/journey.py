"""Appointments and contracts of engagement along each person's path.

- Orientation appointment: invited within 15 days of T0, held on the day of
  the orientation decision or up to 3 days before; about 22 % of first
  appointments are missed (absent, excused, cancelled) and followed by
  another one, most absences by a reminder a few days later. New entrants
  who never show up get two missed appointments.
- First accompaniment appointment 5 to 40 days after the notification of
  the (current) orientation, with the referent, at the referent's site.
- Contract (CER for CD / CCAS / MSA, PPAE for FT, CEJ for ML, CE from 2025)
  signed mostly 1 to 20 days after the first attended accompaniment
  appointment; a milestone interview (jalon) about six months later.

Anything after `end`, or after the person's exit, is not generated.
Appointments of the last two days before `end` are still `planifie`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from dashboard.demo.orientation import ORG_FT, ORG_ML, Orientations
from dashboard.demo.population import GROUP_NEW, Population
from dashboard.demo.records import AppointmentRecord, ContractRecord, ReferentRecord
from dashboard.demo.reference import SITES
from dashboard.demo.sampling import (
    as_dates,
    as_datetimes,
    as_ints,
    as_objects,
    day_number,
    draw_codes,
    integers,
)
from dashboard.models import AppointmentKind, AppointmentStatus, ContractKind

KINDS = (AppointmentKind.ORIENTATION, AppointmentKind.ACCOMPAGNEMENT, AppointmentKind.JALON)
KIND_ORIENTATION, KIND_ACCOMPAGNEMENT, KIND_JALON = range(3)
STATUSES = (
    AppointmentStatus.PRESENT,
    AppointmentStatus.ABSENT,
    AppointmentStatus.EXCUSE,
    AppointmentStatus.ANNULE,
    AppointmentStatus.PLANIFIE,
)
PRESENT, ABSENT, EXCUSE, ANNULE, PLANIFIE = range(5)
FIRST_ORIENTATION_STATUS_SHARES = (0.78, 0.14, 0.05, 0.03)
ACCOMPANIMENT_STATUS_SHARES = (0.85, 0.10, 0.05)
REMINDED_ABSENCE_SHARE = 0.8
SLOTS_MINUTES = (9 * 60 + 30, 14 * 60)
CONTRACT_SHARE = 0.95
JALON_SHARE = 0.7
CE_FROM = dt.date(2025, 1, 1)  # contrat d'engagement of the loi pour le plein emploi
SITE_NAMES = tuple(site.name for site in SITES)


@dataclass
class Journey:
    """Records, and per person the first attended accompaniment day (`accompanied`)."""

    appointments: list[AppointmentRecord]
    contracts: list[ContractRecord]
    accompanied_on: np.ndarray
    accompanied: np.ndarray


class _Appointments:
    """Column accumulator; rows are only kept when on or before `end` and before exit."""

    def __init__(self, pop: Population, end: int) -> None:
        self.pop, self.end, self.parts = pop, end, []

    def add(
        self,
        rng: np.random.Generator,
        kind: int,
        keep: np.ndarray,
        columns: tuple[np.ndarray, ...],
        remind: bool = True,
    ) -> None:
        """Rows of `keep` from columns (people, day, status, invited, reminder, site, referent)."""
        people, day, status, invited, reminder, site, referent = (c[keep] for c in columns)
        total = people.size
        reminded = (status == ABSENT) & (rng.random(total) < REMINDED_ABSENCE_SHARE)
        reminded &= remind & (reminder <= self.end)
        exited, exit_day = self.pop.exited[people], self.pop.exit_day[people]
        valid = (day <= self.end) & (~exited | (day < exit_day))
        status = np.where(day >= self.end - 1, PLANIFIE, status)
        reminded &= status != PLANIFIE
        minutes = np.asarray(SLOTS_MINUTES)[rng.integers(0, len(SLOTS_MINUTES), size=total)]
        row = (people, np.full(total, kind), day, minutes, status, invited, reminder, reminded)
        self.parts.append(tuple(column[valid] for column in (*row, site, referent)))

    def records(self, referents: list[ReferentRecord]) -> list[AppointmentRecord]:
        columns = [np.concatenate([part[i] for part in self.parts]) for i in range(10)]
        order = np.lexsort(tuple(columns[i] for i in (3, 2, 1, 0)))  # people, kind, day, slot
        people, kind, day, minutes, status, invited, reminder, reminded, site, referent = (
            column[order] for column in columns
        )
        codes = [r.code for r in referents]
        return list(
            map(
                AppointmentRecord,
                as_ints(people),
                as_objects(kind, KINDS),
                as_dates(invited),
                as_datetimes(day, minutes),
                as_objects(status, STATUSES),
                as_dates(reminder, reminded),
                as_objects(site, SITE_NAMES, site >= 0),
                as_objects(referent, codes, referent >= 0),
            )
        )


def _orientation_appointments(
    rng: np.random.Generator, pop: Population, orient: Orientations, out: _Appointments
) -> None:
    people = np.flatnonzero(orient.would_orient | orient.oriented)
    total = people.size
    ref, decided = orient.reference_day[people], orient.decided[people]
    back = np.floor(rng.random(total) * (np.minimum(3, decided - ref - 2) + 1)).astype(np.int64)
    held = decided - back
    invited = ref + np.floor(rng.random(total) * (np.minimum(15, held - ref - 1) + 1))
    invited = invited.astype(np.int64)
    first_status = draw_codes(rng, total, FIRST_ORIENTATION_STATUS_SHARES)
    missed = (first_status != PRESENT) & (held - invited >= 8)
    missed_day = invited + 2 + np.floor(rng.random(total) * (held - invited - 5)).astype(np.int64)
    reinvited = missed_day + integers(rng, 1, 3, total)
    site, none = pop.home_cdas[people], np.full(total, -1)
    reminder = missed_day + integers(rng, 1, 3, total)
    out.add(
        rng,
        KIND_ORIENTATION,
        missed,
        (people, missed_day, first_status, invited, reminder, site, none),
    )
    attended = np.full(total, PRESENT)
    out.add(
        rng,
        KIND_ORIENTATION,
        np.ones(total, dtype=bool),
        (people, held, attended, np.where(missed, reinvited, invited), held, site, none),
    )

    # New entrants who never come: two missed appointments.
    absent = np.flatnonzero(pop.subject & (pop.group == GROUP_NEW) & ~orient.would_orient)
    count = absent.size
    invited = orient.reference_day[absent] + integers(rng, 0, 15, count)
    first = invited + integers(rng, 3, 12, count)
    second = first + integers(rng, 10, 25, count)
    site, none, everyone = pop.home_cdas[absent], np.full(count, -1), np.ones(count, dtype=bool)
    for day, invited_on, shares in (
        (first, invited, (0, 0.8, 0.1, 0.1)),
        (second, first + integers(rng, 1, 3, count), (0, 0.9, 0.1, 0)),
    ):
        status, reminder = draw_codes(rng, count, shares), day + integers(rng, 1, 5, count)
        out.add(
            rng, KIND_ORIENTATION, everyone, (absent, day, status, invited_on, reminder, site, none)
        )


def draw_journey(
    rng: np.random.Generator,
    pop: Population,
    orient: Orientations,
    referents: list[ReferentRecord],
    end: int,
) -> Journey:
    """Appointments (orientation, accompaniment, jalon) and contracts of engagement."""
    out = _Appointments(pop, end)
    _orientation_appointments(rng, pop, orient, out)

    referent_site = np.asarray([SITE_NAMES.index(r.site) if r.site else -1 for r in referents])
    people = np.flatnonzero(orient.current_notified_known)
    total = people.size
    notified = orient.current_notified[people]
    referent = orient.current_referent[people]
    site = np.where(referent >= 0, referent_site[np.maximum(referent, 0)], pop.home_cdas[people])
    first = notified + integers(rng, 5, 40, total)
    first_status = draw_codes(rng, total, ACCOMPANIMENT_STATUS_SHARES)
    second = first + integers(rng, 7, 20, total)
    second_status = np.where(rng.random(total) < 0.9, PRESENT, ABSENT)
    again = first_status != PRESENT
    for mask, day, status, invited in (
        (np.ones(total, dtype=bool), first, first_status, notified + integers(rng, 0, 3, total)),
        (again, second, second_status, first + integers(rng, 1, 3, total)),
    ):
        reminder = day + integers(rng, 1, 3, total)
        out.add(
            rng, KIND_ACCOMPAGNEMENT, mask, (people, day, status, invited, reminder, site, referent)
        )

    attended_day = np.where(again, second, first)
    exit_ok = ~pop.exited[people] | (attended_day < pop.exit_day[people])
    attended = (~again | (second_status == PRESENT)) & (attended_day <= end - 2) & exit_ok
    accompanied_on = np.zeros(pop.size, dtype=np.int64)
    accompanied = np.zeros(pop.size, dtype=bool)
    accompanied_on[people], accompanied[people] = attended_day, attended

    lag = np.select(
        [rng.random(total) < 0.12, rng.random(total) < 0.89],
        [0, integers(rng, 1, 20, total)],
        integers(rng, 21, 60, total),
    )
    signed_on = attended_day + lag
    signed = (
        attended
        & (rng.random(total) < CONTRACT_SHARE)
        & (signed_on <= end)
        & (~pop.exited[people] | (signed_on < pop.exit_day[people]))
    )
    organisme = orient.current_organisme[people]
    kind = np.select(
        [signed_on >= day_number(CE_FROM), organisme == ORG_FT, organisme == ORG_ML], [3, 1, 2], 0
    )
    jalon = signed_on + integers(rng, 150, 210, total)
    has_jalon = signed & (rng.random(total) < JALON_SHARE)
    jalon_status = draw_codes(rng, total, ACCOMPANIMENT_STATUS_SHARES)
    invited, reminder = jalon - integers(rng, 7, 14, total), jalon + integers(rng, 1, 3, total)
    out.add(
        rng, KIND_JALON, has_jalon, (people, jalon, jalon_status, invited, reminder, site, referent)
    )

    ended = pop.exited[people][signed]
    contracts = list(
        map(
            ContractRecord,
            as_ints(people[signed]),
            as_objects(
                kind[signed],
                (ContractKind.CER, ContractKind.PPAE, ContractKind.CEJ, ContractKind.CE),
            ),
            as_dates(signed_on[signed]),
            as_dates(pop.exit_day[people][signed], ended),
        )
    )
    return Journey(out.records(referents), contracts, accompanied_on, accompanied)
