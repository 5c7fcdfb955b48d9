"""GET /copil/dossier.pdf: the dossier downloads for the COPIL roles, in scope, audited."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from dashboard.db import make_engine, make_session_factory
from dashboard.demo.install import DEMO_PASSWORD, install_demo
from dashboard.facts import load_frames
from dashboard.models import AuditLog, Territory
from metrics.stock import taux_orientation
from tests import test_copil_page as page
from tests.helpers import log_in

SMALL = page.SMALL
overview = page.overview
# The page tests' module fixtures: one demo database for this module too.
demo_settings = page.demo_settings
demo_app = page.demo_app
logged_in = page.logged_in

PDF = "/copil/dossier.pdf"


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def _exports(settings, login: str) -> list[AuditLog]:
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as db:
        rows = list(
            db.scalars(select(AuditLog).where(AuditLog.action == "export", AuditLog.login == login))
        )
    engine.dispose()
    return rows


def test_copil_downloads_the_dossier_of_a_quarter(logged_in, demo_settings):
    before = len(_exports(demo_settings, "demo.copil"))
    response = logged_in("demo.copil").get(f"{PDF}?territoire=35-REDON&periode=2024-T3")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="dossier-copil-35-redon-2024-07_2024-09.pdf"'
    )
    text = pdf_text(response.data)
    for expected in (
        "Dossier COPIL — Pays de Redon et Vallons de Vilaine (35-REDON)",
        "T3 2024 (juillet 2024 – septembre 2024)",
        "Données au 31/12/2024",
        "Indicateurs clés",
        "Trajectoires des indicateurs ciblés",
        "Parcours des nouveaux entrants",
        "Feuille de route",
        "Définitions des indicateurs clés",
        # The French definition of docs/indicators.md, code quotes dropped.
        "parmi les personnes soumises aux droits et devoirs au as_of, part de celles qui",
    ):
        assert expected in " ".join(text.split()) or expected in text, expected
    # A stock of a past quarter is taken at its end (30/09/2024), computed here apart.
    engine = make_engine(demo_settings.database_url)
    with make_session_factory(engine)() as db:
        territory = db.scalar(select(Territory).where(Territory.code == "35-REDON"))
        frames = load_frames(db, territory.id)
    engine.dispose()
    end_of_quarter = dt.date(2024, 9, 30)
    stock = taux_orientation(
        frames, period_start=dt.date(2024, 7, 1), period_end=end_of_quarter, as_of=end_of_quarter
    )
    number = f"{stock.value:.1f}".replace(".", ",").removesuffix(",0")
    assert f"Taux d'orientation des personnes soumises aux droits et\ndevoirs\n{number}" in text
    # Audited: who, which territory, which months.
    exports = _exports(demo_settings, "demo.copil")
    assert len(exports) == before + 1
    assert exports[-1].territory_code == "35-REDON"
    assert exports[-1].details == {
        "document": "dossier_copil",
        "format": "pdf",
        "du": "2024-07",
        "au": "2024-09",
    }


def test_small_territory_dossier_is_secret_for_copil(logged_in):
    response = logged_in(f"demo.copil.{SMALL.lower()}").get(PDF)
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "secret statistique (< 11)" in text
    # The funnel's first line: the entrants of 2024 are fewer than 11.
    # The funnel table's first row: the 2024 entrants are fewer than 11, no share either.
    secret = "secret statistique (< 11)"
    assert f"Nouveaux entrants\n{secret}\n—\n{secret}\n" in text


def test_comop_is_refused(logged_in, demo_settings):
    response = logged_in("demo.comop").get(PDF)
    assert response.status_code == 403
    assert _exports(demo_settings, "demo.comop") == []


@pytest.mark.parametrize("code", [SMALL, "99-NULLEPART"])
def test_other_or_unknown_territory_gets_the_french_refusal(logged_in, demo_settings, code):
    response = logged_in("demo.copil").get(f"{PDF}?territoire={code}")
    assert response.status_code == 403
    body = response.get_data(as_text=True)
    assert "Territoire inconnu ou hors de votre périmètre." in body
    assert "%PDF" not in body


def test_bad_period_and_anonymous(logged_in, demo_app):
    response = logged_in("demo.copil").get(f"{PDF}?periode=2024-T9")
    assert response.status_code == 400
    assert "Période illisible" in response.get_data(as_text=True)
    anonymous = demo_app.server.test_client().get(PDF)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_pdf_and_page_on_each_backend(client, db_session):
    """The whole path (facts, roadmap query, audit) on SQLite and PostgreSQL."""
    install_demo(db_session, size=40)
    db_session.commit()
    log_in(client, "demo.copil", DEMO_PASSWORD)
    body = overview(client)
    assert "Pays de Redon et Vallons de Vilaine (35-REDON)" in json.dumps(body, ensure_ascii=False)
    response = client.get(PDF)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert "Données au 31/12/2024" in pdf_text(response.data)
    exports = db_session.scalar(
        select(func.count()).select_from(AuditLog).where(AuditLog.action == "export")
    )
    assert exports == 1
