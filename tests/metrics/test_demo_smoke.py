"""Smoke check on the demo territory, calibrated on the Redon pilot (domain.md, section 5).

The demo draws 76.7 % of its 1,400-person stock oriented at 31/12/2024 and
splits the oriented among FT 11.0 %, ML 8.6 %, MSA 3.6 %. It fixes the first
accompaniment appointment 5 to 40 days after the notification (about 30 %
within 15 days), signs a contract for about 95 % of those who attend it
(12 % the same day, most within 1 to 20 days) and has 15 referents. Accompanied
people log 8 to 15 weeks of activity hours, about a quarter of the weeks at 15
hours or more; about 12 % of the orientation appointments are missed, most
absences followed by a reminder 1 to 3 days later; about 12 % of the accompanied
return to work over the two years of history.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.demo import generate_demo, pilot_start_for
from metrics.params import Params
from metrics.registry import REGISTRY, compute_all
from metrics.stock import repartition_organisme, taux_orientation
from tests.metrics.demo_frames import frames_from_demo

END = dt.date(2024, 12, 31)
YEAR = {"period_start": dt.date(2024, 1, 1), "period_end": END, "as_of": END}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_frames():
    return frames_from_demo(generate_demo(size=1400))


def test_orientation_rate_is_near_the_calibration(demo_frames):
    result = taux_orientation(demo_frames, **YEAR)
    assert 74.0 <= result.value <= 80.0
    assert 1350 <= result.denominator <= 1450


def test_stock_split_by_organisme_is_near_the_calibration(demo_frames):
    shares = {
        organisme: cell["share"]
        for organisme, cell in repartition_organisme(demo_frames, **YEAR).breakdown.items()
    }
    assert abs(shares["FT"] - 11.0) <= 2
    assert abs(shares["ML"] - 8.6) <= 2
    assert abs(shares["MSA"] - 3.6) <= 2
    assert sum(shares.values()) == pytest.approx(100.0, abs=0.5)


def test_every_indicator_computes_on_the_demo(demo_frames):
    results = compute_all(demo_frames, **YEAR)
    assert [result.code for result in results] == list(REGISTRY)
    by_code = {result.code: result for result in results}
    # About 30 entrants a month (domain.md); delays between 5 and 60 days.
    assert 250 <= by_code["nouveaux_entrants"].value <= 400
    assert 5 <= by_code["delai_orientation_median_j"].value <= 60
    for result in results:
        result.as_dict()


def test_accompaniment_and_contract_indicators_on_the_demo(demo_frames):
    results = {result.code: result for result in compute_all(demo_frames, **YEAR)}
    assert 80.0 <= results["taux_contrat_engagement"].value <= 97.0
    assert 50.0 <= results["taille_portefeuille_moyenne"].value <= 90.0
    assert results["taille_portefeuille_moyenne"].details["referents"] == 15
    # Uniform 5-40 days: 11 / 36 = 30.6 % within 15 days.
    assert 20.0 <= results["taux_premier_rdv_15j"].value <= 40.0
    # 0.95 * (0.12 + 0.78 * 7 / 20) = 37 % within 7 days of the first attended appointment.
    assert 25.0 <= results["taux_contrat_7j"].value <= 50.0
    assert 20.0 <= results["taux_contrat_1mois"].value <= 50.0
    assert 20.0 <= results["delai_premier_accompagnement_median_j"].value <= 120.0
    assert 0.0 <= results["part_referents_au_dessus_cible"].value <= 100.0


def test_results_and_intensity_indicators_on_the_demo(demo_frames):
    params = Params(pilot_start=pilot_start_for(END))
    results = {result.code: result for result in compute_all(demo_frames, **YEAR, params=params)}
    # About a quarter of the weeks at 15 hours or more (18 % -> 32 % over the pilot).
    assert 15.0 <= results["part_intensif_15h"].value <= 35.0
    # About 12 % of orientation appointments missed.
    assert 6.0 <= results["taux_absence_premier_rdv"].value <= 18.0
    assert 80.0 <= results["taux_relance_15j"].value <= 100.0
    employment = results["taux_retour_emploi"]
    assert 3.0 <= employment.value <= 15.0
    assert results["taux_retour_emploi_durable"].numerator <= employment.numerator
    assert employment.details["emplois_hors_accompagnement"] == 0
    assert 5.0 <= results["taux_sortie_rsa"].value <= 30.0
    takeover = results["reprise_stock_avancement"]
    assert takeover.details["pilot_start"] == pilot_start_for(END)
    assert 0.0 < takeover.value < 100.0
