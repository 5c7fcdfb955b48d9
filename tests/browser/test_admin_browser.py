"""The administration page in Chromium: users, a trajectory read back, threshold, roles.

Expected figures come from the demo database and the live settings read here.
The account the test creates is removed at the end: the demo database is
shared by the other browser tests.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from dashboard.db import make_engine, make_session_factory
from dashboard.demo.install import DEMO_PASSWORD
from dashboard.models import IndicatorTarget, Territory, User
from metrics.registry import REGISTRY

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "admin.png"
NEW_LOGIN = "agent.navigateur"
NEW_PASSWORD = "mot-de-passe-navigateur"


def _log_in(page, base_url: str, login: str) -> None:
    page.goto(base_url + "/login")
    page.fill("#login", login)
    page.fill("#password", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(base_url + "/")


def _choose(page, dropdown: str, option: str) -> None:
    page.locator(dropdown).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_admin_manages_users_and_reads_a_trajectory(page, live_server, live_settings):
    engine = make_engine(live_settings.database_url)
    sessions = make_session_factory(engine)
    with sessions() as db:
        territory = db.scalar(select(Territory).where(Territory.code == "35-REDON"))
        accounts = db.scalar(select(func.count()).where(User.territory_id == territory.id))
        # The indicator with the most trajectory points in the demo, and its points.
        code, points = db.execute(
            select(IndicatorTarget.indicator_code, func.count())
            .where(IndicatorTarget.territory_id == territory.id)
            .group_by(IndicatorTarget.indicator_code)
            .order_by(func.count().desc(), IndicatorTarget.indicator_code)
        ).first()
        first_end = db.scalar(
            select(func.min(IndicatorTarget.period_end)).where(
                IndicatorTarget.territory_id == territory.id,
                IndicatorTarget.indicator_code == code,
            )
        )
    try:
        _log_in(page, live_server, "demo.admin")
        page.goto(live_server + "/admin")
        table = page.locator("#admin-users tbody tr")
        page.wait_for_function(
            "n => document.querySelectorAll('#admin-users tbody tr').length === n", arg=accounts
        )
        assert "(vous)" in table.filter(has_text="demo.admin").inner_text()

        page.fill("#admin-new-login", NEW_LOGIN)
        _choose(page, "#admin-new-role", "COMOP")
        page.fill("#admin-new-password", NEW_PASSWORD)
        page.fill("#admin-new-confirm", NEW_PASSWORD)
        page.click("#admin-create")
        page.locator("#admin-user-message").get_by_text(f"Compte {NEW_LOGIN} créé.").wait_for()
        row = table.filter(has_text=NEW_LOGIN)
        row.get_by_role("button", name="Désactiver").click()
        page.locator("#admin-user-message").get_by_text("désactivé").wait_for()
        assert "Désactivé" in row.inner_text()
        with sessions() as db:
            created = db.scalar(select(User).where(User.login == NEW_LOGIN))
            assert (created.role, created.active, created.territory_id) == (
                "comop", False, territory.id,
            )  # fmt: skip

        _choose(page, "#admin-indicator", f"{REGISTRY[code].label} ({code})")
        page.wait_for_function(
            "n => document.querySelectorAll('#admin-points tbody tr').length === n", arg=points
        )
        first_row = page.locator("#admin-points tbody tr").first
        assert first_row.locator("input[type=date]").nth(1).input_value() == first_end.isoformat()
        threshold = page.locator("#admin-threshold-value")
        assert threshold.inner_text() == str(live_settings.disclosure_threshold)
        if os.environ.get("PILOTAGE_SCREENSHOTS") == "1":
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
    finally:
        with sessions() as db:
            db.execute(delete(User).where(User.login == NEW_LOGIN))
            db.commit()
        engine.dispose()


def test_comop_is_refused(page, live_server):
    _log_in(page, live_server, "demo.comop")
    assert "Administration" not in page.locator("#frame-nav").inner_text()
    page.goto(live_server + "/admin")
    page.get_by_role("heading", name="Accès refusé").wait_for()
    assert page.locator("#admin-users").count() == 0
