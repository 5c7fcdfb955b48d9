"""The home page callback, posted directly: scope comes from the user, never the payload."""

from __future__ import annotations

import json

import pytest

from dashboard.models import Beneficiary, Role, Sex
from tests.helpers import log_in, make_territory, make_user

HOME_CALLBACK = {
    "output": "..home-summary.children...home-freshness.children..",
    "outputs": [
        {"id": "home-summary", "property": "children"},
        {"id": "home-freshness", "property": "children"},
    ],
    "inputs": [{"id": "home-location", "property": "pathname", "value": "/"}],
    "changedPropIds": ["home-location.pathname"],
    "state": [],
}


def _people(db, territory, count: int) -> None:
    for index in range(count):
        db.add(
            Beneficiary(
                territory_id=territory.id,
                pseudonym=f"{territory.code}-{index:04d}",
                birth_year=1980,
                sex=Sex.F,
            )
        )


@pytest.fixture
def two_territories(db_session):
    redon = make_territory(db_session, "35-REDON", "Pays de Redon")
    paris = make_territory(db_session, "75-PARIS", "Paris")
    _people(db_session, redon, 12)
    _people(db_session, paris, 5)
    make_user(db_session, "redon.admin", Role.ADMIN, "35-REDON")
    make_user(db_session, "redon.copil", Role.COPIL, "35-REDON")
    make_user(db_session, "paris.copil", Role.COPIL, "75-PARIS")
    make_user(db_session, "national", Role.NATIONAL, "FR")
    db_session.commit()


def _summary(client, payload=HOME_CALLBACK) -> str:
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 200, response.get_data(as_text=True)
    return json.dumps(response.get_json()["response"], ensure_ascii=False)


def _card(body: str, code: str) -> str:
    data = json.loads(body)["home-summary"]["children"]
    for card in data:
        value = card["props"]["children"][1]["props"]
        if value["id"] == {"type": "home-card", "code": code}:
            return value["children"]
    raise AssertionError(f"no card {code}")


def test_admin_sees_exact_counts_of_own_territory(client, two_territories):
    log_in(client, "redon.admin")
    assert _card(_summary(client), "beneficiaries") == "12"


def test_copil_small_counts_are_suppressed(client, two_territories):
    log_in(client, "paris.copil")
    body = _summary(client)
    assert _card(body, "beneficiaries") == "< 11"  # 5 people: under the threshold
    assert _card(body, "referents") == "0"  # zero reveals no one


def test_forged_inputs_do_not_widen_scope(client, two_territories):
    log_in(client, "redon.copil")
    for forged in ["75-PARIS", ["35-REDON", "75-PARIS"], "*", None, "' OR 1=1--"]:
        payload = dict(
            HOME_CALLBACK, inputs=[{"id": "home-location", "property": "pathname", "value": forged}]
        )
        body = _summary(client, payload)
        assert "Paris" not in body
        assert _card(body, "beneficiaries") == "12"


def test_national_sees_every_territory_in_a_table(client, two_territories):
    log_in(client, "national")
    body = _summary(client)
    assert "Pays de Redon (35-REDON)" in body and "Paris (75-PARIS)" in body
