"""`pilotage create-token`, `revoke-token`, `tokens` and `export-national`."""

from __future__ import annotations

import datetime as dt
import getpass
import sys
from pathlib import Path

import click

from dashboard import audit
from dashboard.api_common import FIRST_YEAR, LAST_YEAR
from dashboard.cli_common import BadArgument, open_db
from dashboard.config import load_settings
from dashboard.export_schema import VOLETS, SchemaError, load_schema
from dashboard.facts import territory_by_code
from dashboard.facts_cache import load_territory_facts
from dashboard.indicator_service import IndicatorRequestError, month_bounds
from dashboard.models import ApiToken, User, utcnow
from dashboard.national_export import SEPARATORS, ExportRequest, build_export
from dashboard.tokens import (
    DEFAULT_EXPIRY_DAYS,
    MAX_EXPIRY_DAYS,
    TokenError,
    create_token,
    find_user,
    list_tokens,
    revoke_all,
    revoke_by_prefix,
    token_state,
)
from metrics.breakdown import Dimension


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "inconnu"


@click.command("create-token", help="Crée un jeton d'accès à l'API pour un utilisateur.")
@click.argument("login")
@click.option(
    "--expires",
    "days",
    type=click.IntRange(1, MAX_EXPIRY_DAYS),
    default=DEFAULT_EXPIRY_DAYS,
    show_default=True,
    help="Durée de validité en jours.",
)
@click.option("--label", help="Libellé libre (ex. « outil CAF »), pour s'y retrouver.")
def create_token_command(login, days, label) -> None:
    with open_db() as db:
        try:
            user = find_user(db, login)
            issued = create_token(db, user, utcnow(), days, label)
        except TokenError as error:
            raise BadArgument(str(error)) from error
        audit.record(
            db,
            "token_created",
            user_id=user.id,
            login=user.login,
            details={"prefix": issued.token.prefix, "days": days, "os_user": _os_user()},
        )
        db.commit()
        expires = issued.token.expires_at
    click.echo(issued.secret)
    click.echo(
        f"Jeton {issued.token.prefix} créé pour {user.login} (rôle {user.role.value}), "
        f"valable jusqu'au {expires:%d/%m/%Y}. Il n'est affiché qu'une fois : "
        "conservez-le maintenant.",
        err=True,
    )


@click.command(
    "revoke-token", help="Révoque un jeton (par son préfixe) ou tous ceux d'un utilisateur."
)
@click.argument("prefix", required=False)
@click.option("--user", "login", help="Révoque tous les jetons de cet utilisateur.")
def revoke_token_command(prefix, login) -> None:
    if bool(prefix) == bool(login):
        raise BadArgument("Donnez soit le préfixe d'un jeton, soit --user IDENTIFIANT.")
    now = utcnow()
    with open_db() as db:
        try:
            if prefix:
                revoked = [revoke_by_prefix(db, prefix, now)]
                owner = db.get(User, revoked[0].user_id)
            else:
                owner = find_user(db, login)
                revoked = revoke_all(db, owner, now)
        except TokenError as error:
            raise BadArgument(str(error)) from error
        prefixes = [token.prefix for token in revoked]
        audit.record(
            db,
            "token_revoked",
            user_id=owner.id if owner else None,
            login=owner.login if owner else None,
            details={"prefixes": prefixes, "os_user": _os_user()},
        )
        db.commit()
    if not prefixes:
        click.echo(f"Aucun jeton en vigueur pour {login}.")
    else:
        click.echo(f"Jeton(s) révoqué(s) : {', '.join(prefixes)}.")


def _token_line(token: ApiToken, owner: str, now: dt.datetime) -> str:
    used = (
        f"utilisé le {token.last_used_at:%d/%m/%Y %H:%M}"
        if token.last_used_at
        else "jamais utilisé"
    )
    expires = f"expire le {token.expires_at:%d/%m/%Y}" if token.expires_at else "sans expiration"
    line = (
        f"{token.prefix}  {owner:<24} {token_state(token, now):<8} "
        f"créé le {token.created_at:%d/%m/%Y}  {expires}  {used}  {token.label or ''}"
    )
    return line.rstrip()


@click.command("tokens", help="Liste les jetons d'accès à l'API (jamais leur valeur).")
@click.option("--user", "login", help="Seulement ceux de cet utilisateur.")
def tokens_command(login) -> None:
    now = utcnow()
    with open_db() as db:
        lines = [_token_line(token, owner, now) for token, owner in list_tokens(db, login)]
    click.echo("\n".join(lines) if lines else "Aucun jeton.")


@click.command("export-national", help="Écrit le fichier mensuel pour le tableau de bord national.")
@click.option("--territory", "territory_code", required=True, help="Code du territoire.")
@click.option("--period", required=True, help="Mois exporté (AAAA-MM).")
@click.option("--volet", type=click.Choice(VOLETS), default="indicateurs", show_default=True)
@click.option("--by", type=click.Choice([d.value for d in Dimension]), help="Ventilation.")
@click.option("--sep", type=click.Choice(SEPARATORS), default=";", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Fichier à écrire.")
@click.option(
    "--schema",
    "schema_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Autre fichier de schéma (défaut : celui du paquet).",
)
def export_national_command(territory_code, period, volet, by, sep, out, schema_file) -> None:
    try:
        first_day, _ = month_bounds(period, "--period")
    except IndicatorRequestError as error:
        raise BadArgument(error.message) from error
    if not FIRST_YEAR <= first_day.year <= LAST_YEAR:
        raise BadArgument(f"--period doit tomber entre {FIRST_YEAR} et {LAST_YEAR}.")
    if by and volet != "indicateurs":
        raise BadArgument("--by ne s'emploie qu'avec le volet indicateurs.")
    try:
        schema = load_schema(schema_file)
    except SchemaError as error:
        raise BadArgument(str(error)) from error
    export = ExportRequest(period.strip(), volet, sep, Dimension(by) if by else None)
    with open_db() as db:
        territory = territory_by_code(db, territory_code)
        if territory is None:
            raise BadArgument(
                f"Territoire inconnu : {territory_code}. Voir « pilotage territory list »."
            )
        facts = load_territory_facts(db, territory)
        threshold = load_settings().disclosure_threshold
        content, rows = build_export(db, facts, export, threshold, schema)
        audit.record(
            db,
            "export_national",
            territory_code=territory.code,
            details={"volet": volet, "period": export.period, "rows": rows, "via": "cli",
                     "os_user": _os_user()},
        )  # fmt: skip
        db.commit()
    if out is None:
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    out.write_bytes(content)
    click.echo(f"{rows} ligne(s) écrite(s) dans {out}.", err=True)


def register_api_commands(cli: click.Group) -> None:
    for command in (
        create_token_command,
        revoke_token_command,
        tokens_command,
        export_national_command,
    ):
        cli.add_command(command)
