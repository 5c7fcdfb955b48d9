"""A COMOP list as an Excel workbook (openpyxl) or a CSV file, written on the server for
dcc.Download (the CSV of a list too long for the grid, which exports the others itself).

Text cells never become formulas: a value starting with =, +, -, @, a tab or
a carriage return is written with a leading apostrophe (the OWASP advice for
CSV / formula injection); dates are real dates shown dd/mm/yyyy, counts are
numbers. The CSV is the grid's own: `;` between cells, every cell quoted,
French headers, dates dd/mm/yyyy, the same apostrophe before a formula start.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_ROW = 4
MAX_WIDTH = 40


def safe_text(value: str) -> str:
    """`value` that no spreadsheet will run: a formula start is escaped by an apostrophe,
    characters a workbook cannot hold are dropped."""
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell_value(value: object, is_date: bool) -> object:
    if value is None:
        return None
    if is_date and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if isinstance(value, str):
        return safe_text(value)
    return value


def list_workbook(title: str, subtitle: str, columns: list[dict], rows: list[dict]) -> bytes:
    """The workbook of one list: title, subtitle, French headers, one row per grid row."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Liste"
    sheet.cell(row=1, column=1, value=safe_text(title)).font = Font(bold=True, size=13)
    sheet.cell(row=2, column=1, value=safe_text(subtitle))
    widths = []
    for index, column in enumerate(columns, start=1):
        header = sheet.cell(row=HEADER_ROW, column=index, value=safe_text(column["headerName"]))
        header.font = Font(bold=True)
        widths.append(len(column["headerName"]))
    dates = ["valueFormatter" in column for column in columns]
    for offset, row in enumerate(rows, start=1):
        for index, column in enumerate(columns, start=1):
            value = _cell_value(row.get(column["field"]), dates[index - 1])
            cell = sheet.cell(row=HEADER_ROW + offset, column=index, value=value)
            if isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            widths[index - 1] = max(widths[index - 1], len(str(value or "")))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_WIDTH)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv_cell(value: object, is_date: bool) -> str:
    if value is None:
        return ""
    if is_date and isinstance(value, str):
        return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return str(value)


def list_csv(columns: list[dict], rows: list[dict]) -> str:
    """The CSV of one list: a header of French column names, one line per grid row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([column["headerName"] for column in columns])
    dates = ["valueFormatter" in column for column in columns]
    for row in rows:
        writer.writerow(
            [_csv_cell(row.get(c["field"]), d) for c, d in zip(columns, dates, strict=True)]
        )
    return buffer.getvalue()
