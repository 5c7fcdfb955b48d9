"""The French definitions the pages show are those of docs/indicators.md, word for word."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from layouts.copil_definitions import definition_link, definitions_view, plain_definition
from metrics.registry import REGISTRY

PAGE = Path(__file__).resolve().parent.parent / "docs" / "indicators.md"
SECTION = re.compile(r"^## `([^`]+)`\s*$", re.MULTILINE)
DEFINITION = re.compile(r"^- \*\*Définition\*\* : (.*?)(?=^- \*\*|\Z)", re.MULTILINE | re.DOTALL)


def documented_definitions(text: str) -> dict[str, str]:
    """Each code's « Définition » item, its lines joined by single spaces."""
    matches = list(SECTION.finditer(text))
    found = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        item = DEFINITION.search(text[match.end() : end])
        if item:
            found[match.group(1)] = " ".join(item.group(1).split())
    return found


def test_the_parser_reads_a_wrapped_item_and_stops_at_the_next():
    text = "## `a`\n\n- **Libellé** : A\n- **Définition** : une\n  phrase.\n- **Sens** : higher\n"
    assert documented_definitions(text) == {"a": "une phrase."}


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_registry_definition_is_the_documented_one(code):
    documented = documented_definitions(PAGE.read_text(encoding="utf-8"))
    assert REGISTRY[code].definition_fr == documented.get(code)


def _texts(component) -> list[str]:
    """Every string under a Dash component, depth first."""
    if isinstance(component, str):
        return [component]
    children = getattr(component, "children", None)
    if children is None:
        return []
    if not isinstance(children, list | tuple):
        children = [children]
    return [text for child in children for text in _texts(child)]


def test_panel_shows_the_french_definition_with_code_names_as_code():
    panel = definitions_view(["taux_orientation"])
    text = "".join(_texts(panel))
    # docs/indicators.md: "parmi les personnes soumises aux droits et devoirs au `as_of`, ..."
    assert "parmi les personnes soumises aux droits et devoirs au as_of, part de" in text
    assert "the share" not in text  # the English docstring is gone
    codes = [c.children for c in _walk(panel) if type(c).__name__ == "Code"]
    assert codes.count("as_of") == 2  # "au `as_of`" and "au plus tard à `as_of`"


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    if isinstance(children, list | tuple):
        for child in children:
            yield from _walk(child)
    elif children is not None and not isinstance(children, str):
        yield from _walk(children)


def test_link_tooltip_is_the_plain_french_definition():
    link = definition_link("taux_orientation", "72,4 %")
    assert (
        link.title
        == f"{REGISTRY['taux_orientation'].label} : {plain_definition('taux_orientation')}"
    )
    assert "`" not in link.title
    assert link.title.endswith("La période n'intervient pas.")
