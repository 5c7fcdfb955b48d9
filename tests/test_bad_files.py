"""The bad-file corpus (tests/data/bad/) through the real import path, on both databases.

Each file of the corpus has an entry in tests/data/bad/manifest.toml saying what is wrong
with it and what the import must answer: the whole file refused with a French message,
or its bad rows kept in quarantine with their reasons, or hostile text loaded as text.

"Unchanged" is checked on every table, row by row: a refused file leaves every table as
it was except the bookkeeping `run_import` writes by design (dashboard/imports.py: a
refused file is recorded as one `failed` import batch carrying the message, plus the
rejected rows it read, kept in `quarantined_row`; "lose nothing").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
import tomllib
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from dashboard import create_app
from dashboard.db import make_engine, make_session_factory
from dashboard.imports import ImportReport, run_import
from dashboard.models import ImportBatch, QuarantinedRow, Role
from dashboard.models.base import Base
from dashboard.territories import add_territory
from tests.api_support import assert_error, make_cast

BAD = Path(__file__).parent / "data" / "bad"
SAMPLE_SOLIS = Path(__file__).parent / "data" / "samples" / "solis_beneficiaires.csv"
MANIFEST = tomllib.loads((BAD / "manifest.toml").read_text(encoding="utf-8"))["file"]
ENTRIES = {entry["name"]: entry for entry in MANIFEST}
NOT_CORPUS = {"manifest.toml", "README.md", "make_corpus.py", "__pycache__"}
TERRITORY = "35-REDON"
EXTRACTED_ON = dt.date(2024, 7, 1)
KEY = "cle-de-pseudonymisation-de-test"
# What run_import writes for a refused file, by design (see the module docstring).
BOOKKEEPING = {"import_batch", "quarantined_row"}
OUTCOMES = {"refused", "rows_rejected", "loaded"}

Snapshot = dict[str, tuple[int, str, list[tuple]]]


# --- generated files (too big to commit) ------------------------------------------------------


def _solis_lines(*rows: str) -> bytes:
    from tests.data.bad.make_corpus import SOLIS_HEADER

    return ("\r\n".join([SOLIS_HEADER, *rows]) + "\r\n").encode("cp1252")


def _long_cells(path: Path) -> None:
    from tests.data.bad.make_corpus import SOLIS_ROWS, solis_row

    long = "x" * 100_000
    path.write_bytes(
        _solis_lines(
            SOLIS_ROWS[1],
            solis_row(Site=long),
            solis_row(Référent=long).replace("6626571", "1111118", 1),
            solis_row(**{"Date orientation": long}).replace("6626571", "1111119", 1),
        )
    )


def _zip_bomb(path: Path) -> None:
    """A sheet of 1.1 GiB of zeros (a few MB deflated), written streaming."""
    block = b"0" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(b"<worksheet><sheetData><row><c><v>")
            for _ in range(1100):
                part.write(block)


def _over_200_mb(path: Path) -> None:
    """201 MiB of true CSV rows (the size check comes before reading, the checksum reads
    it all in 1 MiB blocks): written block by block, never held in memory."""
    from tests.data.bad.make_corpus import SOLIS_ROWS

    block = (("\r\n".join(SOLIS_ROWS) + "\r\n") * 2000).encode("cp1252")
    with path.open("wb") as handle:
        handle.write(_solis_lines())
        while handle.tell() < 201 * 1024 * 1024:
            handle.write(block)


GENERATORS: dict[str, Callable[[Path], None]] = {
    "long_cells": _long_cells,
    "zip_bomb": _zip_bomb,
    "over_200_mb": _over_200_mb,
}
SLOW_GENERATED = {"zip_bomb", "over_200_mb"}


# --- database helpers -------------------------------------------------------------------------


def snapshot(engine: Engine) -> Snapshot:
    """Every table: its row count, a hash of its content, and the rows themselves."""
    result: Snapshot = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            rows = [
                tuple(row)
                for row in connection.execute(
                    select(table).order_by(*table.primary_key.columns)
                ).all()
            ]
            digest = hashlib.sha256(repr(rows).encode()).hexdigest()
            result[table.name] = (len(rows), digest, rows)
    return result


def _summary(shot: Snapshot, tables: set[str] | None = None) -> dict[str, tuple[int, str]]:
    return {
        name: (count, digest)
        for name, (count, digest, _) in shot.items()
        if tables is None or name in tables
    }


def _facts(shot: Snapshot) -> set[str]:
    return set(shot) - BOOKKEEPING


def _import(factory: sessionmaker[Session], source: str, path: Path) -> ImportReport:
    return run_import(
        factory, source, path, TERRITORY, pseudonym_key=KEY, extracted_on=EXTRACTED_ON
    )


def _corpus_path(entry: dict, tmp_path: Path) -> Path:
    if "generated" in entry:
        path = tmp_path / entry["name"]
        GENERATORS[entry["generated"]](path)
        return path
    return BAD / entry["name"]


def check_import(engine: Engine, factory: sessionmaker[Session], entry: dict, path: Path) -> None:
    """Import one corpus file and check the manifest's expectation and the database."""
    before = snapshot(engine)
    report = _import(factory, entry["source"], path)
    after = snapshot(engine)
    name = entry["name"]
    with factory() as db:
        batch = db.get(ImportBatch, report.batch_id)
        kept = db.scalars(
            select(QuarantinedRow)
            .where(QuarantinedRow.batch_id == report.batch_id)
            .order_by(QuarantinedRow.row_number, QuarantinedRow.id)
        ).all()
        reasons: dict[int, list[str]] = {}
        for row in kept:
            reasons.setdefault(row.row_number, []).extend(row.reasons)
            # The row itself is kept too (lose nothing), not only its reasons.
            assert row.raw_values, name
    expected_rows = {item["row"] for item in entry.get("rejected", [])}
    assert set(reasons) == expected_rows, (name, reasons)
    for item in entry.get("rejected", []):
        assert any(item["reason"] in reason for reason in reasons[item["row"]]), (
            name,
            item,
            reasons,
        )
    # Exactly one new batch each time, whatever the outcome.
    assert after["import_batch"][0] == before["import_batch"][0] + 1, name
    assert after["quarantined_row"][0] - before["quarantined_row"][0] == len(kept), name
    if entry["outcome"] == "refused":
        assert (report.status, report.message) == ("failed", entry["message"]), name
        assert (batch.status.value, batch.message, batch.rows_loaded) == (
            "failed",
            entry["message"],
            0,
        )
        assert report.created == report.updated == 0
        facts = _facts(before)
        assert _summary(after, facts) == _summary(before, facts), f"{name}: database changed"
        return
    assert report.status == "loaded" and report.message is None, (name, report.message)
    assert batch.status.value == "loaded"
    assert report.rows_read - report.quarantined == entry["accepted"], name
    assert report.quarantined == len(expected_rows), name
    if entry["outcome"] == "loaded":
        content = repr([after[table][2] for table in sorted(_facts(after))])
        for text in entry.get("kept_text", []):
            assert repr(text)[1:-1] in content, (name, text)


# --- the manifest itself ----------------------------------------------------------------------


def test_every_corpus_file_has_an_expectation_and_every_expectation_a_file() -> None:
    on_disk = {path.name for path in BAD.iterdir()} - NOT_CORPUS
    committed = {entry["name"] for entry in MANIFEST if "generated" not in entry}
    assert on_disk == committed
    generated = {entry["generated"] for entry in MANIFEST if "generated" in entry}
    assert generated == set(GENERATORS)
    assert len(MANIFEST) == len(ENTRIES) >= 30


@pytest.mark.parametrize("entry", MANIFEST, ids=[entry["name"] for entry in MANIFEST])
def test_manifest_entries_are_complete(entry: dict) -> None:
    from dashboard.imports import CONNECTORS

    assert entry["source"] in CONNECTORS and entry["outcome"] in OUTCOMES
    assert entry["problem"].strip()
    if entry["outcome"] == "refused":
        assert entry["message"].strip()
    else:
        assert "message" not in entry and entry["accepted"] >= 1
    if entry["outcome"] == "rows_rejected":
        assert entry["rejected"]
    if "generated" not in entry:
        assert (BAD / entry["name"]).stat().st_size < 100 * 1024


def test_the_corpus_is_what_make_corpus_writes() -> None:
    """The committed files are those the script writes (xlsx files carry a timestamp)."""
    from tests.data.bad.make_corpus import corpus

    for name, body in corpus().items():
        if not name.endswith(".xlsx"):
            assert (BAD / name).read_bytes() == body, name


# --- every file, on SQLite and PostgreSQL -----------------------------------------------------

SMALL = [entry for entry in MANIFEST if entry.get("generated") not in SLOW_GENERATED]


@pytest.mark.parametrize("entry", SMALL, ids=[entry["name"] for entry in SMALL])
def test_bad_file_on_sqlite(entry: dict, sqlite_template: Path, tmp_path: Path) -> None:
    database = tmp_path / "pilotage.sqlite3"
    shutil.copyfile(sqlite_template, database)
    engine = make_engine(f"sqlite:///{database}")
    try:
        factory = _loaded(engine)
        check_import(engine, factory, entry, _corpus_path(entry, tmp_path))
    finally:
        engine.dispose()


def _loaded(engine: Engine) -> sessionmaker[Session]:
    factory = make_session_factory(engine)
    with factory() as db:
        add_territory(db, TERRITORY, name="Pays de Redon", departement="35")
        db.commit()
    report = _import(factory, "solis", SAMPLE_SOLIS)
    assert (report.status, report.created) == ("loaded", 19), report.message
    return factory


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_whole_corpus_on_postgresql(engine: Engine, tmp_path: Path) -> None:
    """One database for the whole small corpus (a fresh one per file costs ~0.3 s each):
    each file is checked against the state the previous ones left."""
    factory = _loaded(engine)
    for entry in SMALL:
        check_import(engine, factory, entry, _corpus_path(entry, tmp_path))


@pytest.mark.slow
@pytest.mark.parametrize("generated", sorted(SLOW_GENERATED))
def test_big_generated_files_are_refused_in_bounded_memory(
    generated: str, sqlite_template: Path, tmp_path: Path
) -> None:
    (entry,) = [item for item in MANIFEST if item.get("generated") == generated]
    database = tmp_path / "pilotage.sqlite3"
    shutil.copyfile(sqlite_template, database)
    engine = make_engine(f"sqlite:///{database}")
    try:
        factory = _loaded(engine)
        path = _corpus_path(entry, tmp_path)
        tracemalloc.start()
        try:
            check_import(engine, factory, entry, path)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        # The file is 200 MB or inflates to 1.1 GB; the refusal holds at most a few MB
        # (1 MiB checksum blocks, the 64 KB sniffing sample, the snapshots).
        assert peak < 32 * 1024 * 1024, peak
    finally:
        engine.dispose()
        for item in tmp_path.iterdir():
            if item.is_file():
                item.unlink()


# --- the CLI and the web paths ----------------------------------------------------------------


# The CLI and the API add nothing backend-specific to run_import (run on both above):
# SQLite only here, to keep the module fast.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    "name", ["solis_bom_cp1252_mix.csv", "solis_billion_laughs.xlsx", "solis_header_only.csv"]
)
def test_cli_prints_the_french_message_and_changes_nothing(redon_cli, engine, name: str) -> None:
    entry = ENTRIES[name]
    before = snapshot(engine)
    code, out, err = redon_cli(
        "import", "solis", str(BAD / name), "--territory", TERRITORY, "--extracted-on", "2024-07-01"
    )
    assert code != 0
    assert entry["message"] in out + err
    assert "Traceback" not in out + err
    after = snapshot(engine)
    facts = _facts(before) - {"audit_log"}
    assert _summary(after, facts) == _summary(before, facts)


def _api_post(client, headers, content: bytes, name: str, source: str):
    data = {"source": source, "file": (io.BytesIO(content), name), "extracted_on": "2024-07-01"}
    return client.post(
        "/api/v1/imports", data=data, headers=headers, content_type="multipart/form-data"
    )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    "name",
    [
        "solis_binary_renamed.csv",
        "solis_png_renamed.xlsx",
        "solis_duplicate_header.csv",
        "solis_external_entity.xlsx",
        "rdv_all_formulas.csv",
    ],
)
def test_api_refuses_bad_files_with_a_422_in_french(client, engine, db_session, name) -> None:
    entry = ENTRIES[name]
    cast = make_cast(db_session)
    before = snapshot(engine)
    response = _api_post(
        client, cast.bearer("redon.admin"), (BAD / name).read_bytes(), name, entry["source"]
    )
    error = assert_error(response, 422, "import_refuse")
    assert error["message"] == entry["message"]
    after = snapshot(engine)
    facts = _facts(before) - {"audit_log", "api_token"}
    assert _summary(after, facts) == _summary(before, facts)


def test_api_keeps_rejected_rows_with_their_reason(client, engine, db_session) -> None:
    name = "solis_formulas.csv"
    cast = make_cast(db_session)
    headers = cast.bearer("redon.admin")
    response = _api_post(client, headers, (BAD / name).read_bytes(), name, "solis")
    assert response.status_code == 201, response.get_json()
    report = response.get_json()
    # 5 rows: the Martin row loads, the 4 formula rows are rejected (manifest).
    assert (report["rows_read"], report["created"], report["quarantined"]) == (5, 1, 4)
    detail = client.get(f"/api/v1/imports/{report['batch_id']}", headers=headers).get_json()
    text = repr(detail)
    assert "@SUM(A1)" in text and "date illisible" in text


class _LazyBody(io.RawIOBase):
    """A seekable request body of `size` bytes, made up as it is read (never held whole):
    `prefix`, then "1;2" lines."""

    LINE = b"1;2\r\n"

    def __init__(self, size: int, prefix: bytes) -> None:
        self.size, self.prefix, self.position = size, prefix, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = max(0, min(self.size, base + offset))
        return self.position

    def readinto(self, buffer) -> int:  # noqa: ANN001
        count = min(len(buffer), self.size - self.position)
        start = self.position
        head = self.prefix[start : start + count]
        body_start = max(0, start - len(self.prefix))
        lines = self.LINE * ((count - len(head)) // len(self.LINE) + 2)
        skip = body_start % len(self.LINE)
        buffer[:count] = head + lines[skip : skip + count - len(head)]
        self.position += count
        return count


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_api_upload_over_the_limit_is_a_413_in_french_in_flat_memory(settings, db_session):
    """PILOTAGE_MAX_UPLOAD_MB=1 and a 50 MB body: refused from its Content-Length."""
    app = create_app(settings.with_overrides(max_upload_mb=1))
    try:
        cast = make_cast(db_session)
        client = app.server.test_client()
        size = 50 * 1024 * 1024
        boundary = "frontiere"
        prefix = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="source"\r\n\r\nsolis\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="gros.csv"'
            "\r\nContent-Type: text/csv\r\n\r\na;b\r\n"
        ).encode()
        tracemalloc.start()
        try:
            response = client.post(
                "/api/v1/imports",
                input_stream=_LazyBody(size, prefix),
                headers={**cast.bearer("redon.admin"), "Content-Length": str(size)},
                content_type=f"multipart/form-data; boundary={boundary}",
            )
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        error = assert_error(response, 413, "fichier_trop_volumineux")
        assert error["message"] == "Le fichier envoyé dépasse la taille autorisée (1 Mo)."
        assert peak < 5 * 1024 * 1024, peak  # nowhere near the 50 MB sent
        assert db_session.scalar(select(func.count()).select_from(ImportBatch)) == 0
    finally:
        app.server.extensions["pilotage"].engine.dispose()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_web_upload_path_refuses_in_french(settings, engine) -> None:
    """dashboard.web_upload.import_upload (the imports page's callback) on corpus files."""
    import base64

    from dashboard.auth import SessionUser
    from dashboard.web_upload import UploadRefusedError, import_upload

    factory = _loaded(engine)
    actor = SessionUser(
        user_id=None,
        login="admin",
        role=Role.ADMIN,
        territory_id=0,
        territory_code=TERRITORY,
        territory_name="Pays de Redon",
        session_epoch=0,
    )
    for name in ("solis_utf16_no_bom.csv", "solis_truncated.xlsx", "solis_empty.csv"):
        entry = ENTRIES[name]
        before = snapshot(engine)
        body = (BAD / name).read_bytes()
        contents = "data:application/octet-stream;base64," + base64.b64encode(body).decode()
        try:
            report = import_upload(
                factory,
                settings.instance_dir,
                actor,
                TERRITORY,
                source="solis",
                contents=contents,
                file_name=name,
                pseudonym_key=KEY,
                limit=1024 * 1024,
                extracted_on=EXTRACTED_ON,
            )
            message = report.message
        except UploadRefusedError as error:  # an empty upload stops before run_import
            message = str(error)
        assert message == entry["message"], name
        after = snapshot(engine)
        facts = _facts(before) - {"audit_log"}
        assert _summary(after, facts) == _summary(before, facts), name
    # Nothing of the uploads is left on disk.
    assert not any((settings.instance_dir / "uploads").iterdir())


@pytest.mark.slow
def test_a_million_rows_stream_in_bounded_memory(tmp_path: Path) -> None:
    """1,000,000 SOLIS rows (44 MB): read in 10,000-row chunks, never held whole.

    The whole import of such a file takes minutes (about 17 s per 100,000 rows on SQLite
    on the test machine), too long for the suite; there is no row-count limit, only the
    200 MB size limit tested above. This checks what makes the import memory-safe: the
    reading layer streams, and a chunk is all it holds."""
    from connectors.reading import iter_rows, open_table

    path = tmp_path / "solis_1m.csv"
    with path.open("w", encoding="cp1252", newline="") as handle:
        handle.write("N° allocataire;Date de naissance;Site;Date ouverture droits\r\n")
        for index in range(1_000_000):
            handle.write(f"{1_000_000 + index};01/01/1980;CDAS Redon;01/02/2024\r\n")
    baseline = _resident_bytes()
    rows = chunks = growth = 0
    for chunk in iter_rows(open_table(path), chunk_size=10_000):
        rows += len(chunk)
        chunks += 1
        last = chunk[-1]
        growth = max(growth, _resident_bytes() - baseline)
    assert (rows, chunks) == (1_000_000, 100)
    # Line 1 is the header, so the millionth data row is line 1,000,001.
    assert (last["__row__"], last["N° allocataire"]) == (1_000_001, "1999999")
    # One chunk of 10,000 small dicts is a few MB; the file is 44 MB (and ~400 MB as
    # Python dicts if it were held whole).
    assert growth < 40 * 1024 * 1024, growth


def _resident_bytes() -> int:
    """This process's resident memory now (Linux), cheaper to sample than tracemalloc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("VmRSS absent de /proc/self/status")
