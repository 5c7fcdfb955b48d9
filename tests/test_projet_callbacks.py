"""The project team page's callbacks, posted directly: scope and edit rights on the server.

Statuses at 30/09/2024 (?periode=2024-T3), by hand: "Charte" due 01/09 -> late;
"Stock" due 10/10 (10 days later) -> due soon; "Recruter" realised -> done;
"Comop" permanent -> continuous; "Sans date" unreadable -> à préciser.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from dashboard.models import (
    DataSource,
    RoadmapAction,
    RoadmapActionChange,
    RoadmapProgress,
    Role,
)
from tests.helpers import log_in, make_territory, make_user

T3 = "?periode=2024-T3"
FILL_OUTPUTS = [
    ("projet-error", "children"),
    ("projet-summary", "children"),
    ("projet-timeline", "children"),
    ("projet-undated", "children"),
    ("projet-grid", "rowData"),
    ("projet-filter-axis", "options"),
    ("projet-filter-owner", "options"),
    ("projet-digest", "children"),
]


def _outputs(pairs):
    """Dash's output key: "id.prop" for one output, "..a.p...b.q.." for several."""
    names = [f"{i}.{p}" for i, p in pairs]
    outputs = [{"id": i, "property": p} for i, p in pairs]
    if len(pairs) == 1:
        return {"output": names[0], "outputs": outputs[0]}
    return {"output": ".." + "...".join(names) + "..", "outputs": outputs}


def fill_payload(search=T3, axes=None, owners=None, statuses=None):
    values = [("frame-url", "search", search)] + [
        (f"projet-filter-{name}", "value", value)
        for name, value in (("axis", axes), ("owner", owners), ("status", statuses))
    ]
    return {
        **_outputs(FILL_OUTPUTS),
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in values]
        + [{"id": "projet-refresh", "property": "data", "value": 0}],
        "changedPropIds": ["frame-url.search"],
        "state": [],
    }


def edit_payload(action_id, column, value):
    event = {"rowIndex": 0, "rowId": str(action_id), "data": {"id": str(action_id)}}
    event.update(colId=column, value=value, oldValue=None)
    return {
        **_outputs([("projet-edit-message", "children"), ("projet-refresh", "data")]),
        "inputs": [{"id": "projet-grid", "property": "cellValueChanged", "value": [event]}],
        "changedPropIds": ["projet-grid.cellValueChanged"],
        "state": [{"id": "projet-refresh", "property": "data", "value": 0}],
    }


def history_payload(action_id):
    return {
        **_outputs([("projet-history", "children")]),
        "inputs": [
            {"id": "projet-grid", "property": "selectedRows", "value": [{"id": str(action_id)}]},
            {"id": "projet-refresh", "property": "data", "value": 1},
        ],
        "changedPropIds": ["projet-grid.selectedRows"],
        "state": [],
    }


def page_payload(path="/projet", search=""):
    return {
        **_outputs([("_pages_content", "children"), ("_pages_store", "data")]),
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }


def _action(db, territory, name, **fields):
    action = RoadmapAction(
        territory_id=territory.id,
        axis=fields.pop("axis", "Entrée en parcours"),
        operational_target="",
        action=name,
        owners=fields.pop("owners", ["CD"]),
        source=DataSource.ROADMAP,
        **fields,
    )
    db.add(action)
    db.flush()
    return action.id


@pytest.fixture
def roadmap(db_session):
    redon = make_territory(db_session, "35-REDON", "Pays de Redon")
    paris = make_territory(db_session, "75-PARIS", "Paris")
    for login, role, code in [
        ("redon.projet", Role.PROJET, "35-REDON"),
        ("redon.copil", Role.COPIL, "35-REDON"),
        ("redon.comop", Role.COMOP, "35-REDON"),
    ]:
        make_user(db_session, login, role, code)
    ids = {
        "recruter": _action(
            db_session,
            redon,
            "Recruter",
            due_on=dt.date(2024, 6, 30),
            progress=RoadmapProgress.REALISE,
        ),
        "charte": _action(
            db_session,
            redon,
            "Charte",
            deadline_text="Début septembre",
            due_on=dt.date(2024, 9, 1),
            progress=RoadmapProgress.EN_COURS,
            owners=["FT"],
        ),
        "comop": _action(
            db_session,
            redon,
            "Comop",
            axis="Gouvernance",
            deadline_text="Permanent",
            continuous=True,
        ),  # fmt: skip
        "stock": _action(db_session, redon, "Stock", due_on=dt.date(2024, 10, 10)),
        "sans_date": _action(db_session, redon, "Sans date", deadline_text="à voir"),
        "paris": _action(
            db_session, paris, "Action parisienne", due_on=dt.date(2024, 8, 1), owners=["PARIS"]
        ),
    }
    db_session.commit()
    return ids


def post(client, payload, status=200):
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_json()["response"] if status == 200 else None


def test_rows_come_late_first_and_only_from_the_users_territory(client, roadmap):
    log_in(client, "redon.projet")
    response = post(client, fill_payload())
    rows = response["projet-grid"]["rowData"]
    # Late (Charte), due soon (Stock), then the others in the roadmap's order: axes in
    # order of first appearance ("Entrée en parcours": Recruter, Sans date; then Gouvernance).
    assert [(row["action"], row["status"]) for row in rows] == [
        ("Charte", "en_retard"),
        ("Stock", "echeance_proche"),
        ("Recruter", "fait"),
        ("Sans date", "a_preciser"),
        ("Comop", "continu"),
    ]
    assert rows[0]["id"] == str(roadmap["charte"]) and rows[0]["due"] == "2024-09-01"
    assert rows[0]["progress_label"] == "En cours"
    body = json.dumps(response, ensure_ascii=False)
    assert "Action parisienne" not in body and "PARIS" not in body
    # "Sans date" has no date to draw: listed under the timeline.
    assert "Sans date" in json.dumps(response["projet-undated"], ensure_ascii=False)
    # The Monday of 30/09/2024 is 30/09 itself: Charte late (29 days), Stock in 10 days.
    digest = json.dumps(response["projet-digest"], ensure_ascii=False)
    assert "29 j de retard" in digest and "dans 10 j" in digest


def test_filters_by_axis_owner_and_status(client, roadmap):
    log_in(client, "redon.projet")
    rows = post(client, fill_payload(statuses=["en_retard", "continu"]))["projet-grid"]["rowData"]
    assert [row["action"] for row in rows] == ["Charte", "Comop"]
    rows = post(client, fill_payload(owners=["FT"]))["projet-grid"]["rowData"]
    assert [row["action"] for row in rows] == ["Charte"]
    rows = post(client, fill_payload(axes=["Gouvernance"]))["projet-grid"]["rowData"]
    assert [row["action"] for row in rows] == ["Comop"]
    # Forged filter values are ignored, never a server error.
    rows = post(client, fill_payload(axes={"$ne": 1}, owners=7, statuses="x"))
    assert len(rows["projet-grid"]["rowData"]) == 5


@pytest.mark.parametrize("forged", ["?territoire=75-PARIS", "?territoire=*", "?periode=2024-T9"])
def test_forged_url_shows_a_french_error_and_nothing_else(client, roadmap, forged):
    log_in(client, "redon.projet")
    response = post(client, fill_payload(search=forged))
    assert response["projet-error"]["children"]
    assert response["projet-grid"]["rowData"] == []
    assert "Action parisienne" not in json.dumps(response, ensure_ascii=False)


def test_project_team_edits_progress_in_place(client, db_session, roadmap):
    log_in(client, "redon.projet")
    response = post(client, edit_payload(roadmap["stock"], "progress_label", "Réalisée"))
    assert response["projet-refresh"]["data"] == 1
    assert "Modification enregistrée" in json.dumps(response, ensure_ascii=False)
    db_session.expire_all()
    assert db_session.get(RoadmapAction, roadmap["stock"]).progress is RoadmapProgress.REALISE
    history = post(client, history_payload(roadmap["stock"]))
    text = json.dumps(history, ensure_ascii=False)
    assert "redon.projet" in text and "Non démarrée" not in text  # before: empty
    assert "(vide)" in text and "Réalisée" in text


def test_bad_value_is_refused_in_french_and_nothing_changes(client, db_session, roadmap):
    log_in(client, "redon.projet")
    response = post(client, edit_payload(roadmap["charte"], "progress_label", "Presque"))
    assert "Avancement inconnu : « Presque »" in json.dumps(response, ensure_ascii=False)
    db_session.expire_all()
    assert db_session.get(RoadmapAction, roadmap["charte"]).progress is RoadmapProgress.EN_COURS


@pytest.mark.parametrize("login", ["redon.copil", "redon.comop"])
def test_reading_roles_cannot_edit(client, db_session, roadmap, login):
    log_in(client, login)
    post(client, edit_payload(roadmap["charte"], "comment", "forcé"), status=403)
    db_session.expire_all()
    assert db_session.get(RoadmapAction, roadmap["charte"]).comment is None
    assert db_session.scalars(select(RoadmapActionChange)).all() == []


def test_forged_action_of_another_territory_is_refused(client, db_session, roadmap):
    log_in(client, "redon.projet")
    response = post(client, edit_payload(roadmap["paris"], "comment", "piraté"))
    assert "Action inconnue ou hors de votre territoire." in json.dumps(
        response, ensure_ascii=False
    )
    db_session.expire_all()
    assert db_session.get(RoadmapAction, roadmap["paris"]).comment is None
    history = json.dumps(post(client, history_payload(roadmap["paris"])), ensure_ascii=False)
    assert "Action inconnue" in history and "Action parisienne" not in history


def test_copil_reads_the_page_without_edit_controls(client, roadmap):
    log_in(client, "redon.copil")
    client.get("/projet")  # Dash registers its page router on the first request
    copil_page = json.dumps(post(client, page_payload(search=T3)), ensure_ascii=False)
    assert '"editable": true' not in copil_page and "double-cliquez" not in copil_page
    rows = post(client, fill_payload())["projet-grid"]["rowData"]
    assert len(rows) == 5  # copil reads every action of its territory


def test_project_team_page_has_the_edit_controls(client, roadmap):
    log_in(client, "redon.projet")
    client.get("/projet")
    page = json.dumps(post(client, page_payload(search=T3)), ensure_ascii=False)
    assert page.count('"editable": true') == 3 and "double-cliquez" in page
