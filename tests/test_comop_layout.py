"""The COMOP page's pure parts: its URL parameters, the Excel export, the weekly table."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pytest
from dash import html

from callbacks.filters import page_params
from layouts.comop_export import list_workbook, safe_text
from layouts.comop_lists import COLUMNS, Names, empty_message, grid_rows
from layouts.comop_query import (
    ComopQuery,
    comop_href,
    parse_comop_query,
    seen_on,
    week_options,
    week_sunday,
    with_comop_params,
)
from layouts.comop_weekly import weekly_view
from layouts.filters import FilterError, parse_filters
from metrics.operational import attente_orientation
from metrics.operational_weekly import Figures, SiteWeek
from metrics.params import Params
from tests.metrics.builders import dates, make_frames, orientation, person, rights

ROOT = Path(__file__).resolve().parents[1]


def test_the_comop_parameters_are_read_from_the_url():
    query = parse_comop_query(
        "?territoire=35-REDON&liste=orientes_sans_rdv&site=3"
        "&organisme=cd&referent=12&semaine=2024-w36"
    )
    assert query == ComopQuery("orientes_sans_rdv", 3, "CD", 12, "2024-W36")
    assert parse_comop_query(None) == ComopQuery()
    assert parse_comop_query({"liste": "referents_au_dessus_cible"}).liste == (
        "referents_au_dessus_cible"
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?liste=tout", "Liste inconnue : « tout »"),
        ("?organisme=POLE", "Organisme inconnu : « POLE »"),
        ("?site=1;DROP", "Site illisible dans l'adresse."),
        ("?referent=-1", "Référent illisible dans l'adresse."),
        ("?semaine=36", "Semaine illisible : « 36 »"),
        ("?semaine=2021-W53", "L'année 2021 n'a pas de semaine 53."),
        ("?semaine=1990-W01", "Année hors du champ du tableau de bord : 1990."),
    ],
)
def test_a_bad_parameter_is_explained_in_french(query, message):
    with pytest.raises(FilterError, match=message):
        parse_comop_query(query)


def test_a_week_is_seen_at_its_sunday_never_after_the_extraction():
    # ISO week 36 of 2024: Monday 02/09 to Sunday 08/09; 2020 had a week 53.
    assert week_sunday("2024-W36") == dt.date(2024, 9, 8)
    assert week_sunday("2020-W53") == dt.date(2021, 1, 3)
    latest = dt.date(2024, 9, 5)
    assert seen_on(ComopQuery(semaine="2024-W35"), latest) == dt.date(2024, 9, 1)
    assert seen_on(ComopQuery(semaine="2024-W36"), latest) == latest
    assert seen_on(ComopQuery(), latest) == latest


def test_the_weeks_offered_end_with_the_week_of_the_extraction():
    # Tuesday 31/12/2024 belongs to ISO week 1 of 2025 (Monday 30/12 to Sunday 05/01).
    options = week_options(dt.date(2024, 12, 31), count=3)
    assert [option["value"] for option in options] == ["2025-W01", "2024-W52", "2024-W51"]
    assert options[0]["label"] == "Semaine 1 2025 (du 30/12 au 05/01/2025)"


def test_the_url_keeps_the_shared_filters_and_replaces_the_comop_ones():
    search = "?territoire=35-REDON&periode=2024-T3&site=4&liste=orientes_sans_rdv"
    query = ComopQuery(liste="attente_orientation", organisme="FT", semaine="2024-W36")
    # The default list is left out; site 4 is dropped, organisme and week are added.
    assert with_comop_params(search, query) == (
        "?territoire=35-REDON&periode=2024-T3&organisme=FT&semaine=2024-W36"
    )
    assert with_comop_params("", ComopQuery()) == ""


def test_a_copil_figure_links_to_the_list_behind_it():
    filters = parse_filters("?territoire=35-REDON&periode=2024-T3")
    assert comop_href("taux_orientes_15j", filters) == (
        "/comop?territoire=35-REDON&periode=2024-T3&liste=attente_orientation"
    )
    assert comop_href("part_referents_au_dessus_cible", filters).endswith(
        "liste=referents_au_dessus_cible"
    )
    assert comop_href("taux_orientation", filters) is None  # no list behind a stock rate
    # The link opens what it names.
    assert parse_comop_query(comop_href("taux_relance_15j", filters).split("?")[1]).liste == (
        "absences_sans_relance"
    )


def test_the_shared_filter_bar_keeps_the_pages_own_parameters():
    # callbacks/filters.py rewrites territoire/periode/du/au and keeps the rest.
    assert page_params("?territoire=35-REDON&periode=2024&liste=orientes_sans_rdv&site=3") == {
        "liste": "orientes_sans_rdv",
        "site": "3",
    }
    assert page_params(None) == {}


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("x;=1", "x;=1"),
        ('"=1"', '"=1"'),
        ("CDAS Redon", "CDAS Redon"),
        ("bell\x07", "bell"),
    ],
)
def test_text_cells_never_become_formulas(value, written):
    assert safe_text(value) == written


def test_the_workbook_writes_dates_numbers_and_escaped_text():
    columns = COLUMNS["attente_orientation"]
    rows = [
        {
            "identifiant": "abc",
            "site": "=1+1",
            "t0": "2024-03-01",
            "entree": "2024-02-28",
            "jours": -3,
            "situation": "Toujours en attente",
            "notifiee": None,
            "organisme": "CCAS",
            "referent": "+REF",
        }
    ]
    content = list_workbook("Titre", "Sous-titre", columns, rows)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [sheet.cell(row=4, column=c).value for c in (1, 2, 3, 5)] == [
        "Identifiant",
        "Site",
        "T0 (notification reçue)",
        "Jours d'attente",
    ]
    assert sheet["B5"].value == "'=1+1" and sheet["B5"].data_type == "s"
    assert sheet["C5"].value == dt.datetime(2024, 3, 1)
    assert sheet["C5"].number_format == "DD/MM/YYYY"
    assert sheet["E5"].value == -3  # a number stays a number, even negative
    assert sheet["I5"].value == "'+REF"
    assert sheet["G5"].value is None


def test_grid_rows_in_french_with_short_names():
    frames = make_frames(
        people=[person(1, site="CDAS A"), person(2, site="CDAS B")],
        rights_rows=[
            rights(1, start="2024-03-01", t0="2024-03-01"),
            rights(2, start="2024-03-01", t0="2024-03-01"),
        ],
        orientations=[orientation(2, "2024-03-25", "2024-03-26", organisme="ML", referent=7)],
    )
    rows = attente_orientation(frames, **dates("2024-03-01", "2024-03-31", "2024-04-30"))
    names = Names({1: "aaaaaaaaaa"}, {7: "ML07"})
    shown = grid_rows("attente_orientation", rows, names)
    # 1 still waiting 60 days (30/04 - 01/03); 2 notified 26/03, 25 days after T0.
    assert shown == [
        {
            "identifiant": "aaaaaaaaaa",
            "site": "CDAS A",
            "organisme": None,
            "referent": None,
            "t0": "2024-03-01",
            "entree": "2024-03-01",
            "jours": 60,
            "situation": "Toujours en attente",
            "notifiee": None,
        },
        {
            "identifiant": "inconnu",  # not among the names: never another's pseudonym
            "site": "CDAS B",
            "organisme": "Mission locale",
            "referent": "ML07",
            "t0": "2024-03-01",
            "entree": "2024-03-01",
            "jours": 25,
            "situation": "Orientée hors délai",
            "notifiee": "2024-03-26",
        },
    ]
    assert {column["field"] for column in COLUMNS["attente_orientation"]} == set(shown[0])


def test_empty_lists_say_so_with_the_territory_threshold():
    assert empty_message("attente_orientation", Params(), False) == (
        "Aucune personne en attente d'orientation depuis plus de 15 jours."
    )
    assert empty_message("orientes_sans_rdv", Params(first_appointment_days=30), True) == (
        "Aucune personne orientée restée sans premier rendez-vous d'accompagnement au-delà "
        "de 30 jours (avec les filtres choisis)."
    )


def _text(component) -> str:
    return json.dumps(component, default=lambda c: c.to_plotly_json(), ensure_ascii=False)


def test_the_weekly_table_shows_values_and_changes():
    now = Figures({"attente_orientation": 5, "orientes_sans_rdv": 2}, in_time=1, counted=4)
    before = Figures({"attente_orientation": 3, "orientes_sans_rdv": 2}, in_time=1, counted=2)
    rows = [SiteWeek("CDAS A", now, before), SiteWeek(None, now, before, total=True)]
    (table,) = weekly_view(rows, dt.date(2024, 4, 30))
    text = _text(table)
    # 5 against 3: +2 (worse); rate 25 % against 50 %: -25 points (worse).
    assert '"5"' in text and " (+2)" in text and " (=)" in text
    assert "25,0 %" in text and " (-25,0 pt)" in text
    assert "Ensemble" in text and "24/04/2024" not in text and "23/04/2024" in text
    assert text.count("comop-delta-worse") == 4  # two sites rows x (list +2, rate -25)


def test_an_empty_weekly_table_says_so():
    view = weekly_view([SiteWeek(None, Figures(), Figures(), total=True)], dt.date(2024, 4, 30))
    assert isinstance(view[0], html.P)
    assert view[0].children == "Aucune donnée à comparer d'une semaine sur l'autre."


def test_no_comop_module_renders_html_from_data():
    modules = [*ROOT.glob("layouts/comop*.py"), *ROOT.glob("callbacks/comop*.py")]
    assert len(modules) >= 6
    for module in modules:
        source = module.read_text(encoding="utf-8")
        assert "dangerously_allow" not in source, module.name
        assert "cellRenderer" not in source, module.name
