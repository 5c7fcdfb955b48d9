"""Settings from the environment; secrets generated once, mode 0600, never constants."""

from __future__ import annotations

import stat

import pytest

from dashboard.config import ConfigError, load_settings


def test_defaults_use_a_sqlite_file_in_the_instance_folder(tmp_path):
    settings = load_settings({"PILOTAGE_INSTANCE_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path}/pilotage.sqlite3"
    assert settings.disclosure_threshold == 11
    assert settings.import_dir is None


def test_generated_secrets_are_private_stable_and_distinct(tmp_path):
    first = load_settings({"PILOTAGE_INSTANCE_DIR": str(tmp_path)})
    second = load_settings({"PILOTAGE_INSTANCE_DIR": str(tmp_path)})
    assert first.secret_key == second.secret_key and len(first.secret_key) == 64
    assert first.pseudonym_key == second.pseudonym_key != first.secret_key
    for name in ("secret_key", "pseudonym_key"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    other = load_settings({"PILOTAGE_INSTANCE_DIR": str(tmp_path / "other")})
    assert other.secret_key != first.secret_key


def test_environment_overrides(tmp_path):
    settings = load_settings(
        {
            "PILOTAGE_INSTANCE_DIR": str(tmp_path),
            "PILOTAGE_DATABASE_URL": "postgresql+psycopg://u@db/pilotage",
            "PILOTAGE_SECRET_KEY": "s" * 40,
            "PILOTAGE_PSEUDONYM_KEY": "p" * 40,
            "PILOTAGE_DISCLOSURE_THRESHOLD": "5",
            "PILOTAGE_IMPORT_DIR": str(tmp_path / "depot"),
        }
    )
    assert settings.database_url.startswith("postgresql+psycopg://")
    assert (settings.secret_key, settings.pseudonym_key) == ("s" * 40, "p" * 40)
    assert settings.disclosure_threshold == 5
    assert settings.import_dir == tmp_path / "depot"
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize("value", ["onze", "0", "-3"])
def test_bad_threshold_is_a_french_config_error(tmp_path, value):
    with pytest.raises(ConfigError, match="PILOTAGE_DISCLOSURE_THRESHOLD"):
        load_settings(
            {"PILOTAGE_INSTANCE_DIR": str(tmp_path), "PILOTAGE_DISCLOSURE_THRESHOLD": value}
        )


def test_secret_key_is_never_printed(tmp_path):
    settings = load_settings({"PILOTAGE_INSTANCE_DIR": str(tmp_path)})
    assert settings.secret_key not in repr(settings)
