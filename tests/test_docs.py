"""The user docs list what the code accepts (datasette's test_docs pattern)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.imports import CONNECTORS

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.mark.parametrize("source", sorted(CONNECTORS))
def test_every_connector_field_and_spelling_is_documented(source):
    text = (DOCS / "connectors.md").read_text(encoding="utf-8")
    section = text.split(f"(`{source}`)", 1)[1].split("\n## ", 1)[0]
    profile = CONNECTORS[source].profile
    for field in profile.fields:
        assert f"`{field.name}`" in section, field.name
        for spelling in field.spellings:
            assert f"« {spelling} »" in section, spelling
    for dropped in profile.dropped:
        assert f"« {dropped} »" in section, dropped
