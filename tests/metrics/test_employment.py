"""Returns to employment (of which durable) of the accompanied, exits from the RSA."""

from __future__ import annotations

import pytest

from metrics.employment import taux_retour_emploi, taux_retour_emploi_durable, taux_sortie_rsa
from metrics.frames import Frames
from tests.metrics.builders import dates, make_frames, orientation, outcome, rights

MARCH = ("2024-03-01", "2024-03-31")


@pytest.fixture(scope="module")
def employment():
    """March 2024; subject since 2023 and oriented in 2023 (CD) unless said otherwise.

    1 FT: CDI started 10/03                          -> job, durable
    2: CDD of 6 months started 01/03                 -> job, durable
    3: CDD of 5 months started 31/03                 -> job, not durable
    4: interim of 2 months flagged durable, 15/03    -> job, durable (the flag)
    5: CDI started 01/04                             -> no job in March
    6: nothing                                       -> no job
    7: left on 01/03 (first day out), CDI 05/03      -> not accompanied in March
    8: subject from 31/03, oriented 31/03            -> accompanied, no job
    9: oriented on 02/04, CDD of 12 months 20/03     -> not accompanied in March
    10: IAE contract of 24 months started 12/03      -> job, not durable
    """
    return make_frames(
        rights_rows=[
            *(rights(number, start="2023-01-01") for number in (1, 2, 3, 4, 5, 6, 9, 10)),
            rights(7, start="2023-01-01", exit_on="2024-03-01"),
            rights(8, start="2024-03-31"),
        ],
        orientations=[
            orientation(1, "2023-02-01", "2023-02-02", organisme="FT"),
            *(orientation(number, "2023-02-01", "2023-02-02") for number in (2, 3, 4, 5, 6, 7, 10)),
            orientation(8, "2024-03-31"),
            orientation(9, "2024-04-02"),
        ],
        outcomes=[
            outcome(1, "2024-03-10", "CDI"),
            outcome(2, "2024-03-01", "CDD", 6.0),
            outcome(3, "2024-03-31", "CDD", 5.0),
            outcome(4, "2024-03-15", "interim", 2.0, durable=True),
            outcome(5, "2024-04-01", "CDI"),
            outcome(7, "2024-03-05", "CDI"),
            outcome(9, "2024-03-20", "CDD", 12.0),
            outcome(10, "2024-03-12", "IAE", 24.0),
        ],
    )


def test_return_to_employment(employment):
    # Accompanied: 1, 2, 3, 4, 5, 6, 8, 10 = 8; jobs 1, 2, 3, 4, 10 = 5 -> 62.5.
    result = taux_retour_emploi(employment, **dates(*MARCH, "2024-06-30"))
    assert (result.value, result.numerator, result.denominator) == (62.5, 5, 8)
    # 7 and 9 found a job outside the denominator.
    assert result.details["emplois_hors_accompagnement"] == 2


def test_durable_return_to_employment(employment):
    # Durable: 1 (CDI), 2 (CDD 6 months), 4 (flag) = 3 / 8 -> 37.5; 3 (5 months) and
    # 10 (IAE) are not durable.
    result = taux_retour_emploi_durable(employment, **dates(*MARCH, "2024-06-30"))
    assert (result.value, result.numerator, result.denominator) == (37.5, 3, 8)


def test_return_to_employment_seen_mid_period(employment):
    # At 20/03: 8 (from 31/03) is not accompanied yet and 3's job (31/03) is not known:
    # jobs 1, 2, 4, 10 / 1, 2, 3, 4, 5, 6, 10 = 4/7 = 57.14 -> 57.1.
    result = taux_retour_emploi(employment, **dates(*MARCH, "2024-03-20"))
    assert (result.value, result.numerator, result.denominator) == (57.1, 4, 7)


def test_return_to_employment_by_organisme(employment):
    # FT: 1 -> 1/1; CD: 2, 3, 4, 10 / 2, 3, 4, 5, 6, 8, 10 = 4/7.
    result = taux_retour_emploi(employment, **dates(*MARCH, "2024-06-30"), by="organisme")
    assert result.breakdown["FT"] == {"value": 100.0, "numerator": 1, "denominator": 1}
    assert result.breakdown["CD"] == {"value": 57.1, "numerator": 4, "denominator": 7}
    with pytest.raises(ValueError, match="cohorte"):
        taux_retour_emploi(employment, **dates(*MARCH, "2024-06-30"), by="cohorte")


def test_no_one_accompanied_gives_no_rate():
    result = taux_retour_emploi_durable(Frames.empty(), **dates(*MARCH, "2024-06-30"))
    assert (result.value, result.numerator, result.denominator) == (None, 0, 0)


@pytest.fixture(scope="module")
def exits():
    """Exits around March 2024 (exit_on is the first day out of the RSA).

    1: subject since 2023, exit 01/03 (on period_start)   -> in the stock, exits in March
    2: subject since 2023, exit 29/02 (the day before)    -> not in March's stock
    3: subject since 2023, exit 31/03                     -> exits in March
    4: subject since 2023, exit 01/04                     -> exits in April
    5: subject since 2023                                 -> stays
    6: subject from 01/03, exit 15/03                     -> in the stock, exits in March
    7: subject from 02/03, exit 20/03                     -> entered during March: not counted
    """
    return make_frames(
        rights_rows=[
            rights(1, start="2023-01-01", exit_on="2024-03-01"),
            rights(2, start="2023-01-01", exit_on="2024-02-29"),
            rights(3, start="2023-01-01", exit_on="2024-03-31"),
            rights(4, start="2023-01-01", exit_on="2024-04-01"),
            rights(5, start="2023-01-01"),
            rights(6, start="2024-03-01", exit_on="2024-03-15"),
            rights(7, start="2024-03-02", exit_on="2024-03-20"),
        ]
    )


def test_exit_rate(exits):
    # Stock: 1, 3, 4, 5, 6 = 5; exits 1, 3, 6 = 3 -> 60.0.
    result = taux_sortie_rsa(exits, **dates(*MARCH, "2024-06-30"))
    assert (result.value, result.numerator, result.denominator) == (60.0, 3, 5)
    assert result.details["stock_debut"] == 5


def test_exit_rate_of_the_next_period_shares_no_exit(exits):
    # April: stock 4 (subject on 31/03), 5 = 2; exit 4 on 01/04 -> 1/2 = 50.0.
    result = taux_sortie_rsa(exits, **dates("2024-04-01", "2024-04-30", "2024-06-30"))
    assert (result.value, result.numerator, result.denominator) == (50.0, 1, 2)


def test_exit_rate_seen_mid_period(exits):
    # At 20/03: exits 1 (01/03), 6 (15/03) known; 3 (31/03) not yet -> 2/5 = 40.0.
    result = taux_sortie_rsa(exits, **dates(*MARCH, "2024-03-20"))
    assert (result.value, result.numerator, result.denominator) == (40.0, 2, 5)
