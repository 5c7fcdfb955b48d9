"""The user docs list what the code accepts (datasette's test_docs pattern)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.imports import CONNECTORS

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.mark.parametrize("source", sorted(CONNECTORS))
def test_every_connector_field_and_spelling_is_documented(source):
    page = (DOCS / "connectors" / f"{source}.md").read_text(encoding="utf-8")
    profile = CONNECTORS[source].profile
    for field in profile.fields:
        assert f"`{field.name}`" in page, field.name
        for spelling in field.spellings:
            assert f"« {spelling} »" in page, spelling
    for dropped in profile.dropped:
        assert f"« {dropped} »" in page, dropped


@pytest.mark.parametrize("source", sorted(CONNECTORS))
def test_every_connector_is_listed_in_the_index(source):
    index = (DOCS / "connectors.md").read_text(encoding="utf-8")
    assert f"| `{source}` | [connectors/{source}.md](connectors/{source}.md) |" in index
