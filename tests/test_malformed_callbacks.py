"""Forged or broken callback posts get a short French 4xx, never a 500 or a traceback
(dashboard/callback_guard.py)."""

from __future__ import annotations

import json

import pytest

from dashboard import create_app
from dashboard.callback_guard import (
    CODES,
    MALFORMED,
    MAX_CALLBACK_BYTES,
    TOO_LARGE,
    UNKNOWN_OUTPUT,
    UNREADABLE,
    is_upload_callback,
)
from dashboard.models import Role
from tests.dash_post import call, find_callback, payload
from tests.helpers import log_in, make_territory, make_user

UPDATE = "/_dash-update-component"
THRESHOLD = "admin-threshold"  # a small callback: Input frame-url.search only
UPLOAD = "imports-report"  # the upload: Input imports-upload.contents


@pytest.fixture
def admin(client, db_session):
    make_territory(db_session, "35-REDON")
    make_user(db_session, "alice", Role.ADMIN, "35-REDON")
    db_session.commit()
    log_in(client, "alice")
    return client


def _valid(client, output: str = THRESHOLD) -> dict:
    return payload(find_callback(client, output), {"frame-url.search": ""}, ["frame-url.search"])


def _refused(response, status: int, *messages: str) -> None:
    """A short French JSON refusal: one of `messages`, no traceback, no file path."""
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    error = response.get_json()["error"]
    assert error["code"] == CODES[status] and error["message"] in messages
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and ".py" not in text and "/work" not in text


def test_the_well_formed_call_still_works(admin):
    response = call(admin, THRESHOLD, {"frame-url.search": ""}, ["frame-url.search"])
    assert response.status_code == 200


def test_unknown_output_is_a_400(admin):
    # copil-print.title is a clientside callback: in callback_map, without a server function.
    for output in ("nulle-part.children", "", None, 12, ["x"], "copil-print.title"):
        body = _valid(admin) | {"output": output}
        _refused(admin.post(UPDATE, json=body), 400, UNKNOWN_OUTPUT)


def test_not_a_json_object_is_a_400(admin):
    for raw in ("{pas du json", "[]", '"admin-threshold.children"', "null", "12"):
        response = admin.post(UPDATE, data=raw, content_type="application/json")
        # callbacks/__init__.py refuses a body without an output first (UNKNOWN_OUTPUT).
        _refused(response, 400, UNREADABLE, UNKNOWN_OUTPUT)


MALFORMED_CHANGES = [
    {"changedPropIds": "frame-url.search"},
    {"changedPropIds": [1]},
    {"changedPropIds": None},
    {"inputs": "frame-url.search"},
    {"inputs": {"id": "frame-url", "property": "search", "value": ""}},
    {"inputs": []},  # the callback declares one input
    {"inputs": [{"id": "frame-url", "property": "search"}] * 2},
    {"inputs": ["frame-url.search"]},
    {"inputs": [{"property": "search", "value": ""}]},
    {"inputs": [[{"id": "frame-url"}]]},
    {"inputs": None},
    {"state": "x"},
    {"state": [{"id": "x", "property": "y"}]},  # the callback declares no state
    {"outputs": "admin-threshold.children"},
    {"outputs": None},
]


def test_malformed_fields_are_a_400(admin):
    for change in MALFORMED_CHANGES:
        _refused(admin.post(UPDATE, json=_valid(admin) | change), 400, MALFORMED)
    for missing in ("changedPropIds", "inputs", "outputs"):
        body = _valid(admin)
        del body[missing]
        _refused(admin.post(UPDATE, json=body), 400, MALFORMED)


def test_missing_state_is_accepted_when_the_callback_has_none(admin):
    # dash-renderer leaves `state` out when a callback declares none.
    body = _valid(admin)
    del body["state"]
    assert admin.post(UPDATE, json=body).status_code == 200


@pytest.mark.slow
def test_ten_megabytes_of_inputs_outside_the_upload_is_a_413(admin):
    body = _valid(admin)
    body["inputs"][0]["value"] = "x" * (10 * 1024 * 1024)
    _refused(admin.post(UPDATE, json=body), 413, TOO_LARGE)
    # Just under the bound, the same callback answers (a long, unknown filter: a 200 page
    # with a French message, or a 4xx from the callback, never the guard's 413).
    body["inputs"][0]["value"] = "x" * (MAX_CALLBACK_BYTES - 4096)
    response = admin.post(UPDATE, json=body)
    assert response.status_code != 413 and response.status_code < 500


def test_only_callbacks_taking_a_file_may_be_large(app):
    uploads = sorted(
        output for output, spec in app.callback_map.items() if is_upload_callback(spec)
    )
    # One dcc.Upload in the application: the imports page's (layouts/imports.py).
    assert len(uploads) == 1 and uploads[0].startswith("..imports-report.children")


@pytest.mark.slow
def test_the_upload_callback_may_exceed_the_bound_up_to_the_upload_limit(
    settings, engine, db_session
):
    make_territory(db_session, "35-REDON")
    make_user(db_session, "alice", Role.ADMIN, "35-REDON")
    db_session.commit()
    # PILOTAGE_MAX_UPLOAD_MB=2: a callback post may carry 2 MiB * 4/3 + 64 KiB.
    app = create_app(settings.with_overrides(max_upload_mb=2))
    client = app.server.test_client()
    log_in(client, "alice")
    values = {
        "imports-upload.filename": "solis.csv",
        "imports-source.value": "solis",
        "frame-url.search": "",
        "imports-refresh.data": 0,
        "imports-options.value": [],
    }
    dependency = find_callback(client, UPLOAD)
    big = payload(dependency, values, ["imports-upload.contents"])
    # 1.5 MB of base64: above the 1 MiB bound of other callbacks, under the upload limit.
    big["inputs"][0]["value"] = "data:text/csv;base64," + "QUJD" * (1536 * 1024 // 4)
    response = client.post(UPDATE, json=big)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    # 3 MB: above MAX_CONTENT_LENGTH (2 MiB * 4/3 + 64 KiB = 2,862,421 bytes): Flask's 413.
    big["inputs"][0]["value"] = "data:text/csv;base64," + "QUJD" * (3 * 1024 * 1024 // 4)
    response = client.post(UPDATE, data=json.dumps(big), content_type="application/json")
    assert response.status_code == 413
    assert "Traceback" not in response.get_data(as_text=True)
    app.server.extensions["pilotage"].engine.dispose()


def test_anonymous_malformed_posts_are_still_a_401(client):
    response = client.post(UPDATE, json={"output": "nulle-part.children"})
    assert response.status_code == 401
