"""`pilotage roadmap`: a territory's feuille de route with each action's status, as JSON,
CSV or a table."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import click

from dashboard.cli_common import BadArgument, DateParam, open_db
from dashboard.facts import territory_by_code
from dashboard.roadmap import (
    RoadmapStatusError,
    due_payload,
    load_roadmap,
    parse_status,
    roadmap_payload,
)
from metrics.roadmap_status import DEFAULT_WINDOW_DAYS, RoadmapStatus

CSV_COLUMNS = (
    "axis",
    "target",
    "action",
    "owners",
    "deadline_text",
    "start",
    "due",
    "continuous",
    "milestones",
    "progress",
    "status",
    "status_label",
)
AXIS_WIDTH, ACTION_WIDTH, DEADLINE_WIDTH = 28, 50, 24


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _deadline(action: dict[str, Any]) -> str:
    """The due date in French (31/03/2024), else the deadline as written, else "-"."""
    if action["due"]:
        return dt.date.fromisoformat(action["due"]).strftime("%d/%m/%Y")
    return action["deadline_text"] or "-"


def _share(value: float | None) -> str:
    return "n.d." if value is None else f"{value} %"


def _summary_line(name: str, summary: dict[str, Any]) -> str:
    counts = ", ".join(
        f"{RoadmapStatus(code).label.lower()} {count}"
        for code, count in summary["counts"].items()
        if count
    )
    return (
        f"{name} : {summary['total']} action(s) ({counts or 'aucune'}) ; "
        f"réalisées {_share(summary['share_done'])}, en retard {_share(summary['share_late'])}"
    )


def _table(payload: dict[str, Any]) -> str:
    lines = [
        f"{'axe':<{AXIS_WIDTH}} {'action':<{ACTION_WIDTH}} {'échéance':<{DEADLINE_WIDTH}} statut"
    ]
    for action in payload["actions"]:
        lines.append(
            f"{_shorten(action['axis'], AXIS_WIDTH):<{AXIS_WIDTH}} "
            f"{_shorten(action['action'], ACTION_WIDTH):<{ACTION_WIDTH}} "
            f"{_shorten(_deadline(action), DEADLINE_WIDTH):<{DEADLINE_WIDTH}} "
            f"{action['status_label']}"
        )
    if not payload["actions"]:
        lines.append("Aucune action.")
    summary = payload["summary"]
    lines.append("")
    lines.append(f"Au {dt.date.fromisoformat(payload['as_of']).strftime('%d/%m/%Y')}")
    lines.append(_summary_line("Ensemble", summary["overall"]))
    lines.extend(_summary_line(axis["axis"], axis) for axis in summary["by_axis"])
    return "\n".join(lines)


def _csv(payload: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for action in payload["actions"]:
        cells = []
        for key in CSV_COLUMNS:
            value = action[key]
            if isinstance(value, list):
                value = ", ".join(value)
            elif isinstance(value, bool):
                value = "oui" if value else "non"
            cells.append("" if value is None else value)
        writer.writerow(cells)
    return buffer.getvalue().rstrip("\n")


DUE_CSV_COLUMNS = (
    "owner",
    "axis",
    "target",
    "action",
    "deadline_text",
    "due",
    "days",
    "status",
    "status_label",
)
MAX_DUE_WITHIN = 366


def _days(days: int) -> str:
    """-3 -> "3 j de retard", 0 -> "aujourd'hui", 5 -> "dans 5 j"."""
    if days < 0:
        return f"{-days} j de retard"
    return "aujourd'hui" if days == 0 else f"dans {days} j"


def _due_table(payload: dict[str, Any]) -> str:
    as_of = dt.date.fromisoformat(payload["as_of"]).strftime("%d/%m/%Y")
    lines = [
        f"Au {as_of} : {payload['late']} action(s) en retard, {payload['due_soon']} à échéance "
        f"dans les {payload['due_within']} jours"
    ]
    for owner in payload["owners"]:
        lines.append("")
        lines.append(
            f"{owner['owner_label']} : {owner['late']} en retard, "
            f"{owner['due_soon']} échéance(s) proche(s)"
        )
        for action in owner["actions"]:
            lines.append(
                f"  {_shorten(action['action'], ACTION_WIDTH):<{ACTION_WIDTH}} "
                f"{_deadline(action):<10} {_days(action['days'])}"
            )
    if not payload["owners"]:
        lines.append("Aucune action en retard ni à échéance proche.")
    return "\n".join(lines)


def _due_csv(payload: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(DUE_CSV_COLUMNS)
    for owner in payload["owners"]:
        for action in owner["actions"]:
            row = {**action, "owner": owner["owner_label"]}
            writer.writerow(["" if row[key] is None else row[key] for key in DUE_CSV_COLUMNS])
    return buffer.getvalue().rstrip("\n")


@click.command(
    "roadmap", help="Feuille de route d'un territoire : statut de chaque action à une date."
)
@click.option("--territory", "territory_code", required=True, help="Code du territoire.")
@click.option("--as-of", type=DateParam(), help="Date d'observation (défaut : aujourd'hui).")
@click.option(
    "--status",
    "status_code",
    help="N'affiche que les actions de ce statut (fait, en_retard, echeance_proche...).",
)
@click.option(
    "--due-within",
    "due_within",
    type=click.IntRange(0, MAX_DUE_WITHIN),
    help="Liste, par porteur, les actions en retard ou à échéance dans ce nombre de jours.",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["json", "csv", "table"]),
    default="table",
    show_default=True,
)
def roadmap_command(territory_code, as_of, status_code, due_within, output) -> None:
    if due_within is not None and status_code:
        raise BadArgument(
            "--due-within et --status ne se combinent pas : choisissez l'un des deux."
        )
    try:
        status = parse_status(status_code)
    except RoadmapStatusError as error:
        raise BadArgument(str(error)) from error
    with open_db() as db:
        territory = territory_by_code(db, territory_code)
        if territory is None:
            raise BadArgument(
                f"Territoire inconnu : {territory_code}. Voir « pilotage territory list »."
            )
        items = load_roadmap(db, territory.id)
    if due_within is not None:
        payload = due_payload(territory.code, items, as_of or dt.date.today(), due_within)
        if output == "json":
            click.echo(json.dumps(payload, ensure_ascii=False))
        else:
            click.echo(_due_csv(payload) if output == "csv" else _due_table(payload))
        return
    payload = roadmap_payload(
        territory.code, items, as_of or dt.date.today(), status, DEFAULT_WINDOW_DAYS
    )
    if output == "json":
        click.echo(json.dumps(payload, ensure_ascii=False))
    else:
        click.echo(_csv(payload) if output == "csv" else _table(payload))
