"""A person opens the dashboard in Chromium: login page, wrong password, demo login, home."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from dashboard.db import make_engine, make_session_factory
from dashboard.demo.install import DEMO_PASSWORD
from dashboard.models import Beneficiary, Territory
from layouts.format import format_count

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _fill_login(page, base_url: str, login: str, password: str) -> None:
    page.goto(base_url + "/")
    page.wait_for_url(re.compile(r"/login"))
    page.fill("#login", login)
    page.fill("#password", password)
    page.click("#login-submit")


def test_wrong_password_is_refused_in_french(page, live_server):
    _fill_login(page, live_server, "demo.admin", "mauvais-mot-de-passe")
    error = page.locator("#login-error")
    error.wait_for()
    assert error.inner_text() == "Identifiant ou mot de passe incorrect."
    assert page.url.startswith(live_server + "/login")


def test_demo_login_reaches_home_with_territory_figures(page, live_server, live_settings):
    engine = make_engine(live_settings.database_url)
    with make_session_factory(engine)() as db:
        territory = db.scalar(select(Territory).where(Territory.code == "35-REDON"))
        expected = db.scalar(
            select(func.count())
            .select_from(Beneficiary)
            .where(Beneficiary.territory_id == territory.id)
        )
    engine.dispose()

    _fill_login(page, live_server, "demo.admin", DEMO_PASSWORD)
    page.wait_for_url(live_server + "/")
    page.get_by_role("heading", name="Tableau de bord du territoire").wait_for()
    assert "Pays de Redon et Vallons de Vilaine" in page.locator("header").inner_text()
    card = page.locator("#home-summary .card").filter(has_text="Bénéficiaires connus")
    card.locator(".card-value").wait_for()
    assert card.locator(".card-value").inner_text() == format_count(expected)
    assert "Données SOLIS au 31/12/2024" in page.locator("#home-freshness").inner_text()

    page.click("#frame-logout")
    page.wait_for_url(re.compile(r"/login"))
    page.goto(live_server + "/")
    page.wait_for_url(re.compile(r"/login"))


def test_unknown_address_shows_a_french_page(page, live_server):
    _fill_login(page, live_server, "demo.comop", DEMO_PASSWORD)
    page.wait_for_url(live_server + "/")
    page.goto(live_server + "/nulle-part")
    message = page.locator("#not-found-message")
    message.wait_for()
    assert "ne correspond à aucune page" in message.inner_text()
    assert "Page not found" not in page.content()
