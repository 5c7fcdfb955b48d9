"""Every page in Chromium under the real Content-Security-Policy: no violation, no console error.

An admin opens each page of layouts/navigation.PAGES and waits until it has really
drawn (Plotly graphs on COPIL, AG Grid rows on COMOP and Projet); `securitypolicyviolation`
events are collected by a script injected before any page script, and console errors
and uncaught exceptions by Playwright. The COMOP CSV export runs too: it calls the
grid's `processCellCallback` function string, and the grids' date formatters must
have written dd/mm/yyyy, so dash-ag-grid's function strings really ran under the CSP.
"""

from __future__ import annotations

import re

import pytest

from dashboard.demo.install import DEMO_PASSWORD
from layouts.navigation import PAGES

pytestmark = [pytest.mark.browser, pytest.mark.slow]

COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    [event.violatedDirective, event.blockedURI, event.sourceFile, event.sample].join(" | ")
  );
});
"""
FRENCH_DATE = re.compile(r"\d\d/\d\d/\d{4}")

# What shows that a page has drawn, page by page (every page of PAGES must be listed).
READY = {
    "home": "#home-summary .card",
    "copil": "#copil-funnel .js-plotly-plot .main-svg",
    "comop": "#comop-grid .ag-row",
    "projet": "#projet-grid .ag-row",
    "imports": "#imports-history table",
    "admin": "#admin-users tbody tr",
}
# Cells written by a dash-ag-grid valueFormatter function string.
DATE_CELLS = {
    "comop": "#comop-grid .ag-row .ag-cell",
    "projet": '#projet-grid .ag-row .ag-cell[col-id="due"]',
}


def _log_in(page, base_url: str) -> None:
    page.goto(base_url + "/login")
    page.fill("#login", "demo.admin")
    page.fill("#password", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(base_url + "/")


def test_every_page_renders_under_the_csp_without_violation(page, live_server):
    assert set(READY) == {entry.module for entry in PAGES}, "a page has no readiness selector"
    console_errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            console_errors.append(f"{page.url}: {message.text}")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: console_errors.append(f"{page.url}: {error}"))
    page.add_init_script(COLLECT_VIOLATIONS)
    _log_in(page, live_server)
    violations: dict[str, list[str]] = {}
    for entry in PAGES:
        page.goto(live_server + entry.path)
        page.locator(READY[entry.module]).first.wait_for()
        if entry.module in DATE_CELLS:
            cells = page.locator(DATE_CELLS[entry.module])
            page.wait_for_function(
                "selector => [...document.querySelectorAll(selector)]"
                ".some(cell => /^\\d\\d\\/\\d\\d\\/\\d{4}$/.test(cell.textContent.trim()))",
                arg=DATE_CELLS[entry.module],
            )
            assert any(FRENCH_DATE.fullmatch(text.strip()) for text in cells.all_inner_texts())
        if entry.module == "copil":  # hover draws Plotly's tooltip layer too
            page.locator(READY["copil"]).first.hover()
        if entry.module == "comop":
            with page.expect_download() as download:
                page.click("#comop-csv")
            assert download.value.suggested_filename.endswith(".csv")
        page.wait_for_load_state("networkidle")
        violations[entry.module] = page.evaluate("window.__cspViolations")
    assert violations == {entry.module: [] for entry in PAGES}
    assert console_errors == []
