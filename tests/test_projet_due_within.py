"""`pilotage roadmap --due-within DAYS` on the sample feuille de route, and the Monday job.

Expected lists computed by hand from tests/data/samples/feuille_de_route.csv read
in 2024 (dates listed in tests/test_cli_roadmap.py): at 01/07/2024 the late
actions are the charte (due 24/03, CD), the offre (30/06, FT), the PMSMP
campaign (30/06, FT + ETAT) and the convention (10/06, CD + FT); the stock
(15/07, CD + FT + MSA) is due in 14 days.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from dashboard.models import JobRun
from dashboard.roadmap import DIGEST_JOB_ID, digest_run
from dashboard.scheduler import build_scheduler, roadmap_digest_work, run_once

SAMPLE = Path(__file__).parent / "data" / "samples" / "feuille_de_route.csv"
CHARTE = "Rédiger la charte des rendez-vous collectifs"
STOCK = "Convoquer 20 % du stock"
OFFRE = "Recenser l'offre d'activités"
PMSMP = "Campagne PMSMP avec le club entreprises"
CONVENTION = "Convention d'échange de données (L.263-4-1 CASF)"


@pytest.fixture
def sample_loaded(redon_json_cli):
    code, _, err = redon_json_cli(
        "import", "roadmap", str(SAMPLE), "--territory", "35-REDON", "--extracted-on", "2024-07-01"
    )
    assert code == 0, err
    return redon_json_cli


def due_within(run, *args: str):
    return run("roadmap", "--territory", "35-REDON", "--as-of", "2024-07-01", *args)


def test_json_groups_by_owner_with_days(sample_loaded):
    code, payload, err = due_within(sample_loaded, "--due-within", "14", "--format", "json")
    assert code == 0, err
    assert (payload["as_of"], payload["due_within"]) == ("2024-07-01", 14)
    assert (payload["late"], payload["due_soon"]) == (4, 1)
    owners = {
        owner["owner"]: [(a["action"], a["days"]) for a in owner["actions"]]
        for owner in payload["owners"]
    }
    # Days = due - 01/07: charte 24/03 -> -(7 + 30 + 31 + 30 + 1) = -99; convention 10/06 ->
    # -21; offre and PMSMP 30/06 -> -1 (offre first: earlier in the file); stock 15/07 -> +14.
    assert list(owners) == ["CD", "ETAT", "FT", "MSA"]
    assert owners["CD"] == [(CHARTE, -99), (CONVENTION, -21), (STOCK, 14)]
    assert owners["ETAT"] == [(PMSMP, -1)]
    assert owners["FT"] == [(CONVENTION, -21), (OFFRE, -1), (PMSMP, -1), (STOCK, 14)]
    assert owners["MSA"] == [(STOCK, 14)]
    cd = payload["owners"][0]
    assert (cd["late"], cd["due_soon"], cd["owner_label"]) == (2, 1, "CD")
    assert cd["actions"][2]["status"] == "echeance_proche"


def test_the_window_comes_from_the_option(sample_loaded):
    # 13 days: the stock (+14) is no longer due soon, and MSA has nothing left.
    code, payload, _ = due_within(sample_loaded, "--due-within", "13", "--format", "json")
    assert code == 0
    assert (payload["late"], payload["due_soon"]) == (4, 0)
    assert [owner["owner"] for owner in payload["owners"]] == ["CD", "ETAT", "FT"]


def test_table_and_csv(sample_loaded):
    code, out, _ = due_within(sample_loaded, "--due-within", "14")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Au 01/07/2024 : 4 action(s) en retard, 1 à échéance dans les 14 jours"
    assert "CD : 2 en retard, 1 échéance(s) proche(s)" in lines
    assert any(
        CHARTE in line and "24/03/2024" in line and "99 j de retard" in line for line in lines
    )
    assert any(STOCK in line and "dans 14 j" in line for line in lines)
    code, out, _ = due_within(sample_loaded, "--due-within", "14", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out), delimiter=";"))
    # One row per (owner, action): CD 3 + ETAT 1 + FT 4 + MSA 1 = 9.
    assert len(rows) == 9
    assert rows[0] == {
        "owner": "CD",
        "axis": "Entrée en parcours",
        "target": "Orienter tous les nouveaux entrants en moins de 15 jours",
        "action": CHARTE,
        "deadline_text": "S12",
        "due": "2024-03-24",
        "days": "-99",
        "status": "en_retard",
        "status_label": "En retard",
    }


def test_bad_arguments_exit_2_in_french(sample_loaded):
    code, _, err = due_within(sample_loaded, "--due-within", "14", "--status", "en_retard")
    assert code == 2 and "ne se combinent pas" in err
    code, _, err = due_within(sample_loaded, "--due-within", "-1")
    assert code == 2


def test_nothing_late_says_so(redon_cli):
    code, out, _ = due_within(redon_cli, "--due-within", "14")
    assert code == 0
    assert "Aucune action en retard ni à échéance proche." in out


def test_monday_job_records_counts_once_per_week(sample_loaded, engine, db_session):
    monday = dt.date(2024, 7, 1)
    work = roadmap_digest_work(monday)
    assert run_once(engine, DIGEST_JOB_ID, monday.isoformat(), work) is True
    assert run_once(engine, DIGEST_JOB_ID, monday.isoformat(), work) is False  # slot taken
    status, message = db_session.execute(
        select(JobRun.status, JobRun.message).where(JobRun.job_id == DIGEST_JOB_ID)
    ).one()
    recorded = json.loads(message)
    # Same counts as the CLI above: 4 late, 1 due soon, 4 owners (CD, ETAT, FT, MSA).
    assert status == "ok"
    assert recorded == {
        "as_of": "2024-07-01",
        "window_days": 14,
        "territories": {"35-REDON": {"late": 4, "due_soon": 1, "owners": 4}},
    }
    run = digest_run(db_session, monday, "35-REDON")
    assert (run.status, run.counts) == ("ok", {"late": 4, "due_soon": 1, "owners": 4})
    # Another territory's code finds the run but none of Redon's counts.
    assert digest_run(db_session, monday, "75-PARIS").counts is None
    assert digest_run(db_session, dt.date(2024, 7, 8), "35-REDON") is None


def test_monday_job_is_scheduled_on_mondays(settings):
    from dashboard.db import make_engine

    scheduler_engine = make_engine(settings.database_url)
    try:
        assert build_scheduler(scheduler_engine).get_job("roadmap_digest") is None
        job = build_scheduler(scheduler_engine, roadmap_digest=True).get_job("roadmap_digest")
        trigger = str(job.trigger)
        assert "day_of_week='mon'" in trigger and "hour='7'" in trigger
    finally:
        scheduler_engine.dispose()
