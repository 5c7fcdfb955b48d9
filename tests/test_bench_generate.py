"""The benchmark's generator (bench/generate_frames.py): valid, reproducible, edge cases in.

The counts below are not calibrations (the demo's tests hold those): each
says that an edge case the indicators treat apart is present in the data,
so that the engine and its baselines are compared on it.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from bench.generate_frames import (
    AS_OF,
    TABLES,
    frames_of,
    generate_tables,
    split_by_territory,
)
from metrics.frames import Frames

SIZE = 20_000


@pytest.fixture(scope="module")
def tables():
    return generate_tables(SIZE, 4, 2024)


def test_same_seed_same_tables_other_seed_other_tables():
    first, again, other = (generate_tables(2000, 2, seed) for seed in (1, 1, 2))
    assert all(first[name].equals(again[name]) for name in TABLES)
    assert not first["rights"].equals(other["rights"])


def test_tables_are_valid_frames_of_four_territories(tables):
    frames = frames_of(tables)
    assert isinstance(frames, Frames)
    # 20,000 people in 4 territories of consecutive ids: 5,000 each.
    sizes = tables["people"].group_by("territory").len().sort("territory")["len"].to_list()
    assert sizes == [5000, 5000, 5000, 5000]
    people = tables["people"].select("beneficiary_id", pl.col("territory").alias("home"))
    for name in TABLES:
        if name in ("people", "referents"):
            continue
        joined = tables[name].join(people, on="beneficiary_id", how="left")
        assert (joined["territory"] == joined["home"]).all(), name
    # A referent follows people of its own territory only.
    referents = tables["referents"].select("referent_id", pl.col("territory").alias("own"))
    followed = tables["orientations"].join(referents, on="referent_id", how="inner")
    assert (followed["territory"] == followed["own"]).all()


def test_about_fifteen_weekly_activity_rows_per_person(tables):
    per_person = tables["activity_hours"].height / SIZE
    assert 13 <= per_person <= 17
    assert (tables["activity_hours"]["week_start"].dt.weekday() == 1).all()


def test_split_by_territory_keeps_every_row(tables):
    parts = split_by_territory(tables)
    assert sorted(parts) == [0, 1, 2, 3]
    for name in TABLES:
        assert sum(part[name].height for part in parts.values()) == tables[name].height


def test_the_edge_cases_are_drawn(tables):
    rights, orientations = tables["rights"], tables["orientations"]
    appointments, hours = tables["appointments"], tables["activity_hours"]
    later_spells = rights.join(rights, on="beneficiary_id", suffix="_next").filter(
        pl.col("duties_start_on_next") > pl.col("duties_start_on")
    )
    reorientations = orientations.filter(pl.col("is_reorientation"))
    same_day = reorientations.join(
        orientations.filter(~pl.col("is_reorientation")), on=["beneficiary_id", "decided_on"]
    )
    ever_oriented = orientations["beneficiary_id"].unique()
    counts = {
        "sans T0": rights["notification_received_on"].null_count(),
        "sans date d'ouverture": rights["rights_opened_on"].null_count(),
        "jamais soumis": rights["duties_start_on"].null_count(),
        "deux lignes le même jour": rights.select("beneficiary_id", "duties_start_on")
        .drop_nulls()
        .is_duplicated()
        .sum(),
        "retour immédiat": later_spells.filter(
            pl.col("duties_start_on_next") == pl.col("exit_on")
        ).height,
        "retour après un écart": later_spells.filter(
            pl.col("duties_start_on_next") > pl.col("exit_on")
        ).height,
        "droits et devoirs finis sans sortie": rights.filter(
            pl.col("duties_end_on").is_not_null() & pl.col("exit_on").is_null()
        ).height,
        "réorientation": reorientations.height,
        "réorientation le même jour": same_day.height,
        "jamais notifiée": orientations["notified_on"].null_count(),
        "notifiée après as_of": orientations.filter(
            (pl.col("decided_on") <= AS_OF) & (pl.col("notified_on") > AS_OF)
        ).height,
        "jamais orienté": SIZE - ever_oriented.len(),
        "sans référent": orientations["referent_id"].null_count(),
        "sans date d'invitation": appointments["invited_on"].null_count(),
        "même heure, deux lignes": appointments.select("beneficiary_id", "scheduled_at")
        .is_duplicated()
        .sum(),
        "rendez-vous après as_of": appointments.filter(
            pl.col("scheduled_at") > dt.datetime(2025, 1, 1)
        ).height,
        "contrat terminé": tables["contracts"]["ended_on"].drop_nulls().len(),
        "semaine à 0 heure": hours.filter(pl.col("hours") == 0).height,
        "deux lignes une semaine": hours.select("beneficiary_id", "week_start")
        .is_duplicated()
        .sum(),
        "IAE marqué durable": tables["outcomes"]
        .filter((pl.col("contract_type") == "IAE") & pl.col("durable"))
        .height,
    }
    assert [name for name, count in counts.items() if count == 0] == []
    statuses = set(appointments["status"].unique().to_list())
    assert statuses == {"present", "absent", "excuse", "annule", "planifie"}
