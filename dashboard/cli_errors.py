"""Click's usage errors, said in French on one line (exit code 2)."""

from __future__ import annotations

import re

import click

NO_SUCH_COMMAND = re.compile(r"No such command '(?P<name>[^']*)'")
EXTRA_ARGUMENT = re.compile(r"unexpected extra arguments? \((?P<args>.*)\)")


def _param_hint(param: click.Parameter | None) -> str:
    if param is None:
        return "un paramètre"
    if isinstance(param, click.Option):
        return param.opts[-1] if param.opts else str(param.name)
    return (param.name or "argument").upper()


def _expected(param: click.Parameter | None) -> str:
    kind = param.type if param is not None else None
    if isinstance(kind, click.Choice):
        return "choisissez parmi " + ", ".join(str(choice) for choice in kind.choices)
    if isinstance(kind, click.IntRange):
        bounds = []
        if kind.min is not None:
            bounds.append(f"au moins {kind.min}")
        if kind.max is not None:
            bounds.append(f"au plus {kind.max}")
        return "un nombre entier " + " et ".join(bounds)
    if kind is click.INT:
        return "un nombre entier"
    return ""


def french_usage_message(error: click.UsageError) -> str:
    """One French sentence for any click usage error."""
    if isinstance(error, click.NoSuchOption):
        suggestion = f" Vouliez-vous dire {error.possibilities[0]} ?" if error.possibilities else ""
        return f"Option inconnue : {error.option_name}.{suggestion}"
    if isinstance(error, click.MissingParameter):
        return f"Paramètre obligatoire manquant : {_param_hint(error.param)}."
    if isinstance(error, click.BadParameter):
        expected = _expected(error.param)
        if expected:
            return f"Valeur invalide pour {_param_hint(error.param)} : {expected}."
        # Our own parameter types raise BadParameter with a French message.
        return f"Valeur invalide pour {_param_hint(error.param)} : {error.message}"
    if isinstance(error, click.BadOptionUsage):
        return f"Option {error.option_name} mal utilisée : une valeur est attendue."
    message = error.format_message()
    if match := NO_SUCH_COMMAND.search(message):
        return f"Commande inconnue : {match['name']}. Voir « pilotage --help »."
    if match := EXTRA_ARGUMENT.search(message):
        return f"Argument en trop : {match['args']}."
    return f"Commande incorrecte ({message}). Voir « pilotage --help »."
