"""The registry: every indicator computes, under its own code, from the same frames."""

from __future__ import annotations

import datetime as dt
import inspect

import pytest

from metrics.frames import Frames
from metrics.params import Params
from metrics.registry import REGISTRY, compute_all
from tests.metrics.builders import d, dates, make_frames, orientation, rights

EXPECTED_CODES = [
    "nouveaux_entrants",
    "taux_orientes_15j",
    "taux_orientes_1mois",
    "taux_orientes_6sem",
    "delai_orientation_median_j",
    "taux_orientation",
    "repartition_organisme",
    "repartition_dominante",
    "delai_premier_accompagnement_median_j",
    "taux_premier_rdv_15j",
    "taux_contrat_engagement",
    "taux_contrat_7j",
    "taux_contrat_1mois",
    "taille_portefeuille_moyenne",
    "part_referents_au_dessus_cible",
    "part_intensif_15h",
    "taux_absence_premier_rdv",
    "taux_relance_15j",
    "taux_retour_emploi",
    "taux_retour_emploi_durable",
    "taux_sortie_rsa",
    "reprise_stock_avancement",
]


def test_registered_codes():
    assert list(REGISTRY) == EXPECTED_CODES


@pytest.mark.parametrize("code", EXPECTED_CODES)
def test_indicator_is_described_by_its_function(code):
    indicator = REGISTRY[code]
    assert indicator.code == code
    assert indicator.doc == inspect.getdoc(indicator.compute)
    assert indicator.direction in ("higher", "lower", "neutral")
    assert indicator.unit in ("%", "jours", "personnes")
    assert indicator.label[0].isupper()


def test_compute_all_on_a_small_territory():
    # One entrant on 01/03 notified on 15/03 (14 days, in time everywhere) and one
    # person subject since 2023 never oriented.
    frames = make_frames(
        rights_rows=[
            rights(1, t0="2024-03-01", start="2024-03-01"),
            rights(2, start="2023-01-01"),
        ],
        orientations=[orientation(1, "2024-03-10", "2024-03-15", organisme="FT")],
    )
    results = compute_all(frames, d("2024-03-01"), d("2024-03-31"), d("2024-06-30"))
    by_code = {result.code: result for result in results}
    assert [result.code for result in results] == EXPECTED_CODES
    for code, result in by_code.items():
        assert (result.label, result.unit) == (REGISTRY[code].label, REGISTRY[code].unit)
    assert by_code["nouveaux_entrants"].value == 1
    assert by_code["taux_orientes_15j"].value == 100.0
    assert by_code["taux_orientes_1mois"].value == 100.0
    assert by_code["taux_orientes_6sem"].value == 100.0
    assert by_code["delai_orientation_median_j"].value == 14.0
    assert (by_code["taux_orientation"].numerator, by_code["taux_orientation"].denominator) == (
        1,
        2,
    )
    assert by_code["repartition_organisme"].breakdown["FT"] == {"count": 1, "share": 100.0}


def test_compute_all_passes_the_territory_params():
    frames = make_frames(
        rights_rows=[rights(1, t0="2024-03-01", start="2024-03-01")],
        orientations=[orientation(1, "2024-03-10", "2024-03-20")],
    )
    default = compute_all(frames, d("2024-03-01"), d("2024-03-31"), d("2024-06-30"))
    wider = compute_all(
        frames, d("2024-03-01"), d("2024-03-31"), d("2024-06-30"), Params(orientation_days=30)
    )
    assert default[1].value == 0.0  # 19 days > 14
    assert wider[1].value == 100.0  # 19 days <= 29


def test_compute_all_on_empty_frames():
    results = compute_all(Frames.empty(), d("2024-03-01"), d("2024-03-31"), d("2024-06-30"))
    assert {result.code: result.value for result in results} == {
        "nouveaux_entrants": 0,
        "taux_orientes_15j": None,
        "taux_orientes_1mois": None,
        "taux_orientes_6sem": None,
        "delai_orientation_median_j": None,
        "taux_orientation": None,
        "repartition_organisme": None,
        "repartition_dominante": None,
        "delai_premier_accompagnement_median_j": None,
        "taux_premier_rdv_15j": None,
        "taux_contrat_engagement": None,
        "taux_contrat_7j": None,
        "taux_contrat_1mois": None,
        "taille_portefeuille_moyenne": None,
        "part_referents_au_dessus_cible": None,
        "part_intensif_15h": None,
        "taux_absence_premier_rdv": None,
        "taux_relance_15j": None,
        "taux_retour_emploi": None,
        "taux_retour_emploi_durable": None,
        "taux_sortie_rsa": None,
        "reprise_stock_avancement": None,
    }


@pytest.mark.parametrize("code", EXPECTED_CODES)
def test_programmer_errors_on_dates(code):
    compute = REGISTRY[code].compute
    frames = Frames.empty()
    with pytest.raises(ValueError, match="after period_end"):
        compute(frames, **dates("2024-04-01", "2024-03-01", "2024-06-30"))
    with pytest.raises(ValueError, match="as_of must be a datetime.date"):
        compute(frames, period_start=d("2024-03-01"), period_end=d("2024-03-31"), as_of="2024")


@pytest.mark.parametrize("code", EXPECTED_CODES[:6])
def test_unknown_dimension_is_a_programmer_error(code):
    with pytest.raises(ValueError, match="Unknown breakdown dimension"):
        REGISTRY[code].compute(
            Frames.empty(), **dates("2024-03-01", "2024-03-31", "2024-06-30"), by="age"
        )


def test_compute_all_wants_frames():
    with pytest.raises(ValueError, match="Frames"):
        compute_all({}, d("2024-03-01"), d("2024-03-31"), d("2024-06-30"))


def _accepts(indicator, frames, **options) -> bool:
    try:
        indicator.compute(
            frames,
            period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2024, 12, 31),
            as_of=dt.date(2024, 12, 31),
            **options,
        )
    except (ValueError, TypeError):  # a refused dimension, or no `scope` parameter
        return False
    return True


def test_the_registry_lists_exactly_the_breakdowns_each_indicator_gives():
    from dashboard.demo import generate_demo
    from metrics.breakdown import Dimension
    from tests.metrics.demo_frames import frames_from_demo

    frames = frames_from_demo(generate_demo(size=60))
    for code, indicator in REGISTRY.items():
        for dimension in Dimension:
            assert _accepts(indicator, frames, by=dimension.value) == (
                dimension in indicator.dimensions
            ), (code, dimension)
        assert _accepts(indicator, frames, scope="flux") == indicator.scoped, code
