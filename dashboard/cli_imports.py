"""`pilotage import`, `imports` and `quarantine`: export files in, batches out."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from dashboard.cli_common import BadArgument, DateParam, import_sources, open_db
from dashboard.config import load_settings
from dashboard.db import make_session_factory


@click.command("import", help="Importe un fichier d'export (SOLIS...) pour un territoire.")
@click.argument("source", type=click.Choice(import_sources()))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--territory", "territory_code", required=True, help="Code du territoire.")
@click.option("--sheet", help="Feuille du classeur Excel (par défaut : la première).")
@click.option(
    "--profile",
    "profile_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Profil de colonnes du territoire (TOML ou YAML), voir docs/connectors.md.",
)
@click.option(
    "--extracted-on",
    type=DateParam(),
    help="Date d'extraction (défaut : nom du fichier, sinon aujourd'hui).",
)
@click.option(
    "--year",
    type=click.IntRange(2000, 2100),
    help="Année des échéances sans année (feuille de route).",
)
@click.option("--strict", is_flag=True, help="Refuse tout le fichier si une ligne est rejetée.")
@click.option("--dry-run", is_flag=True, help="Vérifie le fichier sans rien enregistrer.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text")
def import_command(
    source,
    file,
    territory_code,
    sheet,
    profile_file,
    extracted_on,
    year,
    strict,
    dry_run,
    output,
) -> None:
    from connectors.profiles import ProfileFileError, load_profile
    from dashboard.import_progress import ProgressBar
    from dashboard.import_report import describe
    from dashboard.imports import (
        CONNECTORS,
        ImportRefusedError,
        extraction_date_from_name,
        run_import,
    )

    if not file.exists():
        raise BadArgument(f"Fichier introuvable : {file}")
    profile = None
    if profile_file is not None:
        if not profile_file.exists():
            raise BadArgument(f"Fichier de profil introuvable : {profile_file}")
        try:
            profile = load_profile(profile_file, CONNECTORS[source].profile)
        except ProfileFileError as error:
            raise BadArgument(str(error)) from error
    settings = load_settings()
    day = extracted_on or extraction_date_from_name(file.name) or dt.date.today()
    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    with open_db() as db:
        sessions = make_session_factory(db.get_bind())
        try:
            report = run_import(
                sessions,
                source,
                file,
                territory_code.strip().upper(),
                pseudonym_key=settings.pseudonym_key,
                extracted_on=day,
                year=year,
                profile=profile,
                profile_name=profile_file.name if profile_file else None,
                progress=bar,
                sheet=sheet,
                strict=strict,
                dry_run=dry_run,
            )
        except ImportRefusedError as error:
            raise BadArgument(str(error)) from error
        finally:
            if bar is not None:
                bar.close()
        _audit_import(db, report, territory_code.strip().upper(), dry_run)
    click.echo(
        json.dumps(report.as_dict(), ensure_ascii=False) if output == "json" else describe(report)
    )
    if report.status not in ("loaded", "unchanged"):
        raise click.exceptions.Exit(1)  # the report above says why


def _audit_import(db, report, territory_code: str, dry_run: bool) -> None:  # noqa: ANN001
    """The same audit entry as an upload from the imports page, without a user."""
    from dashboard import audit

    audit.record(
        db,
        "import_dry_run" if dry_run else "import",
        territory_code=territory_code,
        details={
            "via": "cli",
            "source": report.source,
            "file_name": report.file_name,
            "batch_id": report.batch_id,
            "status": report.status,
            "rows_read": report.rows_read,
            "created": report.created,
            "updated": report.updated,
            "quarantined": report.quarantined,
        },
    )
    db.commit()


@click.command("imports", help="Liste les derniers lots d'import.")
@click.option("--territory", "territory_code", help="Code du territoire.")
def imports_command(territory_code) -> None:
    from dashboard.queries import list_batches

    with open_db() as db:
        frame = list_batches(db, territory_code.strip().upper() if territory_code else None)
    if frame.empty:
        click.echo("Aucun import.")
        return
    for row in frame.itertuples():
        click.echo(
            f"lot {row.id:>5}  {row.started_at:%d/%m/%Y %H:%M}  {row.territory:<12} "
            f"{row.source:<14} {row.status:<9} lues {row.rows_read:>7}  "
            f"créées {row.rows_loaded:>7}  maj {row.rows_updated:>7}  "
            f"rejetées {row.rows_quarantined:>6}  {row.file_name}"
        )


@click.command("quarantine", help="Montre les lignes rejetées d'un lot, avec leurs motifs.")
@click.argument("batch_id", type=click.IntRange(min=1))
def quarantine_command(batch_id) -> None:
    from dashboard.queries import quarantined_rows

    with open_db() as db:
        rows = quarantined_rows(db, batch_id)
    if not rows:
        click.echo(f"Aucune ligne rejetée dans le lot {batch_id}.")
        return
    for row in rows:
        click.echo(f"ligne {row.row_number} : " + " ; ".join(row.reasons))
        values = ", ".join(f"{key} = {value}" for key, value in row.raw_values.items() if value)
        click.echo(f"    {values}")


def register_import_commands(cli: click.Group) -> None:
    for command in (import_command, imports_command, quarantine_command):
        cli.add_command(command)
