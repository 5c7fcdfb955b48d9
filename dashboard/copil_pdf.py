"""GET /copil/dossier.pdf?territoire=...&periode=...: the "Dossier COPIL" rendered on the server.

Like every route it sits behind the login guard (dashboard/auth.py). Here:
- the role must be one of the COPIL page's (copil, national, admin): 403 otherwise;
- the filters are read as the page reads them (400 with the French reason);
- the territory is resolved through the user's scope (dashboard/scope.py):
  an unknown or out-of-scope code gets the same French refusal (403);
- figures are those of the page, published for the audience (small counts
  hidden for copil and national), from the cached facts;
- each download is written to the audit log (action "export").
"""

from __future__ import annotations

import datetime as dt

from flask import Flask, Response, request

from dashboard import audit
from dashboard.errors import error_response
from dashboard.state import open_session

PDF_PATH = "/copil/dossier.pdf"
PDF_MIMETYPE = "application/pdf"
AUDIT_ACTION = "export"


def _filename(code: str, first: str, last: str) -> str:
    months = first if first == last else f"{first}_{last}"
    return f"dossier-copil-{code.lower()}-{months}.pdf"


def download_dossier() -> Response:
    """The PDF pack of the territory and period in the query string."""
    # Imported here: the page modules need Dash, which create_app sets up after this module.
    from callbacks import copil_data
    from callbacks.context import PageError, page_context
    from layouts.copil_pdf import render_dossier
    from layouts.filters import FilterError, parse_filters

    search = request.query_string.decode("utf-8", errors="replace")
    try:
        parse_filters(search)
    except FilterError as error:
        return error_response(400, str(error))
    try:
        ctx = page_context(search, "copil")  # Forbidden (403) for a role the page refuses
    except PageError as error:
        return error_response(403, error.message, code="hors_perimetre")
    dossier = copil_data.dossier(ctx)
    pdf = render_dossier(dossier, dt.date.today())
    first, last = ctx.filters.month_from, ctx.filters.month_to
    with open_session() as db:
        audit.record(
            db,
            AUDIT_ACTION,
            user_id=ctx.user.user_id,
            login=ctx.user.login,
            territory_code=ctx.facts.code,
            remote_addr=request.remote_addr,
            details={"document": "dossier_copil", "format": "pdf", "du": first, "au": last},
        )
        db.commit()
    filename = _filename(ctx.facts.code, first, last)
    return Response(
        pdf,
        mimetype=PDF_MIMETYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


def register_copil_pdf(server: Flask) -> None:
    """Add the route to the Flask server (create_app calls it once)."""
    server.add_url_rule(PDF_PATH, "copil_dossier_pdf", download_dossier, methods=["GET"])
