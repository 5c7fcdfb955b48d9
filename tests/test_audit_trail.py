"""The audit trail: each sensitive action, done through its real path, leaves one row
(who, which territory, when, what), and the rows cannot be edited or deleted."""

from __future__ import annotations

import base64
import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from dashboard.models import AuditLog, RoadmapAction, Role, User, utcnow
from tests.dash_post import call, prop_id, response_of
from tests.helpers import PASSWORD, csrf_token, make_territory, make_user

SAMPLES = Path(__file__).parent / "data" / "samples"
ADDRESS = "10.9.8.7"
NEW_PASSWORD = "un-mot-de-passe-long"


@pytest.fixture
def redon(db_session):
    make_territory(db_session, "35-REDON", "Pays de Redon")
    admin = make_user(db_session, "redon.admin", Role.ADMIN, "35-REDON")
    db_session.commit()
    return admin


def _post_login(client, password: str):
    data = {"login": "redon.admin", "password": password, "csrf_token": csrf_token(client)}
    return client.post("/login", data=data, environ_base={"REMOTE_ADDR": ADDRESS})


def _upload(client, source: str, path: Path):
    values = {
        "imports-upload.contents": "data:text/csv;base64,"
        + base64.b64encode(path.read_bytes()).decode(),
        "imports-upload.filename": path.name,
        "imports-source.value": source,
        "imports-extracted-on.value": "2024-07-01",
        "imports-options.value": [],
        "frame-url.search": "",
        "imports-refresh.data": 0,
    }
    return response_of(call(client, "imports-report", values, ["imports-upload.contents"]))


def _users_call(client, trigger: str, **values):
    base = {
        "frame-url.search": "",
        "admin-create.n_clicks": 1 if trigger == "admin-create.n_clicks" else 0,
        "admin-user-toggle.n_clicks": [],
        "admin-user-role-save.n_clicks": [],
        "admin-new-login.value": None,
        "admin-new-role.value": None,
        "admin-new-password.value": None,
        "admin-new-confirm.value": None,
        "admin-user-role.value": [],
    }
    return response_of(call(client, "admin-users", base | values, [trigger]))


def _rows(db_session, since) -> list[AuditLog]:
    db_session.expire_all()
    return list(
        db_session.scalars(select(AuditLog).where(AuditLog.at >= since).order_by(AuditLog.id))
    )


@pytest.mark.slow
def test_every_sensitive_action_through_its_real_path_is_audited(client, redon, db_session):
    start = utcnow()
    assert _post_login(client, "mauvais-mot-de-passe").status_code == 401
    assert _post_login(client, PASSWORD).status_code == 302
    _upload(client, "solis", SAMPLES / "solis_beneficiaires.csv")
    _upload(client, "roadmap", SAMPLES / "feuille_de_route.csv")
    action_id = db_session.scalar(
        select(RoadmapAction.id).where(RoadmapAction.action == "Convoquer 20 % du stock")
    )
    patched = client.patch(
        f"/api/v1/roadmap/actions/{action_id}",
        json={"progress": "en_cours"},
        environ_base={"REMOTE_ADDR": ADDRESS},
    )
    assert patched.status_code == 200, patched.get_json()
    exported = client.get(
        "/api/v1/exports/national.csv?period=2024-02&volet=parcours",
        environ_base={"REMOTE_ADDR": ADDRESS},
    )
    assert exported.status_code == 200, exported.get_data(as_text=True)[:300]
    exported_rows = len(list(csv.reader(io.StringIO(exported.get_data(as_text=True))))) - 1
    form = {
        "admin-new-login.value": "agent.accueil",
        "admin-new-role.value": "comop",
        "admin-new-password.value": NEW_PASSWORD,
        "admin-new-confirm.value": NEW_PASSWORD,
    }
    _users_call(client, "admin-create.n_clicks", **form)
    new_id = db_session.scalar(select(User.id).where(User.login == "agent.accueil"))
    role_key = {"type": "admin-user-role-save", "user": new_id}
    _users_call(
        client,
        prop_id(role_key, "n_clicks"),
        **{
            "admin-user-role-save.n_clicks": [(role_key, 1)],
            "admin-user-role.value": [({"type": "admin-user-role", "user": new_id}, "projet")],
        },
    )
    toggle_key = {"type": "admin-user-toggle", "user": new_id, "action": "deactivate"}
    _users_call(
        client, prop_id(toggle_key, "n_clicks"), **{"admin-user-toggle.n_clicks": [(toggle_key, 1)]}
    )
    client.get("/logout")
    end = utcnow()

    rows = _rows(db_session, start)
    assert [row.action for row in rows] == [
        "login_failed",
        "login",
        "import",
        "import",
        "roadmap_action_edit",
        "api",  # the PATCH call itself
        "api",  # the national export
        "user_created",
        "user_role_changed",
        "user_deactivated",
        "logout",
    ]
    for row in rows:
        assert start <= row.at <= end
        assert (row.user_id, row.login) == (redon.id, "redon.admin")
    assert [row.at for row in rows] == sorted(row.at for row in rows)
    # A failed login names no territory (the password was wrong); everything after does.
    assert rows[0].territory_code is None
    assert {row.territory_code for row in rows[1:]} == {"35-REDON"}
    # The browser's address on the login, the API calls and the logout.
    for index in (0, 1, 4, 5, 6):
        assert rows[index].remote_addr == ADDRESS
    solis, roadmap = rows[2].details, rows[3].details
    # The SOLIS sample: 20 rows, 19 people created, 1 row rejected (31/02/2024).
    assert (solis["source"], solis["rows_read"], solis["created"], solis["quarantined"]) == (
        "solis", 20, 19, 1,
    )  # fmt: skip
    # The feuille de route sample: 9 actions under its header line, all new.
    assert (roadmap["source"], roadmap["rows_read"], roadmap["created"]) == ("roadmap", 9, 9)
    assert rows[4].details == {"action_id": action_id, "fields": ["progress"]}
    export = rows[6].details
    assert (export["route"], export["volet"], export["period"], export["status"]) == (
        "/api/v1/exports/national.csv", "parcours", "2024-02", 200,
    )  # fmt: skip
    assert export["rows"] == exported_rows > 0
    assert rows[7].details == {"user": "agent.accueil", "role": "comop"}
    assert rows[8].details == {"user": "agent.accueil", "before": "comop", "after": "projet"}
    assert rows[9].details == {"user": "agent.accueil"}


def _one_row(db_session, redon) -> int:
    row = AuditLog(action="login", user_id=redon.id, login="redon.admin", territory_code="35-REDON")
    db_session.add(row)
    db_session.commit()
    return row.id


def _refused(db_session, statement) -> str:
    with pytest.raises(DBAPIError) as raised:
        db_session.execute(statement)
        db_session.flush()
    db_session.rollback()
    return str(raised.value)


def test_audit_rows_cannot_be_updated_or_deleted(db_session, redon):
    row_id = _one_row(db_session, redon)
    where = AuditLog.id == row_id
    for statement in (
        update(AuditLog).where(where).values(action="rien"),
        update(AuditLog).where(where).values(login="quelqu.un"),
        update(AuditLog).where(where).values(user_id=None, login=None),
        update(AuditLog).values(at=utcnow()),
        delete(AuditLog).where(where),
        delete(AuditLog),
    ):
        assert "audit_log is append-only" in _refused(db_session, statement)
    db_session.expire_all()
    row = db_session.get(AuditLog, row_id)
    assert (row.action, row.login, row.user_id) == ("login", "redon.admin", redon.id)


def test_truncate_is_refused_on_postgresql(db_session, redon):
    if db_session.bind.dialect.name != "postgresql":
        pytest.skip("TRUNCATE n'existe pas sous SQLite (DELETE est refusé plus haut)")
    _one_row(db_session, redon)
    assert "audit_log is append-only" in _refused(db_session, text("TRUNCATE audit_log"))


def test_deleting_a_user_keeps_their_rows_and_login(db_session, redon):
    # The foreign key's ON DELETE SET NULL is the one update the triggers let through.
    row_id = _one_row(db_session, redon)
    db_session.execute(delete(User).where(User.id == redon.id))
    db_session.commit()
    db_session.expire_all()
    row = db_session.get(AuditLog, row_id)
    assert (row.user_id, row.login, row.action) == (None, "redon.admin", "login")


@pytest.mark.slow
def test_the_command_line_imports_exports_and_user_creations_are_audited(redon_cli, db_session):
    start = utcnow()
    code, _, err = redon_cli(
        "create-user", "agent.cli", "--role", "comop", "--territory", "35-REDON",
        "--password-stdin", stdin=NEW_PASSWORD + "\n",
    )  # fmt: skip
    assert code == 0, err
    solis = SAMPLES / "solis_beneficiaires.csv"
    args = ("import", "solis", str(solis), "--territory", "35-redon", "--extracted-on")
    assert redon_cli(*args, "2024-07-01", "--dry-run")[0] == 0
    assert redon_cli(*args, "2024-07-01")[0] == 0
    code, out, err = redon_cli(
        "export-national", "--territory", "35-REDON", "--period", "2024-02", "--volet", "parcours"
    )
    assert code == 0, err
    rows = _rows(db_session, start)
    assert [row.action for row in rows] == [
        "user_created",
        "import_dry_run",
        "import",
        "export_national",
    ]
    assert {row.territory_code for row in rows} == {"35-REDON"}
    assert all(row.user_id is None for row in rows)  # nobody logged in: the operator's shell
    assert rows[0].details == {"via": "cli", "user": "agent.cli", "role": "comop"}
    # The SOLIS sample: 20 rows, 19 people created, 1 row rejected (31/02/2024); the dry run
    # before reads the same 20 rows and stores no batch.
    checked, loaded = rows[1].details, rows[2].details
    assert (loaded["via"], loaded["rows_read"], loaded["created"], loaded["quarantined"]) == (
        "cli", 20, 19, 1,
    )  # fmt: skip
    assert loaded["batch_id"] is not None and loaded["status"] == "loaded"
    assert (checked["rows_read"], checked["batch_id"]) == (20, None)
    # The parcours file: one line per person under its header (and a BOM).
    assert rows[3].details["rows"] == len(out.strip().splitlines()) - 1
