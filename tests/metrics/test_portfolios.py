"""Referents' portfolios at as_of: mean size and share above target."""

from __future__ import annotations

import pytest

from metrics.frames import Frames
from metrics.params import Params
from metrics.portfolios import part_referents_au_dessus_cible, taille_portefeuille_moyenne
from tests.metrics.builders import dates, make_frames, orientation, referent, rights

H1 = ("2024-01-01", "2024-06-30", "2024-06-30")


@pytest.fixture(scope="module")
def caseloads():
    """At 30/06/2024; referents 1 (CD, target 3), 2 (FT, target 2), 3 (ML, target 50).

    People 1-4: referent 1                              -> 1 has 4 (> 3: above)
    5: referent 1 but left on 01/06                     -> not counted
    6: referent 1, then re-orientation to referent 2    -> 2
    7: referent 2                                       -> 2 has 2 (= 2: not above)
    8: referent 9, not in the referents table           -> 1 person, default target 70
    9: referent 1, then re-orientation without referent -> not counted
    10: referent 2 decided 05/07 (after as_of)          -> not counted
    Referent 3 has nobody: not counted.
    """
    subject = [number for number in range(1, 11) if number != 5]
    return make_frames(
        rights_rows=[
            *(rights(number, start="2023-01-01") for number in subject),
            rights(5, start="2023-01-01", exit_on="2024-06-01"),
        ],
        orientations=[
            *(orientation(number, "2023-02-01", referent=1) for number in (1, 2, 3, 4, 5, 6, 9)),
            orientation(6, "2024-03-01", organisme="FT", reorientation=True, referent=2),
            orientation(7, "2023-02-01", organisme="FT", referent=2),
            orientation(8, "2023-02-01", referent=9),
            orientation(9, "2024-03-01", reorientation=True),
            orientation(10, "2024-07-05", organisme="FT", referent=2),
        ],
        referents=[referent(1, "CD", 3), referent(2, "FT", 2), referent(3, "ML", 50)],
    )


def test_mean_portfolio(caseloads):
    # 4 + 2 + 1 = 7 people / 3 referents = 2.33 -> 2.3.
    result = taille_portefeuille_moyenne(caseloads, **dates(*H1))
    assert (result.value, result.numerator, result.denominator) == (2.3, 7, 3)
    assert result.unit == "personnes"
    assert result.details["referents"] == 3


def test_mean_portfolio_by_organisme_of_the_referent(caseloads):
    # FT: referent 2 (2); CD: referent 1 (4); referent 9 is unknown -> inconnu (1).
    result = taille_portefeuille_moyenne(caseloads, **dates(*H1), by="organisme")
    assert result.breakdown["FT"] == {"value": 2.0, "numerator": 2, "denominator": 1}
    assert result.breakdown["CD"] == {"value": 4.0, "numerator": 4, "denominator": 1}
    assert result.breakdown["ML"] == {"value": None, "numerator": 0, "denominator": 0}
    assert result.breakdown["inconnu"] == {"value": 1.0, "numerator": 1, "denominator": 1}


def test_share_of_referents_above_target(caseloads):
    # Above: referent 1 (4 > 3); referent 2 (2 = 2) and 9 (1 <= 70) are not -> 1/3 = 33.3.
    result = part_referents_au_dessus_cible(caseloads, **dates(*H1))
    assert (result.value, result.numerator, result.denominator) == (33.3, 1, 3)
    assert result.details["referents_cible_par_defaut"] == 1
    assert result.details["cible_par_defaut"] == 70


def test_default_target_comes_from_the_params(caseloads):
    # With a default target of 1, referent 9 (1 person) is still not above: 1/3.
    # Referent 1 keeps its own target of 3.
    result = part_referents_au_dessus_cible(
        caseloads, **dates(*H1), params=Params(portfolio_target=1)
    )
    assert (result.numerator, result.denominator) == (1, 3)
    assert result.details["cible_par_defaut"] == 1


def test_share_above_target_by_organisme(caseloads):
    result = part_referents_au_dessus_cible(caseloads, **dates(*H1), by="organisme")
    assert result.breakdown["CD"] == {"value": 100.0, "numerator": 1, "denominator": 1}
    assert result.breakdown["FT"] == {"value": 0.0, "numerator": 0, "denominator": 1}
    assert result.breakdown["inconnu"] == {"value": 0.0, "numerator": 0, "denominator": 1}
    with pytest.raises(ValueError, match="cannot be broken down"):
        part_referents_au_dessus_cible(caseloads, **dates(*H1), by="sex")


def test_no_referent_gives_no_value():
    mean = taille_portefeuille_moyenne(Frames.empty(), **dates(*H1))
    share = part_referents_au_dessus_cible(Frames.empty(), **dates(*H1))
    assert (mean.value, mean.numerator, mean.denominator) == (None, 0, 0)
    assert (share.value, share.numerator, share.denominator) == (None, 0, 0)
