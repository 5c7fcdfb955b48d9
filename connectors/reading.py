"""Reading uploaded tables (CSV, xlsx, xls) as raw text rows, streamed in chunks.

`open_table` checks a file (size, kind from its content, encoding, separator, zip bomb,
header) and returns a `TableSource`; `iter_rows` then streams its data rows in bounded
memory: CSV through the csv module over a text stream (connectors/csv_rows.py), xlsx
through openpyxl in read-only mode (with defusedxml), xls through python-calamine (BIFF
files are small; both in connectors/excel_rows.py). Cell values become text in
connectors/table_cells.py.

Each row is a dict header -> cell text, stripped, `None` when empty, never converted:
- Excel dates and times become ISO text: "2024-03-15", "2024-03-15 09:30:00",
  "09:30:00" (midnight datetimes as a bare date); a number whose date format the
  library does not recognise stays a number, i.e. the Excel serial ("45366");
- integral Excel numbers lose their ".0" ("12", and a NIR typed as a number keeps its
  15 digits); others are Python's shortest repr ("16.5"); booleans are "VRAI"/"FAUX";
- NUL characters are replaced by U+FFFD, so the cell stays visibly wrong and fails
  validation downstream instead of being silently shortened.
Two more keys: "__row__", the row's line number as a person counts it in Excel or a
text editor (header = 1; a quoted multi-line CSV record counts from its first line),
and "__extra__", only on rows with non-empty cells beyond the header, listing them so
the caller can quarantine the row. Empty rows are skipped, numbers stay true.

A `ReadPosition` passed to `iter_rows` says how far the reading has gone, for a
progress bar: bytes of a CSV file consumed, rows of an Excel sheet read (out
of the sheet's declared size for xlsx, its true size for xls).
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from connectors.csv_rows import csv_rows
from connectors.excel_rows import grid_rows, open_xls, open_xlsx, resolve_sheet, worksheet_rows
from connectors.sniffing import (
    FileRejectedError,
    check_text,
    check_xlsx,
    detect_encoding,
    detect_separator,
    human_size,
    sniff_kind,
)
from connectors.table_cells import Cells

__all__ = [
    "EXTRA_KEY",
    "ROW_KEY",
    "FileRejectedError",
    "ReadPosition",
    "TableSource",
    "iter_rows",
    "open_table",
]

ROW_KEY = "__row__"
EXTRA_KEY = "__extra__"

Headers = tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class TableSource:
    """A checked file: what `iter_rows` needs to stream it again."""

    path: Path
    kind: str  # "csv" | "xlsx" | "xls"
    encoding: str | None  # csv only: "utf-8-sig", "utf-16", "utf-8", "cp1252", "latin-1"
    separator: str | None  # csv only: ";", "," or "\t"
    sheet: str | None  # excel only: the sheet's name as spelled in the workbook
    headers: Headers
    size_bytes: int


@dataclasses.dataclass
class ReadPosition:
    """How far `iter_rows` has read: `done` units of `total` (CSV: bytes; Excel: rows).

    `total` is None when the file does not tell (an xlsx sheet without a usable
    declared size): only the rows read are known then.
    """

    done: int = 0
    total: int | None = None
    probe: Callable[[], int] | None = dataclasses.field(default=None, repr=False)

    @property
    def fraction(self) -> float | None:
        """Share of the file read, from 0 to 1 (None when the total is unknown)."""
        if not self.total:
            return None
        return min(1.0, self.done / self.total)

    def refresh(self) -> None:
        if self.probe is not None:
            self.done = self.probe()

    def finish(self) -> None:
        """The whole file is read."""
        self.probe = None
        if self.total:
            self.done = self.total


def open_table(
    path: Path,
    *,
    sheet: str | None = None,
    max_bytes: int = 200 * 1024 * 1024,
    max_uncompressed_ratio: int = 100,
    max_uncompressed_bytes: int = 1024**3,
) -> TableSource:
    """Sniff and check `path`; raise `FileRejectedError` with a French sentence if unusable.

    `sheet` picks an Excel sheet (exact name, else the one equal ignoring case and
    surrounding spaces); by default the first worksheet. It is ignored for CSV files."""
    path = Path(path)
    if not path.is_file():
        raise FileRejectedError("Le fichier est introuvable.")
    size = path.stat().st_size
    if size == 0:
        raise FileRejectedError("Le fichier est vide.")
    if size > max_bytes:
        raise FileRejectedError(
            f"Le fichier dépasse la taille autorisée ({human_size(max_bytes)})."
        )
    kind = sniff_kind(path)
    encoding = separator = sheet_name = None
    if kind == "csv":
        encoding = detect_encoding(path)
        check_text(path, encoding)
        separator = detect_separator(path, encoding)
        headers = _read_headers(csv_rows(path, encoding, separator), kind, None)
    elif kind == "xlsx":
        check_xlsx(path, max_ratio=max_uncompressed_ratio, max_bytes=max_uncompressed_bytes)
        with open_xlsx(path) as workbook:  # loaded once: openpyxl may scan every sheet
            names = [worksheet.title for worksheet in workbook.worksheets]
            sheet_name = resolve_sheet(names, sheet)
            headers = _read_headers(worksheet_rows(workbook[sheet_name]), kind, sheet_name)
    else:
        with open_xls(path) as workbook:
            sheet_name = resolve_sheet(list(workbook.sheet_names), sheet)
            headers = _read_headers(grid_rows(workbook, sheet_name), kind, sheet_name)
    return TableSource(path, kind, encoding, separator, sheet_name, headers, size)


def iter_rows(
    source: TableSource, chunk_size: int = 10_000, position: ReadPosition | None = None
) -> Iterator[list[dict[str, Any]]]:
    """Data rows in lists of at most `chunk_size` (see the module docstring for values).

    `position`, when given, is brought up to date before each chunk is yielded.
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    position = position or ReadPosition()
    if source.kind == "csv":
        position.total = source.size_bytes
    width = len(source.headers)
    chunk: list[dict[str, Any]] = []
    with contextlib.closing(_records(source, position)) as rows:
        records = _non_empty(rows)
        next(records, None)  # the header row
        for number, cells in records:
            row: dict[str, Any] = dict(zip(source.headers, cells[:width], strict=False))
            for header in source.headers[len(cells) :]:
                row[header] = None
            row[ROW_KEY] = number
            extra = cells[width:]
            while extra and extra[-1] is None:
                extra.pop()
            if extra:
                row[EXTRA_KEY] = extra
            chunk.append(row)
            if len(chunk) == chunk_size:
                position.refresh()
                yield chunk
                chunk = []
    position.finish()
    if chunk:
        yield chunk


def _read_headers(rows: Iterator[tuple[int, Cells]], kind: str, sheet: str | None) -> Headers:
    """The first non-empty row, once checked that a data row follows it."""
    with contextlib.closing(rows):
        records = _non_empty(rows)
        first = next(records, None)
        if first is None:
            raise FileRejectedError(
                "Le fichier est vide." if sheet is None else f"La feuille « {sheet} » est vide."
            )
        headers = _headers(first[1], kind)
        if next(records, None) is None:
            raise FileRejectedError("Le fichier ne contient qu'une ligne d'en-tête.")
    return headers


def _headers(cells: Cells, kind: str) -> Headers:
    """Trailing nameless columns dropped; a nameless column in between gets a made-up name
    ("Colonne C" in Excel, "Colonne 3" in CSV) so its cells are not lost silently."""
    while cells and cells[-1] is None:
        cells = cells[:-1]
    headers = tuple(
        cell
        if cell is not None
        else f"Colonne {index if kind == 'csv' else get_column_letter(index)}"
        for index, cell in enumerate(cells, start=1)
    )
    seen: dict[str, str] = {}
    duplicates: list[str] = []
    for header in headers:
        folded = header.casefold()
        if folded in seen and seen[folded] not in duplicates:
            duplicates.append(seen[folded])
        seen.setdefault(folded, header)
    if duplicates:
        raise FileRejectedError(f"Colonnes en double dans l'en-tête : {', '.join(duplicates)}.")
    return headers


def _records(source: TableSource, position: ReadPosition) -> Iterator[tuple[int, Cells]]:
    """(row number, cells) for every row of the file: each kind opens the file anew."""
    if source.kind == "csv":
        yield from csv_rows(
            source.path, source.encoding or "utf-8", source.separator or ";", position
        )
    elif source.kind == "xlsx":
        with open_xlsx(source.path) as workbook:
            yield from worksheet_rows(workbook[source.sheet], position)
    else:
        with open_xls(source.path) as workbook:
            yield from grid_rows(workbook, source.sheet or "", position)


def _non_empty(rows: Iterator[tuple[int, Cells]]) -> Iterator[tuple[int, Cells]]:
    return ((number, cells) for number, cells in rows if any(cells))
