"""connectors.reading.ReadPosition: how far `iter_rows` has read, for the progress bar."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl

from connectors.reading import ReadPosition, iter_rows, open_table

XLS = Path(__file__).parent / "data" / "reading" / "reading_sample.xls"


def _fractions(path: Path, chunk_size: int, **kwargs) -> list[tuple[int, float | None]]:
    """(rows read so far, share of the file read) as each chunk is yielded."""
    position = ReadPosition()
    seen, rows = [], 0
    for chunk in iter_rows(open_table(path, **kwargs), chunk_size, position):
        rows += len(chunk)
        seen.append((rows, position.fraction))
    return seen


def test_fraction_by_hand():
    assert ReadPosition(done=50, total=200).fraction == 0.25
    assert ReadPosition(done=250, total=200).fraction == 1.0  # a wrong declared size
    assert ReadPosition(done=50).fraction is None
    assert ReadPosition(done=0, total=0).fraction is None
    position = ReadPosition(done=10, total=40, probe=lambda: 30)
    position.refresh()
    assert position.fraction == 0.75
    position.finish()
    assert (position.done, position.probe) == (40, None)


def test_csv_share_follows_the_bytes_read(tmp_path):
    # 4,000 rows of 100 bytes (8 + 1 + 90 + newline) after a 5-byte header: 400,005
    # bytes. The reader hands the decoder 8 KB blocks, so after 1,000 rows (100,005
    # bytes) at most 8,192 more bytes have been read: the share lies in
    # [100,005 / 400,005 = 0.25, (100,005 + 8,192) / 400,005 = 0.2705].
    path = tmp_path / "big.csv"
    path.write_bytes(b"A;B\r\n" + b"".join(b"%08d;%090d\n" % (n, n) for n in range(4000)))
    assert path.stat().st_size == 400_005
    seen = _fractions(path, 1000)
    assert [rows for rows, _ in seen] == [1000, 2000, 3000, 4000]
    for rows, fraction in seen[:3]:
        expected = (5 + 100 * rows) / 400_005
        assert expected <= fraction <= expected + 8192 / 400_005
    # The last chunk comes once the end of the file is seen: exactly 1.
    assert seen[-1] == (4000, 1.0)


def test_xlsx_share_counts_rows_of_the_declared_size(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["A", "B"])
    for number in range(1, 10):
        sheet.append([number, number * 2])
    path = tmp_path / "ten.xlsx"
    workbook.save(path)
    # Declared A1:B10: 10 rows. After 4 data rows the reader is on row 5 (5 / 10), then
    # 9 / 10, then the end (1.0).
    assert _fractions(path, 4) == [(4, 0.5), (8, 0.9), (9, 1.0)]


def test_xlsx_without_a_usable_size_counts_rows_only(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (["A", "B"], [1, 2], [3, 4]):
        sheet.append(row)
    good = tmp_path / "good.xlsx"
    workbook.save(good)
    with zipfile.ZipFile(good) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = re.sub(
        rb'<dimension ref="A1:B3" ?/>', b'<dimension ref="A1"/>', parts["xl/worksheets/sheet1.xml"]
    )
    wrong = tmp_path / "wrong.xlsx"
    with zipfile.ZipFile(wrong, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    # "A1" declares one row: no total, so no share until the end... and none at the end.
    assert _fractions(wrong, 1) == [(1, None), (2, None)]


def test_xls_share_counts_rows_of_the_sheet():
    # The "Suivi" sheet of the fixture: a grid of 4 rows (header, row 2, empty row 3,
    # row 4); data rows on lines 2 and 4. Chunks of one row: 2 / 4, then the end.
    assert _fractions(XLS, 1, sheet="Suivi") == [(1, 0.5), (2, 1.0)]
