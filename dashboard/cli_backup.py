"""`pilotage backup` and `pilotage restore`: SQLite only (PostgreSQL: pg_dump, explained)."""

from __future__ import annotations

from pathlib import Path

import click

from dashboard.backup import BackupError, backup_sqlite, restore_sqlite
from dashboard.config import load_settings


def _size(size_bytes: int) -> str:
    return f"{size_bytes / 1024 / 1024:.1f} Mo"


@click.command("backup", help="Sauvegarde la base SQLite (cohérente même pendant le service).")
@click.option(
    "--out", "out", required=True, type=click.Path(path_type=Path), help="Fichier à écrire."
)
@click.option("--force", is_flag=True, help="Écrase le fichier s'il existe.")
def backup_command(out: Path, force: bool) -> None:
    settings = load_settings()
    try:
        report = backup_sqlite(settings.database_url, out, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Sauvegarde écrite : {report.path} ({_size(report.size_bytes)}, "
        f"révision {report.revision})."
    )


@click.command("restore", help="Remplace la base SQLite par une sauvegarde de « pilotage backup ».")
@click.argument("backup_file", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Remplace une base existante.")
def restore_command(backup_file: Path, force: bool) -> None:
    settings = load_settings()
    try:
        report = restore_sqlite(settings.database_url, backup_file, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Base restaurée : {report.path} depuis {backup_file} (révision {report.revision}). "
        "Lancez « pilotage init-db » si le code est plus récent que la sauvegarde."
    )


def register_backup_commands(cli: click.Group) -> None:
    cli.add_command(backup_command)
    cli.add_command(restore_command)
