"""The COMOP callbacks, posted straight to /_dash-update-component: the lists of the user's
own territory only, refused to copil and national, exports written to the audit log.

Two territories built by hand, seen at 30/04/2024 (their SOLIS extraction), period
March 2024 (15-day orientation window: deadline = T0 + 14):
- A (35-REDON): A-1 enters 01/03 (T0 01/03), never oriented: late, 60 days at 30/04;
  A-2 enters 10/03, notified 14/03: in time; A-3 enters 05/03, notified 02/04 (deadline
  19/03): late, 28 days; A-4 entered in January. Referent REFA1 (target 1) is named by
  A-2, A-3 (from 01/04) and A-4.
- B (75-PARIS): B-1 enters 01/03, never oriented: late in B.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json

import openpyxl
import pytest
from sqlalchemy import select

from dashboard.models import (
    AuditLog,
    DataSource,
    ImportBatch,
    ImportStatus,
    Referent,
    Role,
    Site,
)
from tests.helpers import log_in, make_territory, make_user
from tests.scope_fixtures import add_orientation, add_person

D = dt.date.fromisoformat
MARCH = "?periode=2024-03"
LIST_OUTPUTS = [
    ("comop-error", "children"),
    ("comop-seen", "children"),
    ("comop-list-title", "children"),
    ("comop-list-note", "children"),
    ("comop-list-empty", "children"),
    ("comop-grid", "columnDefs"),
    ("comop-grid", "rowData"),
    ("comop-weekly", "children"),
]
CONTROL_OUTPUTS = [
    ("comop-site", "options"),
    ("comop-referent", "options"),
    ("comop-week", "options"),
]
PAGE_INPUT = {"id": "comop-page", "property": "data", "value": "/comop"}


def _payload(outputs, inputs, state=()):
    """A callback post as the browser sends it (one output, or several)."""
    names = [f"{component}.{prop}" for component, prop in outputs]
    specs = [{"id": component, "property": prop} for component, prop in outputs]
    return {
        "output": names[0] if len(names) == 1 else ".." + "...".join(names) + "..",
        "outputs": specs[0] if len(specs) == 1 else specs,
        "inputs": list(inputs),
        "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"],
        "state": list(state),
    }


def _url(search):
    return {"id": "frame-url", "property": "search", "value": search}


def _post(client, payload, status=200):
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response


def show(client, search):
    """The page's content callback for `search`: its response, by output id."""
    body = _post(client, _payload(LIST_OUTPUTS, [_url(search), PAGE_INPUT])).get_json()
    return body["response"]


def identifiers(response):
    return [row.get("identifiant") for row in response["comop-grid"]["rowData"]]


def _person(db, territory, number, site, start, t0):
    return add_person(db, territory.id, f"{territory.code}-{number}", site, start, t0)


_orientation = add_orientation


def _extraction(db, territory):
    db.add(
        ImportBatch(
            territory_id=territory.id,
            source=DataSource.SOLIS,
            file_name="solis.csv",
            sha256=territory.code.ljust(64, "0"),
            extracted_on=D("2024-04-30"),
            status=ImportStatus.LOADED,
        )
    )


@pytest.fixture
def territories(db_session):
    """A and B as in the module docstring; ids of B's site and referent for forgeries."""
    db = db_session
    a, b = make_territory(db, "35-REDON", "Pays de Redon"), make_territory(db, "75-PARIS", "Paris")
    make_territory(db, "13-MARS", "Marseille")  # no data at all
    north, south = (
        Site(territory_id=a.id, name="CDAS Nord"),
        Site(territory_id=a.id, name="CDAS Sud"),
    )
    centre = Site(territory_id=b.id, name="Paris Centre")
    db.add_all([north, south, centre])
    db.flush()
    ref_a = Referent(territory_id=a.id, code="REFA1", organisme="CD", site_id=north.id)
    ref_a.portfolio_target = 1
    ref_b = Referent(territory_id=b.id, code="REFB1", organisme="CD", site_id=centre.id)
    db.add_all([ref_a, ref_b])
    db.flush()
    _person(db, a, 1, north, "2024-03-01", "2024-03-01")
    a2 = _person(db, a, 2, south, "2024-03-10", "2024-03-10")
    _orientation(db, a2, "2024-03-12", "2024-03-14", ref_a)
    a3 = _person(db, a, 3, south, "2024-03-05", "2024-03-05")
    _orientation(db, a3, "2024-04-01", "2024-04-02", ref_a)
    a4 = _person(db, a, 4, north, "2024-01-01", "2024-01-01")
    _orientation(db, a4, "2024-01-05", "2024-01-06", ref_a)
    b1 = _person(db, b, 1, centre, "2024-03-01", "2024-03-01")
    _orientation(db, b1, "2024-03-30", "2024-03-30", ref_b)
    _extraction(db, a)
    _extraction(db, b)
    make_user(db, "a.comop", Role.COMOP, "35-REDON")
    make_user(db, "a.admin", Role.ADMIN, "35-REDON")
    make_user(db, "a.copil", Role.COPIL, "35-REDON")
    make_user(db, "national", Role.NATIONAL, "FR")
    make_user(db, "c.comop", Role.COMOP, "13-MARS")
    db.commit()
    return {"north": north.id, "site_b": centre.id, "ref_a": ref_a.id, "ref_b": ref_b.id}


def test_the_late_entrants_of_the_users_territory(client, territories):
    log_in(client, "a.comop")
    response = show(client, MARCH)
    assert response["comop-error"]["children"] == ""
    rows = response["comop-grid"]["rowData"]
    # A-1 still waiting (30/04 - 01/03 = 60 days), then A-3 notified late (02/04 - 05/03 = 28).
    assert identifiers(response) == ["35-REDON-1", "35-REDON-3"]  # 10 characters shown
    assert [row["jours"] for row in rows] == [60, 28]
    assert [row["situation"] for row in rows] == ["Toujours en attente", "Orientée hors délai"]
    assert [row["referent"] for row in rows] == [None, "REFA1"]
    assert "Listes vues au 30/04/2024 (semaine 18 de 2024)" in response["comop-seen"]["children"]
    # The COPIL figure beside it: A-2 in time over.
    assert "1 sur 3 dans le délai, 2 hors délai" in json.dumps(response, ensure_ascii=False)


def test_site_organisme_and_referent_narrow_the_list(client, territories):
    log_in(client, "a.admin")
    by_site = show(client, f"{MARCH}&site={territories['north']}")
    assert [row["jours"] for row in by_site["comop-grid"]["rowData"]] == [60]  # A-1 only
    by_referent = show(client, f"{MARCH}&referent={territories['ref_a']}")
    assert [row["jours"] for row in by_referent["comop-grid"]["rowData"]] == [28]
    by_organisme = show(client, f"{MARCH}&organisme=FT")
    assert by_organisme["comop-grid"]["rowData"] == []
    assert by_organisme["comop-list-empty"]["children"] == (
        "Aucune personne en attente d'orientation depuis plus de 15 jours "
        "(avec les filtres choisis)."
    )


def test_a_past_week_is_seen_at_its_sunday(client, territories):
    log_in(client, "a.comop")
    response = show(client, f"{MARCH}&semaine=2024-W14")
    # Sunday 07/04/2024: A-1 has waited 37 days; A-3 was notified on 02/04 (28 days).
    assert [row["jours"] for row in response["comop-grid"]["rowData"]] == [37, 28]
    assert "Listes vues au 07/04/2024 (semaine 14 de 2024)" in response["comop-seen"]["children"]


def test_portfolios_of_a_period_are_taken_at_its_end(client, territories):
    log_in(client, "a.comop")
    response = show(client, f"{MARCH}&liste=referents_au_dessus_cible")
    # At 31/03: REFA1 follows A-2 and A-4 (A-3 is oriented on 01/04): 2 > 1.
    assert response["comop-grid"]["rowData"] == [
        {
            "referent": "REFA1",
            "organisme": "Département (CDAS)",
            "site": "CDAS Nord",
            "personnes": 2,
            "cible": 1,
            "depassement": 1,
            "cible_source": "référent",
        }
    ]


@pytest.mark.parametrize("login", ["a.copil", "national"])
def test_aggregate_roles_are_refused_every_comop_callback(client, territories, login):
    log_in(client, login)
    _post(client, _payload(LIST_OUTPUTS, [_url(MARCH), PAGE_INPUT]), status=403)
    _post(client, _payload(CONTROL_OUTPUTS, [_url(MARCH), PAGE_INPUT]), status=403)
    xlsx = _payload([("comop-download", "data")], [_click("comop-xlsx")], [_url(MARCH)])
    _post(client, xlsx, status=403)


def _click(component):
    return {"id": component, "property": "n_clicks", "value": 1}


def test_forged_values_of_another_territory_show_nothing_of_it(client, territories):
    log_in(client, "a.comop")
    forged = [
        "?territoire=75-PARIS&periode=2024-03",
        f"{MARCH}&site={territories['site_b']}",
        f"{MARCH}&referent={territories['ref_b']}",
        f"{MARCH}&site=*",
        f"{MARCH}&referent=' OR 1=1--",
        "?territoire=*",
        None,
        ["?territoire=75-PARIS"],
    ]
    for search in forged:
        payload = _payload(LIST_OUTPUTS, [_url(search), PAGE_INPUT])
        body = _post(client, payload).get_data(as_text=True)
        assert "75-PARIS" not in body and "Paris" not in body and "REFB1" not in body
    refused = show(client, f"{MARCH}&site={territories['site_b']}")
    assert refused["comop-grid"]["rowData"] == []
    assert "Ce site n'existe pas dans votre territoire" in json.dumps(refused, ensure_ascii=False)
    refused = show(client, f"{MARCH}&referent={territories['ref_b']}")
    assert "Ce référent n'existe pas dans votre territoire" in json.dumps(
        refused, ensure_ascii=False
    )
    other = show(client, "?territoire=75-PARIS&periode=2024-03")
    assert "Territoire inconnu ou hors de votre périmètre." in json.dumps(other, ensure_ascii=False)


def test_the_controls_offer_the_users_territory_only(client, territories):
    log_in(client, "a.comop")
    body = _post(client, _payload(CONTROL_OUTPUTS, [_url(MARCH), PAGE_INPUT])).get_json()
    response = body["response"]
    assert [o["label"] for o in response["comop-site"]["options"]] == ["CDAS Nord", "CDAS Sud"]
    assert [o["label"] for o in response["comop-referent"]["options"]] == ["REFA1 (CD, CDAS Nord)"]
    # 30/04/2024 is in ISO week 18; the list goes back from there.
    assert [o["value"] for o in response["comop-week"]["options"][:2]] == ["2024-W18", "2024-W17"]


def test_a_territory_without_data_says_so(client, territories):
    log_in(client, "c.comop")
    response = show(client, "")
    assert "Aucune donnée chargée pour ce territoire" in json.dumps(response, ensure_ascii=False)
    assert response["comop-grid"]["rowData"] == []


def test_an_unknown_list_is_explained_in_french(client, territories):
    log_in(client, "a.comop")
    response = show(client, f"{MARCH}&liste=tout")
    assert "Liste inconnue : « tout »" in json.dumps(response, ensure_ascii=False)


def _exports(db_session):
    db_session.expire_all()
    return list(db_session.scalars(select(AuditLog).where(AuditLog.action == "export")))


def test_the_excel_export_holds_the_rows_and_is_audited(client, territories, db_session):
    log_in(client, "a.comop")
    payload = _payload([("comop-download", "data")], [_click("comop-xlsx")], [_url(MARCH)])
    data = _post(client, payload).get_json()["response"]["comop-download"]["data"]
    assert data["filename"] == "comop-35-REDON-attente_orientation-2024-04-30.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(data["content"]))).active
    assert sheet["A4"].value == "Identifiant"
    assert [sheet.cell(row=r, column=5).value for r in (5, 6)] == [60, 28]
    assert sheet["C5"].value == dt.datetime(2024, 3, 1)  # T0 of A-1, a real date
    (entry,) = _exports(db_session)
    assert (entry.login, entry.territory_code) == ("a.comop", "35-REDON")
    assert entry.details["format"] == "xlsx" and entry.details["lignes"] == 2
    assert entry.details["liste"] == "attente_orientation"


def test_the_csv_export_is_audited_and_escapes_formulas(client, territories, db_session):
    log_in(client, "a.comop")
    outputs = [("comop-grid", "exportDataAsCsv"), ("comop-grid", "csvExportParams")]
    payload = _payload(
        outputs, [_click("comop-csv")], [_url(f"{MARCH}&site={territories['north']}")]
    )
    response = _post(client, payload).get_json()["response"]["comop-grid"]
    assert response["exportDataAsCsv"] is True
    params = response["csvExportParams"]
    assert params["columnSeparator"] == ";"
    assert "params.value.startsWith('=')" in params["processCellCallback"]["function"]
    (entry,) = _exports(db_session)
    assert entry.details["format"] == "csv" and entry.details["lignes"] == 1
    assert "site : CDAS Nord" in entry.details["filtres"]


def _url_writer(client) -> str:
    """The output id Dash gave the COMOP callback that writes the URL (allow_duplicate)."""
    for callback in client.get("/_dash-dependencies").get_json():
        if callback["output"].startswith("frame-url.search@") and any(
            item["id"] == "comop-tabs" for item in callback["inputs"]
        ):
            return callback["output"]
    raise AssertionError("no COMOP URL writer")


def _write_url(client, output, values, search):
    names = ("comop-tabs", "comop-site", "comop-organisme", "comop-referent", "comop-week")
    inputs = [
        {"id": name, "property": "value", "value": value}
        for name, value in zip(names, values, strict=True)
    ]
    payload = {
        "output": output,
        "outputs": {"id": "frame-url", "property": "search"},
        "inputs": inputs,
        "changedPropIds": ["comop-site.value"],
        "state": [_url(search)],
    }
    return client.post("/_dash-update-component", json=payload)


def test_the_controls_write_the_url(client, territories):
    log_in(client, "a.comop")
    output = _url_writer(client)
    values = ("orientes_sans_rdv", territories["north"], "CD", None, "2024-W14")
    response = _write_url(client, output, values, "?territoire=35-REDON&periode=2024-03")
    assert response.status_code == 200
    assert response.get_json()["response"]["frame-url"]["search"] == (
        f"?territoire=35-REDON&periode=2024-03&liste=orientes_sans_rdv&site={territories['north']}"
        "&organisme=CD&semaine=2024-W14"
    )
    # Values a browser should never send are dropped, not written.
    forged = ("<script>", "1 OR 1=1", "POLE", True, "x" * 40)
    response = _write_url(client, output, forged, "?periode=2024-03")
    assert response.status_code == 200
    assert response.get_json()["response"] == {}  # no update: the URL stays as it is


def test_the_url_writer_is_refused_to_aggregate_roles(client, territories):
    log_in(client, "a.copil")
    response = _write_url(client, _url_writer(client), ("attente_orientation",) + (None,) * 4, "")
    assert response.status_code == 403
