"""The COMOP page in Chromium: a COMOP member opens a list, narrows it to a site, exports it
to Excel and CSV; a COPIL member is refused.

Expected counts come from the COPIL indicators (metrics.orientation.taux_orientes_15j and
its breakdown by site) on frames read from the live database: the late entrants of the
indicator are the people of the list, computed here without the page's code.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from dashboard.db import make_engine, make_session_factory
from dashboard.demo.install import DEMO_CODE, DEMO_PASSWORD
from dashboard.facts_cache import load_territory_facts
from dashboard.models import Site, Territory
from metrics.orientation import taux_orientes_15j

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
YEAR = "2024"


def _log_in(page, base_url: str, login: str) -> None:
    page.goto(base_url + "/login")
    page.fill("#login", login)
    page.fill("#password", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(base_url + "/")


def _expected(settings) -> tuple[int, str, int, int]:
    """(late entrants of 2024, a site, its id, its late entrants), by the COPIL engine."""
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as db:
        territory = db.scalar(select(Territory).where(Territory.code == DEMO_CODE))
        facts = load_territory_facts(db, territory)
        sites = {
            name: site_id
            for site_id, name in db.execute(
                select(Site.id, Site.name).where(Site.territory_id == territory.id)
            )
        }
    engine.dispose()
    window = {
        "period_start": dt.date(2024, 1, 1),
        "period_end": dt.date(2024, 12, 31),
        "as_of": facts.latest_solis,
        "params": facts.params,
    }
    result = taux_orientes_15j(facts.frames, **window, by="site")
    late = {
        site: cell["denominator"] - cell["numerator"]
        for site, cell in result.breakdown.items()
        if site in sites and cell["denominator"] - cell["numerator"] > 0
    }
    site = max(late, key=lambda name: (late[name], name))
    return result.denominator - result.numerator, site, sites[site], late[site]


def _row_count(page) -> int:
    """The number of rows of the grid, from its pagination summary ("1 à 20 sur 45")."""
    summary = page.locator("#comop-grid .ag-paging-row-summary-panel")
    summary.wait_for()
    return int(re.search(r"sur\s+([\d\s\u202f]+)$", summary.inner_text().strip())[1])


def test_comop_member_narrows_and_exports_a_list(page, live_server, live_settings, tmp_path):
    total, site, site_id, site_late = _expected(live_settings)
    assert total > site_late > 0, "the demo has late entrants in several sites"
    _log_in(page, live_server, "demo.comop")
    page.goto(f"{live_server}/comop?periode={YEAR}&liste=attente_orientation")
    page.locator("#comop-list-title", has_text="en attente d'orientation").wait_for()
    page.locator("#comop-grid .ag-row").first.wait_for()
    assert _row_count(page) == total

    # Narrow to the site with the most late entrants: the URL and the list follow.
    page.locator("#comop-site").click()
    page.get_by_role("option", name=site, exact=True).click()
    page.wait_for_url(re.compile(rf"site={site_id}\b"))
    page.wait_for_function(
        "n => document.querySelector('#comop-grid .ag-paging-row-summary-panel')"
        "?.innerText.trim().endsWith('sur ' + n)",
        arg=str(site_late),
    )
    assert _row_count(page) == site_late
    if os.environ.get("PILOTAGE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "comop.png"), full_page=True)

    with page.expect_download() as download:
        page.click("#comop-xlsx")
    workbook = tmp_path / "liste.xlsx"
    download.value.save_as(workbook)
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(workbook).active
    assert sheet["A4"].value == "Identifiant"
    sites = [sheet.cell(row=r, column=2).value for r in range(5, sheet.max_row + 1)]
    assert sites == [site] * site_late

    with page.expect_download() as download:
        page.click("#comop-csv")
    text = download.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Identifiant", "Site", "T0 (notification reçue)"]
    assert len(rows) - 1 == site_late
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", rows[1][2]), "dates as the page shows them"


def test_copil_member_is_refused_the_comop_page(page, live_server):
    _log_in(page, live_server, "demo.copil")
    assert "COMOP" not in page.locator("#frame-nav").inner_text()
    page.goto(f"{live_server}/comop?liste=attente_orientation")
    page.get_by_role("heading", name="Accès refusé").wait_for()
    assert page.locator("#comop-grid").count() == 0
