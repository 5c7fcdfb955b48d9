"""The `pilotage` command (also `python -m dashboard`).

Every failure ends with one French line on stderr: exit code 2 for a bad
argument, 1 when the command could not do its work.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from sqlalchemy.orm import Session

from dashboard.config import ConfigError, load_settings
from dashboard.db import init_db, make_engine, make_session_factory, schema_is_current
from dashboard.models import Role
from dashboard.passwords import MIN_PASSWORD_LENGTH
from dashboard.territories import TerritoryError

ROLE_CHOICE = click.Choice([role.value for role in Role])


def import_sources() -> list[str]:
    from dashboard.imports import CONNECTORS

    return list(CONNECTORS)


class BadArgument(click.ClickException):
    """A bad argument discovered while running (e.g. an unknown territory): exit 2."""

    exit_code = 2


class DateParam(click.ParamType):
    name = "AAAA-MM-JJ"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"date attendue au format AAAA-MM-JJ (reçu : {value!r}).", param, ctx)


@contextmanager
def _open_db() -> Iterator[Session]:
    """A session on the configured database, migrated first; the engine is disposed after."""
    settings = load_settings()
    engine = make_engine(settings.database_url)
    try:
        init_db(engine)
        with make_session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()


@click.group(help="Pilotage RSA : tableau de pilotage de l'accompagnement rénové du RSA.")
def cli() -> None:
    pass


@cli.command("init-db", help="Crée ou met à jour le schéma de la base (alembic upgrade head).")
def init_db_command() -> None:
    settings = load_settings()
    engine = make_engine(settings.database_url)
    try:
        fresh = not schema_is_current(engine)
        init_db(engine)
    finally:
        engine.dispose()
    click.echo("Base créée." if fresh else "Base à jour.")


@cli.group(help="Territoires pilotes.")
def territory() -> None:
    pass


@territory.command("add", help="Ajoute un territoire (ex. 35-REDON).")
@click.argument("code")
@click.option("--name", required=True, help="Nom du territoire.")
@click.option("--departement", required=True, help="Code du département (ex. 35).")
@click.option("--pilot-start", type=DateParam(), help="Date de début de l'expérimentation.")
@click.option("--parent", "parent_code", help="Territoire parent (par défaut : national).")
def territory_add(code, name, departement, pilot_start, parent_code) -> None:
    from dashboard.territories import add_territory

    with _open_db() as db:
        try:
            created = add_territory(db, code, name, departement, pilot_start, parent_code)
        except TerritoryError as error:
            raise BadArgument(str(error)) from error
        db.commit()
        click.echo(f"Territoire {created.code} ({created.name}) créé.")


@territory.command("list", help="Liste les territoires.")
def territory_list() -> None:
    from dashboard.queries import list_territories

    with _open_db() as db:
        frame = list_territories(db)
    if frame.empty:
        click.echo("Aucun territoire.")
        return
    for row in frame.itertuples():
        start = row.pilot_start.isoformat() if row.pilot_start else "-"
        click.echo(
            f"{row.code:<16} {row.name:<45} dép. {row.departement_code or '-':<4} "
            f"début {start:<10} parent {row.parent_code or '-'}"
        )


@cli.command("create-user", help="Crée un utilisateur rattaché à un territoire.")
@click.argument("login")
@click.option("--role", required=True, type=ROLE_CHOICE, help="Rôle de l'utilisateur.")
@click.option("--territory", "territory_code", required=True, help="Code du territoire.")
@click.option("--password-stdin", is_flag=True, help="Lit le mot de passe sur l'entrée standard.")
def create_user_command(login, role, territory_code, password_stdin) -> None:
    from dashboard.users import UserError, create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(
            f"Mot de passe ({MIN_PASSWORD_LENGTH} caractères minimum)",
            hide_input=True,
            confirmation_prompt="Confirmez le mot de passe",
        )
    with _open_db() as db:
        try:
            user = create_user(db, login, password, Role(role), territory_code)
        except (UserError, TerritoryError) as error:
            raise BadArgument(str(error)) from error
        db.commit()
        click.echo(f"Utilisateur {user.login} créé (rôle {role}, territoire {territory_code}).")


@cli.command("demo", help="Charge un territoire de démonstration reproductible.")
@click.option("--territory", "territory_code", default="35-REDON", show_default=True)
@click.option(
    "--size",
    type=click.IntRange(min=50, max=2_000_000),
    default=1400,
    show_default=True,
    help="Nombre de bénéficiaires soumis aux droits et devoirs.",
)
@click.option("--seed", type=click.INT, default=2024, show_default=True)
def demo_command(territory_code, size, seed) -> None:
    from dashboard.demo.install import DemoError, install_demo

    with _open_db() as db:
        try:
            report = install_demo(db, territory_code, size=size, seed=seed)
        except TerritoryError as error:
            raise BadArgument(str(error)) from error
        except DemoError as error:
            raise click.ClickException(str(error)) from error
        db.commit()
    click.echo(report.describe())


@cli.command(
    "serve", help="Lance le tableau de bord (base créée et démo chargée au premier lancement)."
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8050, show_default=True)
@click.option(
    "--no-scheduler",
    is_flag=True,
    help="Sans tâches planifiées (lancées par « pilotage scheduler »).",
)
def serve_command(host, port, no_scheduler) -> None:
    from dashboard import create_app
    from dashboard.demo.install import DEMO_PASSWORD, demo_logins, install_demo_if_empty

    settings = load_settings()
    with _open_db() as db:
        report = install_demo_if_empty(db)
        db.commit()
        logins = demo_logins(db)
    if report is not None:
        click.echo(report.describe())
    app = create_app(settings)
    if not no_scheduler:
        from dashboard.scheduler import start_scheduler

        start_scheduler(settings)
    click.echo(f"Pilotage RSA : http://{host}:{port}/")
    if logins:
        click.echo(
            f"Comptes de démonstration ({', '.join(logins)}), mot de passe : {DEMO_PASSWORD}"
        )
    app.run(host=host, port=port, debug=False)


@cli.command("import", help="Importe un fichier d'export (SOLIS...) pour un territoire.")
@click.argument("source", type=click.Choice(import_sources()))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--territory", "territory_code", required=True, help="Code du territoire.")
@click.option("--sheet", help="Feuille du classeur Excel (par défaut : la première).")
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
    source, file, territory_code, sheet, extracted_on, year, strict, dry_run, output
) -> None:
    from dashboard.import_report import describe
    from dashboard.imports import (
        ImportRefusedError,
        extraction_date_from_name,
        run_import,
    )

    if not file.exists():
        raise BadArgument(f"Fichier introuvable : {file}")
    settings = load_settings()
    day = extracted_on or extraction_date_from_name(file.name) or dt.date.today()
    with _open_db() as db:
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
                sheet=sheet,
                strict=strict,
                dry_run=dry_run,
            )
        except ImportRefusedError as error:
            raise BadArgument(str(error)) from error
    click.echo(
        json.dumps(report.as_dict(), ensure_ascii=False) if output == "json" else describe(report)
    )
    if report.status not in ("loaded", "unchanged"):
        raise click.exceptions.Exit(1)  # the report above says why


@cli.command("imports", help="Liste les derniers lots d'import.")
@click.option("--territory", "territory_code", help="Code du territoire.")
def imports_command(territory_code) -> None:
    from dashboard.queries import list_batches

    with _open_db() as db:
        frame = list_batches(db, territory_code.strip().upper() if territory_code else None)
    if frame.empty:
        click.echo("Aucun import.")
        return
    for row in frame.itertuples():
        click.echo(
            f"lot {row.id:>5}  {row.started_at:%d/%m/%Y %H:%M}  {row.territory:<12} "
            f"{row.source:<14} {row.status:<9} lues {row.rows_read:>7}  créées {row.rows_loaded:>7}"
            f"  maj {row.rows_updated:>7}  rejetées {row.rows_quarantined:>6}  {row.file_name}"
        )


@cli.command("quarantine", help="Montre les lignes rejetées d'un lot, avec leurs motifs.")
@click.argument("batch_id", type=click.IntRange(min=1))
def quarantine_command(batch_id) -> None:
    from dashboard.queries import quarantined_rows

    with _open_db() as db:
        rows = quarantined_rows(db, batch_id)
    if not rows:
        click.echo(f"Aucune ligne rejetée dans le lot {batch_id}.")
        return
    for row in rows:
        click.echo(f"ligne {row.row_number} : " + " ; ".join(row.reasons))
        values = ", ".join(f"{key} = {value}" for key, value in row.raw_values.items() if value)
        click.echo(f"    {values}")


@cli.command("scheduler", help="Exécute les tâches planifiées (un seul processus par base).")
def scheduler_command() -> None:
    import threading

    from dashboard.scheduler import start_scheduler, stop_scheduler

    settings = load_settings()
    with _open_db():
        pass  # migrate before the job store is opened
    scheduler = start_scheduler(settings)
    click.echo("Tâches planifiées : " + ", ".join(job.name for job in scheduler.get_jobs()))
    try:
        threading.Event().wait()
    finally:
        stop_scheduler(scheduler)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script: French one-line errors, meaningful exit codes."""
    try:
        code = cli.main(args=argv, prog_name="pilotage", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as error:
        click.echo(error.ctx.get_help() if error.ctx else "pilotage --help")
        return 0
    except click.UsageError as error:
        from dashboard.cli_errors import french_usage_message

        click.echo(f"Erreur : {french_usage_message(error)}", err=True)
        return 2
    except click.ClickException as error:
        click.echo(f"Erreur : {error.format_message()}", err=True)
        return error.exit_code
    except ConfigError as error:
        click.echo(f"Erreur de configuration : {error}", err=True)
        return 2
    except click.Abort:
        click.echo("Interrompu.", err=True)
        return 1
    # A command that called ctx.exit(n) / raised Exit(n) returns n here.
    return code if isinstance(code, int) else 0
