"""The table of actions of the project team page (dash-ag-grid), editable for the team.

Rows come in attention order (late, then due soon, then the roadmap's order).
For `projet` and `admin` three columns are edited in place: "Avancement"
(a list), "Échéance" (the text, read again by the server) and "Commentaire";
for `copil` no column is editable and the grid says nothing about editing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash_ag_grid as dag

from dashboard.roadmap import StoredAction
from layouts import ids
from metrics.roadmap_status import PROGRESS_LABELS, RoadmapStatus

# Grid column -> the field `dashboard.roadmap_edit.update_action` takes.
EDITABLE_COLUMNS = {
    "progress_label": "progress",
    "deadline_text": "deadline_text",
    "comment": "comment",
}
PROGRESS_BY_LABEL = {label: code for code, label in PROGRESS_LABELS.items()}
NO_PROGRESS = "Non renseigné"
GRID_HEIGHT = "36rem"

# dash-ag-grid reads these strings as small JavaScript expressions.
FRENCH_DATE = {"function": "params.value ? params.value.split('-').reverse().join('/') : ''"}
ROW_CLASSES = {
    "projet-row-late": "params.data.status === 'en_retard'",
    "projet-row-soon": "params.data.status === 'echeance_proche'",
}


def grid_rows(actions: Sequence[tuple[StoredAction, RoadmapStatus]]) -> list[dict[str, Any]]:
    """One JSON row per action, in the given order."""
    return [
        {
            # AG Grid row ids are strings (getRowId); update_action reads digits back.
            "id": str(stored.id),
            "axis": stored.item.axis,
            "target": stored.item.target,
            "action": stored.item.action,
            "owners": ", ".join(stored.item.owners),
            "deadline_text": stored.item.deadline_text or "",
            "due": stored.item.due.isoformat() if stored.item.due else None,
            "status": status.value,
            "status_label": status.label,
            "progress_label": PROGRESS_LABELS.get(stored.item.progress or "", NO_PROGRESS),
            "comment": stored.comment or "",
        }
        for stored, status in actions
    ]


def column_defs(can_edit: bool) -> list[dict[str, Any]]:
    """The grid's columns; the three edited ones are editable only when `can_edit`."""
    editable = {"editable": True, "cellClass": "projet-editable"} if can_edit else {}
    return [
        {
            "field": "axis",
            "headerName": "Axe",
            "width": 160,
            "filter": True,
            "wrapText": True,
            "autoHeight": True,
        },
        {
            "field": "action",
            "headerName": "Action",
            "flex": 2,
            "minWidth": 260,
            "wrapText": True,
            "autoHeight": True,
            "filter": True,
            "tooltipField": "target",
        },
        {
            "field": "owners",
            "headerName": "Porteurs",
            "width": 130,
            "filter": True,
            "wrapText": True,
            "autoHeight": True,
        },
        {
            "field": "deadline_text",
            "headerName": "Échéance",
            "width": 170,
            "wrapText": True,
            "autoHeight": True,
            **editable,
            **({"cellEditor": "agTextCellEditor"} if can_edit else {}),
        },
        {
            "field": "due",
            "headerName": "Date d'échéance",
            "width": 140,
            "valueFormatter": FRENCH_DATE,
        },
        {"field": "status_label", "headerName": "Statut", "width": 150, "filter": True},
        {
            "field": "progress_label",
            "headerName": "Avancement",
            "width": 150,
            **editable,
            **(
                {
                    "cellEditor": "agSelectCellEditor",
                    "cellEditorParams": {"values": list(PROGRESS_LABELS.values())},
                }
                if can_edit
                else {}
            ),
        },
        {
            "field": "comment",
            "headerName": "Commentaire",
            "flex": 1,
            "minWidth": 200,
            "wrapText": True,
            "autoHeight": True,
            **editable,
            **(
                {
                    "cellEditor": "agLargeTextCellEditor",
                    "cellEditorPopup": True,
                    "cellEditorParams": {"maxLength": 2000, "rows": 6, "cols": 50},
                }
                if can_edit
                else {}
            ),
        },
    ]


def actions_grid(can_edit: bool) -> dag.AgGrid:
    return dag.AgGrid(
        id=ids.PROJET_GRID,
        columnDefs=column_defs(can_edit),
        rowData=[],
        getRowId="params.data.id",
        defaultColDef={"sortable": True, "resizable": True},
        rowClassRules=ROW_CLASSES,
        dashGridOptions={
            "rowSelection": {
                "mode": "singleRow",
                "checkboxes": False,
                "enableClickSelection": True,
            },
            "stopEditingWhenCellsLoseFocus": True,
            # A roadmap holds tens of actions: render them all (find-in-page, tests, print).
            "suppressRowVirtualisation": True,
            "tooltipShowDelay": 300,
            "localeText": GRID_LOCALE,
        },
        className="projet-grid",
        # A fixed height keeps the history panel below within reach; the grid scrolls.
        style={"width": "100%", "height": GRID_HEIGHT},
    )


# The few AG Grid texts a user meets, in French.
GRID_LOCALE = {
    "filterOoo": "Filtrer…",
    "contains": "Contient",
    "notContains": "Ne contient pas",
    "equals": "Égal à",
    "notEqual": "Différent de",
    "startsWith": "Commence par",
    "endsWith": "Finit par",
    "blank": "Vide",
    "notBlank": "Non vide",
    "andCondition": "Et",
    "orCondition": "Ou",
    "noRowsToShow": "Aucune action ne correspond aux filtres.",
}


def edit_request(change: dict[str, Any]) -> tuple[object, dict[str, object]] | None:
    """One `cellValueChanged` event -> (action id, changes for update_action); None if not ours.

    A progress label outside the list is passed on as typed: update_action
    refuses it with its French message.
    """
    field = EDITABLE_COLUMNS.get(change.get("colId") or "")
    data = change.get("data")
    if field is None or not isinstance(data, dict):
        return None
    value = change.get("value")
    if field == "progress":
        value = PROGRESS_BY_LABEL.get(value, value) if isinstance(value, str) else value
    return data.get("id"), {field: value}
