"""The import progress bar: the line it draws, its redraws, and `pilotage import` on a tty."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from dashboard.import_progress import NARROW_SPACE, ProgressBar, format_progress
from dashboard.imports import ImportProgress

SOLIS = Path(__file__).parent / "data" / "samples" / "solis_beneficiaires.csv"
S = NARROW_SPACE


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class FakeClock:
    def __init__(self, *moments: float) -> None:
        self.moments = list(moments)

    def __call__(self) -> float:
        return self.moments.pop(0)


def test_line_with_a_known_share():
    # A third of the file: int(30 / 3) = 10 marks of 30, int(33.3) = 33 %;
    # 66,000 rows in 12.5 s = 5,280 rows/s.
    assert format_progress(66_000, 1 / 3, 12.5) == (
        f"[{'#' * 10}{'-' * 20}]  33 %  66{S}000 lignes  5{S}280 lignes/s"
    )
    # Rounded down: 99.9 % is not yet 100 % (29 marks: int(0.999 * 30) = 29).
    assert format_progress(999, 0.999, 1.0, width=30).startswith(f"[{'#' * 29}-]  99 %")
    assert format_progress(20, 1.0, 4.0) == f"[{'#' * 30}] 100 %  20 lignes  5 lignes/s"


def test_line_without_a_share_or_a_duration():
    # 12,345 rows in 5 s = 2,469 rows/s; no share: the rows and the speed only.
    assert format_progress(12_345, None, 5.0) == f"12{S}345 lignes lues  2{S}469 lignes/s"
    # No time elapsed yet: no speed.
    assert format_progress(0, 0.0, 0.0) == f"[{'-' * 30}]   0 %  0 lignes"


def test_bar_redraws_one_line_then_ends_it():
    terminal = FakeTerminal()
    # Created at t = 100 s; called at 102 s and 104 s.
    bar = ProgressBar(terminal, clock=FakeClock(100.0, 102.0, 104.0))
    bar(ImportProgress(10_000, 0.5))  # 10,000 rows in 2 s: 5,000 rows/s, 15 marks
    bar(ImportProgress(20_000, None))  # 20,000 rows in 4 s: 5,000 rows/s, no share
    bar.close()
    bar.close()  # a second close writes nothing
    first = f"[{'#' * 15}{'-' * 15}]  50 %  10{S}000 lignes  5{S}000 lignes/s"
    second = f"20{S}000 lignes lues  5{S}000 lignes/s"
    # The shorter second line is padded with spaces over the end of the first.
    assert terminal.getvalue() == f"\r{first}\r{second.ljust(len(first))}\n"


def test_import_draws_the_bar_on_a_terminal(redon_cli, monkeypatch):
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    code, out, _ = redon_cli(
        "import", "solis", str(SOLIS), "--territory", "35-REDON", "--extracted-on", "2024-07-01"
    )
    assert code == 0 and "Import réussi" in out
    drawn = terminal.getvalue()
    # One chunk (20 rows, the whole 3 KB file): one line at 100 %, then the line ends.
    assert drawn.startswith(f"\r[{'#' * 30}] 100 %  20 lignes") and drawn.endswith("\n")
    assert drawn.count("\r") == 1


def test_no_bar_when_stderr_is_not_a_terminal(redon_cli):
    code, _, err = redon_cli(
        "import", "solis", str(SOLIS), "--territory", "35-REDON", "--extracted-on", "2024-07-01"
    )
    assert code == 0 and "\r" not in err and "lignes/s" not in err
