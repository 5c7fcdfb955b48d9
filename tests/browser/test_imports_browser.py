"""The imports page in Chromium: history and its source filter, a checked upload, roles.

Expected figures come from the demo database and the sample file read here,
never from the page's code. The upload is a dry run ("Vérifier sans rien
enregistrer"): the shared demo database is left as found.
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dashboard.db import make_engine, make_session_factory
from dashboard.demo.install import DEMO_PASSWORD
from dashboard.models import ImportBatch, Territory
from layouts.format import format_count

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samples" / "solis_beneficiaires.csv"
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "imports.png"
HISTORY_LIMIT = 50  # the page shows the newest 50 batches


def _log_in(page, base_url: str, login: str) -> None:
    page.goto(base_url + "/login")
    page.fill("#login", login)
    page.fill("#password", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(base_url + "/")


def _batch_counts(settings) -> tuple[int, int]:
    """(batches of 35-REDON, of which SOLIS) in the demo database."""
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as db:
        territory = db.scalar(select(Territory).where(Territory.code == "35-REDON"))
        query = select(func.count()).where(ImportBatch.territory_id == territory.id)
        every = db.scalar(query)
        solis = db.scalar(query.where(ImportBatch.source == "solis"))
    engine.dispose()
    return every, solis


def _history_rows(page, expected: int) -> None:
    page.wait_for_function(
        "n => document.querySelectorAll('#imports-history tbody tr').length === n",
        arg=expected,
    )


def test_admin_filters_history_and_checks_a_file(page, live_server, live_settings):
    every, solis = _batch_counts(live_settings)
    assert solis >= 1, "the demo is loaded through the SOLIS connector"
    with SAMPLE.open(encoding="cp1252", newline="") as handle:
        rows_in_file = sum(1 for _ in csv.reader(handle, delimiter=";")) - 1

    _log_in(page, live_server, "demo.admin")
    page.goto(live_server + "/imports")
    page.get_by_role("heading", name="Imports et qualité des données").wait_for()
    _history_rows(page, min(every, HISTORY_LIMIT))
    page.locator("#imports-filter-source").click()
    page.get_by_role("option", name="SOLIS").click()
    _history_rows(page, min(solis, HISTORY_LIMIT))
    assert "la quarantaine est vide" in page.locator("#imports-quarantine").inner_text()

    page.locator("#imports-source").click()
    page.get_by_role("option", name="SOLIS").click()
    page.get_by_label("Vérifier sans rien enregistrer").check()
    page.set_input_files("#imports-upload input[type=file]", str(SAMPLE))
    counts = page.locator("#imports-report-counts")
    counts.wait_for()
    text = counts.inner_text()
    assert re.search(rf"Lignes lues\s+{format_count(rows_in_file)}\n", text + "\n"), text
    report = page.locator("#imports-report").inner_text()
    assert "Simulation : rien n'a été enregistré." in report
    assert _batch_counts(live_settings) == (every, solis)  # a dry run writes no batch

    if os.environ.get("PILOTAGE_SCREENSHOTS") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=True)


def test_copil_is_refused(page, live_server):
    _log_in(page, live_server, "demo.copil")
    assert "Imports et qualité" not in page.locator("#frame-nav").inner_text()
    page.goto(live_server + "/imports")
    page.get_by_role("heading", name="Accès refusé").wait_for()
    assert page.locator("#imports-upload").count() == 0
