"""Plan line 16 in CI: the LibreOffice formula test may skip on a laptop, never in CI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEST_ID = "tests/test_national_export.py::test_libreoffice_evaluates_no_formula_of_the_export"


def _run_without_soffice(require: str | None) -> str:
    """The test's outcome line, run with a PATH where `soffice` cannot be found."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PILOTAGE_")}
    env["PATH"] = str(ROOT / "no-such-dir")
    if require is not None:
        env["PILOTAGE_REQUIRE_LIBREOFFICE"] = require
    done = subprocess.run(
        [sys.executable, "-m", "pytest", TEST_ID, "-q", "-rsf", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.stdout


@pytest.mark.slow
def test_a_missing_soffice_fails_when_required_and_skips_otherwise():
    assert "1 failed" in _run_without_soffice("1")
    assert "1 skipped" in _run_without_soffice(None)


def test_the_test_script_installs_libreoffice_and_requires_it():
    script = (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    assert re.search(r"^export PILOTAGE_REQUIRE_LIBREOFFICE=1$", script, re.MULTILINE)
    # Installed only where missing, with the other Debian packages.
    assert re.search(r"if ! command -v soffice .*\n\s+missing\+=\(libreoffice-calc-nogui\)", script)
