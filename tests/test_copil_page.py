"""The COPIL page's callbacks, posted to /_dash-update-component without a browser.

One demo database for the module (SQLite): the Redon demo (150 people) and a
tiny territory (75-PETIT, 20 people) whose counts fall under the disclosure
threshold. Expected figures come from the indicator functions run on frames
read from the database here, not from the page's code.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from plotly.utils import PlotlyJSONEncoder
from sqlalchemy import select

from dashboard import create_app
from dashboard.config import Settings
from dashboard.db import init_db, make_engine, make_session_factory
from dashboard.demo.install import DEMO_PASSWORD, install_demo
from dashboard.facts import load_frames
from dashboard.models import Territory
from layouts import copil
from metrics.disclosure import disclose
from metrics.orientation import taux_orientes_15j
from metrics.stock import taux_orientation
from tests.helpers import log_in

SMALL = "75-PETIT"
AS_OF = dt.date(2024, 12, 31)  # the demo's extraction date: the default as_of
OVERVIEW = ("copil-heading", "copil-cards", "copil-funnel", "copil-roadmap")


@pytest.fixture(scope="module")
def demo_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    instance = tmp_path_factory.mktemp("copil")
    settings = Settings(
        instance_dir=instance,
        database_url=f"sqlite:///{instance / 'pilotage.sqlite3'}",
        secret_key=uuid.uuid4().hex,
        pseudonym_key=uuid.uuid4().hex,
        testing=True,
    )
    engine = make_engine(settings.database_url)
    init_db(engine)
    with make_session_factory(engine)() as db:
        install_demo(db, size=150)
        install_demo(db, SMALL, size=20)
        db.commit()
    engine.dispose()
    return settings


@pytest.fixture(scope="module")
def demo_app(demo_settings: Settings):
    app = create_app(demo_settings)
    yield app
    app.server.extensions["pilotage"].engine.dispose()


@pytest.fixture
def logged_in(demo_app):
    def client_for(login: str):
        client = demo_app.server.test_client()
        response = log_in(client, login, DEMO_PASSWORD)
        assert response.status_code == 302
        return client

    return client_for


def post(client, outputs: tuple[str, ...], inputs: list[tuple[str, str, object]]):
    """Post one callback: outputs are `children` of these ids; inputs (id, prop, value)."""
    described = [{"id": name, "property": "children"} for name in outputs]
    key = "...".join(f"{name}.children" for name in outputs)
    payload = {
        "output": f"..{key}.." if len(outputs) > 1 else key,
        "outputs": described if len(outputs) > 1 else described[0],
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "changedPropIds": [],
        "state": [],
    }
    return client.post("/_dash-update-component", json=payload)


def overview(client, search: str = "") -> dict:
    response = post(client, OVERVIEW, [("frame-url", "search", search)])
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["response"]


def _find(node, predicate) -> list[dict]:
    """Every component of a Dash JSON tree for which `predicate(props)` holds."""
    found = []
    if isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict) and predicate(props):
            found.append(node)
        for value in node.values():
            found += _find(value, predicate)
    elif isinstance(node, list):
        for item in node:
            found += _find(item, predicate)
    return found


def card_value(body: dict, code: str) -> str:
    matches = _find(body, lambda p: p.get("id") == {"type": "copil-value", "code": code})
    assert len(matches) == 1, code
    return matches[0]["props"]["children"]


def _expected(settings: Settings, code: str, threshold: int | None, compute=taux_orientation):
    """The indicator of 2024 at the demo's as_of, on frames read from the database here."""
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as db:
        territory = db.scalar(select(Territory).where(Territory.code == code))
        frames = load_frames(db, territory.id)
    engine.dispose()
    result = compute(
        frames, period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31), as_of=AS_OF
    )
    return disclose(result, threshold) if threshold else result


def test_copil_card_shows_the_stock_rate_in_french(logged_in, demo_settings):
    body = overview(logged_in("demo.copil"))
    expected = _expected(demo_settings, "35-REDON", 11)
    assert not expected.suppressed and expected.denominator >= 11
    # 76.7 -> "76,7 %" (no-break space before the sign); a whole value has no decimals.
    number = f"{expected.value:.1f}".replace(".", ",").removesuffix(",0")
    assert card_value(body, "taux_orientation") == f"{number}\u00a0%"
    text = json.dumps(body, ensure_ascii=False)
    assert "Pays de Redon et Vallons de Vilaine (35-REDON)" in text
    assert "Données au 31/12/2024" in text
    # Every headline card links to its definition.
    links = _find(body, lambda p: str(p.get("href", "")).startswith("#copil-def-"))
    assert {link["props"]["href"] for link in links} >= {"#copil-def-taux_orientation"}


def test_small_territory_is_secret_for_copil_and_exact_for_admin(logged_in, demo_settings):
    body = overview(logged_in(f"demo.copil.{SMALL.lower()}"))
    hidden = _expected(demo_settings, SMALL, 11, taux_orientes_15j)
    assert hidden.suppressed  # a handful of entrants in a 27-person territory
    assert card_value(body, "taux_orientes_15j") == "secret statistique (< 11)"
    funnel = json.dumps(body["copil-funnel"], ensure_ascii=False)
    assert "secret statistique (< 11)" in funnel
    # The hidden counts appear nowhere, not even in a chart's hover text.
    exact = _expected(demo_settings, SMALL, None, taux_orientes_15j)
    assert f"{exact.numerator} sur {exact.denominator}" not in json.dumps(body)

    admin = overview(logged_in(f"demo.admin.{SMALL.lower()}"))
    number = f"{exact.value:.1f}".replace(".", ",").removesuffix(",0")
    assert card_value(admin, "taux_orientes_15j") == f"{number}\u00a0%"
    assert f"{exact.numerator} sur {exact.denominator}" in json.dumps(admin)


def test_comop_is_refused(logged_in):
    response = post(logged_in("demo.comop"), OVERVIEW, [("frame-url", "search", "")])
    assert response.status_code == 403


@pytest.mark.parametrize(
    "search", [f"?territoire={SMALL}", "?territoire=99-NULLEPART", "?territoire=FR"]
)
def test_forged_territory_returns_nothing_of_it(logged_in, search):
    body = overview(logged_in("demo.copil"), search)
    text = json.dumps(body, ensure_ascii=False)
    assert "Territoire inconnu ou hors de votre périmètre." in text
    assert SMALL not in text and "Territoire de démonstration" not in text
    assert _find(body, lambda p: isinstance(p.get("id"), dict)) == []  # no card at all


def test_bad_period_is_said_in_french(logged_in):
    body = overview(logged_in("demo.copil"), "?periode=2024-T9")
    assert "Période illisible" in json.dumps(body, ensure_ascii=False)


def test_national_reads_a_pilot_territory(logged_in):
    body = overview(logged_in("demo.national"), f"?territoire={SMALL}")
    assert card_value(body, "taux_orientes_15j") == "secret statistique (< 11)"
    assert "Territoire de démonstration 75-PETIT (75-PETIT)" in json.dumps(body, ensure_ascii=False)


def test_trajectory_leaves_hidden_months_as_gaps(logged_in):
    client = logged_in(f"demo.copil.{SMALL.lower()}")
    response = post(
        client,
        ("copil-trajectory",),
        [("frame-url", "search", ""), ("copil-trajectory-indicator", "value", "taux_orientes_15j")],
    )
    assert response.status_code == 200
    graphs = _find(response.get_json(), lambda p: "figure" in p)
    actual = graphs[0]["props"]["figure"]["data"][0]
    # 24 months from the demo's first target (January 2023). A 27-person territory never
    # has 11 entrants in a month: each month is hidden, or empty (no entrant); no value is
    # drawn and the hover says which.
    assert len(actual["y"]) == 24 and set(actual["y"]) == {None}
    hovers = actual["customdata"]
    assert all(t.endswith(("secret statistique (< 11)", "non disponible")) for t in hovers)
    assert any(t.endswith("secret statistique (< 11)") for t in hovers)


def test_breakdown_by_a_dimension_the_indicator_lacks_says_so(logged_in):
    client = logged_in("demo.copil")
    inputs = [
        ("frame-url", "search", ""),
        ("copil-breakdown-indicator", "value", "taux_orientation"),
        ("copil-breakdown-dimension", "value", "cohorte"),
    ]
    response = post(client, ("copil-breakdown",), inputs)
    text = json.dumps(response.get_json(), ensure_ascii=False)
    assert "ne se ventile pas par « Mois d'entrée »" in text
    forged = inputs[:2] + [("copil-breakdown-dimension", "value", "referent_id")]
    answer = post(client, ("copil-breakdown",), forged)
    assert answer.get_json()["response"] == {}  # no_update: nothing computed, nothing shown


def test_splits_count_people(logged_in, demo_settings):
    client = logged_in("demo.admin")
    response = post(
        client,
        ("copil-splits",),
        [("frame-url", "search", ""), ("copil-split-scope", "value", "stock")],
    )
    text = json.dumps(response.get_json(), ensure_ascii=False).replace("\u202f", "")
    expected = _expected(demo_settings, "35-REDON", None)
    # The stock split counts the people in taux_orientation's numerator.
    assert f"Total : {expected.numerator} personnes" in text


def test_layouts_carry_the_filters_into_their_links():
    page = json.loads(
        json.dumps(copil.layout(territoire="35-REDON", periode="2024-T3"), cls=PlotlyJSONEncoder)
    )
    links = {
        node["props"]["id"]: node["props"]["href"]
        for node in _find(page, lambda p: "href" in p and "id" in p)
    }
    assert links["copil-dossier-link"] == "/copil?territoire=35-REDON&periode=2024-T3&dossier=1"
    assert links["copil-pdf-link"] == "/copil/dossier.pdf?territoire=35-REDON&periode=2024-T3"
    dossier = json.dumps(copil.layout(periode="2024", dossier="1"), cls=PlotlyJSONEncoder)
    assert "copil-print" in dossier and "copil-dossier-trajectories" in dossier
    assert "copil-breakdown" not in dossier  # no selector on paper
    refused = json.dumps(copil.layout(periode="2024-T9"), cls=PlotlyJSONEncoder, ensure_ascii=False)
    assert "Période illisible" in refused
