"""A COMOP list longer than the grid's limit: the grid gets its head and says so in
French, the CSV export (written on the server then) and the Excel export hold every row.

Territories and people of tests/test_comop_callbacks.py (March 2024 seen at 30/04/2024):
the waiting list of 35-REDON holds A-1 (60 days) then A-3 (28 days). The limit is set
to 1 row here so that this 2-row list is over it.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

import callbacks.comop
from layouts.comop_export import list_csv
from layouts.comop_lists import COLUMNS
from tests.helpers import log_in
from tests.test_comop_callbacks import (  # noqa: F401 - territories is a fixture
    MARCH,
    _click,
    _exports,
    _payload,
    _post,
    _url,
    identifiers,
    show,
    territories,
)

GRID_CSV = [("comop-grid", "exportDataAsCsv"), ("comop-grid", "csvExportParams")]
# Callback tests: the territories of test_comop_callbacks, an app per test (over 1 s here).
with_territories = pytest.mark.usefixtures("territories")


@pytest.fixture
def one_row_grid(monkeypatch):
    monkeypatch.setattr(callbacks.comop, "GRID_ROW_LIMIT", 1)


def _full_csv_output(client) -> str:
    """The output id Dash gave the server-side CSV export (a duplicate of the download)."""
    for callback in client.get("/_dash-dependencies").get_json():
        if callback["output"].startswith("comop-download.data@") and any(
            item["id"] == "comop-csv" for item in callback["inputs"]
        ):
            return callback["output"]
    raise AssertionError("no server-side CSV export")


def _full_csv(client, search):
    payload = {
        "output": _full_csv_output(client),
        "outputs": {"id": "comop-download", "property": "data"},
        "inputs": [_click("comop-csv")],
        "changedPropIds": ["comop-csv.n_clicks"],
        "state": [_url(search)],
    }
    return client.post("/_dash-update-component", json=payload)


@pytest.mark.slow
@with_territories
def test_the_grid_gets_the_head_of_a_long_list_and_says_it(client, one_row_grid):
    log_in(client, "a.comop")
    response = show(client, MARCH)
    assert identifiers(response) == ["35-REDON-1"]  # the first row: still waiting, 60 days
    note = json.dumps(response["comop-list-note"], ensure_ascii=False)
    assert "Liste de 2 lignes : seules les 1 premières" in note
    assert "les exports CSV et Excel contiennent la liste complète" in note


@pytest.mark.slow
@with_territories
def test_a_list_within_the_limit_is_sent_whole_without_note(client):
    log_in(client, "a.comop")
    response = show(client, MARCH)
    assert identifiers(response) == ["35-REDON-1", "35-REDON-3"]
    assert "Liste de" not in json.dumps(response["comop-list-note"], ensure_ascii=False)


@pytest.mark.slow
@with_territories
def test_the_csv_of_a_long_list_is_written_whole_on_the_server(client, one_row_grid, db_session):
    log_in(client, "a.comop")
    # The grid holds one row: it does not export, the server does.
    grid = client.post(
        "/_dash-update-component", json=_payload(GRID_CSV, [_click("comop-csv")], [_url(MARCH)])
    )
    assert grid.status_code == 204 or grid.get_json()["response"] == {}
    response = _full_csv(client, MARCH)
    assert response.status_code == 200
    data = response.get_json()["response"]["comop-download"]["data"]
    assert data["filename"] == "comop-35-REDON-attente_orientation-2024-04-30.csv"
    rows = list(csv.reader(io.StringIO(data["content"]), delimiter=";"))
    assert rows[0][:5] == ["Identifiant", "Site", "T0 (notification reçue)", "Entrée en "
                           "droits et devoirs", "Jours d'attente"]  # fmt: skip
    # T0 and entry 01/03/2024, 60 days; A-3: 05/03/2024, 28 days.
    assert [row[0] for row in rows[1:]] == ["35-REDON-1", "35-REDON-3"]
    assert [row[2] for row in rows[1:]] == ["01/03/2024", "05/03/2024"]
    assert [row[4] for row in rows[1:]] == ["60", "28"]
    (entry,) = _exports(db_session)
    assert entry.details["format"] == "csv" and entry.details["lignes"] == 2


@pytest.mark.slow
@with_territories
def test_the_server_leaves_a_short_list_to_the_grid(client, db_session):
    log_in(client, "a.comop")
    response = _full_csv(client, MARCH)
    assert response.status_code == 204 or response.get_json()["response"] == {}
    assert _exports(db_session) == []  # audited once, by the grid's export callback


def test_the_server_csv_escapes_formulas_and_quotes_every_cell():
    columns = COLUMNS["attente_orientation"][:3]
    rows = [{"identifiant": "=HYPERLINK(1)", "site": "Nord; Sud", "t0": "2024-03-01"}]
    rows.append({"identifiant": "-2", "site": None, "t0": None})
    text = list_csv(columns, rows)
    assert text.splitlines() == [
        '"Identifiant";"Site";"T0 (notification reçue)"',
        '"\'=HYPERLINK(1)";"Nord; Sud";"01/03/2024"',
        '"\'-2";"";""',
    ]
