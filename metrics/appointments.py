"""No-shows at the first appointment and what follows them.

A person's *first appointment* is their earliest appointment of kind
orientation or accompagnement (by scheduled_at), not cancelled (status
annule: it was never held), scheduled on or before `as_of`. It is counted
in the period when its day falls in [period_start, min(period_end, as_of)],
and measured when its status is present, absent or excuse (planifie on a
past day: the status is not known yet).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from metrics.accompaniment import STATUS_ANNULE, dates_details
from metrics.breakdown import Dimension, check_dimension, cohort_months, rate_cells, with_group
from metrics.frames import Frames
from metrics.params import DEFAULT_PARAMS, Params
from metrics.periods import check_period
from metrics.persons import first_per_person, person_index
from metrics.population import with_current_orientation
from metrics.result import Definition, IndicatorResult
from metrics.rounding import percentage

APPOINTMENT_DIMENSIONS = frozenset(Dimension)
FIRST_KINDS = ("orientation", "accompagnement")
STATUS_ABSENT = "absent"
KNOWN_STATUSES = ("present", STATUS_ABSENT, "excuse")

TAUX_ABSENCE_PREMIER_RDV = Definition(
    "taux_absence_premier_rdv",
    "Absences au premier rendez-vous",
    "%",
    "lower",
)
TAUX_RELANCE_15J = Definition(
    "taux_relance_15j",
    "Absences au premier rendez-vous suivies d'une relance en 15 jours et moins",
    "%",
    "higher",
)


def _numbered(frames: Frames) -> pl.DataFrame:
    """The appointments with a row number (`row`) and their day (`day`)."""
    return frames.appointments.with_row_index("row").with_columns(
        day=pl.col("scheduled_at").dt.date()
    )


def all_first_appointments(frames: Frames) -> pl.DataFrame:
    """Each person's first appointment (see the module docstring), whatever its date
    (memoised): the first on or before a day D is this one when its day is <= D, none
    otherwise. Columns: row, pidx, beneficiary_id, kind, day, scheduled_at, status,
    reminder_on; sorted by pidx."""

    def build() -> pl.DataFrame:
        # A stable sort: appointments at the same time stay in row order.
        candidates = (
            frames.appointments.with_row_index("row")
            .filter(pl.col("kind").is_in(FIRST_KINDS) & (pl.col("status") != STATUS_ANNULE))
            .sort(["beneficiary_id", "scheduled_at"], maintain_order=True)
        )
        firsts = first_per_person(candidates, "beneficiary_id")
        return firsts.select(
            "row",
            person_index(frames).positions(firsts["beneficiary_id"]),
            "beneficiary_id",
            "kind",
            pl.col("scheduled_at").dt.date().alias("day"),
            "scheduled_at",
            "status",
            "reminder_on",
        )

    return frames.derived(("all_first_appointments",), build)


def first_appointments(
    frames: Frames, period_start: dt.date, period_end: dt.date, as_of: dt.date
) -> pl.DataFrame:
    """The first appointments (see the module docstring) held in the period (memoised).

    Columns: row, pidx, beneficiary_id, kind, day, scheduled_at, status, reminder_on.
    """
    last_day = min(period_end, as_of)
    return frames.derived(
        ("first_appointments", period_start, last_day),
        lambda: all_first_appointments(frames).filter(
            pl.col("day").is_between(period_start, last_day)
        ),
        dated=True,
    )


def invitations(frames: Frames) -> pl.DataFrame:
    """Every appointment's invitation: other_row (its row), beneficiary_id and invited
    (invited_on, or else its day)."""
    return _numbered(frames).select(
        pl.col("row").alias("other_row"),
        "beneficiary_id",
        pl.coalesce(pl.col("invited_on"), pl.col("day")).alias("invited"),
    )


def _grouped_rate(
    definition: Definition,
    facts: pl.DataFrame,
    column: str,
    frames: Frames,
    dates: tuple[dt.date, dt.date, dt.date],
    dimension: Dimension | None,
    details: dict,
) -> IndicatorResult:
    period_start, period_end, as_of = dates
    numerator, denominator = int(facts[column].sum()), facts.height
    breakdown = None
    if dimension is not None:
        if dimension in (Dimension.ORGANISME, Dimension.DOMINANTE):
            facts = with_current_orientation(facts, frames, as_of)
        grouped = with_group(facts, dimension, frames, as_of, "day")
        breakdown = rate_cells(grouped, column, dimension, cohort_months(period_start, period_end))
    details = {**details, **dates_details(period_start, period_end, as_of)}
    return definition.result(
        percentage(numerator, denominator), numerator, denominator, breakdown, details
    )


def taux_absence_premier_rdv(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
    by: Dimension | str | None = None,
) -> IndicatorResult:
    """Share of the first appointments held in the period that the person missed.

    First appointment: each person's earliest appointment of kind
    orientation or accompagnement, status other than annule, scheduled on or
    before as_of; counted when its day is in [period_start, min(period_end,
    as_of)], whatever came before. Denominator: those with status present,
    absent or excuse (a past one still planifie: details["statut_inconnu"]).
    Numerator: status absent (excuse is not an absence). by="cohorte": month
    of the appointment; organisme, dominante: orientation in force at as_of.
    """
    check_period(period_start, period_end, as_of)
    dimension = check_dimension(by, APPOINTMENT_DIMENSIONS)
    firsts = first_appointments(frames, period_start, period_end, as_of)
    facts = firsts.filter(pl.col("status").is_in(KNOWN_STATUSES)).with_columns(
        absent=pl.col("status") == STATUS_ABSENT
    )
    details = {
        "premiers_rdv": firsts.height,
        "statut_inconnu": firsts.height - facts.height,
        "premiers_rdv_orientation": firsts.filter(pl.col("kind") == "orientation").height,
    }
    return _grouped_rate(
        TAUX_ABSENCE_PREMIER_RDV,
        facts,
        "absent",
        frames,
        (period_start, period_end, as_of),
        dimension,
        details,
    )


def missed_first_facts(
    frames: Frames, period_start: dt.date, period_end: dt.date, as_of: dt.date, days: int
) -> pl.DataFrame:
    """The missed first appointments taux_relance_15j measures, with deadline, followed
    and window_open (memoised)."""

    def build() -> pl.DataFrame:
        absences = (
            first_appointments(frames, period_start, period_end, as_of)
            .filter(pl.col("status") == STATUS_ABSENT)
            .with_columns(deadline=pl.col("day") + pl.duration(days=days))
        )
        in_window = pl.col("day"), pl.col("deadline")
        reminded = absences.filter(
            pl.col("reminder_on").is_between(*in_window) & (pl.col("reminder_on") <= as_of)
        )
        invited = (
            absences.select("row", "beneficiary_id", "day", "deadline")
            .join(invitations(frames), on="beneficiary_id", how="inner")
            .filter(
                (pl.col("other_row") != pl.col("row"))
                & pl.col("invited").is_between(*in_window)
                & (pl.col("invited") <= as_of)
            )
        )
        followed = pl.concat([reminded["row"], invited["row"]])
        return absences.with_columns(followed=pl.col("row").is_in(followed.implode())).with_columns(
            window_open=~pl.col("followed") & (pl.lit(as_of) <= pl.col("deadline"))
        )

    key = ("missed_first_facts", period_start, period_end, as_of, days)
    return frames.derived(key, build, dated=True)


def taux_relance_15j(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
    by: Dimension | str | None = None,
) -> IndicatorResult:
    """Share of the absences at the first appointment followed by a reminder or a new
    invitation within 15 days.

    Absences: the numerator of taux_absence_premier_rdv. Followed: on or
    before as_of and on a day in [D, D + 15] (D the missed day; day 15 in
    time, day 16 late), the missed appointment's reminder_on, or the
    invitation of another appointment of the person (any kind or status):
    its invited_on, or its day when invited_on is unknown. Absences not
    followed whose window is still open at as_of (as_of <= D + 15) are left
    out (details["fenetre_ouverte"]). by="cohorte": month of the missed
    appointment; organisme, dominante: orientation in force at as_of.
    """
    check_period(period_start, period_end, as_of)
    dimension = check_dimension(by, APPOINTMENT_DIMENSIONS)
    days = params.reminder_days
    facts = missed_first_facts(frames, period_start, period_end, as_of, days)
    counted = facts.filter(~pl.col("window_open"))
    details = {
        "absences": facts.height,
        "fenetre_ouverte": facts.height - counted.height,
        "fenetre": f"rendez-vous manqué + {days} jours",
    }
    return _grouped_rate(
        TAUX_RELANCE_15J,
        counted,
        "followed",
        frames,
        (period_start, period_end, as_of),
        dimension,
        details,
    )
