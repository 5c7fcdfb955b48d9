"""The imports page's callbacks, posted like the browser: upload, history, quarantine editor."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dashboard import create_app
from dashboard.db import make_session_factory
from dashboard.imports import run_import
from dashboard.models import AuditLog, Beneficiary, ImportBatch, QuarantinedRow, Role
from dashboard.web_upload import upload_limit
from tests.dash_post import call, find_callback, prop_id, response_of, text_of
from tests.helpers import log_in, make_territory, make_user

SAMPLES = Path(__file__).parent / "data" / "samples"
SOLIS = SAMPLES / "solis_beneficiaires.csv"


@pytest.fixture
def redon(db_session):
    make_territory(db_session, "35-REDON", "Pays de Redon")
    make_territory(db_session, "75-PARIS", "Paris")
    admin = make_user(db_session, "redon.admin", Role.ADMIN, "35-REDON")
    make_user(db_session, "redon.comop", Role.COMOP, "35-REDON")
    make_user(db_session, "paris.admin", Role.ADMIN, "75-PARIS")
    db_session.commit()
    return admin


def _data_url(path: Path) -> str:
    return "data:text/csv;base64," + base64.b64encode(path.read_bytes()).decode()


def _upload(client, file_name: str, source: str = "solis", contents: str | None = None, **extra):
    values = {
        "imports-upload.contents": contents or _data_url(SOLIS),
        "imports-upload.filename": file_name,
        "imports-source.value": source,
        "imports-extracted-on.value": extra.get("extracted_on"),
        "imports-options.value": extra.get("options", []),
        "frame-url.search": "",
        "imports-refresh.data": 0,
    }
    return call(client, "imports-report", values, ["imports-upload.contents"])


def _page(client, source: str = "") -> dict:
    values = {"frame-url.search": "", "imports-filter-source.value": source}
    return response_of(call(client, "imports-page-error", values, ["frame-url.search"]))


def _edit(client, trigger: str, row_id: int | None, fields: list | None = None):
    open_key = {"type": "quarantine-open", "row": row_id}
    values = {
        "quarantine-open.n_clicks": [(open_key, 1 if trigger == "open" else 0)],
        "imports-correct.n_clicks": 1 if trigger == "correct" else 0,
        "imports-discard-confirm.submit_n_clicks": 1 if trigger == "discard" else 0,
        "frame-url.search": "",
        "imports-editor-row.data": row_id,
        "quarantine-field.value": fields or [],
        "imports-refresh.data": 0,
    }
    changed = {
        "open": prop_id(open_key, "n_clicks"),
        "correct": "imports-correct.n_clicks",
        # The discard is the confirmation's OK (« Écarter la ligne » only asks).
        "discard": "imports-discard-confirm.submit_n_clicks",
    }[trigger]
    return call(client, "imports-editor", values, [changed])


def _ask_discard(client, row_id: int | None):
    """« Écarter la ligne » clicked: the callback that asks for a confirmation."""
    values = {
        "imports-discard.n_clicks": 1,
        "frame-url.search": "",
        "imports-editor-row.data": row_id,
    }
    return call(client, "imports-discard-confirm", values, ["imports-discard.n_clicks"])


def _editor_message(body: dict) -> str:
    """The editor message of an answer (its output id may carry allow_duplicate's suffix)."""
    return text_of(body["imports-editor-message"]["children"])


def test_upload_imports_for_the_admin_territory_and_cleans_up(client, redon, db_session, settings):
    log_in(client, "redon.admin")
    body = response_of(_upload(client, "C:\\exports\\solis_2024-07-01.csv"))
    report = text_of(body["imports-report"]["children"])
    # The sample: 20 rows, 19 people created, 1 row rejected (31/02/2024).
    assert "Import réussi : solis_2024-07-01.csv (SOLIS)" in report
    assert "Lignes lues 20" in report and "Créations (personnes) 19" in report
    assert "Lignes rejetées 1" in report and "Données au 01/07/2024" in report
    batch = db_session.scalar(select(ImportBatch))
    # The batch belongs to the logged-in administrator; the date came from the name.
    assert (batch.user_id, batch.file_name, batch.extracted_on, batch.rows_loaded) == (
        redon.id, "solis_2024-07-01.csv", dt.date(2024, 7, 1), 19,
    )  # fmt: skip
    assert list((settings.instance_dir / "uploads").iterdir()) == []
    log = db_session.scalar(select(AuditLog).where(AuditLog.action == "import"))
    assert (log.user_id, log.details["batch_id"], log.details["rows_read"]) == (redon.id, 1, 20)
    # The upload component is emptied so that the same file can be sent again.
    assert body["imports-upload"]["contents"] is None


def test_dry_run_writes_nothing(client, redon, db_session):
    log_in(client, "redon.admin")
    body = response_of(_upload(client, "solis.csv", extracted_on="2024-07-01", options=["dry_run"]))
    assert "Simulation : rien n'a été enregistré." in text_of(body["imports-report"]["children"])
    assert db_session.scalar(select(func.count()).select_from(ImportBatch)) == 0
    assert db_session.scalar(select(func.count()).select_from(Beneficiary)) == 0


def test_size_limit_is_checked_before_decoding(settings, engine, redon, db_session):
    app = create_app(settings.with_overrides(max_upload_mb=1))
    client = app.server.test_client()
    log_in(client, "redon.admin")
    limit = upload_limit(1, app.server.config.get("MAX_CONTENT_LENGTH"))
    assert 0 < limit <= 1024 * 1024  # PILOTAGE_MAX_UPLOAD_MB=1, or less under Flask's limit
    # "QUJD" is "ABC": this decodes to 3 * (limit // 3 + 2) bytes, over the limit.
    over = "data:text/csv;base64," + "QUJD" * (limit // 3 + 2)
    body = response_of(_upload(client, "solis.csv", contents=over))
    assert "Le fichier dépasse la taille autorisée" in text_of(body["imports-report"]["children"])
    assert db_session.scalar(select(func.count()).select_from(ImportBatch)) == 0
    # Flask's MAX_CONTENT_LENGTH refuses the whole POST before any callback runs.
    app.server.config["MAX_CONTENT_LENGTH"] = 2048
    assert _upload(client, "solis.csv").status_code == 413
    app.server.extensions["pilotage"].engine.dispose()


def test_bad_uploads_are_refused_in_french(client, redon, db_session):
    log_in(client, "redon.admin")
    cases = [
        ({"source": "inconnue"}, "Choisissez la source"),
        ({"contents": "data:text/csv;base64,@@@"}, "Fichier illisible"),
        ({"contents": "file:///etc/passwd"}, "Fichier illisible"),
        ({"extracted_on": "31/02/2024"}, "Date d'extraction illisible"),
    ]
    for changes, message in cases:
        body = response_of(_upload(client, "solis.csv", **changes))
        assert message in text_of(body["imports-report"]["children"])
    assert db_session.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_other_roles_are_refused(client, redon):
    log_in(client, "redon.comop")
    assert _upload(client, "solis.csv").status_code == 403
    values = {"frame-url.search": "", "imports-filter-source.value": ""}
    assert call(client, "imports-page-error", values, ["frame-url.search"]).status_code == 403


@pytest.fixture
def imported(redon, engine, settings):
    """The SOLIS sample imported for 35-REDON by the command line's function."""
    run_import(
        make_session_factory(engine), "solis", SOLIS, "35-REDON",
        pseudonym_key=settings.pseudonym_key, extracted_on=dt.date(2024, 7, 1),
    )  # fmt: skip
    return redon


def test_page_shows_history_quarantine_and_freshness(client, imported):
    log_in(client, "redon.admin")
    body = _page(client)
    history = text_of(body["imports-history"]["children"])
    assert "solis_beneficiaires.csv" in history and "Chargé" in history
    assert "commande ou tâche planifiée" in history  # imported without a user
    quarantine = text_of(body["imports-quarantine"]["children"])
    assert "1 ligne(s) en attente." in quarantine
    assert "Date orientation : date impossible : 31/02/2024" in quarantine
    assert "01/07/2024" in text_of(body["imports-freshness"]["children"])
    # Only SOLIS data: nobody is known to a second source yet (0 of 19).
    match = call(client, "imports-match", {"frame-url.search": ""}, ["frame-url.search"])
    assert "SOLIS 19 0 0 %" in text_of(response_of(match)["imports-match"]["children"])
    assert "Aucune colonne inconnue" in text_of(body["imports-unknown-columns"]["children"])
    # Filtered on another source: empty states in words.
    other = _page(client, "rdv")
    assert "Aucun lot importé pour cette sélection." in text_of(
        other["imports-history"]["children"]
    )
    assert "la quarantaine est vide" in text_of(other["imports-quarantine"]["children"])


def test_quarantine_row_corrected_through_the_editor(client, imported, db_session):
    log_in(client, "redon.admin")
    row = db_session.scalar(select(QuarantinedRow))
    opened = response_of(_edit(client, "open", row.id))
    fields = opened["imports-editor-fields"]["children"]
    assert "Date orientation : date impossible : 31/02/2024" in text_of(fields)
    assert opened["imports-editor"]["hidden"] is False
    # Every input of the form, the date corrected and the identifiers re-entered.
    corrections = {
        "Date orientation": "28/02/2024",
        "NIR": "1630435180260 22",
        "N° allocataire": "9324402",
        "Date de naissance": "11/04/1963",
    }
    values = []
    for field in _inputs(fields):
        header, key, value = field
        values.append((key, corrections.get(header, value)))
    result = response_of(_edit(client, "correct", row.id, values))
    assert "Ligne corrigée et chargée" in text_of(result["imports-editor-message"]["children"])
    db_session.expire_all()
    assert db_session.get(QuarantinedRow, row.id).status == "corrected"
    assert db_session.scalar(select(func.count()).select_from(Beneficiary)) == 20
    again = response_of(_edit(client, "discard", row.id))
    assert "déjà été corrigée ou écartée" in text_of(again["imports-editor-message"]["children"])


def _inputs(tree) -> list[tuple[str, dict, str]]:
    """(header, input id, value) of each field of the serialised editor form."""
    found = []

    def walk(node, header=None):
        if isinstance(node, list):
            for item in node:
                walk(item, header)
        elif isinstance(node, dict):
            props = node.get("props", {})
            if node.get("type") == "Span" and "editor-label" in str(props.get("className")):
                return
            if node.get("type") == "Label":
                children = props["children"]
                walk(children, children[0]["props"]["children"])
                return
            if node.get("type") == "Input" and isinstance(props.get("id"), dict):
                found.append((header, props["id"], props.get("value")))
            walk(props.get("children"), header)

    walk(tree)
    return found


def test_forged_rows_of_another_territory_are_refused(client, imported, db_session):
    row = db_session.scalar(select(QuarantinedRow))
    log_in(client, "paris.admin")
    for trigger in ("open", "discard"):
        body = response_of(_edit(client, trigger, row.id))
        assert "Ligne inconnue ou hors de votre territoire." in text_of(
            body["imports-editor-message"]["children"]
        )
    asked = response_of(_ask_discard(client, row.id))
    assert asked["imports-discard-confirm"]["displayed"] is False
    assert "Ligne inconnue ou hors de votre territoire." in _editor_message(asked)
    assert "la quarantaine est vide" in text_of(_page(client)["imports-quarantine"]["children"])
    db_session.expire_all()
    assert db_session.get(QuarantinedRow, row.id).status == "pending"


def test_discard_asks_first_and_happens_only_once_confirmed(client, imported, db_session):
    log_in(client, "redon.admin")
    row = db_session.scalar(select(QuarantinedRow))
    batch = db_session.get(ImportBatch, row.batch_id)
    # The click on « Écarter la ligne »: a question naming the row, nothing written.
    asked = response_of(_ask_discard(client, row.id))
    dialog = asked["imports-discard-confirm"]
    assert dialog["displayed"] is True
    assert dialog["message"] == (
        f"Écarter la ligne {row.row_number} du lot n° {batch.id} (SOLIS, "
        "solis_beneficiaires.csv) ? Elle ne sera pas chargée ; elle restera dans "
        "l'historique de la quarantaine, marquée « écartée »."
    )
    db_session.expire_all()
    assert db_session.get(QuarantinedRow, row.id).status == "pending"
    assert db_session.scalar(select(func.count()).select_from(AuditLog).where(
        AuditLog.action == "quarantine_discarded")) == 0  # fmt: skip
    # The old trigger (the button itself) reaches the editor callback no more.
    editor = find_callback(client, "imports-editor")
    assert "imports-discard.n_clicks" not in str(editor["inputs"])
    # Confirmed: discarded, audited, the form closed.
    done = response_of(_edit(client, "discard", row.id))
    assert "Ligne écartée" in _editor_message(done)
    assert done["imports-editor-actions"]["hidden"] is True
    db_session.expire_all()
    assert db_session.get(QuarantinedRow, row.id).status == "discarded"
    assert db_session.scalar(select(func.count()).select_from(AuditLog).where(
        AuditLog.action == "quarantine_discarded")) == 1  # fmt: skip
    # Asked again: no dialog, the row is already done.
    again = response_of(_ask_discard(client, row.id))
    assert again["imports-discard-confirm"]["displayed"] is False
    assert "déjà été corrigée ou écartée" in _editor_message(again)
