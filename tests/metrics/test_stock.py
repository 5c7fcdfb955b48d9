"""Orientation rate of the people subject to droits et devoirs, and its split.

The scenario at as_of 30/06/2024 (period 01/01/2024-30/06/2024):

 id  born  sex  rights (duties)                       orientations (latest at 30/06 in bold)
 1   2000  F    from 01/01/2023                       01/02/2023 CD social
 2   1998  M    from 30/06/2019                       01/08/2019 CD social, re 01/05/2024 FT emploi
 3   1999  F    from 15/01/2024                       -
 4   1980  F    01/06/2022 - 31/03/2024 (left)        01/07/2022 ML social
 5   1970  -    from 01/06/2024                       10/07/2024 MSA (after as_of)
 6   1985  M    from 01/03/2023, exit 30/06/2024      15/03/2023 CD social
 7   -     F    01/07/2021 - 30/06/2024 (last day)    01/08/2021 CCAS socio_professionnel
 8   1990  M    2018 right without duties (exit 2019), from 01/07/2022
                                                      01/05/2023 FT emploi, re 01/08/2024 CD (after)
 9   1995  F    from 01/01/2023, exit 30/04/2024      10/02/2024 CD social

Subject at 30/06: 1, 2, 3, 5, 7, 8 (4 left, 6 exits on as_of, 9 left) = 6.
Oriented at 30/06: 1 (CD social), 2 (FT emploi), 7 (CCAS socio_pro), 8 (FT emploi) = 4.
"""

from __future__ import annotations

import pytest

from metrics.categories import ORGANISMES
from metrics.frames import Frames
from metrics.stock import repartition_dominante, repartition_organisme, taux_orientation
from tests.metrics.builders import dates, make_frames, orientation, person, rights

H1 = ("2024-01-01", "2024-06-30", "2024-06-30")


@pytest.fixture(scope="module")
def stock():
    return make_frames(
        people=[
            person(1, 2000, "F", "Redon"),
            person(2, 1998, "M", "Redon"),
            person(3, 1999, "F", "Guichen"),
            person(4, 1980, "F", "Redon"),
            person(5, 1970, None, "Guichen"),
            person(6, 1985, "M", "Redon"),
            person(7, None, "F", None),
            person(8, 1990, "M", "Redon"),
            person(9, 1995, "F", "Redon"),
        ],
        rights_rows=[
            rights(1, start="2023-01-01"),
            rights(2, start="2019-06-30"),
            rights(3, start="2024-01-15"),
            rights(4, start="2022-06-01", end="2024-03-31"),
            rights(5, start="2024-06-01"),
            rights(6, start="2023-03-01", exit_on="2024-06-30"),
            rights(7, start="2021-07-01", end="2024-06-30"),
            rights(8, opened="2018-01-01", exit_on="2019-01-01"),
            rights(8, start="2022-07-01"),
            rights(9, start="2023-01-01", exit_on="2024-04-30"),
        ],
        orientations=[
            orientation(1, "2023-02-01", "2023-02-03", organisme="CD"),
            orientation(2, "2019-08-01", "2019-08-02", organisme="CD"),
            orientation(
                2,
                "2024-05-01",
                "2024-05-02",
                organisme="FT",
                dominante="emploi",
                reorientation=True,
            ),
            orientation(4, "2022-07-01", "2022-07-02", organisme="ML"),
            orientation(5, "2024-07-10", "2024-07-11", organisme="MSA"),
            orientation(6, "2023-03-15", "2023-03-16", organisme="CD"),
            orientation(
                7, "2021-08-01", "2021-08-02", organisme="CCAS", dominante="socio_professionnel"
            ),
            orientation(8, "2023-05-01", "2023-05-02", organisme="FT", dominante="emploi"),
            orientation(8, "2024-08-01", "2024-08-02", organisme="CD", reorientation=True),
            orientation(9, "2024-02-10", "2024-02-12", organisme="CD"),
        ],
    )


def test_orientation_rate(stock):
    # 4 oriented / 6 subject = 66.67 -> 66.7.
    result = taux_orientation(stock, **dates(*H1))
    assert (result.value, result.numerator, result.denominator) == (66.7, 4, 6)
    assert result.details["non_orientes"] == 2


def test_stock_split_by_organisme_uses_the_latest_orientation(stock):
    # 2 counts as FT (re-orientation of 01/05/2024); 8 as FT (its CD re-orientation is
    # after as_of). FT 2/4 = 50.0, CD 1/4 = 25.0 (person 1), CCAS 1/4 = 25.0 (person 7).
    result = repartition_organisme(stock, **dates(*H1))
    assert (result.value, result.numerator, result.denominator) == (None, None, 4)
    assert result.breakdown == {
        "FT": {"count": 2, "share": 50.0},
        "CD": {"count": 1, "share": 25.0},
        "ML": {"count": 0, "share": 0.0},
        "CAP_EMPLOI": {"count": 0, "share": 0.0},
        "MSA": {"count": 0, "share": 0.0},
        "CCAS": {"count": 1, "share": 25.0},
        "OTHER": {"count": 0, "share": 0.0},
    }


def test_stock_split_by_dominante(stock):
    # emploi: 2, 8; socio_professionnel: 7; social: 1.
    result = repartition_dominante(stock, **dates(*H1))
    assert result.breakdown == {
        "emploi": {"count": 2, "share": 50.0},
        "socio_professionnel": {"count": 1, "share": 25.0},
        "social": {"count": 1, "share": 25.0},
    }


def test_flux_split_counts_the_decisions_of_the_period(stock):
    # Decided in [01/01, 30/06]: 2's re-orientation FT emploi (01/05) and 9's CD social
    # (10/02; 9 has left since, the flux does not care). 5 (10/07) and 8 (01/08) are later.
    organismes = repartition_organisme(stock, **dates(*H1), scope="flux")
    assert organismes.denominator == 2
    assert organismes.breakdown["FT"] == {"count": 1, "share": 50.0}
    assert organismes.breakdown["CD"] == {"count": 1, "share": 50.0}
    assert organismes.details["reorientations"] == 1
    dominantes = repartition_dominante(stock, **dates(*H1), scope="flux")
    assert dominantes.breakdown == {
        "emploi": {"count": 1, "share": 50.0},
        "socio_professionnel": {"count": 0, "share": 0.0},
        "social": {"count": 1, "share": 50.0},
    }


def test_repartition_always_lists_the_seven_organismes():
    result = repartition_organisme(Frames.empty(), **dates(*H1))
    assert list(result.breakdown) == list(ORGANISMES)
    assert all(cell == {"count": 0, "share": None} for cell in result.breakdown.values())
    assert result.denominator == 0


def test_unknown_scope_is_a_programmer_error(stock):
    with pytest.raises(ValueError, match="scope"):
        repartition_organisme(stock, **dates(*H1), scope="all")


def test_orientation_rate_by_age_band(stock):
    # Age = 2024 - birth year: 1 (24) <26 oriented, 3 (25) <26 not -> 1/2 = 50.0;
    # 2 (26), 8 (34) 26-34 both oriented -> 2/2 = 100.0; 35-49: nobody -> None;
    # 5 (54) 50+ not oriented -> 0/1 = 0.0; 7 (no birth year) oriented -> inconnu 1/1.
    result = taux_orientation(stock, **dates(*H1), by="age_band")
    assert result.breakdown == {
        "<26": {"value": 50.0, "numerator": 1, "denominator": 2},
        "26-34": {"value": 100.0, "numerator": 2, "denominator": 2},
        "35-49": {"value": None, "numerator": 0, "denominator": 0},
        "50+": {"value": 0.0, "numerator": 0, "denominator": 1},
        "inconnu": {"value": 100.0, "numerator": 1, "denominator": 1},
    }


def test_orientation_rate_by_seniority(stock):
    # Whole years from the first rights opening to 30/06/2024:
    # 3 (15/01/2024) and 5 (01/06/2024): 0 -> <1, neither oriented -> 0/2;
    # 1 (01/01/2023): 1 -> 1-2, oriented; 7 (01/07/2021): 2 (3rd anniversary tomorrow)
    # -> 2-5, oriented; 2 (30/06/2019): 5 today -> 5+; 8 (first opening 2018): 6 -> 5+.
    result = taux_orientation(stock, **dates(*H1), by="seniority")
    assert result.breakdown == {
        "<1": {"value": 0.0, "numerator": 0, "denominator": 2},
        "1-2": {"value": 100.0, "numerator": 1, "denominator": 1},
        "2-5": {"value": 100.0, "numerator": 1, "denominator": 1},
        "5+": {"value": 100.0, "numerator": 2, "denominator": 2},
    }


def test_orientation_rate_by_sex_and_site(stock):
    # F: 1 yes, 3 no, 7 yes -> 2/3 = 66.7; M: 2, 8 yes -> 2/2; unknown sex: 5 no -> 0/1.
    by_sex = taux_orientation(stock, **dates(*H1), by="sex").breakdown
    assert by_sex == {
        "F": {"value": 66.7, "numerator": 2, "denominator": 3},
        "M": {"value": 100.0, "numerator": 2, "denominator": 2},
        "inconnu": {"value": 0.0, "numerator": 0, "denominator": 1},
    }
    # Sites come from the data, sorted: Guichen 3, 5 (0/2); Redon 1, 2, 8 (3/3); 7 none.
    by_site = taux_orientation(stock, **dates(*H1), by="site").breakdown
    assert by_site == {
        "Guichen": {"value": 0.0, "numerator": 0, "denominator": 2},
        "Redon": {"value": 100.0, "numerator": 3, "denominator": 3},
        "inconnu": {"value": 100.0, "numerator": 1, "denominator": 1},
    }


def test_orientation_rate_by_organisme_of_the_latest_orientation(stock):
    result = taux_orientation(stock, **dates(*H1), by="organisme").breakdown
    assert result["FT"] == {"value": 100.0, "numerator": 2, "denominator": 2}
    assert result["CD"] == {"value": 100.0, "numerator": 1, "denominator": 1}
    assert result["inconnu"] == {"value": 0.0, "numerator": 0, "denominator": 2}


def test_no_one_subject_gives_no_rate():
    result = taux_orientation(Frames.empty(), **dates(*H1))
    assert (result.value, result.numerator, result.denominator) == (None, 0, 0)


def test_stock_indicators_have_no_cohort(stock):
    with pytest.raises(ValueError, match="cohorte"):
        taux_orientation(stock, **dates(*H1), by="cohorte")
    with pytest.raises(ValueError, match="no `by`"):
        repartition_organisme(stock, **dates(*H1), by="sex")


@pytest.fixture(scope="module")
def same_day_orientations():
    """One person subject from 01/01/2024, two orientations decided the same day 01/03/2024:
    A to CD notified 05/03, B to FT notified 10/04 (neither a re-orientation)."""
    return make_frames(
        people=[person(1, 1990, "F", "Redon")],
        rights_rows=[rights(1, start="2024-01-01")],
        orientations=[
            orientation(1, "2024-03-01", "2024-03-05", organisme="CD"),
            orientation(1, "2024-03-01", "2024-04-10", organisme="FT"),
        ],
    )


def test_same_day_orientations_use_only_notifications_known_at_as_of(same_day_orientations):
    # At 31/03 B's notification (10/04) is not known yet: A, notified 05/03, is in force.
    march = repartition_organisme(
        same_day_orientations, **dates("2024-01-01", "2024-03-31", "2024-03-31")
    )
    assert march.breakdown["CD"]["count"] == 1
    assert march.breakdown["FT"]["count"] == 0
    by_organisme = taux_orientation(
        same_day_orientations, **dates("2024-01-01", "2024-03-31", "2024-03-31"), by="organisme"
    ).breakdown
    assert by_organisme["CD"] == {"value": 100.0, "numerator": 1, "denominator": 1}
    # At 30/04 both are known and B was notified last: B is in force.
    april = repartition_organisme(
        same_day_orientations, **dates("2024-01-01", "2024-04-30", "2024-04-30")
    )
    assert (april.breakdown["CD"]["count"], april.breakdown["FT"]["count"]) == (0, 1)
