"""The derived tables take shortcuts (a person's latest orientation from validity intervals,
their first act from all-time minima, per-person blocks instead of joins): on the demo
territory, at several dates, they must agree with the plain reading of the definitions
written here as joins and sorts.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from dashboard.demo import generate_demo
from metrics.accompaniment import first_acts
from metrics.params import Params
from metrics.periods import ONE_DAY, add_months_expr
from metrics.persons import person_index
from metrics.population import (
    covers,
    latest_orientations,
    new_entrants,
    subject_on,
    subject_positions,
)
from tests.metrics.demo_frames import frames_from_demo

DAYS = [dt.date(2023, 1, 1), dt.date(2023, 12, 31), dt.date(2024, 6, 15), dt.date(2024, 12, 31)]


@pytest.fixture(scope="module")
def frames():
    return frames_from_demo(generate_demo(size=400, seed=11))


def _ids(frames, positions: pl.Series) -> list[int]:
    return person_index(frames).ids.gather(positions).to_list()


@pytest.mark.parametrize("day", DAYS)
def test_subject_positions_are_the_people_subject_that_day(frames, day):
    expected = subject_on(frames.rights, day)["beneficiary_id"].to_list()
    assert expected
    assert _ids(frames, subject_positions(frames, day)) == expected


@pytest.mark.parametrize("day", DAYS)
def test_latest_orientation_is_the_first_in_latest_first_order(frames, day):
    expected = (
        frames.orientations.filter(pl.col("decided_on") <= day)
        .sort(
            ["beneficiary_id", "decided_on", "is_reorientation", "notified_on"],
            descending=[False, True, True, True],
            nulls_last=True,
        )
        .group_by("beneficiary_id", maintain_order=True)
        .first()
    )
    latest = latest_orientations(frames, day)
    assert _ids(frames, latest["pidx"]) == expected["beneficiary_id"].to_list()
    for column in ("decided_on", "notified_on", "organisme", "dominante", "referent_id"):
        assert latest[column].to_list() == expected[column].to_list()


@pytest.mark.parametrize("day", DAYS)
def test_first_act_known_at_a_date_is_the_earliest_act_up_to_it(frames, day):
    day_of = pl.col("scheduled_at").dt.date()
    attended = frames.appointments.filter(
        (pl.col("kind") == "accompagnement") & (pl.col("status") == "present")
    ).select("beneficiary_id", day_of.alias("act_on"))
    signed = frames.contracts.select("beneficiary_id", pl.col("signed_on").alias("act_on"))
    active = frames.activity_hours.filter(pl.col("hours") > 0).select(
        "beneficiary_id", pl.col("week_start").alias("act_on")
    )
    expected = (
        pl.concat([attended, signed, active])
        .filter(pl.col("act_on") <= day)
        .group_by("beneficiary_id")
        .agg(pl.col("act_on").min())
        .sort("beneficiary_id")
    )
    known = first_acts(frames).filter(pl.col("act_on") <= day)
    assert _ids(frames, known["pidx"]) == expected["beneficiary_id"].to_list()
    assert known["act_on"].to_list() == expected["act_on"].to_list()


@pytest.mark.parametrize("day", DAYS[1:])
def test_new_entrants_follow_their_definition(frames, day):
    start = dt.date(day.year, 1, 1)
    starts = frames.rights.filter(pl.col("duties_start_on").is_between(start, day)).select(
        "beneficiary_id",
        pl.col("duties_start_on").alias("entry_on"),
        "notification_received_on",
        "rights_opened_on",
    )
    subject_before = (
        starts.join(frames.rights, on="beneficiary_id")
        .filter(covers(pl.col("entry_on") - ONE_DAY))
        .select("beneficiary_id", "entry_on")
    )
    followed = (
        starts.join(frames.orientations, on="beneficiary_id")
        .filter(
            (pl.col("decided_on") < pl.col("entry_on"))
            & (pl.col("decided_on") >= add_months_expr(pl.col("entry_on"), -12))
        )
        .select("beneficiary_id", "entry_on")
    )
    expected = (
        starts.join(subject_before, on=["beneficiary_id", "entry_on"], how="anti")
        .join(followed, on=["beneficiary_id", "entry_on"], how="anti")
        .sort(
            ["beneficiary_id", "entry_on", "notification_received_on", "rights_opened_on"],
            nulls_last=True,
        )
        .group_by("beneficiary_id", maintain_order=True)
        .first()
    )
    found = new_entrants(frames, start, day, day, Params())
    assert found.height > 0
    assert found.to_dicts() == expected.to_dicts()
