"""The project team page in Chromium: statuses, an edit in place with its history, roles.

Expected figures come from the demo database read here and the status rules of
metrics/roadmap_status.py, never from the page's code.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from dashboard.db import make_engine, make_session_factory
from dashboard.demo.install import DEMO_PASSWORD
from dashboard.models import RoadmapAction, RoadmapActionChange, Territory, User
from metrics.roadmap_status import RoadmapItem, RoadmapStatus, action_status

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AS_OF = dt.date(2024, 9, 30)  # ?periode=2024-T3: the statuses at the end of the quarter
NEW_DEADLINE = "15/01/2025"
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "projet.png"


def _log_in(page, base_url: str, login: str) -> None:
    page.goto(base_url + "/login")
    page.fill("#login", login)
    page.fill("#password", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(base_url + "/")


def _redon_actions(db) -> list[RoadmapAction]:
    territory = db.scalar(select(Territory).where(Territory.code == "35-REDON"))
    return list(db.scalars(select(RoadmapAction).where(RoadmapAction.territory_id == territory.id)))


def _status(action: RoadmapAction, as_of: dt.date) -> RoadmapStatus:
    item = RoadmapItem(
        axis=action.axis,
        target=action.operational_target,
        action=action.action,
        due=action.due_on,
        start=action.start_on,
        continuous=action.continuous,
        progress=action.progress.value if action.progress else None,
    )
    return action_status(item, as_of)


def _cell(page, action_id: int, column: str):
    return page.locator(f'#projet-grid .ag-row[row-id="{action_id}"] .ag-cell[col-id="{column}"]')


def test_project_team_edits_a_deadline_and_sees_its_history(page, live_server, live_settings):
    engine = make_engine(live_settings.database_url)
    sessions = make_session_factory(engine)
    with sessions() as db:
        actions = _redon_actions(db)
        late = sorted(
            (a for a in actions if _status(a, AS_OF) is RoadmapStatus.EN_RETARD),
            key=lambda a: (a.due_on, a.id),
        )
        assert late, "the demo roadmap has late actions at the end of T3 2024"
        target = late[0]  # the oldest due date: first row of the table
        saved = (target.deadline_text, target.start_on, target.due_on, target.milestones)
    try:
        _log_in(page, live_server, "demo.projet")
        page.goto(live_server + "/projet?periode=2024-T3")
        chip = page.locator(".projet-chip.projet-status-en_retard strong")
        chip.wait_for()
        assert chip.inner_text() == str(len(late))
        first_row = page.locator("#projet-grid .ag-row[row-index='0']")
        assert first_row.get_attribute("row-id") == str(target.id)

        deadline = _cell(page, target.id, "deadline_text")
        deadline.dblclick()
        editor = deadline.locator("input")
        editor.fill(NEW_DEADLINE)
        editor.press("Enter")
        page.locator("#projet-edit-message").get_by_text("Modification enregistrée").wait_for()
        # 15/01/2025 is more than 14 days after 30/09/2024: no longer late, "à venir" (or
        # "en cours" if it had started).
        status = _cell(page, target.id, "status_label")
        page.wait_for_function(
            "el => !el.innerText.includes('En retard')", arg=status.element_handle()
        )
        assert _cell(page, target.id, "due").inner_text() == NEW_DEADLINE
        with sessions() as db:
            stored = db.get(RoadmapAction, target.id)
            assert stored.due_on == dt.date(2025, 1, 15)
            expected_status = _status(stored, AS_OF)
            change = db.execute(
                select(User.login, RoadmapActionChange.before, RoadmapActionChange.after)
                .join(User, User.id == RoadmapActionChange.user_id)
                .where(
                    RoadmapActionChange.action_id == target.id,
                    RoadmapActionChange.field == "deadline_text",
                )
            ).one()
        assert status.inner_text() == expected_status.label
        assert tuple(change) == ("demo.projet", saved[0], NEW_DEADLINE)

        _cell(page, target.id, "action").click()
        history = page.locator("#projet-history")
        history.get_by_text("demo.projet").first.wait_for()
        assert NEW_DEADLINE in history.inner_text()

        # The status filter keeps the late actions only: one fewer than before the edit.
        page.locator("#projet-filter-status").click()
        page.get_by_role("option", name="En retard").click()
        page.keyboard.press("Escape")
        page.wait_for_function(
            "n => document.querySelectorAll('#projet-grid .ag-row').length === n",
            arg=len(late) - 1,
        )
        if os.environ.get("PILOTAGE_SCREENSHOTS") == "1":
            page.goto(live_server + "/projet")
            page.locator("#projet-timeline .js-plotly-plot").wait_for()
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
    finally:
        # Leave the shared demo roadmap as found for the other browser tests.
        with sessions() as db:
            stored = db.get(RoadmapAction, target.id)
            stored.deadline_text, stored.start_on, stored.due_on, stored.milestones = saved
            db.commit()
        engine.dispose()


def test_copil_reads_without_editing_and_comop_is_refused(page, live_server):
    _log_in(page, live_server, "demo.copil")
    page.goto(live_server + "/projet?periode=2024-T3")
    cell = page.locator('#projet-grid .ag-row[row-index="0"] .ag-cell[col-id="deadline_text"]')
    cell.wait_for()
    assert "double-cliquez" not in page.locator("main").inner_text()
    cell.dblclick()
    page.wait_for_timeout(300)
    assert cell.locator("input").count() == 0  # no editor opens for copil

    page.click("#frame-logout")
    page.wait_for_url(re.compile(r"/login"))
    _log_in(page, live_server, "demo.comop")
    page.goto(live_server + "/projet")
    page.get_by_role("heading", name="Accès refusé").wait_for()
    assert page.locator("#projet-grid").count() == 0
