"""XSS through an import (security test plan, line 12): a structure named
`<img src=x onerror=alert(1)>` and a link `javascript:alert(1)` come back from the API and
from the page callbacks as plain strings, never as markup or a live link; no component
anywhere in the source is allowed to render raw HTML; Dash is 2.15 or later.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from importlib.metadata import version
from pathlib import Path

import pytest

from dashboard.db import make_session_factory
from dashboard.imports import run_import
from dashboard.models import Role
from tests.helpers import log_in, make_territory, make_user
from tests.test_comop_callbacks import CONTROL_OUTPUTS, PAGE_INPUT, _payload, _post, _url
from tests.test_projet_callbacks import fill_payload, post

ROOT = Path(__file__).parent.parent
HOSTILE = "<img src=x onerror=alert(1)>"
LINK = "javascript:alert(1)"
# Source folders of the application (Dash layouts and callbacks, Flask, assets).
SOURCES = ("app.py", "dashboard", "layouts", "callbacks", "connectors", "metrics", "assets")
# Components that would run or load something if the text had become markup.
LIVE_TYPES = {"Img", "Script", "Iframe", "Object", "Embed", "Link"}


def _csv(path: Path, header: str, *rows: str) -> Path:
    path.write_text("\r\n".join([header, *rows]) + "\r\n", encoding="utf-8")
    return path


@pytest.fixture
def imported(db_session, engine, settings, tmp_path):
    """35-REDON with a hostile site, referent, appointment structure and roadmap action,
    all loaded through the connectors (run_import), as an uploaded file would be."""
    make_territory(db_session, "35-REDON", "Pays de Redon")
    for login, role in (("redon.projet", Role.PROJET), ("redon.comop", Role.COMOP)):
        make_user(db_session, login, role, "35-REDON")
    db_session.commit()
    sessions = make_session_factory(engine)
    day = dt.date(2024, 7, 1)
    files = [
        (
            "solis",
            _csv(
                tmp_path / "solis.csv",
                "N° allocataire;Date de naissance;Site;Date ouverture droits;"
                "Date orientation;Dominante;Organisme référent;Référent",
                f"6626571;28/06/1990;{HOSTILE};25/02/2024;19/03/2024;Emploi;CDAS;{LINK}",
            ),
        ),
        (
            "rdv",
            _csv(
                tmp_path / "rdv.csv",
                "N° allocataire;Motif;Date RDV;Statut;Structure",
                f"6626571;Accompagnement;27/03/2024 09:30;Présent;{HOSTILE}",
            ),
        ),
        (
            "roadmap",
            _csv(
                tmp_path / "roadmap.csv",
                "Axe;Cible opérationnelle;Étape / action;Responsable(s);Échéance estimée;"
                "Avancement;Commentaire",
                f"{HOSTILE};Cible;{HOSTILE};CD;Fin septembre 2024;En cours;{LINK}",
            ),
        ),
    ]
    for source, path in files:
        report = run_import(
            sessions,
            source,
            path,
            "35-REDON",
            pseudonym_key=settings.pseudonym_key,
            extracted_on=day,
        )
        assert (report.status, report.quarantined) == ("loaded", 0), (source, report)


def _components(tree) -> list[dict]:
    """Every Dash component (a dict with type, namespace and props) inside `tree`."""
    found = []
    if isinstance(tree, dict):
        if {"type", "namespace", "props"} <= set(tree):
            found.append(tree)
        for value in tree.values():
            found.extend(_components(value))
    elif isinstance(tree, list):
        for value in tree:
            found.extend(_components(value))
    return found


def _strings(tree) -> list[str]:
    if isinstance(tree, str):
        return [tree]
    if isinstance(tree, dict):
        return [text for value in tree.values() for text in _strings(value)]
    if isinstance(tree, list):
        return [text for value in tree for text in _strings(value)]
    return []


def _assert_inert(tree) -> None:
    """The hostile texts are present, only ever inside plain strings, and nothing in the
    tree renders HTML, loads a resource or links to `javascript:`."""
    texts = _strings(tree)
    assert any(HOSTILE in text for text in texts)
    for component in _components(tree):
        props = component["props"]
        assert component["type"] not in LIVE_TYPES, component
        assert not props.get("dangerously_allow_html"), component
        for name in ("href", "src", "srcDoc"):
            value = props.get(name)
            assert not (isinstance(value, str) and re.match(r"\s*javascript:", value, re.I))


def test_roadmap_callback_shows_the_hostile_texts_as_text(client, imported):
    log_in(client, "redon.projet")
    response = post(client, fill_payload(search="?periode=2024-T3"))
    (row,) = response["projet-grid"]["rowData"]
    assert row["action"] == HOSTILE  # kept verbatim, as a grid cell value
    assert LINK in json.dumps(row)
    _assert_inert(response)


def test_comop_controls_show_the_hostile_site_and_referent_as_labels(client, imported):
    log_in(client, "redon.comop")
    body = _post(client, _payload(CONTROL_OUTPUTS, [_url("?periode=2024-03"), PAGE_INPUT]))
    response = body.get_json()["response"]
    labels = [option["label"] for option in response["comop-site"]["options"]]
    assert HOSTILE in labels
    referents = [option["label"] for option in response["comop-referent"]["options"]]
    assert any(label.startswith(LINK) for label in referents), referents
    _assert_inert(response)


def test_api_returns_the_hostile_texts_as_json_strings(client, imported):
    log_in(client, "redon.projet")
    response = client.get("/api/v1/roadmap?territory=35-REDON&as_of=2024-07-01")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    # JSON, not HTML: a browser opening it shows text.
    assert response.mimetype == "application/json"
    text = response.get_data(as_text=True)
    actions = json.loads(text)
    assert HOSTILE in _strings(actions) and LINK in _strings(actions)


def test_no_component_may_render_raw_html_or_code() -> None:
    """`dangerously_allow_html` (dcc.Markdown) and `dangerously_allow_code` (AG Grid)
    appear nowhere in the application's source."""
    offenders = []
    for name in SOURCES:
        root = ROOT / name
        paths = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in paths:
            if path.suffix in {".py", ".js", ".css", ".html"} and path.is_file():
                text = path.read_text(encoding="utf-8", errors="replace")
                if re.search(r"dangerously_allow_(html|code)|dangerouslySetInnerHTML", text):
                    offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
    # The check sees real files (a typo in SOURCES would make it pass on nothing).
    assert (ROOT / "layouts").is_dir() and (ROOT / "callbacks").is_dir()


def test_dash_is_recent_enough() -> None:
    """Dash 2.15 fixed CVE-2024-21485 (XSS through crafted hrefs in dcc.Link and html.A)."""
    major, minor = (int(part) for part in version("dash").split(".")[:2])
    assert (major, minor) >= (2, 15)
