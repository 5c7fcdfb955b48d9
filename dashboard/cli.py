"""The `pilotage` command (also `python -m dashboard`).

Every failure ends with one French line on stderr: exit code 2 for a bad
argument, 1 when the command could not do its work.
"""

from __future__ import annotations

import sys

import click

from dashboard.cli_api import register_api_commands
from dashboard.cli_backup import register_backup_commands
from dashboard.cli_common import BadArgument, DateParam, open_db
from dashboard.cli_imports import register_import_commands
from dashboard.cli_indicators import indicators_command
from dashboard.cli_roadmap import roadmap_command
from dashboard.cli_scheduler import scheduler_command
from dashboard.config import ConfigError, load_settings
from dashboard.db import init_db, make_engine, schema_is_current
from dashboard.models import Role
from dashboard.passwords import MIN_PASSWORD_LENGTH
from dashboard.production import DEFAULT_TIMEOUT_SECONDS
from dashboard.territories import NATIONAL_CODE, TerritoryError

ROLE_CHOICE = click.Choice([role.value for role in Role])


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

    with open_db() as db:
        try:
            created = add_territory(db, code, name, departement, pilot_start, parent_code)
        except TerritoryError as error:
            raise BadArgument(str(error)) from error
        db.commit()
        click.echo(f"Territoire {created.code} ({created.name}) créé.")


@territory.command("params", help="Affiche ou change les seuils des indicateurs d'un territoire.")
@click.argument("code")
@click.argument("settings", nargs=-1, metavar="[CLE=VALEUR]...")
@click.option("--reset", is_flag=True, help="Revient aux seuils par défaut du pilote.")
def territory_params_command(code, settings, reset) -> None:
    from dashboard.territories import set_indicator_params

    with open_db() as db:
        try:
            params = set_indicator_params(db, code, settings, reset=reset)
        except TerritoryError as error:
            raise BadArgument(str(error)) from error
        db.commit()
    for name, value in params.items():
        click.echo(f"{name} = {value}")


@territory.command("list", help="Liste les territoires.")
def territory_list() -> None:
    from dashboard.queries import list_territories

    with open_db() as db:
        frame = list_territories(db)
    if frame.empty:
        click.echo("Aucun territoire.")
        return
    for row in frame.itertuples():
        click.echo(territory_line(row))


def _cell(value: object) -> str:
    """A listed value, or "-" when the frame holds nothing (None, NaN, NaT)."""
    if value is None or value != value:  # NaN and NaT differ from themselves
        return "-"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def territory_line(row) -> str:
    """One line of `pilotage territory list` (a row of queries.list_territories); the
    national level has no département."""
    departement = "national" if row.code == NATIONAL_CODE else _cell(row.departement_code)
    return (
        f"{row.code:<16} {row.name:<45} dép. {departement:<8} "
        f"début {_cell(row.pilot_start):<10} parent {_cell(row.parent_code)}"
    )


@cli.command("create-user", help="Crée un utilisateur rattaché à un territoire.")
@click.argument("login")
@click.option("--role", required=True, type=ROLE_CHOICE, help="Rôle de l'utilisateur.")
@click.option("--territory", "territory_code", required=True, help="Code du territoire.")
@click.option("--password-stdin", is_flag=True, help="Lit le mot de passe sur l'entrée standard.")
def create_user_command(login, role, territory_code, password_stdin) -> None:
    from dashboard import audit
    from dashboard.users import UserError, create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(
            f"Mot de passe ({MIN_PASSWORD_LENGTH} caractères minimum)",
            hide_input=True,
            confirmation_prompt="Confirmez le mot de passe",
        )
    with open_db() as db:
        try:
            user = create_user(db, login, password, Role(role), territory_code)
        except (UserError, TerritoryError) as error:
            raise BadArgument(str(error)) from error
        audit.record(
            db,
            "user_created",
            territory_code=user.territory.code,
            details={"via": "cli", "user": user.login, "role": role},
        )
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
    # The demo's export files are written under <instance>/demo/<territory>/, then
    # imported through the connectors like any `pilotage import`.
    from dashboard.demo.install import DemoError, demo_folder, install_demo
    from dashboard.import_progress import ProgressBar

    settings = load_settings()
    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    with open_db() as db:
        try:
            report = install_demo(
                db,
                territory_code,
                size=size,
                seed=seed,
                pseudonym_key=settings.pseudonym_key,
                export_dir=demo_folder(settings, territory_code),
                progress=bar,
            )
        except TerritoryError as error:
            raise BadArgument(str(error)) from error
        except DemoError as error:
            raise click.ClickException(str(error)) from error
        finally:
            if bar is not None:
                bar.close()
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
@click.option(
    "--production",
    is_flag=True,
    help="Gunicorn, plusieurs workers, PostgreSQL, sans debug ni tâches planifiées "
    "(aussi quand PILOTAGE_PRODUCTION=1 ; voir docs/operations.md).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="Nombre de workers gunicorn en production (défaut : 2 x cœurs + 1, 8 au plus).",
)
@click.option(
    "--timeout",
    type=click.IntRange(10, 3600),
    default=DEFAULT_TIMEOUT_SECONDS,
    show_default=True,
    help="Secondes avant qu'un worker bloqué soit relancé (production).",
)
@click.option(
    "--trusted-proxies",
    type=click.IntRange(0, 5),
    default=1,
    show_default=True,
    help="Mandataires inverses (nginx) dont X-Forwarded-For/-Proto sont crus (production).",
)
@click.option(
    "--allow-sqlite",
    is_flag=True,
    help="Accepte une base SQLite en production (déconseillé : un seul serveur, pas de reprise).",
)
def serve_command(
    host, port, no_scheduler, production, workers, timeout, trusted_proxies, allow_sqlite
) -> None:
    settings = load_settings()
    if production or settings.production:
        _serve_production(settings, host, port, workers, timeout, trusted_proxies, allow_sqlite)
        return

    from dashboard import create_app
    from dashboard.demo.install import DEMO_PASSWORD, demo_logins, install_demo_if_empty

    with open_db() as db:
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


def _serve_production(settings, host, port, workers, timeout, trusted_proxies, allow_sqlite):
    """Refuse an unfit environment, then run gunicorn in the foreground (no demo, no migration)."""
    import os

    from dashboard.production import (
        SCHEDULER_NOTE,
        check_production,
        check_schema_is_current,
        default_workers,
        run_production_server,
    )

    check_production(settings, os.environ, allow_sqlite=allow_sqlite)
    check_schema_is_current(settings.database_url)
    workers = workers or default_workers()
    if trusted_proxies and host not in {"127.0.0.1", "localhost", "::1"}:
        click.echo(
            f"Attention : {host} n'est pas une adresse locale et X-Forwarded-For est cru "
            f"({trusted_proxies} mandataire) ; n'exposez gunicorn que derrière nginx.",
            err=True,
        )
    click.echo(f"Pilotage RSA (production, {workers} workers) : http://{host}:{port}/")
    click.echo(SCHEDULER_NOTE)
    run_production_server(settings, host, port, workers, timeout, trusted_proxies)


register_import_commands(cli)
cli.add_command(indicators_command)
cli.add_command(roadmap_command)
cli.add_command(scheduler_command)
register_api_commands(cli)
register_backup_commands(cli)


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
