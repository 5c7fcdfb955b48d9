"""Thresholds of the indicators, settable per territory (`Params.from_mapping`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Params:
    """Thresholds; defaults are the pilot's and the law's.

    orientation_days: the pilot rule "orientés en 15 jours et moins", T0
        counting as day 1: in time when notified_on - T0 <= orientation_days - 1
        (T0 01/03 -> notified on or before 15/03).
    legal_orientation_days: the legal six weeks (décret 2024-1244), counted
        after T0: in time when notified_on - T0 <= legal_orientation_days.
    orientation_months: the 2019 contracting rule, in calendar months after T0
        (31/01 + 1 month = 29/02 in a leap year).
    new_entrant_lookback_months: an orientation decided this many months
        before the start of droits et devoirs means a follow-up is in progress,
        so the person is not a new entrant.
    first_appointment_days: the 2019 rule "premier rendez-vous
        d'accompagnement fixé dans les 15 jours": in time when the
        appointment's day - the orientation's notification <= this many days.
    contract_days: the 2019 rule "contrat signé dans la semaine du premier
        rendez-vous effectif": in time when signed_on - the appointment's day
        is between 0 and this many days.
    portfolio_target: people per referent when the referent's own
        portfolio_target is unknown (1 referent for 70, Ille-et-Vilaine).
    intensive_hours: the pilot's intensive accompaniment: a mean of at least
        this many hours of activity a week over the last 4 complete weeks.
    reminder_days: the 2019 rule "absences au premier rendez-vous suivies
        d'une action dans les 15 jours": followed when the reminder or the new
        invitation is dated between the missed day and this many days after.
    pilot_start: the first day of the territory's pilot (the caseload taken
        over is the one subject on that day); None until the territory sets
        it. `from_mapping` also takes it as an ISO string (`2023-01-01`).
    """

    orientation_days: int = 15
    legal_orientation_days: int = 42
    orientation_months: int = 1
    new_entrant_lookback_months: int = 12
    first_appointment_days: int = 15
    contract_days: int = 7
    portfolio_target: int = 70
    intensive_hours: int = 15
    reminder_days: int = 15
    pilot_start: dt.date | None = None

    def __post_init__(self) -> None:
        start = self.pilot_start
        if start is not None and (isinstance(start, dt.datetime) or not isinstance(start, dt.date)):
            raise ValueError(f"Params.pilot_start must be a datetime.date or None, got {start!r}.")
        for item in fields(self):
            if item.name == "pilot_start":
                continue
            value = getattr(self, item.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"Params.{item.name} must be a positive integer, got {value!r}.")

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> Params:
        """Params from a territory's settings; unknown keys are a programmer error."""
        known = {item.name for item in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"Unknown indicator parameter(s): {', '.join(unknown)}.")
        settings = dict(values)
        if isinstance(settings.get("pilot_start"), str):
            try:
                settings["pilot_start"] = dt.date.fromisoformat(settings["pilot_start"])
            except ValueError:
                raise ValueError(
                    f"Params.pilot_start must be an ISO date, got {settings['pilot_start']!r}."
                ) from None
        return cls(**settings)  # type: ignore[arg-type]


DEFAULT_PARAMS = Params()
