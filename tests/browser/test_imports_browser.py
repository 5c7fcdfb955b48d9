"""The imports page in Chromium: history and its source filter, a checked upload, roles.

Expected figures come from the demo database and the sample file read here,
never from the page's code. The upload is a dry run ("Vérifier sans rien
enregistrer"): the shared demo database is left as found. The discard test adds
one quarantined targets row of its own (no figure depends on it) and discards it.
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
from dashboard.models import (
    AuditLog,
    ImportBatch,
    ImportStatus,
    QuarantinedRow,
    QuarantineStatus,
    Territory,
)
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


def _quarantined_target_row(settings) -> tuple[int, int]:
    """A targets batch of 35-REDON with one pending row (an unknown indicator): (batch, row)."""
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as db:
        territory = db.scalar(select(Territory).where(Territory.code == "35-REDON"))
        batch = ImportBatch(
            territory_id=territory.id,
            source="targets",
            file_name="cibles_navigateur.csv",
            sha256="0" * 64,
            status=ImportStatus.LOADED,
            rows_read=1,
            rows_quarantined=1,
        )
        db.add(batch)
        db.flush()
        row = QuarantinedRow(
            batch_id=batch.id,
            row_number=2,
            raw_values={
                "Indicateur": "Nombre de PMSMP",
                "Début de période": "01/01/2024",
                "Fin de période": "31/12/2024",
                "Cible": "120",
                "Valeur de référence (T0)": None,
            },
            reasons=["Indicateur : indicateur inconnu : Nombre de PMSMP"],
            status=QuarantineStatus.PENDING,
        )
        db.add(row)
        db.commit()
        ids = batch.id, row.id
    engine.dispose()
    return ids


def _row_state(settings, row_id: int) -> tuple[str, int]:
    """(status of the row, discard audit entries naming it)."""
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as db:
        status = db.get(QuarantinedRow, row_id).status
        audits = db.scalars(select(AuditLog).where(AuditLog.action == "quarantine_discarded"))
        count = sum(1 for log in audits if (log.details or {}).get("row_id") == row_id)
    engine.dispose()
    return str(status), count


def test_discard_asks_for_a_confirmation(page, live_server, live_settings):
    batch_id, row_id = _quarantined_target_row(live_settings)
    _log_in(page, live_server, "demo.admin")
    page.goto(live_server + "/imports")
    page.get_by_role("heading", name="Imports et qualité des données").wait_for()
    row = page.locator("#imports-quarantine tr").filter(has_text=f"n° {batch_id}")
    row.get_by_role("button", name="Corriger ou écarter").click()
    page.locator("#imports-editor-title").get_by_text(f"lot n° {batch_id}").wait_for()

    # The question names the row; dismissed, nothing happens. (The handler is set
    # before the click: window.confirm blocks the page until it is answered.)
    questions: list[str] = []

    def answer(accept: bool):
        def handle(dialog) -> None:
            questions.append(dialog.message)
            if accept:
                dialog.accept()
            else:
                dialog.dismiss()

        return handle

    page.once("dialog", answer(False))
    page.get_by_role("button", name="Écarter la ligne").click()
    for _ in range(100):
        if questions:
            break
        page.wait_for_timeout(100)
    assert questions == [
        f"Écarter la ligne 2 du lot n° {batch_id} (Cibles et trajectoires, "
        "cibles_navigateur.csv) ? Elle ne sera pas chargée ; elle restera dans l'historique "
        "de la quarantaine, marquée « écartée »."
    ]
    page.wait_for_timeout(300)
    assert _row_state(live_settings, row_id) == ("pending", 0)

    # Accepted: the row is discarded, audited, and the message says so.
    page.once("dialog", answer(True))
    page.get_by_role("button", name="Écarter la ligne").click()
    page.locator("#imports-editor-message").get_by_text("Ligne écartée").wait_for()
    assert len(questions) == 2
    assert _row_state(live_settings, row_id) == ("discarded", 1)
