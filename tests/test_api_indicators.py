"""GET /api/v1/indicators answers what `pilotage indicators` answers, with the role's disclosure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.api_support import make_cast
from tests.helpers import log_in

SAMPLES = Path(__file__).parent / "data" / "samples"
QUERY = "from=2024-01&to=2024-06"
URL = f"/api/v1/indicators?{QUERY}"


@pytest.fixture
def cast(db_session, cli):
    cast = make_cast(db_session)
    for source, name in (("solis", "solis_beneficiaires.csv"), ("targets", "cibles.csv")):
        code, _, err = cli(
            "import", source, str(SAMPLES / name), "--territory", "35-REDON",
            "--extracted-on", "2024-07-01",
        )  # fmt: skip
        assert code == 0, err
    return cast


def _cli(cli, *extra: str) -> dict:
    code, out, err = cli(
        "indicators", "--territory", "35-REDON", "--from", "2024-01", "--to", "2024-06",
        "--format", "json", *extra,
    )  # fmt: skip
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize("login", ["redon.comop", "redon.projet", "redon.admin"])
def test_operational_roles_get_the_exact_figures_of_the_cli(client, cli, cast, login):
    response = client.get(URL, headers=cast.bearer(login))
    assert response.status_code == 200
    assert response.get_json() == _cli(cli)


@pytest.mark.parametrize("login", ["redon.copil", "nation"])
def test_aggregate_roles_get_the_disclosed_figures(client, cli, cast, login):
    response = client.get(f"{URL}&territory=35-REDON", headers=cast.bearer(login))
    payload = response.get_json()
    assert payload == _cli(cli, "--disclosure")
    # The sample has 20 people: some figures must be hidden for this to mean anything,
    # and nothing hidden may leak its counts.
    hidden = [item for item in payload["indicators"] if item["suppressed"]]
    assert hidden
    assert all(item["numerator"] is None and item["value"] is None for item in hidden)


def test_session_and_token_give_the_same_answer(client, cast):
    by_token = client.get(f"{URL}&by=sex", headers=cast.bearer("redon.comop")).get_json()
    log_in(client, "redon.comop")
    assert client.get(f"{URL}&by=sex").get_json() == by_token


def test_filters_reach_the_engine(client, cli, cast):
    query = "&as_of=2024-06-15&by=age_band&scope=flux&indicators=taux_orientation,nouveaux_entrants"
    payload = client.get(URL + query, headers=cast.bearer("redon.admin")).get_json()
    assert [item["code"] for item in payload["indicators"]] == [
        "taux_orientation",
        "nouveaux_entrants",
    ]
    assert payload["as_of"] == "2024-06-15"
    expected = {
        item["code"]: item
        for item in _cli(cli, "--as-of", "2024-06-15", "--by", "age_band", "--scope", "flux")[
            "indicators"
        ]
    }
    for item in payload["indicators"]:
        assert item == expected[item["code"]]
        assert item["breakdown"] is not None  # both give an age breakdown


def test_a_national_user_defaults_to_the_first_pilot_territory(client, cast):
    # Pilot territories under FR, in code order: 13-MARS, then 35-REDON.
    payload = client.get(URL, headers=cast.bearer("nation")).get_json()
    assert payload["territory"] == "13-MARS"
