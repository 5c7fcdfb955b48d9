"""The progress bar of a long import, drawn on one terminal line (French).

    [##########--------------------]  33 %  66 000 lignes  5 210 lignes/s

The share comes from the import (bytes of a CSV file read, rows of an Excel
sheet); the speed from the rows read since the bar was created. The command
only draws it when stderr is a terminal.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

from dashboard.imports import ImportProgress

BAR_WIDTH = 30
NARROW_SPACE = "\u202f"  # the French thousands separator


def thousands(number: int) -> str:
    """12345 -> "12 345" (narrow no-break space)."""
    return f"{number:,}".replace(",", NARROW_SPACE)


def format_progress(
    rows: int, fraction: float | None, seconds: float, width: int = BAR_WIDTH
) -> str:
    """One line: bar, percent (rounded down: 100 % only at the end), rows, rows per second.

    Without a known share (`fraction` None) only the rows and the speed are shown.
    """
    speed = f"  {thousands(round(rows / seconds))} lignes/s" if seconds > 0 else ""
    if fraction is None:
        return f"{thousands(rows)} lignes lues{speed}"
    share = min(max(fraction, 0.0), 1.0)
    filled = int(share * width)
    bar = "#" * filled + "-" * (width - filled)
    return f"[{bar}] {int(share * 100):3d} %  {thousands(rows)} lignes{speed}"


class ProgressBar:
    """Redraws `format_progress` on the same line of `stream` at each call; `close()`
    ends the line. `clock` gives seconds (time.monotonic by default)."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        self.started = clock()
        self.width_drawn = 0

    def __call__(self, progress: ImportProgress) -> None:
        line = format_progress(progress.rows, progress.fraction, self.clock() - self.started)
        # Spaces over the end of a longer previous line.
        self.stream.write("\r" + line.ljust(self.width_drawn))
        self.stream.flush()
        self.width_drawn = len(line)

    def close(self) -> None:
        if self.width_drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.width_drawn = 0
