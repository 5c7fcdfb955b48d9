"""GET /api/v1/roadmap and PATCH /api/v1/roadmap/actions/{id}, on the sample feuille de route."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dashboard.models import AuditLog, RoadmapAction, RoadmapActionChange, RoadmapProgress
from tests.api_support import assert_error, make_cast
from tests.helpers import log_in

SAMPLE = Path(__file__).parent / "data" / "samples" / "feuille_de_route.csv"
STOCK = "Convoquer 20 % du stock"
ROADMAP = "/api/v1/roadmap"


@pytest.fixture
def cast(db_session, cli):
    cast = make_cast(db_session)
    for territory in ("35-REDON", "13-MARS"):
        code, _, err = cli(
            "import", "roadmap", str(SAMPLE), "--territory", territory,
            "--extracted-on", "2024-07-01",
        )  # fmt: skip
        assert code == 0, err
    return cast


def _action_id(db, territory_code: str, action: str) -> int:
    from dashboard.models import Territory

    return db.scalar(
        select(RoadmapAction.id)
        .join(Territory, RoadmapAction.territory_id == Territory.id)
        .where(Territory.code == territory_code, RoadmapAction.action == action)
    )


def _changes(db, action_id: int) -> int:
    query = select(func.count()).where(RoadmapActionChange.action_id == action_id)
    return db.scalar(query)


def test_the_roadmap_is_the_cli_json_plus_ids_and_comments(client, cli, db_session, cast):
    response = client.get(f"{ROADMAP}?as_of=2024-07-01", headers=cast.bearer("redon.projet"))
    assert response.status_code == 200
    api = response.get_json()
    code, out, err = cli(
        "roadmap", "--territory", "35-REDON", "--as-of", "2024-07-01", "--format", "json"
    )
    assert code == 0, err
    expected = json.loads(out)
    ids = [action.pop("id") for action in api["actions"]]
    comments = [action.pop("comment") for action in api["actions"]]
    assert api == expected
    # Each id is the action's row in the database, of this territory.
    for action_id, action in zip(ids, expected["actions"], strict=True):
        assert _action_id(db_session, "35-REDON", action["action"]) == action_id
    assert len(set(ids)) == len(ids) == 9 and all(comment is None for comment in comments)


def test_the_status_filter_and_the_roles_that_read(client, cast):
    response = client.get(
        f"{ROADMAP}?as_of=2024-07-01&status=en_retard", headers=cast.bearer("redon.copil")
    )
    # The sample at 01/07/2024 (dates in tests/test_cli_roadmap.py): late are the charte
    # (due 24/03, en cours), the offre and the PMSMP campaign (both due 30/06, one day
    # before) and the convention (due 10/06, no progress); nothing else.
    late = sorted(action["action"] for action in response.get_json()["actions"])
    assert late == [
        "Campagne PMSMP avec le club entreprises",
        "Convention d'échange de données (L.263-4-1 CASF)",
        "Recenser l'offre d'activités",
        "Rédiger la charte des rendez-vous collectifs",
    ]
    national = client.get(f"{ROADMAP}?territory=35-REDON", headers=cast.bearer("nation"))
    assert national.status_code == 200 and national.get_json()["territory"] == "35-REDON"


def test_patch_updates_progress_and_comment_and_keeps_history(client, db_session, cast):
    action_id = _action_id(db_session, "35-REDON", STOCK)
    response = client.patch(
        f"{ROADMAP}/actions/{action_id}",
        json={"progress": "en_cours", "comment": "Convocations envoyées le 02/07."},
        headers=cast.bearer("redon.projet"),
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["action"]["id"] == action_id and body["action"]["progress"] == "en_cours"
    assert body["action"]["comment"] == "Convocations envoyées le 02/07."
    # The sample had this action "Non démarré" and no comment.
    assert body["changes"] == [
        {"field": "progress", "before": "non_demarre", "after": "en_cours"},
        {"field": "comment", "before": None, "after": "Convocations envoyées le 02/07."},
    ]
    rows = db_session.execute(
        select(
            RoadmapActionChange.user_id,
            RoadmapActionChange.field,
            RoadmapActionChange.before,
            RoadmapActionChange.after,
        )
        .where(RoadmapActionChange.action_id == action_id)
        .order_by(RoadmapActionChange.id)
    ).all()
    user_id = cast.users["redon.projet"]
    assert [tuple(row) for row in rows][-2:] == [
        (user_id, "progress", "non_demarre", "en_cours"),
        (user_id, "comment", None, "Convocations envoyées le 02/07."),
    ]
    assert {entry["login"] for entry in body["history"][:2]} == {"redon.projet"}
    stored = db_session.get(RoadmapAction, action_id)
    db_session.refresh(stored)
    assert stored.progress is RoadmapProgress.EN_COURS
    # The same values again change nothing and write no history.
    again = client.patch(
        f"{ROADMAP}/actions/{action_id}",
        json={"progress": "en_cours"},
        headers=cast.bearer("redon.admin"),
    )
    assert again.status_code == 200 and again.get_json()["changes"] == []
    assert _changes(db_session, action_id) == len(rows)
    audit = db_session.scalars(
        select(AuditLog.details).where(AuditLog.action == "api", AuditLog.user_id == user_id)
    ).all()
    assert any(entry.get("action_id") == action_id for entry in audit)


def test_patch_refusals(client, db_session, cast):
    own = _action_id(db_session, "35-REDON", STOCK)
    foreign = _action_id(db_session, "13-MARS", STOCK)
    headers = cast.bearer("redon.projet")
    url = f"{ROADMAP}/actions"
    assert_error(
        client.patch(f"{url}/{own}", json={"progress": "fini"}, headers=headers),
        400,
        "parametre_invalide",
    )
    assert_error(
        client.patch(f"{url}/{own}", json={"owners": ["x"]}, headers=headers),
        400,
        "parametre_invalide",
    )
    assert_error(
        client.patch(f"{url}/{own}", data="progress=en_cours", headers=headers), 400, None, "body"
    )
    assert_error(
        client.patch(
            f"{url}/{own}", json={"progress": "en_cours"}, headers=cast.bearer("redon.copil")
        ),
        403,
        "role_insuffisant",
    )
    # Another territory's action answers exactly like an id that does not exist.
    before = _changes(db_session, foreign)
    other = client.patch(f"{url}/{foreign}", json={"progress": "en_cours"}, headers=headers)
    missing = client.patch(f"{url}/999999", json={"progress": "en_cours"}, headers=headers)
    assert_error(other, 404, "introuvable")
    assert other.get_json() == missing.get_json()
    assert _changes(db_session, foreign) == before


def test_a_cookie_write_from_another_site_is_refused(client, db_session, cast):
    action_id = _action_id(db_session, "35-REDON", STOCK)
    log_in(client, "redon.projet")
    forged = client.patch(
        f"{ROADMAP}/actions/{action_id}",
        json={"progress": "realise"},
        headers={"Origin": "https://evil.example"},
    )
    assert_error(forged, 403, "origine_refusee")
    own = client.patch(
        f"{ROADMAP}/actions/{action_id}",
        json={"progress": "realise"},
        headers={"Origin": "http://localhost"},
    )
    assert own.status_code == 200
