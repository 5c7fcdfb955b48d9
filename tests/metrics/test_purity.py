"""metrics/ is pure: no database, no web framework, no clock."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

METRICS = Path(__file__).resolve().parents[2] / "metrics"
MODULES = sorted(METRICS.rglob("*.py"))
# dashboard is banned too: importing it pulls in sqlalchemy, flask and dash.
BANNED_IMPORT = re.compile(
    r"^\s*(?:import|from)\s+(sqlalchemy|dash|flask|dashboard)\b", re.MULTILINE
)
CLOCK = re.compile(r"\b(?:date|datetime)\s*\.\s*(?:today|now|utcnow)\b|\btoday\s*\(|\bnow\s*\(")


def test_there_are_modules_to_check():
    assert len(MODULES) >= 5


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_no_banned_import(path):
    source = path.read_text(encoding="utf-8")
    assert BANNED_IMPORT.findall(source) == []


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_no_clock(path):
    source = path.read_text(encoding="utf-8")
    assert CLOCK.findall(source) == []


def test_the_patterns_catch_what_they_should():
    assert BANNED_IMPORT.findall("from sqlalchemy import select\nimport dash\n")
    assert BANNED_IMPORT.findall("    from dashboard.models import Organisme\n")
    assert not BANNED_IMPORT.findall("import dashes_of_colour\n")
    assert CLOCK.findall("as_of = dt.date.today()")
    assert CLOCK.findall("stamp = datetime.now()")
    assert CLOCK.findall("x = datetime . utcnow")


def test_importing_the_registry_loads_no_framework():
    code = (
        "import sys, metrics.registry; "
        "print(sorted(m for m in ('sqlalchemy', 'dash', 'flask', 'dashboard') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
