"""The path of the period's new entrants, step by step: the COPIL funnel.

Cohort: the period's new entrants (`nouveaux_entrants`, docs/indicators.md),
each with their entry day D (start of droits et devoirs), T0 and entry
orientation (`metrics.orientation.entrant_facts`). Every step is dated in
[D, as_of], both included, so a figure recomputed later gives the same number:

1. `nouveaux_entrants`: the cohort itself.
2. `invites`: an appointment of kind orientation or accompagnement, of any
   status (a cancelled one was still sent), whose invitation day - its
   invited_on, or its scheduled day when invited_on is unknown - is in [D, as_of].
3. `presents`: an appointment of kind orientation or accompagnement with
   status present, scheduled on a day in [D, as_of].
4. `orientes`: the entry orientation is notified on or before as_of.
5. `orientes_15j`: it was notified on or before T0 + 14 days (15 days
   counting T0 as day 1, as taux_orientes_15j); never without a T0.
6. `contrat`: a contract of engagement (CER, PPAE, CE, CEJ) signed in [D, as_of].
7. `intensif`: 4 consecutive weeks adding up to at least 4 x 15 = 60 hours of
   activity, all of them complete weeks between the week of D and the last
   complete week before as_of's week (`metrics.intensity.measured_weeks`;
   a week without a row counts 0 hours, as part_intensif_15h).
8. `emploi`: an employment (outcomes row, any contract type) started in [D, as_of].

`reached` counts the entrants who reached a step whatever happened before;
`count` the ones on the path: who reached the step *and every step before
it*. Path counts are nested, so they never grow from one step to the next.

Disclosure (`disclose_funnel`): every count and reached count that is
positive and under the threshold is hidden, zero is published. Secondary
suppression is not needed here. It protects a partition: the cells of a
breakdown add up to a published total, so one hidden cell is the total minus
the others. The steps of a funnel are nested counts of one cohort, not parts
of a whole: no published figure is a sum of other figures, so a hidden step
cannot be recomputed; it is only bounded by its neighbours, and since path
counts only decrease, every step after a hidden one is under the threshold
too (hidden as well, or zero). The difference between two published steps
(the people lost between them) is not published; that it may be small is the
limit docs/indicators.md already states for two figures published apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

import polars as pl

from metrics.disclosure import suppress_small_count
from metrics.frames import Frames
from metrics.intensity import HOURS_DECIMALS, WEEKS, measured_weeks
from metrics.orientation import entrant_facts
from metrics.params import DEFAULT_PARAMS, Params
from metrics.periods import check_period
from metrics.persons import POSITION, with_positions
from metrics.rounding import percentage

FIRST_KINDS = ("orientation", "accompagnement")
STATUS_PRESENT = "present"

# (code, French label), in the order of the path.
STEPS: tuple[tuple[str, str], ...] = (
    ("nouveaux_entrants", "Nouveaux entrants"),
    ("invites", "Invités à un rendez-vous"),
    ("presents", "Présents à un rendez-vous"),
    ("orientes", "Orientés (orientation notifiée)"),
    ("orientes_15j", "Orientés en 15 jours et moins"),
    ("contrat", "Contrat d'engagement signé"),
    ("intensif", "Accompagnement intensif (15 h par semaine)"),
    ("emploi", "Retour à l'emploi"),
)


@dataclass(frozen=True)
class FunnelStep:
    """One step: people on the path (`count`) and people who reached it (`reached`).

    A count is None when disclosure hid it (never for an exact audience).
    """

    code: str
    label: str
    count: int | None
    reached: int | None

    @property
    def suppressed(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class Funnel:
    """The steps of the path of one period's new entrants, seen at `as_of`."""

    period_start: dt.date
    period_end: dt.date
    as_of: dt.date
    steps: tuple[FunnelStep, ...]

    @property
    def entrants(self) -> int | None:
        return self.steps[0].count

    def share(self, step: FunnelStep) -> float | None:
        """The step's path count as a percentage of the cohort (None when either is hidden)."""
        if step.count is None or not self.entrants:
            return None
        return percentage(step.count, self.entrants)

    def as_dict(self) -> dict[str, Any]:
        return {
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "as_of": self.as_of.isoformat(),
            "steps": [
                {
                    "code": step.code,
                    "label": step.label,
                    "count": step.count,
                    "reached": step.reached,
                    "suppressed": step.suppressed,
                    "share": self.share(step),
                }
                for step in self.steps
            ],
        }


def _dated_hits(cohort: pl.DataFrame, events: pl.DataFrame, day: str, as_of: dt.date) -> pl.Series:
    """For each cohort row, whether the person has an event whose `day` is in [D, as_of]."""
    hits = (
        cohort.select(POSITION, "entry_on")
        .join(events.select(POSITION, day), on=POSITION, how="inner")
        .filter(pl.col(day).is_between(pl.col("entry_on"), pl.lit(as_of)))
    )
    return cohort[POSITION].is_in(hits[POSITION].implode())


def _appointments(frames: Frames) -> pl.DataFrame:
    """First appointments with their day and invitation day (memoised: no date involved)."""

    def build() -> pl.DataFrame:
        return (
            with_positions(frames, "appointments")
            .filter(pl.col("kind").is_in(FIRST_KINDS))
            .with_columns(day=pl.col("scheduled_at").dt.date())
            .with_columns(invited=pl.coalesce(pl.col("invited_on"), pl.col("day")))
        )

    return frames.derived(("funnel_appointments",), build)


def _weekly_hours(frames: Frames) -> pl.DataFrame:
    """Activity hours by person position and week (memoised: no date involved)."""
    return frames.derived(
        ("funnel_weekly_hours",),
        lambda: with_positions(frames, "activity_hours").select(POSITION, "week_start", "hours"),
    )


def _intensive_windows(frames: Frames, params: Params) -> pl.DataFrame:
    """Every window of 4 consecutive weeks with at least 4 x 15 hours, by person position
    (memoised: no date involved). Each row of hours is spread over the 4 windows it
    belongs to (those ending on its week and the 3 weeks after)."""

    def build() -> pl.DataFrame:
        shifts = pl.DataFrame({"shift": [7 * week for week in range(WEEKS)]})
        return (
            _weekly_hours(frames)
            .join(shifts, how="cross")
            .with_columns(window_end=pl.col("week_start") + pl.duration(days=pl.col("shift")))
            .group_by(POSITION, "window_end")
            .agg(pl.col("hours").sum().round(HOURS_DECIMALS).alias("total"))
            .filter(pl.col("total") >= WEEKS * params.intensive_hours)
            .select(POSITION, "window_end")
        )

    return frames.derived(("funnel_intensive_windows", params.intensive_hours), build)


def _intensive(frames: Frames, cohort: pl.DataFrame, as_of: dt.date, params: Params) -> pl.Series:
    """Cohort rows with 4 consecutive complete weeks of at least 4 x 15 hours since entry.

    A window (`_intensive_windows`) is kept when its first week is on or after
    the Monday of D's week and its last week is complete at as_of; its hours
    then all fall in those weeks, so the sums can be made once for every date.
    """
    _, last_week = measured_weeks(as_of)
    span = dt.timedelta(days=7 * (WEEKS - 1))
    first_week = pl.col("entry_on") - pl.duration(days=pl.col("entry_on").dt.weekday() - 1)
    windows = (
        cohort.select(POSITION, first_week.alias("first_week"))
        .join(_intensive_windows(frames, params), on=POSITION, how="inner")
        .filter(
            (pl.col("window_end") <= last_week)
            & (pl.col("window_end") - span >= pl.col("first_week"))
        )
    )
    return cohort[POSITION].is_in(windows[POSITION].implode())


def _reached(
    frames: Frames, cohort: pl.DataFrame, as_of: dt.date, params: Params
) -> dict[str, pl.Series]:
    appointments = _appointments(frames)
    t0 = pl.col("notification_received_on")
    in_time = cohort.select(
        (
            pl.col("notified_on").is_not_null()
            & t0.is_not_null()
            & (pl.col("notified_on") <= t0 + pl.duration(days=params.orientation_days - 1))
        ).alias("in_time")
    )["in_time"]
    return {
        "nouveaux_entrants": pl.repeat(True, cohort.height, dtype=pl.Boolean, eager=True),
        "invites": _dated_hits(cohort, appointments, "invited", as_of),
        "presents": _dated_hits(
            cohort, appointments.filter(pl.col("status") == STATUS_PRESENT), "day", as_of
        ),
        "orientes": cohort["notified_on"].is_not_null(),
        "orientes_15j": in_time,
        "contrat": _dated_hits(cohort, with_positions(frames, "contracts"), "signed_on", as_of),
        "intensif": _intensive(frames, cohort, as_of, params),
        "emploi": _dated_hits(cohort, with_positions(frames, "outcomes"), "started_on", as_of),
    }


def path_funnel(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
) -> Funnel:
    """The funnel of the period's new entrants at `as_of` (steps in the module docstring)."""
    check_period(period_start, period_end, as_of)
    cohort = entrant_facts(frames, period_start, period_end, as_of, params)
    reached = _reached(frames, cohort, as_of, params)
    on_path = pl.repeat(True, cohort.height, dtype=pl.Boolean, eager=True)
    steps = []
    for code, label in STEPS:
        on_path = on_path & reached[code]
        steps.append(FunnelStep(code, label, int(on_path.sum()), int(reached[code].sum())))
    return Funnel(period_start, period_end, as_of, tuple(steps))


def _hidden(count: int | None, threshold: int) -> int | None:
    return None if count is None else suppress_small_count(count, threshold)


def disclose_funnel(funnel: Funnel, threshold: int) -> Funnel:
    """`funnel` as an aggregate-only audience may see it: counts 0 < n < threshold hidden."""
    if threshold < 1:
        raise ValueError("The disclosure threshold must be at least 1.")
    steps = tuple(
        replace(
            step,
            count=_hidden(step.count, threshold),
            reached=_hidden(step.reached, threshold),
        )
        for step in funnel.steps
    )
    return replace(funnel, steps=steps)
