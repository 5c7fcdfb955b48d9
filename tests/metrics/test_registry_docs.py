"""docs/indicators.md documents exactly the registered indicators (datasette's test_docs)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from metrics.registry import REGISTRY

PAGE = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"
SECTION = re.compile(r"^## `([^`]+)`\s*$", re.MULTILINE)
REQUIRED_ITEMS = (
    "**Libellé**",
    "**Définition**",
    "**Definition (English)**",
    "**Formule**",
    "**Champs sources**",
    "**Sens**",
    "**Unité**",
    "**Cible par défaut**",
)


def sections() -> dict[str, str]:
    text = PAGE.read_text(encoding="utf-8")
    matches = list(SECTION.finditer(text))
    bodies = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        bodies[match.group(1)] = text[match.end() : end]
    return bodies


def test_every_registered_code_has_a_section():
    assert sorted(set(REGISTRY) - set(sections())) == []


def test_every_section_is_a_registered_code():
    assert sorted(set(sections()) - set(REGISTRY)) == []


def test_sections_are_not_repeated():
    codes = SECTION.findall(PAGE.read_text(encoding="utf-8"))
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_section_gives_label_unit_direction_and_every_item(code):
    body = " ".join(sections().get(code, "").split())
    indicator = REGISTRY[code]
    assert f"**Libellé** : {indicator.label}" in body
    assert f"**Unité** : {indicator.unit}" in body
    assert f"**Sens** : {indicator.direction}" in body
    for item in REQUIRED_ITEMS:
        assert item in body, item
