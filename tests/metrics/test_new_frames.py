"""The optional tables: appointments, contracts, referents, activity hours, outcomes."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from metrics.frames import (
    APPOINTMENTS_SCHEMA,
    CONTRACTS_SCHEMA,
    ORIENTATIONS_SCHEMA,
    OUTCOMES_SCHEMA,
    PEOPLE_SCHEMA,
    REFERENTS_SCHEMA,
    RIGHTS_SCHEMA,
    Frames,
    check_appointments,
    check_contracts,
    check_outcomes,
    check_referents,
)
from tests.metrics.builders import appointment, contract, outcome, referent


def test_the_three_first_tables_are_enough():
    frames = Frames(
        pl.DataFrame(schema=PEOPLE_SCHEMA),
        pl.DataFrame(schema=RIGHTS_SCHEMA),
        pl.DataFrame(schema=ORIENTATIONS_SCHEMA),
    )
    assert frames.appointments.schema == pl.Schema(APPOINTMENTS_SCHEMA)
    assert frames.contracts.height == 0
    assert frames.referents.schema == pl.Schema(REFERENTS_SCHEMA)
    assert Frames.empty().appointments.height == 0
    assert Frames.empty().activity_hours.height == 0
    assert frames.outcomes.schema == pl.Schema(OUTCOMES_SCHEMA)


def test_scheduled_at_of_any_time_unit_is_normalised():
    frame = pl.DataFrame([appointment(1, "2024-03-01")], schema=APPOINTMENTS_SCHEMA).with_columns(
        pl.col("scheduled_at").cast(pl.Datetime("ns")), pl.col("kind").cast(pl.Categorical)
    )
    checked = check_appointments(frame)
    assert checked.schema == pl.Schema(APPOINTMENTS_SCHEMA)
    assert checked["scheduled_at"].to_list() == [dt.datetime(2024, 3, 1, 9, 30)]


def test_scheduled_at_must_be_a_local_datetime():
    frame = pl.DataFrame([appointment(1, "2024-03-01")], schema=APPOINTMENTS_SCHEMA)
    with pytest.raises(ValueError, match="scheduled_at"):
        check_appointments(frame.with_columns(pl.col("scheduled_at").dt.date()))
    with pytest.raises(ValueError, match="scheduled_at"):
        check_appointments(frame.with_columns(pl.col("scheduled_at").dt.replace_time_zone("UTC")))


def test_required_values_of_the_new_tables():
    rows = [{**appointment(1, "2024-03-01"), "status": None}]
    with pytest.raises(ValueError, match="appointments has null values.*status"):
        check_appointments(pl.DataFrame(rows, schema=APPOINTMENTS_SCHEMA))
    rows = [{**contract(1, "2024-03-01"), "signed_on": None}]
    with pytest.raises(ValueError, match="contracts has null values.*signed_on"):
        check_contracts(pl.DataFrame(rows, schema=CONTRACTS_SCHEMA))
    with pytest.raises(ValueError, match="referents is missing column.*portfolio_target"):
        check_referents(pl.DataFrame({"referent_id": [1], "organisme": ["CD"], "site": [None]}))


def test_duplicate_referents_are_refused():
    frame = pl.DataFrame([referent(1), referent(1, "FT")], schema=REFERENTS_SCHEMA)
    with pytest.raises(ValueError, match="several rows"):
        check_referents(frame)


def test_outcomes_are_checked():
    frame = pl.DataFrame([outcome(1, "2024-03-01", "CDD", None)], schema=OUTCOMES_SCHEMA)
    assert check_outcomes(
        frame.with_columns(pl.col("duration_months").cast(pl.Float32))
    ).schema == (pl.Schema(OUTCOMES_SCHEMA))
    with pytest.raises(ValueError, match="outcomes has null values.*durable"):
        check_outcomes(frame.with_columns(durable=pl.lit(None, dtype=pl.Boolean)))
    with pytest.raises(ValueError, match="durable"):
        check_outcomes(frame.with_columns(durable=pl.lit("oui")))
