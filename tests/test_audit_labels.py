"""The detail column of the audit journal speaks French: labels and values."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dashboard import audit
from dashboard.models import Role
from layouts.admin_audit import DETAIL_LABELS, details_text
from tests.dash_post import call, response_of, text_of
from tests.helpers import log_in, make_territory, make_user

ROOT = Path(__file__).resolve().parent.parent
NNBSP = "\u202f"
# Calls that write audit details: `audit.record(details=...)` and the wrappers around it;
# the keyword arguments of KEYWORD_WRAPPERS (`record_by(..., user=...)`) are detail keys.
KEYWORD_WRAPPERS = {"_audit", "audit_details", "record_by"}
AUDIT_CALLS = {"record", "_record", "record_list_export"} | KEYWORD_WRAPPERS
WRAPPER_PARAMETERS = {"session", "db", "actor", "action", "remote_addr"}


def _name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _dict_keys(node: ast.AST) -> set[str]:
    if not isinstance(node, ast.Dict):
        return set()
    return {key.value for key in node.keys if isinstance(key, ast.Constant)}


def _is_details(node: ast.AST | None) -> bool:
    return getattr(node, "id", None) == "details"


def _call_keys(node: ast.Call) -> set[str]:
    keys: set[str] = set()
    name = _name(node.func)
    updates_details = name == "update" and _is_details(getattr(node.func, "value", None))
    if name not in AUDIT_CALLS and not updates_details:
        return keys
    for argument in node.args:
        keys |= _dict_keys(argument)
    for keyword in node.keywords:
        if keyword.arg == "details":
            keys |= _dict_keys(keyword.value)
        elif keyword.arg and (name in KEYWORD_WRAPPERS or updates_details):
            keys.add(keyword.arg)  # `record_by(..., user=...)`, `details.update(rows=...)`
    return keys - WRAPPER_PARAMETERS


def stored_detail_keys() -> set[str]:
    """Every literal key the application code passes as audit details."""
    keys: set[str] = set()
    for folder in ("dashboard", "callbacks"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call):
                    keys |= _call_keys(node)
                targets = getattr(node, "targets", None) or [getattr(node, "target", None)]
                for target in targets:
                    if _is_details(target):  # details = {...}
                        keys |= _dict_keys(node.value)
                    elif isinstance(target, ast.Subscript) and _is_details(target.value):
                        key = target.slice  # details["reason"] = ...
                        keys |= {key.value} if isinstance(key, ast.Constant) else set()
    return keys


def test_the_scan_finds_the_keys_of_known_call_sites():
    # Guards the scan itself: keys written at three different kinds of call site.
    found = stored_detail_keys()
    assert {"user", "role"} <= found  # user_admin._record / cli.py details=
    assert {"rows_read", "quarantined"} <= found  # web_upload / cli_imports details=
    assert {"row_number", "re_entered"} <= found  # quarantine: record_by(..., row_number=)
    assert {"method", "params", "lignes", "filtres"} <= found  # `details = {...}` variables


def test_every_stored_key_has_a_french_label():
    missing = stored_detail_keys() - set(DETAIL_LABELS)
    assert not missing, f"audit detail keys without a French label: {sorted(missing)}"


def test_keys_become_french_labels_and_numbers_get_thin_separators():
    # 12345 -> "12 345" with a narrow no-break space, as layouts/format.format_count does.
    text = details_text({"user": "a.b", "role": "projet", "rows": 12345, "file": "solis.csv"})
    assert text == (
        f"compte : a.b · rôle : Équipe projet · lignes : 12{NNBSP}345 · fichier : solis.csv"
    )


def test_a_role_change_names_the_roles_in_french_but_not_a_corrected_cell():
    # user_role_changed stores role codes; a quarantine correction stores cell values.
    assert details_text({"user": "x", "before": "admin", "after": "copil"}) == (
        "compte : x · avant : Administration · après : COPIL"
    )
    changed = {"changed": {"statut": {"before": "admin", "after": "copil"}}}
    assert details_text(changed) == "modifications : statut (avant admin, après copil)"


def test_identifiers_keep_their_digits_together():
    assert details_text({"batch_id": 12345}) == "lot : 12345"


def test_dates_and_months_are_written_the_french_way():
    assert details_text({"du": "2026-01", "au": "2026-03"}) == "du : 01/2026 · au : 03/2026"
    text = details_text({"period_start": "2026-01-31"})
    assert text == "début : 31/01/2026"


def test_a_stored_utc_moment_is_shown_in_paris_time():
    # 2026-07-14 08:30 UTC is 10:30 in Paris (summer time, UTC+2).
    assert details_text({"at": "2026-07-14T08:30:00"}) == "at : 14/07/2026 10:30"


def test_nested_points_and_decimals():
    # A trajectory point: a dict inside a list, in brackets; 1.5 -> "1,5", 1500.0 -> "1 500".
    details = {
        "before": [{"period_start": "2026-01-01", "target_value": 1.5, "baseline_value": 1500.0}]
    }
    assert details_text(details) == (
        f"avant : (début 01/01/2026, cible 1,5, référence 1{NNBSP}500)"
    )


def test_unknown_keys_and_plain_values_show_unchanged():
    text = details_text({"mystery_key": "x-1", "dry": True, "owner": None})
    assert text == "mystery_key : x-1 · dry : oui · owner : —"


@pytest.fixture
def french_journal(db_session):
    make_territory(db_session, "35-REDON", "Pays de Redon")
    make_user(db_session, "redon.admin", Role.ADMIN, "35-REDON")
    audit.record(
        db_session,
        "import",
        login="redon.admin",
        territory_code="35-REDON",
        details={"file_name": "solis_mars.csv", "rows_read": 2412, "batch_id": 1001},
    )
    db_session.commit()


def test_the_admin_page_shows_the_french_details(client, french_journal):
    log_in(client, "redon.admin")
    values = {
        "frame-url.search": "",
        "admin-audit-action.value": None,
        "admin-user-message.children": None,
        "admin-target-message.children": None,
    }
    answer = response_of(call(client, "admin-audit", values, ["frame-url.search"]))
    shown = text_of(answer["admin-audit"]["children"])
    # 2412 rows read -> "2 412"; the batch id keeps its digits together.
    assert f"fichier : solis_mars.csv · lignes lues : 2{NNBSP}412 · lot : 1001" in shown
