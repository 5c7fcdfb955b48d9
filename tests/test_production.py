"""Production mode: `pilotage serve --production` refuses an unfit environment, debug is
impossible, and a real gunicorn with two workers serves PostgreSQL behind a proxy."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, make_url, select, text

from dashboard import create_app
from dashboard.config import Settings
from dashboard.models import AuditLog, Role
from dashboard.production import default_workers, production_refusals
from tests.helpers import PASSWORD, log_in, make_territory, make_user

POSTGRES_URL = os.environ.get("PILOTAGE_TEST_POSTGRES_URL")
REQUIRE_POSTGRES = os.environ.get("PILOTAGE_REQUIRE_POSTGRES") == "1"
GOOD_KEY = "0123456789abcdef" * 4  # 64 characters
HOME_CALLBACK = {
    "output": "..home-summary.children...home-freshness.children..",
    "outputs": [
        {"id": "home-summary", "property": "children"},
        {"id": "home-freshness", "property": "children"},
    ],
    "inputs": [{"id": "home-location", "property": "pathname", "value": "/"}],
    "changedPropIds": ["home-location.pathname"],
    "state": [],
}


class _ServerStartedError(Exception):
    pass


@pytest.fixture
def serve(tmp_path, monkeypatch, capsys, sqlite_template):
    """`pilotage ARGS...` in-process with a clean environment; gunicorn is never started:
    reaching it raises _ServerStartedError and records its arguments in `serve.started`."""
    import shutil

    from dashboard import production
    from dashboard.cli import main

    for name in list(os.environ):
        if name.startswith(("PILOTAGE_", "FLASK_", "DASH_")):
            monkeypatch.delenv(name)
    instance = tmp_path / "instance"
    instance.mkdir()
    shutil.copyfile(sqlite_template, instance / "pilotage.sqlite3")
    monkeypatch.setenv("PILOTAGE_INSTANCE_DIR", str(instance))
    started: list[tuple] = []

    def fake_server(*args):
        started.append(args)
        raise _ServerStartedError

    monkeypatch.setattr(production, "run_production_server", fake_server)

    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = main(list(args))
        except _ServerStartedError:
            code = None
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    run.started = started
    run.instance = instance
    return run


def test_default_workers_is_twice_the_cores_plus_one_capped_at_eight():
    assert default_workers(1) == 3  # 2 x 1 + 1
    assert default_workers(2) == 5  # 2 x 2 + 1
    assert default_workers(3) == 7  # 2 x 3 + 1
    assert default_workers(16) == 8  # 33 capped


def test_fit_environment_starts_gunicorn_with_production_settings(serve, monkeypatch):
    monkeypatch.setenv("PILOTAGE_SECRET_KEY", GOOD_KEY)
    monkeypatch.setenv("FLASK_DEBUG", "0")  # explicitly off is fine
    code, out, err = serve("serve", "--production", "--allow-sqlite", "--workers", "2")
    assert code is None, err  # reached gunicorn
    settings, host, port, workers, timeout, proxies = serve.started[0]
    assert (host, port, workers, timeout, proxies) == ("127.0.0.1", 8050, 2, 120, 1)
    assert settings.secret_key == GOOD_KEY
    assert "production, 2 workers" in out
    assert "lancez « pilotage scheduler » dans un processus dédié" in out


def test_sqlite_is_refused_without_the_override(serve, monkeypatch):
    monkeypatch.setenv("PILOTAGE_SECRET_KEY", GOOD_KEY)
    code, _, err = serve("serve", "--production")
    assert code == 2
    assert err.startswith("Erreur de configuration : démarrage en production refusé.")
    assert "La base est SQLite : la production utilise PostgreSQL" in err
    assert "--allow-sqlite" in err
    assert serve.started == []


def test_missing_secret_key_is_refused_even_when_the_instance_has_a_generated_one(serve):
    (serve.instance / "secret_key").write_text(GOOD_KEY + "\n", encoding="ascii")
    code, _, err = serve("serve", "--production", "--allow-sqlite")
    assert code == 2
    assert "PILOTAGE_SECRET_KEY est absente" in err
    assert serve.started == []


def test_short_secret_key_is_refused(serve, monkeypatch):
    monkeypatch.setenv("PILOTAGE_SECRET_KEY", "dev")
    code, _, err = serve("serve", "--production", "--allow-sqlite")
    assert code == 2
    assert "PILOTAGE_SECRET_KEY est trop courte (3 caractères, 32 au moins)" in err


@pytest.mark.parametrize("variable", ["FLASK_DEBUG", "PILOTAGE_DEBUG", "DASH_DEBUG"])
def test_debug_switch_is_refused(serve, monkeypatch, variable):
    monkeypatch.setenv("PILOTAGE_SECRET_KEY", GOOD_KEY)
    monkeypatch.setenv(variable, "1")
    code, _, err = serve("serve", "--production", "--allow-sqlite")
    assert code == 2
    assert f"{variable}=1 demande le mode debug, interdit en production" in err
    assert serve.started == []


def test_production_variable_alone_implies_production_mode(serve, monkeypatch):
    monkeypatch.setenv("PILOTAGE_PRODUCTION", "1")
    code, _, err = serve("serve")
    assert code == 2
    assert "PILOTAGE_SECRET_KEY est absente" in err
    assert "La base est SQLite" in err


def test_unmigrated_database_is_refused(serve, monkeypatch, tmp_path):
    monkeypatch.setenv("PILOTAGE_SECRET_KEY", GOOD_KEY)
    monkeypatch.setenv("PILOTAGE_DATABASE_URL", f"sqlite:///{tmp_path / 'vide.sqlite3'}")
    code, _, err = serve("serve", "--production", "--allow-sqlite")
    assert code == 2
    assert "la base n'est pas initialisée" in err and "pilotage init-db" in err
    assert serve.started == []


def test_all_reasons_are_listed_at_once(tmp_path):
    sqlite = Settings(tmp_path, f"sqlite:///{tmp_path / 'p.sqlite3'}", "k", "p")
    postgres = sqlite.with_overrides(database_url="postgresql+psycopg://u@localhost/pilotage")
    environ = {"PILOTAGE_DEBUG": "oui", "FLASK_DEBUG": "false", "PILOTAGE_SECRET_KEY": ""}
    # SQLite, no key, PILOTAGE_DEBUG on (FLASK_DEBUG=false is off): three reasons.
    reasons = production_refusals(sqlite, environ)
    assert [reason.split(" ")[0] for reason in reasons] == [
        "PILOTAGE_SECRET_KEY",
        "La",
        "PILOTAGE_DEBUG=oui",
    ]
    # PostgreSQL, or SQLite with the override: the database reason goes.
    assert len(production_refusals(postgres, environ)) == 2
    assert len(production_refusals(sqlite, environ, allow_sqlite=True)) == 2
    fit = {"PILOTAGE_SECRET_KEY": GOOD_KEY, "FLASK_DEBUG": "0"}
    assert production_refusals(postgres, fit) == []


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_debug_routes_answer_404_in_production_only(settings, db_session, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")  # Flask reads it when the app is built
    make_territory(db_session, "35-REDON")
    make_user(db_session, "redon.admin", Role.ADMIN, "35-REDON")
    db_session.commit()
    paths = ["/console", "/_reload-hash", "/?__debugger__=yes&cmd=resource"]
    statuses = {}
    for production in (False, True):
        app = create_app(settings.with_overrides(production=production, testing=False))
        client = app.server.test_client()
        anonymous = [client.get(path).status_code for path in paths]
        log_in(client, "redon.admin")
        statuses[production] = (anonymous, [client.get(path).status_code for path in paths])
        if production:
            assert app.server.debug is False
            assert app.server.config["PROPAGATE_EXCEPTIONS"] is False
            assert app._dev_tools.hot_reload is False
        app.server.extensions["pilotage"].engine.dispose()
    # Outside production the guard sends anonymous users to the login page, and Dash
    # answers these paths to a logged-in user (its page shell, or the reload hash).
    assert statuses[False] == ([302, 302, 302], [200, 200, 200])
    assert statuses[True] == ([404, 404, 404], [404, 404, 404])


def test_wsgi_entry_point_refuses_the_same_environment(serve, monkeypatch):
    import runpy

    from dashboard.production import ProductionRefusedError

    monkeypatch.setenv("PILOTAGE_PRODUCTION", "1")
    monkeypatch.setenv("PILOTAGE_SECRET_KEY", GOOD_KEY)
    monkeypatch.setenv("PILOTAGE_DEBUG", "1")
    with pytest.raises(ProductionRefusedError) as refused:
        runpy.run_module("dashboard.wsgi")
    message = str(refused.value)
    assert "PILOTAGE_DEBUG=1 demande le mode debug" in message
    assert "La base est SQLite" in message  # no --allow-sqlite through gunicorn directly


# --- A real gunicorn with two workers on PostgreSQL --------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise AssertionError(f"gunicorn exited early ({process.returncode}):\n{output}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {timeout} s")


@pytest.fixture
def fresh_postgres(monkeypatch, tmp_path):
    """A new, empty PostgreSQL database for this test; the CLI's environment points at it."""
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("PILOTAGE_REQUIRE_POSTGRES=1 mais PILOTAGE_TEST_POSTGRES_URL est absent.")
        pytest.skip("PostgreSQL de test absent : lancez les tests avec scripts/test.sh")
    name = f"prod_{uuid.uuid4().hex[:12]}"
    admin = create_engine(
        make_url(POSTGRES_URL).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    for variable in list(os.environ):
        if variable.startswith(("PILOTAGE_", "FLASK_", "DASH_")):
            monkeypatch.delenv(variable)
    environment = {
        "PILOTAGE_DATABASE_URL": url,
        "PILOTAGE_SECRET_KEY": GOOD_KEY,
        "PILOTAGE_PSEUDONYM_KEY": "pseudonymes-" + uuid.uuid4().hex,
        "PILOTAGE_INSTANCE_DIR": str(tmp_path / "instance"),
    }
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    yield url
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def _pilotage(capsys, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    import io

    from dashboard.cli import main

    saved = sys.stdin
    sys.stdin = io.StringIO(stdin or "")
    try:
        code = main(list(args))
    finally:
        sys.stdin = saved
    captured = capsys.readouterr()
    return code, captured.out, captured.err


class ProxiedBrowser:
    """Talks plain HTTP to gunicorn as nginx would forward an https client.

    The session cookie is Secure in production, so a cookie jar would not send it
    back over http: the browser keeps the `session` cookie itself.
    """

    def __init__(self, base: str):
        self.base = base
        self.session_cookie: str | None = None
        self.last_set_cookie = ""

    def request(self, method: str, path: str, timeout: float = 60, **kwargs) -> requests.Response:
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
        if self.session_cookie:
            headers["Cookie"] = f"session={self.session_cookie}"
        answer = requests.request(
            method,
            self.base + path,
            headers=headers,
            allow_redirects=False,
            timeout=timeout,
            **kwargs,
        )
        set_cookie = answer.headers.get("Set-Cookie", "")
        if set_cookie.startswith("session="):
            self.session_cookie = set_cookie.split(";", 1)[0].removeprefix("session=")
            self.last_set_cookie = set_cookie
        return answer


@pytest.mark.slow
def test_gunicorn_two_workers_on_postgresql(fresh_postgres, capsys, tmp_path):
    # An empty database is refused before gunicorn starts.
    code, _, err = _pilotage(capsys, "serve", "--production")
    assert code == 2 and "lancez « pilotage init-db »" in err, err

    assert _pilotage(capsys, "init-db")[0] == 0
    assert (
        _pilotage(capsys, "territory", "add", "35-REDON", "--name", "Redon", "--departement", "35")[
            0
        ]
        == 0
    )
    code, _, err = _pilotage(
        capsys,
        "create-user",
        "redon.admin",
        "--role",
        "admin",
        "--territory",
        "35-REDON",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert code == 0, err

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dashboard",
            "serve",
            "--production",
            "--workers",
            "2",
            "--port",
            str(port),
        ],
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        _wait_for(f"{base}/login", process)
        browser = ProxiedBrowser(base)
        page = browser.request("GET", "/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        form = {"login": "redon.admin", "password": PASSWORD, "csrf_token": token}
        answer = browser.request("POST", "/login", data=form)
        assert answer.status_code == 302, answer.text[:300]
        # production=True reached the worker: the session cookie is Secure.
        cookie = browser.last_set_cookie
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie

        assert browser.request("GET", "/").status_code == 200
        layout = browser.request("GET", "/_dash-layout")
        assert layout.status_code == 200 and layout.json()["type"]
        update = browser.request("POST", "/_dash-update-component", json=HOME_CALLBACK)
        assert update.status_code == 200, update.text[:300]
        summary = json.dumps(update.json()["response"], ensure_ascii=False)
        assert "home-card" in summary

        for path in ("/console", "/_reload-hash"):
            assert browser.request("GET", path).status_code == 404, path
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop
        try:
            output, _ = process.communicate(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate(timeout=10)
    assert process.returncode == 0, output[-2000:]
    assert "production, 2 workers" in output
    assert len(re.findall(r"Booting worker with pid", output)) == 2, output[-2000:]
    assert "Shutting down: Master" in output

    # The proxy's X-Forwarded-For is the address in the audit log (per-address login limits).
    engine = create_engine(fresh_postgres)
    with engine.connect() as connection:
        addresses = connection.scalars(
            select(AuditLog.remote_addr).where(AuditLog.action == "login")
        ).all()
    engine.dispose()
    assert addresses == ["203.0.113.7"]


# --- docs/operations.md keeps up with the code ---------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
OPERATIONS = ROOT / "docs" / "operations.md"


def _config_variables() -> set[str]:
    source = (ROOT / "dashboard" / "config.py").read_text(encoding="utf-8")
    return set(re.findall(r'"(PILOTAGE_[A-Z_]+)"', source))


def test_operations_doc_lists_every_variable_the_code_reads():
    variables = _config_variables() | {"PILOTAGE_DEBUG"}
    assert len(variables) >= 16  # 15 read by config.py today, plus the debug switch
    page = OPERATIONS.read_text(encoding="utf-8")
    missing = sorted(name for name in variables if f"| `{name}` |" not in page)
    assert missing == []


def test_operations_doc_commands_exist():
    from dashboard.cli import cli

    page = OPERATIONS.read_text(encoding="utf-8")
    # Commands as typed: `pilotage X`, `pilotage-cmd X` or `.venv/bin/pilotage X`, in code.
    # (`sudo -u pilotage ...` names the system user, not the command.)
    pattern = r"(?:^|[`/]|(?<!-u) )pilotage(?:-cmd)? ([a-z][a-z-]+)(?= |`|$)"
    used = set(re.findall(pattern, page, re.M))
    assert {"init-db", "create-user", "scheduler", "serve", "backup", "restore"} <= used
    assert sorted(used - set(cli.commands)) == []


def test_nginx_body_limit_covers_the_default_upload_limit():
    from dashboard.config import DEFAULT_MAX_UPLOAD_MB

    page = OPERATIONS.read_text(encoding="utf-8")
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", page).group(1))
    # Flask's MAX_CONTENT_LENGTH (dashboard/__init__.py): base64 is 4/3 of the file, plus
    # 64 KiB of payload; 32 MB -> 44,804,778 bytes, about 42.7 MiB: 44m covers it.
    flask_limit = DEFAULT_MAX_UPLOAD_MB * 1024 * 1024 * 4 // 3 + 64 * 1024
    assert flask_limit <= megabytes * 1024 * 1024 <= flask_limit + 2 * 1024 * 1024


def test_readme_links_the_operations_doc():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/operations.md)" in readme
