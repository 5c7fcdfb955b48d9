from __future__ import annotations

import dataclasses

import pytest

from metrics.disclosure import disclose, suppress_small_count
from metrics.result import IndicatorResult


@pytest.mark.parametrize(
    ("count", "threshold", "expected"),
    [(0, 11, 0), (1, 11, None), (10, 11, None), (11, 11, 11), (1396, 11, 1396), (4, 5, None)],
)
def test_counts_under_the_threshold_are_suppressed(count, threshold, expected):
    assert suppress_small_count(count, threshold) == expected


def test_negative_count_is_a_bug():
    with pytest.raises(ValueError, match="negative"):
        suppress_small_count(-1, 11)


# --- disclose: primary and secondary suppression ---------------------------------------

RATE = IndicatorResult(
    code="taux_orientes_15j",
    label="Orientés en 15 jours",
    value=40.0,
    numerator=40,
    denominator=100,
    unit="%",
    target=60.0,
    trajectory_value=50.0,
    status="hors_trajectoire",
    breakdown={
        # 25/60 + 12/30 + 3/10 = 40/100; the last cell is under 11 in both counts.
        "F": {"value": 41.7, "numerator": 25, "denominator": 60},
        "M": {"value": 40.0, "numerator": 12, "denominator": 30},
        "inconnu": {"value": 30.0, "numerator": 3, "denominator": 10},
    },
    details={"nouveaux_entrants": 130, "sans_t0": 20, "fenetre_ouverte": 10, "fenetre": "T0"},
)


def test_a_single_small_cell_takes_the_next_smallest_with_it():
    shown = disclose(RATE, threshold=11)
    assert (shown.value, shown.numerator, shown.denominator, shown.suppressed) == (
        40.0,
        40,
        100,
        False,
    )
    assert shown.status == "hors_trajectoire" and shown.target == 60.0
    # "inconnu" (3/10) is primary; alone, 100 - 60 - 30 would give it back, so the
    # next smallest non-empty cell, "M" (30 people), is hidden too.
    assert shown.breakdown["F"] == {
        "value": 41.7,
        "numerator": 25,
        "denominator": 60,
        "suppressed": False,
    }
    for key in ("M", "inconnu"):
        assert shown.breakdown[key] == {
            "value": None,
            "numerator": None,
            "denominator": None,
            "suppressed": True,
        }
    # fenetre_ouverte = 10 is small: every count set apart goes (130 - 100 - 20 would give it).
    assert shown.details == {
        "nouveaux_entrants": None,
        "sans_t0": None,
        "fenetre_ouverte": None,
        "fenetre": "T0",
    }


def test_two_small_cells_need_no_secondary_and_zeros_stay():
    result = dataclasses.replace(
        RATE,
        breakdown={
            "F": {"value": 40.0, "numerator": 32, "denominator": 80},
            "M": {"value": 40.0, "numerator": 4, "denominator": 10},
            "X": {"value": 40.0, "numerator": 4, "denominator": 10},
            "Y": {"value": None, "numerator": 0, "denominator": 0},
        },
        details={"sans_t0": 12},
    )
    shown = disclose(result, threshold=11)
    assert [key for key, cell in shown.breakdown.items() if cell["suppressed"]] == ["M", "X"]
    assert shown.breakdown["Y"]["denominator"] == 0
    assert shown.details == {"sans_t0": 12}


def test_a_small_numerator_suppresses_the_headline_and_everything_under_it():
    # 5 of 200: the numerator is under 11.
    result = dataclasses.replace(RATE, value=2.5, numerator=5, denominator=200)
    shown = disclose(result, threshold=11)
    assert shown.suppressed
    assert (shown.value, shown.numerator, shown.denominator, shown.status) == (
        None,
        None,
        None,
        None,
    )
    assert shown.target == 60.0 and shown.trajectory_value == 50.0
    assert all(cell["suppressed"] for cell in shown.breakdown.values())
    assert shown.details["nouveaux_entrants"] is None and shown.details["fenetre"] == "T0"


def test_a_delay_is_suppressed_on_its_count_of_people():
    delay = IndicatorResult(
        code="delai_orientation_median_j",
        label="Délai",
        value=22.0,
        numerator=None,
        denominator=None,
        unit="jours",
        breakdown={
            "F": {"value": 23.0, "mean": 25.1, "p75": 29.5, "count": 34},
            "M": {"value": 20.0, "mean": 22.9, "p75": 27.0, "count": 13},
        },
        details={"mean": 24.5, "p75": 29.0, "count": 47, "sans_t0": 15},
    )
    assert disclose(delay).breakdown["M"]["suppressed"] is False
    assert disclose(delay).details["count"] == 47
    few = dataclasses.replace(delay, details={**delay.details, "count": 9})
    assert disclose(few).value is None and disclose(few).details["mean"] == 24.5
    assert disclose(few).details["count"] is None


def test_repartition_lines_are_checked_on_their_counts():
    split = IndicatorResult(
        code="repartition_organisme",
        label="Répartition",
        value=None,
        numerator=None,
        denominator=230,
        unit="personnes",
        breakdown={
            "FT": {"count": 25, "share": 10.9},
            "CD": {"count": 159, "share": 69.1},
            "ML": {"count": 20, "share": 8.7},
            "CAP_EMPLOI": {"count": 0, "share": 0.0},
            "MSA": {"count": 8, "share": 3.5},
            "CCAS": {"count": 18, "share": 7.8},
        },
    )
    hidden = [key for key, cell in disclose(split).breakdown.items() if cell["suppressed"]]
    # MSA (8) is primary; the smallest other non-empty line is CCAS (18); CAP_EMPLOI (0) stays.
    assert hidden == ["MSA", "CCAS"]


def test_the_threshold_must_be_positive():
    with pytest.raises(ValueError, match="at least 1"):
        disclose(RATE, threshold=0)
