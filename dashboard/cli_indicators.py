"""`pilotage indicators`: the pilot indicators of a territory, as JSON, CSV or a table."""

from __future__ import annotations

import csv
import io
import json

import click

from dashboard.cli_common import BadArgument, DateParam, open_db
from dashboard.config import load_settings
from dashboard.facts import territory_by_code
from dashboard.facts_cache import load_territory_facts
from dashboard.indicator_service import (
    IndicatorRequestError,
    compute_indicators,
    indicators_payload,
    parse_request,
)
from metrics.breakdown import Dimension

CSV_COLUMNS = (
    "code",
    "label",
    "value",
    "numerator",
    "denominator",
    "unit",
    "target",
    "trajectory_value",
    "status",
    "suppressed",
)
OPTION_NAMES = {
    "from": "--from",
    "to": "--to",
    "as_of": "--as-of",
    "by": "--by",
    "scope": "--scope",
}


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _table(results: list[dict]) -> str:
    lines = [
        f"{'indicateur':<40} {'valeur':>10} {'numérateur':>11} {'dénominateur':>13}  "
        f"{'unité':<9} {'cible':>7} {'trajectoire':>11}  statut"
    ]
    for item in results:
        value = "secret" if item["suppressed"] else _cell(item["value"]) or "n.d."
        lines.append(
            f"{item['label'][:40]:<40} {value:>10} {_cell(item['numerator']):>11} "
            f"{_cell(item['denominator']):>13}  {item['unit']:<9} {_cell(item['target']):>7} "
            f"{_cell(item['trajectory_value']):>11}  {_cell(item['status'])}"
        )
    return "\n".join(lines)


def _csv(results: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for item in results:
        writer.writerow([_cell(item[key]) for key in CSV_COLUMNS])
    return buffer.getvalue().rstrip("\n")


@click.command("indicators", help="Calcule les indicateurs du pilote pour un territoire.")
@click.option("--territory", "territory_code", required=True, help="Code du territoire.")
@click.option("--from", "month_from", required=True, help="Premier mois de la période (AAAA-MM).")
@click.option("--to", "month_to", required=True, help="Dernier mois de la période (AAAA-MM).")
@click.option(
    "--as-of",
    type=DateParam(),
    help=(
        "Date d'observation de tous les indicateurs. Par défaut : les flux à la dernière "
        "extraction SOLIS, les stocks et répartitions à la fin de la période si elle est "
        "antérieure (une période passée montre son stock de fin de période)."
    ),
)
@click.option("--by", type=click.Choice([d.value for d in Dimension]), help="Ventilation.")
@click.option("--scope", type=click.Choice(["stock", "flux"]), default="stock", show_default=True)
@click.option(
    "--disclosure",
    is_flag=True,
    help="Applique le secret statistique, comme pour les rôles copil et national.",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["json", "csv", "table"]),
    default="table",
    show_default=True,
)
def indicators_command(
    territory_code, month_from, month_to, as_of, by, scope, disclosure, output
) -> None:
    try:
        request = parse_request(month_from, month_to, as_of, by, scope, names=OPTION_NAMES)
    except IndicatorRequestError as error:
        raise BadArgument(error.message) from error
    with open_db() as db:
        territory = territory_by_code(db, territory_code)
        if territory is None:
            raise BadArgument(
                f"Territoire inconnu : {territory_code}. Voir « pilotage territory list »."
            )
        facts = load_territory_facts(db, territory)
    threshold = load_settings().disclosure_threshold if disclosure else None
    results = compute_indicators(facts, request, threshold)
    if output == "json":
        click.echo(json.dumps(indicators_payload(facts, request, results), ensure_ascii=False))
    else:
        rows = [result.as_dict() for result in results]
        click.echo(_csv(rows) if output == "csv" else _table(rows))
