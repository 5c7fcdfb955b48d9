"""The audit journal of the administration page: what each territory's admin sees."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import audit
from dashboard.audit import territory_entries
from dashboard.models import Role
from layouts.admin_audit import details_text
from tests.dash_post import call, response_of, text_of
from tests.helpers import log_in, make_territory, make_user


@pytest.fixture
def journal(db_session):
    make_territory(db_session, "35-REDON", "Pays de Redon")
    make_territory(db_session, "75-PARIS", "Paris")
    make_user(db_session, "redon.admin", Role.ADMIN, "35-REDON")
    make_user(db_session, "redon.comop", Role.COMOP, "35-REDON")
    make_user(db_session, "paris.admin", Role.ADMIN, "75-PARIS")
    base = dt.datetime(2024, 3, 1, 9, 0)
    entries = [
        # (minutes after base, action, login, territory, details)
        (1, "import", "redon.admin", "35-REDON", {"file": "solis_mars.csv", "rows": 412}),
        (2, "login_failed", "redon.comop", None, {}),  # no territory: found by the login
        (3, "export", "paris.admin", "75-PARIS", {"file": "paris-secret.csv"}),
        (4, "login_failed", "inconnu.total", None, {}),  # nobody's account
        (5, "user_deactivated", "redon.admin", "35-REDON", {"user": "redon.comop"}),
    ]
    for minutes, action, login, territory, details in entries:
        entry = audit.record(
            db_session, action, login=login, territory_code=territory, details=details
        )
        entry.at = base + dt.timedelta(minutes=minutes)  # set before the insert: append-only
    db_session.commit()


def _journal(client, action=None):
    values = {
        "frame-url.search": "",
        "admin-audit-action.value": action,
        "admin-user-message.children": None,
        "admin-target-message.children": None,
    }
    return call(client, "admin-audit", values, ["frame-url.search"])


def test_entries_of_one_territory_newest_first(db_session, journal):
    entries = territory_entries(db_session, "35-REDON", ["redon.admin", "redon.comop"])
    # Redon's own entries (1, 5) and the failed login on a Redon account (2); not Paris's
    # export (3) nor the failed login of an unknown account (4). Newest first: 5, 2, 1.
    assert [(e.action, e.login) for e in entries] == [
        ("user_deactivated", "redon.admin"),
        ("login_failed", "redon.comop"),
        ("import", "redon.admin"),
    ]
    only = territory_entries(db_session, "35-REDON", ["redon.admin"], action="import")
    assert [e.details for e in only] == [{"file": "solis_mars.csv", "rows": 412}]


def test_details_are_flat_text():
    assert details_text({"user": "a.b", "fields": ["due", "status"]}) == (
        "compte : a.b · champs : due, status"
    )


def test_admin_sees_the_journal_of_the_territory_only(client, journal):
    log_in(client, "redon.admin")
    shown = text_of(response_of(_journal(client))["admin-audit"]["children"])
    assert "Import de fichier" in shown and "solis_mars.csv" in shown
    assert "Désactivation de compte" in shown and "Échec de connexion" in shown
    assert "paris-secret.csv" not in shown and "inconnu.total" not in shown
    # Entries 1, 2, 5 and the login that opened this session.
    assert "4 entrée(s)." in shown and "Connexion" in shown
    filtered = text_of(response_of(_journal(client, "import"))["admin-audit"]["children"])
    assert "solis_mars.csv" in filtered and "Désactivation" not in filtered


def test_forged_action_and_other_roles_are_refused(client, journal):
    log_in(client, "redon.admin")
    forged = text_of(response_of(_journal(client, "' OR 1=1--"))["admin-audit"]["children"])
    assert "Type d'action inconnu" in forged
    client.get("/logout")
    log_in(client, "redon.comop")
    assert _journal(client).status_code == 403
