"""The indicator service: requests, the facts cache, targets and disclosure end to end."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from dashboard.facts import territory_by_code
from dashboard.facts_cache import FactsCache
from dashboard.indicator_service import (
    IndicatorRequestError,
    compute_indicators,
    disclosure_threshold,
    parse_request,
)
from dashboard.models import DataSource, ImportBatch, ImportStatus, Role
from metrics.breakdown import Dimension
from tests.helpers import make_territory

SAMPLES = Path(__file__).parent / "data" / "samples"
SOLIS = SAMPLES / "solis_beneficiaires.csv"
TARGETS = SAMPLES / "cibles.csv"


# --- requests -------------------------------------------------------------------------


def test_a_request_covers_whole_months():
    request = parse_request("2024-01", "2024-02", "2024-03-15", "sex", "flux")
    assert (request.period_start, request.period_end) == (dt.date(2024, 1, 1), dt.date(2024, 2, 29))
    assert (request.as_of, request.by, request.scope) == (
        dt.date(2024, 3, 15),
        Dimension.SEX,
        "flux",
    )


@pytest.mark.parametrize(
    ("args", "parameter", "message"),
    [
        ((None, "2024-02"), "from", "from est obligatoire (mois AAAA-MM)."),
        (("2024-1", "2024-02"), "from", "from attend un mois au format AAAA-MM (reçu : '2024-1')."),
        (("2024-03", "2024-02"), "to", "from (2024-03) est postérieur à to (2024-02)."),
        (("2024-01", "2024-02", "15/03/2024"), "as_of", "as_of attend une date au format"),
        (("2024-01", "2024-02", None, "age"), "by", "Ventilation inconnue : 'age'."),
        (("2024-01", "2024-02", None, None, "tout"), "scope", "scope vaut « stock » ou « flux »"),
    ],
)
def test_bad_parameters_are_named_in_french(args, parameter, message):
    with pytest.raises(IndicatorRequestError) as caught:
        parse_request(*args)
    assert caught.value.parameter == parameter and message in caught.value.message


def test_unknown_indicator_codes_are_refused():
    with pytest.raises(IndicatorRequestError, match="Indicateur\\(s\\) inconnu\\(s\\) : taux_x"):
        parse_request("2024-01", "2024-01", codes=["taux_orientation", "taux_x"])


def test_only_copil_and_national_see_aggregates():
    assert disclosure_threshold(Role.COPIL, 11) == 11
    assert disclosure_threshold("national", 11) == 11
    for role in (Role.COMOP, Role.PROJET, Role.ADMIN):
        assert disclosure_threshold(role, 11) is None


# --- the facts cache ------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _land_batch(db, territory) -> None:
    db.add(
        ImportBatch(
            territory_id=territory.id,
            source=DataSource.SOLIS,
            file_name="solis.csv",
            sha256="0" * 64,
            status=ImportStatus.LOADED,
            extracted_on=dt.date(2024, 3, 12),
        )
    )
    db.commit()


def test_the_cache_reads_once_then_again_when_a_batch_lands(db_session):
    territory = make_territory(db_session, "35-REDON")
    db_session.commit()
    clock = FakeClock()
    cache = FactsCache(check_seconds=5, clock=clock)
    first = cache.get(db_session, territory)
    assert cache.get(db_session, territory) is first and cache.loads == 1
    # A batch lands: within the check delay the cache does not even look ...
    _land_batch(db_session, territory)
    clock.now += 4
    assert cache.get(db_session, territory) is first
    # ... after it, it sees the new version and reads again.
    clock.now += 2
    second = cache.get(db_session, territory)
    assert second is not first and cache.loads == 2
    assert second.extractions == {"solis": dt.date(2024, 3, 12)}
    assert second.latest_solis == dt.date(2024, 3, 12)
    # Nothing new: checked, not reloaded.
    clock.now += 10
    assert cache.get(db_session, territory) is second and cache.loads == 2
    cache.invalidate(territory.id)
    assert cache.get(db_session, territory) is not second and cache.loads == 3


def test_the_cache_keeps_the_most_recently_used_territories(db_session):
    territories = [make_territory(db_session, code) for code in ("35-REDON", "93-SSD", "59-LIL")]
    db_session.commit()
    cache = FactsCache(max_territories=2, clock=FakeClock())
    for territory in territories:
        cache.get(db_session, territory)
    assert cache.loads == 3
    cache.get(db_session, territories[2])  # still there
    assert cache.loads == 3
    cache.get(db_session, territories[0])  # evicted first, read again
    assert cache.loads == 4


# --- targets and disclosure through the CLI, on the sample files ----------------------


@pytest.fixture
def sample_with_targets(redon_cli):
    for source, path in (("solis", SOLIS), ("targets", TARGETS)):
        code, _, err = redon_cli(
            "import", source, str(path), "--territory", "35-REDON", "--extracted-on", "2024-07-01"
        )
        assert code == 0, err
    return redon_cli


def _indicators(cli, *extra: str) -> dict[str, dict]:
    code, out, err = cli(
        "indicators", "--territory", "35-REDON", "--from", "2024-01", "--to", "2024-06",
        "--format", "json", *extra,
    )  # fmt: skip
    assert code == 0, err
    return {item["code"]: item for item in json.loads(out)["indicators"]}


def test_targets_trajectories_and_statuses_of_the_sample(sample_with_targets):
    results = _indicators(sample_with_targets)
    # Period January-June 2024, extraction 01/07/2024: targets, paths and statuses are
    # those in force at the period's end, 30/06/2024 (docs/api.md, "Dates").
    # cibles.csv: taux_orientation from 70.5 (01/01/2024) to 80 by 31/12/2024, 365 days.
    # At 30/06/2024 (181 days): 70.5 + 9.5 * 181/365 = 75.211 -> 75.2; the sample's
    # 76.5 % (13/17, the stock at 30/06) is past it but short of 80: en_trajectoire.
    rate = results["taux_orientation"]
    assert (rate["value"], rate["target"], rate["trajectory_value"], rate["status"]) == (
        76.5,
        80.0,
        75.2,
        "en_trajectoire",
    )
    # Delay: 45 (01/01) -> 30 by 30/06 -> 15 by 31/12. At 30/06 the path is at its
    # corner, 30, and the target in force is the period's own, 30 (not yet finished).
    delay = results["delai_orientation_median_j"]
    assert (delay["target"], delay["trajectory_value"]) == (30.0, 30.0)
    # 15 days: 40 -> 60 by 30/06 -> 80 by 31/12 -> 100 by 30/06/2025 (French label row).
    # At 30/06: the corner 60, and the target of January-June, 60.
    fifteen = results["taux_orientes_15j"]
    assert (fifteen["target"], fifteen["trajectory_value"]) == (60.0, 60.0)
    # Asked at 01/07 explicitly, the target is the one in force that day: 1 day of the
    # 184 from 30/06 to 31/12: 60 + 20/184 = 60.109 -> 60.1, target 80 (the old default).
    later = _indicators(sample_with_targets, "--as-of", "2024-07-01")["taux_orientes_15j"]
    assert (later["target"], later["trajectory_value"]) == (80.0, 60.1)
    # No target for the split: nothing invented.
    assert results["repartition_organisme"]["target"] is None
    assert results["repartition_organisme"]["status"] is None


def test_disclosure_hides_the_sample_small_figures(sample_with_targets):
    exact = _indicators(sample_with_targets)
    shown = _indicators(sample_with_targets, "--disclosure")
    # 13 / 17 are both at least 11: published as is, with its status.
    assert shown["taux_orientation"]["value"] == 76.5
    assert shown["taux_orientation"]["status"] == "en_trajectoire"
    for code, item in exact.items():
        counts = [item["numerator"], item["denominator"], item["details"].get("count")]
        small = any(isinstance(n, int) and 0 < n < 11 for n in counts)
        assert shown[code]["suppressed"] == small, code
        if small:
            assert shown[code]["value"] is None and shown[code]["numerator"] is None
            # the target and trajectory are public: they stay.
            assert shown[code]["target"] == item["target"]
    # The sample has 20 people: at least one figure must be hidden for the test to mean much.
    assert any(item["suppressed"] for item in shown.values())


def test_a_territory_threshold_changes_the_figures(sample_with_targets):
    """`pilotage territory params` reaches the engine (15 days -> 45 days here)."""
    cli = sample_with_targets
    before = _indicators(cli)["taux_orientes_15j"]
    code, out, err = cli("territory", "params", "35-REDON", "orientation_days=45")
    assert code == 0, err
    assert "orientation_days = 45" in out and "contract_days = 7" in out
    after = _indicators(cli)["taux_orientes_15j"]
    # The window is the rule's text: "T0 + 14 jours" before, "T0 + 44 jours" after.
    assert (before["details"]["fenetre"], after["details"]["fenetre"]) == (
        "T0 + 14 jours",
        "T0 + 44 jours",
    )
    assert after["numerator"] >= before["numerator"]
    code, out, _ = cli("territory", "params", "35-REDON", "--reset")
    assert code == 0 and "orientation_days = 15" in out


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("orientation=30", "Réglage inconnu : 'orientation=30'."),
        ("orientation_days=quinze", "orientation_days attend un nombre entier"),
        ("orientation_days=0", "orientation_days doit être un entier positif (reçu : 0)."),
    ],
)
def test_bad_territory_params_are_refused(redon_cli, setting, message):
    code, _, err = redon_cli("territory", "params", "35-REDON", setting)
    assert code == 2 and message in err


def test_the_cache_sees_a_threshold_change(db_session):
    territory = make_territory(db_session, "35-REDON")
    db_session.commit()
    clock = FakeClock()
    cache = FactsCache(check_seconds=0, clock=clock)
    assert cache.get(db_session, territory).params.orientation_days == 15
    territory.indicator_params = {"orientation_days": 30}
    db_session.commit()
    assert cache.get(db_session, territory).params.orientation_days == 30
    assert cache.loads == 2


def test_compute_indicators_gives_a_breakdown_only_where_it_exists(db_session):
    from dashboard.demo.install import install_demo
    from dashboard.facts_cache import load_territory_facts

    install_demo(db_session, size=80, seed=5)
    db_session.commit()
    facts = load_territory_facts(db_session, territory_by_code(db_session, "35-REDON"))
    request = parse_request("2024-01", "2024-12", by="cohorte")
    results = {r.code: r for r in compute_indicators(facts, request, threshold=None)}
    assert results["taux_orientes_15j"].breakdown is not None
    assert results["taux_orientation"].breakdown is None  # no cohort for a stock
    # The demo sets a trajectory for taux_orientation: 70 at 01/01/2023, 75, 80, 85, 90
    # every six months; at the demo's as_of 31/12/2024 the target and path are both 90.
    assert (results["taux_orientation"].target, results["taux_orientation"].trajectory_value) == (
        90.0,
        90.0,
    )


@pytest.mark.parametrize(
    ("args", "parameter", "message"),
    [
        (("1800-01", "1800-02"), "from", "from doit tomber entre 1900 et 2100 (reçu : 1800)."),
        (("2024-01", "2024-02", "0001-01-01"), "as_of", "as_of doit tomber entre 1900 et 2100"),
        (("2000-01", "2024-12"), "to", "La période couvre au plus 120 mois (300 demandés)."),
    ],
)
def test_absurd_dates_are_refused_before_any_computation(args, parameter, message):
    with pytest.raises(IndicatorRequestError) as caught:
        parse_request(*args)
    assert caught.value.parameter == parameter and message in caught.value.message


def test_the_cli_refuses_an_absurd_as_of_without_a_traceback(redon_cli):
    code, _, err = redon_cli(
        "indicators", "--territory", "35-REDON", "--from", "2024-01", "--to", "2024-02",
        "--as-of", "0001-01-01",
    )  # fmt: skip
    assert code == 2 and "--as-of doit tomber entre 1900 et 2100 (reçu : 1)." in err
    assert "Traceback" not in err
