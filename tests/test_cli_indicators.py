"""`pilotage indicators` on the SOLIS sample, checked by hand, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from dashboard.demo import generate_demo
from metrics.registry import REGISTRY
from tests.metrics.demo_frames import frames_from_demo

SOLIS = Path(__file__).parent / "data" / "samples" / "solis_beneficiaires.csv"
PERIOD = ("--territory", "35-REDON", "--from", "2024-01", "--to", "2024-06")


@pytest.fixture
def solis_loaded(redon_cli):
    code, _, err = redon_cli(
        "import", "solis", str(SOLIS), "--territory", "35-REDON", "--extracted-on", "2024-07-01"
    )
    assert code == 0, err
    return redon_cli


def _by_code(out: str) -> dict[str, dict]:
    payload = json.loads(out)
    return {item["code"]: item for item in payload["indicators"]}


def test_orientation_rate_of_the_sample_by_hand(solis_loaded):
    code, out, err = solis_loaded("indicators", *PERIOD, "--format", "json")
    assert code == 0, err
    payload = json.loads(out)
    # Flows default to the SOLIS extraction date; the stock of this past half-year is
    # taken at its end, 30/06/2024, the earlier of the period's end and the extraction.
    assert (payload["as_of"], payload["stock_as_of"], payload["period"]) == (
        "2024-07-01",
        "2024-06-30",
        {"from": "2024-01", "to": "2024-06"},
    )
    # 19 people loaded. Subject to droits et devoirs at 30/06/2024: minus 7331183
    # ("N") and 9762170 (exit 30/06/2024, the exit day excluded) = 17. Not oriented
    # among them: 2235053, 1408021, 7245127, 7669718 -> 13 oriented: 13 / 17 = 76.47
    # -> 76.5 %.
    rate = _by_code(out)["taux_orientation"]
    assert (rate["value"], rate["numerator"], rate["denominator"]) == (76.5, 13, 17)


def test_csv_and_table_formats(solis_loaded):
    code, out, _ = solis_loaded("indicators", *PERIOD, "--as-of", "2024-07-01", "--format", "csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (
        "code;label;value;numerator;denominator;unit;target;trajectory_value;status;suppressed"
    )
    assert "taux_orientation;Taux d'orientation" in out and ";76.5;13;17;%;;;;False" in out
    assert len(lines) == 1 + len(REGISTRY)
    code, out, _ = solis_loaded("indicators", *PERIOD, "--as-of", "2024-07-01")
    assert code == 0 and "76.5" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--territory", "35-REDON", "--from", "2024-07", "--to", "2024-01"),
            "--from (2024-07) est postérieur à --to (2024-01).",
        ),
        (
            ("--territory", "35-REDON", "--from", "2024-13", "--to", "2024-12"),
            "--from attend un mois au format AAAA-MM (reçu : '2024-13').",
        ),
        (
            ("--territory", "99-NULLE", "--from", "2024-01", "--to", "2024-12"),
            "Territoire inconnu : 99-NULLE.",
        ),
    ],
)
def test_bad_arguments(solis_loaded, args, message):
    code, _, err = solis_loaded("indicators", *args)
    assert code == 2 and message in err


def test_breakdown_by_age_band(solis_loaded):
    code, out, err = solis_loaded("indicators", *PERIOD, "--by", "age_band", "--format", "json")
    assert code == 0, err
    breakdown = _by_code(out)["taux_orientation"]["breakdown"]
    # Under 26 in 2024 (age = 2024 - birth year, born 1999 or later), all subject at
    # 01/07/2024: 6626571 (2004), 5136591 (1999), 9325844 (2001), 4007994 (2002) oriented;
    # 2235053 (2005) not -> 4 / 5.
    assert (breakdown["<26"]["numerator"], breakdown["<26"]["denominator"]) == (4, 5)
    assert _by_code(out)["repartition_organisme"]["breakdown"] is not None


def test_frames_read_from_the_database_give_the_engine_the_same_figures(db_session):
    """The demo installed the way `pilotage demo` does it (export files written, then
    imported through the connectors) and read back by dashboard/facts.py must give every
    indicator the same value, numerator and denominator as the demo records converted
    directly: the exports and the connectors lose or invent no fact an indicator reads.

    Two generated facts no export carries are absent from the database (see "The demo
    territory" in docs/connectors.md) and change no figure: rights_period.scheme_entry_on
    (dashboard/facts.py does not read it) and contract.ended_on (the demo ends a
    contract at the person's exit; taux_contrat_engagement only counts people still
    subject at as_of, whose exit, hence contract end, is after as_of, exactly as for a
    contract without an end date)."""
    from sqlalchemy import select

    from dashboard.demo.install import DEMO_END, install_demo
    from dashboard.facts import load_frames, territory_by_code
    from dashboard.models import ImportBatch
    from metrics.params import Params

    report = install_demo(db_session, size=200, seed=11)
    db_session.commit()
    sources = set(db_session.scalars(select(ImportBatch.source)))
    assert sources == {"solis", "france-travail", "mission-locale", "rdv", "roadmap", "targets"}
    assert report.files == len(db_session.scalars(select(ImportBatch.id)).all())
    territory = territory_by_code(db_session, "35-REDON")
    from_database = load_frames(db_session, territory.id)
    direct = frames_from_demo(generate_demo(size=200, seed=11, end=DEMO_END))
    params = Params(pilot_start=territory.pilot_start)
    # The demo's year, and a year straddling the two pilot years seen from mid-2024.
    for dates in (
        {"period_start": dt.date(2024, 1, 1), "period_end": DEMO_END, "as_of": DEMO_END},
        {
            "period_start": dt.date(2023, 7, 1),
            "period_end": dt.date(2024, 6, 30),
            "as_of": dt.date(2024, 6, 30),
        },
    ):
        for code, indicator in REGISTRY.items():
            got = indicator.compute(from_database, params=params, **dates)
            want = indicator.compute(direct, params=params, **dates)
            assert (got.value, got.numerator, got.denominator) == (
                want.value,
                want.numerator,
                want.denominator,
            ), (code, dates["as_of"])
