"""Excel rows as (row number, cell texts): xlsx through openpyxl in read-only mode
(with defusedxml), xls through python-calamine (BIFF files are small)."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import openpyxl
import python_calamine

from connectors.sniffing import FileRejectedError
from connectors.table_cells import Cells, excel_cell_text

if TYPE_CHECKING:  # connectors.reading imports this module
    from connectors.reading import ReadPosition

DAMAGED_XLSX = "Le classeur Excel est endommagé ou illisible."
DAMAGED_XLS = (
    "Le classeur Excel (.xls) est illisible : il est peut-être protégé par un mot de passe "
    "ou endommagé."
)

# openpyxl warns about features it drops (data validation, default styles): harmless here.
warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\.")


def worksheet_rows(
    worksheet: Any, position: ReadPosition | None = None
) -> Iterator[tuple[int, Cells]]:
    declared = worksheet.max_row  # the sheet's <dimension>, only good for a progress bar
    if position is not None and isinstance(declared, int) and declared > 1:
        position.total = declared
    worksheet.reset_dimensions()  # some tools write a wrong <dimension>: trust the cells
    rows = worksheet.iter_rows(values_only=True)
    number = 0
    while True:
        try:
            row = next(rows, None)
        except Exception as exc:  # untrusted XML: any parser error means a damaged file
            raise FileRejectedError(
                f"Le classeur Excel est endommagé : la lecture s'arrête à la ligne {number + 1}."
            ) from exc
        if row is None:
            return
        number += 1
        if position is not None:
            position.done = number
        yield number, [excel_cell_text(value) for value in row]


def grid_rows(
    workbook: Any, sheet: str, position: ReadPosition | None = None
) -> Iterator[tuple[int, Cells]]:
    try:
        # The whole grid from A1, so that row numbers and columns match Excel's.
        rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except Exception as exc:
        raise FileRejectedError(DAMAGED_XLS) from exc
    if position is not None:
        position.total = len(rows)
    for number, row in enumerate(rows, start=1):
        if position is not None:
            position.done = number
        yield number, [excel_cell_text(value) for value in row]


@contextlib.contextmanager
def open_xlsx(path: Path) -> Iterator[Any]:
    # A file object, not the path: openpyxl refuses names not ending in .xlsx/.xlsm.
    with path.open("rb") as stream:
        try:
            workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types on a damaged archive
            raise FileRejectedError(DAMAGED_XLSX) from exc
        try:
            yield workbook
        finally:
            workbook.close()


@contextlib.contextmanager
def open_xls(path: Path) -> Iterator[Any]:
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:
        raise FileRejectedError(DAMAGED_XLS) from exc
    try:
        yield workbook
    finally:
        workbook.close()


def resolve_sheet(names: list[str], wanted: str | None) -> str:
    if not names:
        raise FileRejectedError("Le classeur ne contient aucune feuille de calcul.")
    if wanted is None:
        return names[0]
    if wanted in names:
        return wanted
    close = [name for name in names if name.strip().casefold() == wanted.strip().casefold()]
    if len(close) == 1:
        return close[0]
    raise FileRejectedError(
        f"La feuille « {wanted} » n'existe pas dans ce classeur (feuilles : {', '.join(names)})."
    )
