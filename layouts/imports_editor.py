"""The quarantine editor of the imports page: a rejected row's fields with their reasons.

Each field is an input carrying a pattern-matching id (row, field index); the
reasons that name a field are shown beside it, the others above the form.
Identifying fields come empty: the administrator re-enters them from the
original export (dashboard/quarantine.py explains why).
"""

from __future__ import annotations

from dash import dcc, html

from dashboard.quarantine import CorrectionResult, QuarantineEntry
from layouts import ids
from layouts.format import format_count


def editor_panel() -> html.Div:
    """The static frame of the editor, filled when a row is chosen."""
    return html.Div(
        id=ids.IMPORTS_EDITOR,
        className="quarantine-editor",
        hidden=True,
        children=[
            html.H3(id=ids.IMPORTS_EDITOR_TITLE),
            html.Div(id=ids.IMPORTS_EDITOR_FIELDS),
            html.Div(
                id=ids.IMPORTS_EDITOR_ACTIONS,
                className="editor-actions",
                children=[
                    html.Button(
                        "Charger la ligne corrigée",
                        id=ids.IMPORTS_CORRECT,
                        className="button-primary",
                        n_clicks=0,
                    ),
                    html.Button(
                        "Écarter la ligne",
                        id=ids.IMPORTS_DISCARD,
                        className="button-secondary",
                        n_clicks=0,
                    ),
                ],
            ),
            html.Div(id=ids.IMPORTS_EDITOR_MESSAGE, role="status", **{"aria-live": "polite"}),
            # « Écarter la ligne » only asks; the row is discarded when this is confirmed.
            dcc.ConfirmDialog(id=ids.IMPORTS_DISCARD_CONFIRM, message=""),
            dcc.Store(id=ids.IMPORTS_EDITOR_ROW),
        ],
    )


def editor_title(entry: QuarantineEntry, source_label: str) -> str:
    return (
        f"Ligne {entry.row_number} du lot n° {entry.batch_id} ({source_label}, {entry.file_name})"
    )


def discard_question(entry: QuarantineEntry, source_label: str) -> str:
    """The question asked before a row is discarded, naming it."""
    return (
        f"Écarter la ligne {entry.row_number} du lot n° {entry.batch_id} ({source_label}, "
        f"{entry.file_name}) ? Elle ne sera pas chargée ; elle restera dans l'historique de "
        "la quarantaine, marquée « écartée »."
    )


def _reasons(reasons: tuple[str, ...] | list[str], class_name: str) -> html.Ul | None:
    if not reasons:
        return None
    return html.Ul([html.Li(reason) for reason in reasons], className=class_name)


def _field(entry: QuarantineEntry, item) -> html.Div:  # noqa: ANN001 (QuarantineField)
    placeholder = "à ressaisir (non conservé)" if item.hidden else None
    return html.Div(
        className="editor-field" + (" has-reasons" if item.reasons else ""),
        children=[
            html.Label(
                [
                    html.Span(item.header, className="editor-label"),
                    dcc.Input(
                        id={"type": ids.QUARANTINE_FIELD, "row": entry.row_id, "index": item.index},
                        type="text",
                        value=item.value or "",
                        placeholder=placeholder,
                        autoComplete="off",
                        debounce=False,
                        disabled=not entry.correctable,
                    ),
                ]
            ),
            _reasons(item.reasons, "field-reasons"),
        ],
    )


def editor_fields(entry: QuarantineEntry) -> list:
    """The note, the row-level reasons and one input per field."""
    children: list = []
    if entry.note:
        children.append(html.P(entry.note, className="alert alert-info"))
    if entry.row_reasons:
        children += [
            html.P("Motifs de rejet de la ligne :"),
            _reasons(entry.row_reasons, "row-reasons"),
        ]
    children.append(
        html.Div([_field(entry, item) for item in entry.fields], className="editor-grid")
    )
    return children


def correction_message(result: CorrectionResult) -> html.Div:
    if result.loaded:
        counts = (
            f"{format_count(result.created)} création(s), {format_count(result.updated)} mise(s) "
            f"à jour, {format_count(result.unchanged)} sans changement"
        )
        return html.Div(
            f"Ligne corrigée et chargée (lot n° {result.batch_id} : {counts}).",
            className="alert alert-success",
        )
    return html.Div(
        [
            html.P("La ligne reste en quarantaine : elle est encore invalide."),
            _reasons(result.reasons, "row-reasons"),
        ],
        className="alert alert-error",
    )


def plain_message(text: str, kind: str = "error") -> html.Div:
    return html.Div(text, className=f"alert alert-{kind}")
