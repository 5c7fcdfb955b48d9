"""A live server on 127.0.0.1 and a real headless Chromium (Debian's package).

Browser tests run on SQLite only: the backends are covered by the other
tests; here what matters is what a person sees. With PILOTAGE_REQUIRE_BROWSER=1
(set by scripts/test.sh, hence in CI) a missing Chromium is an error.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from dashboard import create_app
from dashboard.config import Settings
from dashboard.db import init_db, make_engine, make_session_factory
from dashboard.demo.install import install_demo

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--lang=fr-FR",  # date inputs show jj/mm/aaaa (Windows, macOS)
]
# Linux Chromium ignores --lang and takes its UI locale from LANGUAGE; it needs the French
# locale pack (Debian: chromium-l10n, which scripts/test.sh installs).
CHROMIUM_ENV = {"LANGUAGE": "fr"}
DEMO_SIZE = 300


def _chromium_path() -> str:
    path = os.environ.get("PILOTAGE_CHROMIUM") or shutil.which("chromium")
    if path:
        return path
    if os.environ.get("PILOTAGE_REQUIRE_BROWSER") == "1":
        pytest.fail("PILOTAGE_REQUIRE_BROWSER=1 mais Chromium est introuvable.")
    pytest.skip("Chromium absent : lancez les tests avec scripts/test.sh")


@pytest.fixture(scope="session")
def live_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    instance = tmp_path_factory.mktemp("live")
    settings = Settings(
        instance_dir=instance,
        database_url=f"sqlite:///{instance / 'pilotage.sqlite3'}",
        secret_key=uuid.uuid4().hex,
        pseudonym_key=uuid.uuid4().hex,
        testing=True,
    )
    engine = make_engine(settings.database_url)
    init_db(engine)
    with make_session_factory(engine)() as db:
        install_demo(db, size=DEMO_SIZE)
        db.commit()
    engine.dispose()
    return settings


@pytest.fixture(scope="session")
def live_server(live_settings: Settings) -> Iterator[str]:
    app = create_app(live_settings)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    executable = _chromium_path()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=CHROMIUM_FLAGS,
            env={**os.environ, **CHROMIUM_ENV},
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request: pytest.FixtureRequest) -> Iterator[object]:
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    artifacts = Path(os.environ.get("PILOTAGE_TEST_ARTIFACTS", "test-artifacts"))
    artifacts.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(artifacts / f"{request.node.name}.png"), full_page=True)
    context.close()
