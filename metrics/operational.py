"""The COMOP's lists: the people (and referents) behind the late figures of the COPIL.

Each list is, person by person, the *late* part of one indicator computed for
the same period, `as_of` and thresholds, so the COPIL figure and the COMOP list
cannot disagree (docs/comop.md):

- `attente_orientation`: the entrants of `taux_orientes_15j` counted in its
  denominator but not in its numerator (T0 known, window over, not notified in
  time); `still_waiting` tells those still not notified at as_of from those
  notified since, late;
- `absences_sans_relance`: the absences of `taux_relance_15j` not followed
  within `reminder_days` (window over); `followed_late_on`: a reminder or an
  invitation that came later, known at as_of;
- `orientes_sans_rdv`: the orientations of `taux_premier_rdv_15j` without an
  accompaniment appointment within `first_appointment_days` (window over);
  `appointment_on`: the day of a later appointment known at as_of;
- `referents_au_dessus_cible`: the referents counted in the numerator of
  `part_referents_au_dessus_cible`.

Each row carries the `site`, `organisme` and `referent_id` the COMOP filters
on: site is the person's (the referent's for the last list); organisme is the
one the indicator's `by="organisme"` breakdown uses; referent_id is the one
named by the person's orientation in force at as_of (the missed appointment's
own referent first; the orientation's own for `orientes_sans_rdv`).

`orientation_windows` is memoised on the frames (metrics.memo): the waiting
list and the week-on-week rate read the same table; the lists themselves are
memoised by metrics.operational_lists.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from metrics.accompaniment import accompaniment_appointments, first_appointment_facts
from metrics.appointments import invitations, missed_first_facts
from metrics.frames import Frames
from metrics.orientation import entrant_facts
from metrics.params import DEFAULT_PARAMS, Params
from metrics.periods import check_period
from metrics.persons import POSITION, people_column, person_index
from metrics.population import (
    latest_orientation_rows,
    latest_orientations,
    with_current_orientation,
)
from metrics.portfolios import portfolios


def _days(later: pl.Expr, earlier: pl.Expr) -> pl.Expr:
    return (later - earlier).dt.total_days()


# Each list's columns, in order (what metrics.operational_lists and the COMOP page read).
WINDOW_COLUMNS = (POSITION, "beneficiary_id", "site", "entry_on", "t0", "deadline")
WINDOW_COLUMNS += ("decided_on", "notified_on", "organisme", "referent_id", "in_time")
ABSENCE_COLUMNS = (POSITION, "beneficiary_id", "site", "missed_on", "kind", "deadline")
ABSENCE_COLUMNS += ("followed_late_on", "still_without", "days_without", "organisme")
ABSENCE_COLUMNS += ("referent_id",)
NO_APPOINTMENT_COLUMNS = (POSITION, "beneficiary_id", "site", "decided_on", "notified_on")
NO_APPOINTMENT_COLUMNS += ("reference_on", "deadline", "appointment_on", "still_without")
NO_APPOINTMENT_COLUMNS += ("days_waiting", "organisme", "dominante", "referent_id")


def _late_rows(
    late: pl.DataFrame, as_of: dt.date, *, since: str, until: str, still: str, days: str
) -> pl.DataFrame:
    """`late` plus `still` (no `until` day known at as_of) and `days` (from `since` to
    `until`, or to as_of when none), sorted: still late first, longest first, then by id."""
    return late.with_columns(
        pl.col(until).is_null().alias(still),
        _days(pl.coalesce(pl.col(until), pl.lit(as_of)), pl.col(since)).alias(days),
    ).sort([still, days, "beneficiary_id"], descending=[True, True, False])


def _with_person(facts: pl.DataFrame, frames: Frames) -> pl.DataFrame:
    """`facts` (with pidx) plus beneficiary_id and the person's site."""
    positions = facts[POSITION]
    return facts.with_columns(
        beneficiary_id=person_index(frames).ids.gather(positions),
        site=people_column(frames, "site").gather(positions),
    )


def _current_referent(facts: pl.DataFrame, frames: Frames, as_of: dt.date) -> pl.Series:
    """The referent named by each person's orientation in force at as_of (null if none)."""
    rows = latest_orientation_rows(frames, as_of).gather(facts[POSITION])
    return latest_orientations(frames, as_of)["referent_id"].gather(rows).alias("referent_id")


def orientation_windows(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
) -> pl.DataFrame:
    """The entrants in the denominator of taux_orientes_15j, with `in_time` (its numerator).

    Entrants of the period with a T0 whose entry orientation was notified by
    T0 + orientation_days - 1 (in_time), or whose window is over at as_of.
    Columns: pidx, beneficiary_id, site, entry_on, t0, deadline, decided_on,
    notified_on (null unless notified by as_of), organisme (entry orientation),
    referent_id, in_time.
    """
    check_period(period_start, period_end, as_of)

    def build() -> pl.DataFrame:
        return _orientation_windows(frames, period_start, period_end, as_of, params)

    key = ("orientation_windows", period_start, period_end, as_of, params)
    return frames.derived(key, build, dated=True)


def _orientation_windows(
    frames: Frames, period_start: dt.date, period_end: dt.date, as_of: dt.date, params: Params
) -> pl.DataFrame:
    offset = params.orientation_days - 1
    facts = (
        entrant_facts(frames, period_start, period_end, as_of, params)
        .rename({"notification_received_on": "t0"})
        .filter(pl.col("t0").is_not_null())
        .with_columns(deadline=pl.col("t0") + pl.duration(days=offset))
        .with_columns(
            in_time=pl.col("notified_on").is_not_null()
            & (pl.col("notified_on") <= pl.col("deadline"))
        )
        .filter(pl.col("in_time") | (pl.lit(as_of) > pl.col("deadline")))
    )
    facts = _with_person(facts, frames).with_columns(_current_referent(facts, frames, as_of))
    return facts.select(WINDOW_COLUMNS)


def attente_orientation(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
) -> pl.DataFrame:
    """The late entrants of taux_orientes_15j (denominator - numerator), one row each.

    days_waiting: from T0 to the notification, or to as_of when still not
    notified (still_waiting). Sorted: still waiting first, longest wait first.
    """
    late = orientation_windows(
        frames, period_start=period_start, period_end=period_end, as_of=as_of, params=params
    ).filter(~pl.col("in_time"))
    return _late_rows(
        late.drop("in_time"),
        as_of,
        since="t0",
        until="notified_on",
        still="still_waiting",
        days="days_waiting",
    )


def _late_follow_ups(frames: Frames, late: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """`late` (missed first appointments) plus `followed_late_on`: the earliest reminder or
    invitation of another appointment after the deadline, known at as_of (null if none)."""
    after = (pl.col("invited") > pl.col("deadline")) & (pl.col("invited") <= as_of)
    invited = (
        late.select("row", "beneficiary_id", "deadline")
        .join(invitations(frames), on="beneficiary_id", how="inner")
        .filter((pl.col("other_row") != pl.col("row")) & after)
        .group_by("row")
        .agg(pl.col("invited").min())
    )
    reminder = pl.col("reminder_on")
    late_reminder = pl.when((reminder > pl.col("deadline")) & (reminder <= as_of)).then(reminder)
    return late.join(invited, on="row", how="left").with_columns(
        followed_late_on=pl.min_horizontal(late_reminder, pl.col("invited"))
    )


def absences_sans_relance(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
) -> pl.DataFrame:
    """The absences of taux_relance_15j not followed in time (denominator - numerator).

    Columns: pidx, beneficiary_id, site, missed_on, kind, deadline,
    followed_late_on, still_without (no follow-up at all at as_of),
    days_without (from missed_on to the late follow-up, or to as_of when none),
    organisme (orientation in force at as_of),
    referent_id (the missed appointment's, or else the orientation's in force).
    Sorted: still without a follow-up first, oldest first.
    """
    check_period(period_start, period_end, as_of)
    facts = missed_first_facts(frames, period_start, period_end, as_of, params.reminder_days)
    late = facts.filter(~pl.col("followed") & ~pl.col("window_open"))
    late = _late_follow_ups(frames, late, as_of)
    own_referent = frames.appointments["referent_id"].gather(late["row"])
    late = with_current_orientation(_with_person(late, frames), frames, as_of).with_columns(
        referent_id=pl.coalesce(own_referent, _current_referent(late, frames, as_of))
    )
    late = _late_rows(
        late.rename({"day": "missed_on"}),
        as_of,
        since="missed_on",
        until="followed_late_on",
        still="still_without",
        days="days_without",
    )
    return late.select(ABSENCE_COLUMNS)


def _later_appointments(frames: Frames, late: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """`late` plus `appointment_on`: the first accompaniment appointment (not annule) on or
    after the reference day, known at as_of (invited_on, or else its day, <= as_of)."""
    found = (
        late.select("beneficiary_id", "reference_on")
        .join(accompaniment_appointments(frames), on="beneficiary_id", how="inner")
        .filter((pl.col("known_on") <= as_of) & (pl.col("day") >= pl.col("reference_on")))
        .group_by("beneficiary_id")
        .agg(pl.col("day").min().alias("appointment_on"))
    )
    return late.join(found, on="beneficiary_id", how="left")


def orientes_sans_rdv(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
) -> pl.DataFrame:
    """The orientations of taux_premier_rdv_15j without an appointment in time.

    Each person's latest orientation decided in the period; reference day:
    its notification (its decision when not notified at as_of). Late: no
    accompaniment appointment known at as_of scheduled in [reference,
    reference + first_appointment_days], and that window is over. Columns:
    pidx, beneficiary_id, site, decided_on, notified_on (null unless by as_of),
    reference_on, deadline, appointment_on (a later one, known at as_of),
    still_without, days_waiting (from reference_on to that appointment's day, or to
    as_of when none), organisme, dominante,
    referent_id (the orientation's). Sorted: still without first, oldest first.
    """
    check_period(period_start, period_end, as_of)
    days = params.first_appointment_days
    facts = first_appointment_facts(frames, period_start, period_end, as_of, days)
    late = facts.filter(~pl.col("in_time") & ~pl.col("window_open")).with_columns(
        notified_on=pl.when(pl.col("notified_on") <= as_of).then(pl.col("notified_on"))
    )
    late = _later_appointments(frames, _with_person(late, frames), as_of)
    late = _late_rows(
        late,
        as_of,
        since="reference_on",
        until="appointment_on",
        still="still_without",
        days="days_waiting",
    )
    return late.select(NO_APPOINTMENT_COLUMNS)


def referents_au_dessus_cible(
    frames: Frames,
    *,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params = DEFAULT_PARAMS,
) -> pl.DataFrame:
    """The referents in the numerator of part_referents_au_dessus_cible at as_of.

    Columns: referent_id, site (the referent's), organisme, people, target,
    target_known, excess (people - target). Sorted: largest excess first.
    The period is not used (as in the indicator).
    """
    check_period(period_start, period_end, as_of)
    sites = frames.referents.select("referent_id", "site")
    return (
        portfolios(frames, as_of, params)
        .filter(pl.col("people") > pl.col("target"))
        .join(sites, on="referent_id", how="left")
        .with_columns(excess=pl.col("people") - pl.col("target"))
        .select("referent_id", "site", "organisme", "people", "target", "target_known", "excess")
        .sort(["excess", "referent_id"], descending=[True, False])
    )
