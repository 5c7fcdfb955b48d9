"""The filters of the steering pages, read from and written to the URL."""

from __future__ import annotations

import datetime as dt

import pytest

from callbacks.filters import freshness_text
from layouts.filters import FilterError, PageFilters, parse_filters, period_options


@pytest.mark.parametrize(
    ("query", "expected", "label"),
    [
        (
            "?territoire=35-redon&periode=2024-T3",
            ("35-REDON", "trimestre", "2024-07", "2024-09"),
            "T3 2024",
        ),
        ("periode=2024", (None, "annee", "2024-01", "2024-12"), "Année 2024"),
        ("?periode=2024-02", (None, "mois", "2024-02", "2024-02"), "Février 2024"),
        (
            "?du=2023-11&au=2024-06",
            (None, "personnalise", "2023-11", "2024-06"),
            "Novembre 2023 – juin 2024",
        ),
        ("", (None, "annee", None, None), "Année en cours"),
        (None, (None, "annee", None, None), "Année en cours"),
    ],
)
def test_filters_read_from_the_query_string(query, expected, label):
    filters = parse_filters(query)
    assert (filters.territory, filters.kind, filters.month_from, filters.month_to) == expected
    assert filters.label == label


def test_dash_layout_keyword_arguments_are_read_too():
    assert parse_filters({"periode": "2024-t1"}).month_to == "2024-03"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?periode=T3-2024", "Période illisible : « T3-2024 »"),
        ("?periode=2024-13", "Période illisible"),
        ("?periode=1999", "Année hors du champ du tableau de bord : 1999."),
        ("?du=2024-06&au=2024-01", "Le début (2024-06) est postérieur à la fin (2024-01)."),
        ("?du=2024-06", "Période personnalisée : indiquez du=AAAA-MM et au=AAAA-MM."),
        ("?territoire=' OR 1=1--", "Code de territoire illisible"),
    ],
)
def test_bad_filters_say_why_in_french(query, message):
    with pytest.raises(FilterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_filters(query)


def test_the_default_period_is_the_year_to_date_of_the_extraction():
    filters = parse_filters("?territoire=35-REDON").resolved(dt.date(2024, 9, 12))
    assert (filters.month_from, filters.month_to, filters.label) == (
        "2024-01",
        "2024-09",
        "Année 2024",
    )


def test_filters_write_back_a_shareable_query():
    assert PageFilters("35-REDON", "trimestre", "2024-T3").query() == (
        "?territoire=35-REDON&periode=2024-T3"
    )
    custom = PageFilters(None, "personnalise", None, "2024-01", "2024-06")
    assert custom.query() == "?du=2024-01&au=2024-06"
    assert parse_filters(custom.query()) == custom


def test_period_lists_stop_at_the_extraction_and_go_back_five_years():
    as_of = dt.date(2024, 8, 20)
    quarters = [option["value"] for option in period_options("trimestre", as_of)]
    assert quarters[:3] == ["2024-T3", "2024-T2", "2024-T1"] and quarters[-1] == "2020-T1"
    months = [option["value"] for option in period_options("mois", as_of)]
    assert months[0] == "2024-08" and len(months) == 8 + 4 * 12
    assert period_options("annee", as_of)[0] == {"label": "2024", "value": "2024"}


def test_freshness_names_each_source_with_its_date():
    text = freshness_text({"solis": dt.date(2024, 3, 12), "france-travail": dt.date(2024, 3, 10)})
    assert text == "Données France Travail au 10/03/2024 · SOLIS au 12/03/2024"
    assert freshness_text({}) == "Aucune donnée chargée pour ce territoire."
