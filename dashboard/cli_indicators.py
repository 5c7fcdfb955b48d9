"""`pilotage indicators`: the pilot indicators of a territory, as JSON, CSV or a table."""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import json
import re

import click

from dashboard.cli_common import BadArgument, DateParam, open_db
from dashboard.facts import latest_solis_extraction, load_frames, territory_by_code
from metrics.breakdown import Dimension
from metrics.params import Params
from metrics.registry import REGISTRY

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
SCOPED = {"repartition_organisme", "repartition_dominante"}
# Breakdowns an indicator cannot give (kept in step with metrics/ by
# tests/test_cli_indicators.py; to move into the registry).
ALL_DIMENSIONS = frozenset(d.value for d in Dimension)
PORTFOLIO_ONLY_BY_ORGANISME = ALL_DIMENSIONS - {"organisme"}
UNSUPPORTED_BY: dict[str, frozenset[str]] = {
    "taux_orientation": frozenset({"cohorte"}),
    "taux_contrat_engagement": frozenset({"cohorte"}),
    "part_intensif_15h": frozenset({"cohorte"}),
    "taux_retour_emploi": frozenset({"cohorte"}),
    "taux_retour_emploi_durable": frozenset({"cohorte"}),
    "taux_sortie_rsa": frozenset({"cohorte"}),
    "reprise_stock_avancement": frozenset({"cohorte"}),
    "repartition_organisme": ALL_DIMENSIONS,
    "repartition_dominante": ALL_DIMENSIONS,
    "taille_portefeuille_moyenne": PORTFOLIO_ONLY_BY_ORGANISME,
    "part_referents_au_dessus_cible": PORTFOLIO_ONLY_BY_ORGANISME,
}
CSV_COLUMNS = ("code", "label", "value", "numerator", "denominator", "unit")


def _month(value: str, option: str, last_day: bool) -> dt.date:
    match = MONTH.match(value.strip())
    if not match:
        raise BadArgument(f"{option} attend un mois au format AAAA-MM (reçu : {value!r}).")
    year, month = int(match[1]), int(match[2])
    return dt.date(year, month, calendar.monthrange(year, month)[1] if last_day else 1)


def _table(results: list[dict]) -> str:
    lines = [f"{'indicateur':<40} {'valeur':>10} {'numérateur':>11} {'dénominateur':>13}  unité"]
    for item in results:
        value = "n.d." if item["value"] is None else str(item["value"])
        lines.append(
            f"{item['label'][:40]:<40} {value:>10} {item['numerator'] or '':>11} "
            f"{item['denominator'] or '':>13}  {item['unit']}"
        )
    return "\n".join(lines)


def _csv(results: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for item in results:
        writer.writerow(["" if item[key] is None else item[key] for key in CSV_COLUMNS])
    return buffer.getvalue().rstrip("\n")


@click.command("indicators", help="Calcule les indicateurs du pilote pour un territoire.")
@click.option("--territory", "territory_code", required=True, help="Code du territoire.")
@click.option("--from", "month_from", required=True, help="Premier mois de la période (AAAA-MM).")
@click.option("--to", "month_to", required=True, help="Dernier mois de la période (AAAA-MM).")
@click.option("--as-of", type=DateParam(), help="Date d'observation (défaut : extraction SOLIS).")
@click.option("--by", type=click.Choice([d.value for d in Dimension]), help="Ventilation.")
@click.option("--scope", type=click.Choice(["stock", "flux"]), default="stock", show_default=True)
@click.option(
    "--format",
    "output",
    type=click.Choice(["json", "csv", "table"]),
    default="table",
    show_default=True,
)
def indicators_command(territory_code, month_from, month_to, as_of, by, scope, output) -> None:
    period_start = _month(month_from, "--from", last_day=False)
    period_end = _month(month_to, "--to", last_day=True)
    if period_start > period_end:
        raise BadArgument(f"--from ({month_from}) est postérieur à --to ({month_to}).")
    with open_db() as db:
        territory = territory_by_code(db, territory_code)
        if territory is None:
            raise BadArgument(
                f"Territoire inconnu : {territory_code}. Voir « pilotage territory list »."
            )
        as_of = as_of or latest_solis_extraction(db, territory.id) or dt.date.today()
        frames = load_frames(db, territory.id)
        params = Params(pilot_start=territory.pilot_start)
    results = []
    for code, indicator in REGISTRY.items():
        options: dict[str, str] = {}
        if by and by not in UNSUPPORTED_BY.get(code, frozenset()):
            options["by"] = by
        if code in SCOPED:
            options["scope"] = scope
        result = indicator.compute(
            frames,
            period_start=period_start,
            period_end=period_end,
            as_of=as_of,
            params=params,
            **options,
        )
        results.append(result.as_dict())
    if output == "json":
        payload = {
            "territory": territory.code,
            "period": {"from": month_from, "to": month_to},
            "as_of": as_of.isoformat(),
            "indicators": results,
        }
        click.echo(json.dumps(payload, ensure_ascii=False))
    else:
        click.echo(_csv(results) if output == "csv" else _table(results))
