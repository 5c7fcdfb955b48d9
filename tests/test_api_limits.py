"""Rate limits of the API (429 in the envelope) and the audit entry of every call."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dashboard import create_app
from dashboard.config import ConfigError, load_settings
from dashboard.models import AuditLog
from tests.api_support import assert_error, make_cast

URL = "/api/v1/indicators?from=2024-01&to=2024-01"


@pytest.fixture
def limited(settings):
    """An app whose limits are low enough to reach in a test."""
    apps = []

    def build(per_identity: str, per_address: str):
        app = create_app(
            settings.with_overrides(
                api_rate_limit=per_identity, api_rate_limit_per_address=per_address
            )
        )
        apps.append(app)
        return app.server.test_client()

    yield build
    for app in apps:
        app.server.extensions["pilotage"].engine.dispose()


def test_a_token_over_its_limit_gets_429_and_others_keep_going(limited, db_session):
    client = limited("3 per minute", "100 per minute")
    cast = make_cast(db_session)
    statuses = [client.get(URL, headers=cast.bearer("redon.comop")).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    refused = client.get(URL, headers=cast.bearer("redon.comop"))
    error = assert_error(refused, 429, "trop_de_requetes")
    assert error["message"].startswith("Trop de requêtes : la limite de 3 par minute")
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    # The limit is per token: another token of the same address still gets through.
    assert client.get(URL, headers=cast.bearer("redon.copil")).status_code == 200


def test_the_address_limit_covers_every_token_of_one_address(limited, db_session):
    client = limited("100 per minute", "2 per minute")
    cast = make_cast(db_session)
    assert client.get(URL, headers=cast.bearer("redon.comop")).status_code == 200
    assert client.get(URL, headers=cast.bearer("redon.copil")).status_code == 200
    assert_error(client.get(URL, headers=cast.bearer("redon.admin")), 429, "trop_de_requetes")
    # Each app (each process) has its own counters: the default app is not limited.


@pytest.mark.parametrize("value", ["beaucoup", "3 per fortnight"])
def test_a_bad_limit_setting_is_a_french_config_error(tmp_path, value):
    with pytest.raises(ConfigError, match="PILOTAGE_API_RATE_LIMIT"):
        load_settings({"PILOTAGE_INSTANCE_DIR": str(tmp_path), "PILOTAGE_API_RATE_LIMIT": value})


def test_limit_settings_from_the_environment(tmp_path):
    settings = load_settings(
        {
            "PILOTAGE_INSTANCE_DIR": str(tmp_path),
            "PILOTAGE_API_RATE_LIMIT": "10/second;500/hour",
            "PILOTAGE_RATE_LIMIT_STORAGE_URI": "redis://cache:6379",
            "PILOTAGE_MAX_UPLOAD_MB": "5",
        }
    )
    assert settings.api_rate_limit == "10/second;500/hour"
    assert settings.api_rate_limit_per_address == "600 per minute"
    assert settings.rate_limit_storage_uri == "redis://cache:6379"
    assert settings.max_upload_mb == 5


def test_every_call_is_in_the_audit_log(client, db_session):
    cast = make_cast(db_session)
    client.get(f"{URL}&territory=35-REDON", headers=cast.bearer("redon.copil"))
    client.get(f"{URL}&territory=13-MARS", headers=cast.bearer("redon.copil"))
    client.get(URL, headers={"Authorization": "Bearer prs_00000000_" + "x" * 43})
    client.get("/api/v1/health")
    entries = db_session.scalars(
        select(AuditLog).where(AuditLog.action == "api").order_by(AuditLog.id)
    ).all()
    summary = [
        (entry.login, entry.territory_code, entry.details["status"], entry.details["route"])
        for entry in entries
    ]
    # Served, refused out of scope (no territory resolved: only the asked code is kept),
    # refused token; the public health check is not recorded.
    assert summary == [
        ("redon.copil", "35-REDON", 200, "/api/v1/indicators"),
        ("redon.copil", None, 403, "/api/v1/indicators"),
        (None, None, 401, "/api/v1/indicators"),
    ]
    token_ids = [entry.details["token_id"] for entry in entries]
    assert token_ids[0] == token_ids[1] is not None and token_ids[2] is None
    assert entries[1].details["params"]["territory"] == "13-MARS"
    assert entries[0].user_id == cast.users["redon.copil"]
