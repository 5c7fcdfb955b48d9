"""CSV rows as (line number, cell texts), streamed through the csv module."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from connectors.sniffing import FileRejectedError
from connectors.table_cells import Cells, clean_text

if TYPE_CHECKING:  # connectors.reading imports this module
    from connectors.reading import ReadPosition


def csv_rows(
    path: Path, encoding: str, separator: str, position: ReadPosition | None = None
) -> Iterator[tuple[int, Cells]]:
    with path.open(encoding=encoding, errors="replace", newline="") as stream:
        if position is not None:
            # Bytes handed to the decoder (read ahead by at most one buffer).
            position.probe = stream.buffer.tell
        reader = csv.reader(stream, delimiter=separator)
        end = 0
        while True:
            start = end + 1
            try:
                row = next(reader, None)
            except csv.Error as exc:
                raise FileRejectedError(
                    f"Le fichier CSV est illisible à partir de la ligne {start} "
                    "(cellule trop longue ou guillemets mal fermés)."
                ) from exc
            if row is None:
                return
            end = reader.line_num
            yield start, [clean_text(cell) for cell in row]
