"""The COPIL page in Chromium: a COPIL member reads the figures, changes the period, opens the
dossier and downloads the PDF; COMOP is refused.

Expected figures are computed here from frames read from the live database
with the indicator function, not by the page's code.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from dashboard.db import make_engine, make_session_factory
from dashboard.demo.install import DEMO_CODE, DEMO_PASSWORD
from dashboard.facts import load_frames
from dashboard.models import Territory
from metrics.disclosure import disclose
from metrics.stock import taux_orientation

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ORIENTATION_LABEL = "Taux d'orientation des personnes soumises aux droits et devoirs"


def _log_in(page, base_url: str, login: str) -> None:
    page.goto(base_url + "/login")
    page.fill("#login", login)
    page.fill("#password", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(base_url + "/")


def _orientation_card(page):
    cards = page.locator("#copil-cards .copil-card").filter(has_text=ORIENTATION_LABEL)
    return cards.locator(".copil-card-value")


def _orientation_rate(settings, as_of: dt.date) -> str:
    """taux_orientation at `as_of` for a COPIL member, as the page should write it."""
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as db:
        territory = db.scalar(select(Territory).where(Territory.code == DEMO_CODE))
        frames = load_frames(db, territory.id)
    engine.dispose()
    result = disclose(
        taux_orientation(frames, period_start=as_of, period_end=as_of, as_of=as_of), 11
    )
    assert not result.suppressed, "the demo's stock is far above the threshold"
    return f"{result.value:.1f}".replace(".", ",").removesuffix(",0") + "\u00a0%"


def test_copil_member_reads_changes_the_period_and_downloads(page, live_server, live_settings):
    _log_in(page, live_server, "demo.copil")
    page.goto(live_server + "/copil")
    card = _orientation_card(page)
    card.wait_for()
    # Default period: the year of the latest extraction (31/12/2024), stock at that day.
    assert card.inner_text() == _orientation_rate(live_settings, dt.date(2024, 12, 31))
    assert "Données au 31/12/2024" in page.locator("#copil-heading").inner_text()

    # Quarters: the list opens on T4 2024; choose T3 2024, whose stock is taken on 30/09.
    page.get_by_label("Trimestre", exact=True).check()
    page.wait_for_url(re.compile(r"periode=2024-T4"))
    page.locator("#filter-period").click()
    page.get_by_role("option", name="T3 2024").click()
    page.wait_for_url(re.compile(r"periode=2024-T3"))
    page.locator("#copil-heading", has_text="T3 2024").wait_for()
    expected = _orientation_rate(live_settings, dt.date(2024, 9, 30))
    _orientation_card(page).filter(has_text=expected).wait_for()

    # The number links to its definition.
    card.click()
    assert page.url.endswith("#copil-def-taux_orientation")
    assert page.locator("#copil-def-taux_orientation").is_visible()
    # Its definition is the French one of docs/indicators.md (the registry's definition_fr).
    definition = " ".join(page.locator("#copil-def-taux_orientation").inner_text().split())
    assert "parmi les personnes soumises aux droits et devoirs au as_of, part de" in definition

    with page.expect_download() as download_info:
        page.click("#copil-pdf-link")
    download = download_info.value
    assert download.suggested_filename == "dossier-copil-35-redon-2024-07_2024-09.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")
    if os.environ.get("PILOTAGE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.goto(live_server + "/copil")
        _orientation_card(page).wait_for()
        page.locator("#copil-funnel .js-plotly-plot").wait_for()
        page.screenshot(path=str(SCREENSHOTS / "copil.png"), full_page=True)


def test_dossier_is_laid_out_for_printing(page, live_server):
    _log_in(page, live_server, "demo.admin")
    page.goto(live_server + "/copil?periode=2024&dossier=1")
    page.get_by_role("heading", name="Dossier COPIL").wait_for()
    page.locator("#copil-dossier-trajectories .js-plotly-plot").first.wait_for()
    assert page.locator("#copil-breakdown-indicator").count() == 0
    page.emulate_media(media="print")
    assert not page.locator("#copil-print").is_visible()  # the toolbar is not printed
    assert not page.locator("header.site-header").is_visible()


def test_comop_is_refused(page, live_server):
    _log_in(page, live_server, "demo.comop")
    assert "COPIL" not in page.locator("#frame-nav").inner_text()
    page.goto(live_server + "/copil")
    page.get_by_role("heading", name="Accès refusé").wait_for()
    assert page.locator("#copil-cards").count() == 0
