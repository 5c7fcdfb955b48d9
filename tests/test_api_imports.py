"""POST /api/v1/imports (the CLI's import path), GET /imports and GET /imports/{id}."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from dashboard import create_app
from dashboard.models import AuditLog, ImportBatch, QuarantinedRow
from tests.api_support import assert_error, make_cast

SOLIS = Path(__file__).parent / "data" / "samples" / "solis_beneficiaires.csv"
IMPORTS = "/api/v1/imports"


@pytest.fixture
def cast(db_session):
    return make_cast(db_session)


def _post(client, headers, content: bytes, name: str = "solis_2024-07-01.csv", **fields):
    data = {"source": "solis", "file": (io.BytesIO(content), name), **fields}
    return client.post(IMPORTS, data=data, headers=headers, content_type="multipart/form-data")


def _batches(db) -> int:
    return db.scalar(select(func.count()).select_from(ImportBatch))


def test_post_the_sample_then_read_its_batch_and_quarantine(client, db_session, cast):
    headers = cast.bearer("redon.admin")
    response = _post(client, headers, SOLIS.read_bytes())
    assert response.status_code == 201, response.get_json()
    report = response.get_json()
    # The sample: 20 rows, one with an impossible orientation date (31/02/2024) rejected,
    # 19 people created; the extraction date comes from the file name.
    assert (report["status"], report["rows_read"], report["created"], report["quarantined"]) == (
        "loaded",
        20,
        19,
        1,
    )
    assert report["extracted_on"] == "2024-07-01"
    batch_id = report["batch_id"]

    listing = client.get(IMPORTS, headers=headers).get_json()
    assert listing["territory"] == "35-REDON"
    assert [batch["id"] for batch in listing["batches"]] == [batch_id]
    assert listing["batches"][0]["rows_quarantined"] == 1

    detail = client.get(f"{IMPORTS}/{batch_id}", headers=headers)
    assert detail.status_code == 200
    body = detail.get_json()
    stored = db_session.scalars(select(QuarantinedRow).where(QuarantinedRow.batch_id == batch_id))
    (row,) = list(stored)
    assert body["quarantine"]["rows"] == 1
    assert body["quarantine"]["reasons"] == [{"reason": row.reasons[0], "rows": 1}]
    assert row.reasons == ["Date orientation : date impossible : 31/02/2024"]
    sample = body["quarantine"]["sample"][0]
    assert (sample["row_number"], sample["reasons"]) == (row.row_number, row.reasons)
    # Identifying columns stay hidden in the API as in the database.
    assert "Durand" not in detail.get_data(as_text=True)
    assert sample["values"]["Nom"] == "(pseudonymisé)"
    # The batch is recorded as the token's user's.
    assert db_session.get(ImportBatch, batch_id).user_id == cast.users["redon.admin"]


def test_the_same_file_again_is_a_no_op(client, db_session, cast):
    headers = cast.bearer("redon.admin")
    assert _post(client, headers, SOLIS.read_bytes()).status_code == 201
    again = _post(client, headers, SOLIS.read_bytes())
    assert again.status_code == 200 and again.get_json()["status"] == "unchanged"


def test_an_import_refreshes_the_indicators_at_once(client, cast):
    headers = cast.bearer("redon.admin")
    url = "/api/v1/indicators?from=2024-01&to=2024-06&as_of=2024-07-01&indicators=nouveaux_entrants"
    before = client.get(url, headers=headers).get_json()["indicators"][0]["value"]
    assert _post(client, headers, SOLIS.read_bytes()).status_code == 201
    after = client.get(url, headers=headers).get_json()["indicators"][0]["value"]
    # Nobody before; after, the sample's entrants of January-June (same figure as the CLI's,
    # see tests/test_api_indicators.py): at least one, so the cache was refreshed.
    assert before == 0 and after > 0


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (b"", "vide.csv", "vide"),
        (b"\x00\x01\x02binaire" * 50, "binaire.csv", "fichier"),
        (
            "N° allocataire;NIR;Date ouverture droits;Date orientation\n"
            "123;1040635257392 18;25/02/2024;31/02/2024\n".encode(),
            "une_ligne.csv",
            "Colonne obligatoire absente",
        ),
    ],
)
def test_a_file_that_cannot_be_imported_answers_422_with_the_reason(
    client, db_session, cast, content, name, words
):
    response = _post(client, cast.bearer("redon.admin"), content, name)
    error = assert_error(response, 422, "import_refuse")
    assert words in error["message"]
    report = error["details"]["report"]
    assert report["status"] == "failed" and report["message"] == error["message"]
    # The failed attempt is recorded as a failed batch; nothing else was loaded.
    batch = db_session.get(ImportBatch, report["batch_id"])
    assert batch.status.value == "failed" and batch.rows_loaded == 0


@pytest.mark.parametrize(
    ("fields", "parameter"),
    [
        ({"source": "inconnue"}, "source"),
        ({"strict": "peut-etre"}, "strict"),
        ({"year": "1999"}, "year"),
        ({"extracted_on": "01/07/2024"}, "extracted_on"),
        ({"couleur": "bleu"}, "couleur"),
    ],
)
def test_bad_form_fields_are_named(client, cast, fields, parameter):
    response = _post(client, cast.bearer("redon.admin"), SOLIS.read_bytes(), **fields)
    assert_error(response, 400, "parametre_invalide", parameter)


def test_without_multipart_or_file(client, cast):
    headers = cast.bearer("redon.admin")
    assert_error(client.post(IMPORTS, json={"source": "solis"}, headers=headers), 400, None, "file")
    response = client.post(
        IMPORTS, data={"source": "solis"}, headers=headers, content_type="multipart/form-data"
    )
    assert_error(response, 400, "parametre_invalide", "file")


def test_over_the_size_limit_is_a_413_and_nothing_is_read(settings, db_session):
    app = create_app(settings.with_overrides(max_upload_mb=1))
    try:
        cast = make_cast(db_session)
        client = app.server.test_client()
        # 1 Mo = 1,048,576 bytes; 1.5 MB of CSV plus the multipart wrapping is above it.
        big = b"a;b\n" + b"1;2\n" * (1_500_000 // 4)
        # Encoded in memory (the test client would spool it to a file the refused request
        # never reads, hence never closes).
        stream, length, boundary = stream_encode_multipart(
            {"source": "solis", "file": FileStorage(io.BytesIO(big), "gros.csv")},
            threshold=10 * len(big),
        )
        response = client.post(
            IMPORTS,
            data=stream.read(),
            headers=cast.bearer("redon.admin"),
            content_type=f"multipart/form-data; boundary={boundary}",
        )
        assert length > 1024 * 1024
        error = assert_error(response, 413, "fichier_trop_volumineux")
        assert "1 Mo" in error["message"]
        assert _batches(db_session) == 0
        # The call is in the audit log with its status.
        statuses = db_session.scalars(
            select(AuditLog.details).where(AuditLog.action == "api")
        ).all()
        assert [entry["status"] for entry in statuses] == [413]
    finally:
        app.server.extensions["pilotage"].engine.dispose()


def test_another_territorys_batch_answers_like_a_missing_one(client, db_session, cast):
    response = _post(client, cast.bearer("mars.admin"), SOLIS.read_bytes())
    batch_id = response.get_json()["batch_id"]
    headers = cast.bearer("redon.admin")
    foreign = client.get(f"{IMPORTS}/{batch_id}", headers=headers)
    assert_error(foreign, 404, "introuvable")
    missing = client.get(f"{IMPORTS}/{batch_id + 1000}", headers=headers)
    assert foreign.get_json()["error"]["code"] == missing.get_json()["error"]["code"]
    # An admin may import for another territory only if it is in their scope.
    refused = _post(client, headers, SOLIS.read_bytes(), territory="13-MARS")
    assert_error(refused, 403, "hors_perimetre")
