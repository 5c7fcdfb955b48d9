"""Pieces shared by the `pilotage` commands: French argument errors, dates, the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.orm import Session

from dashboard.config import load_settings
from dashboard.db import init_db, make_engine, make_session_factory


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
def open_db() -> Iterator[Session]:
    """A session on the configured database, migrated first; the engine is disposed after."""
    settings = load_settings()
    engine = make_engine(settings.database_url)
    try:
        init_db(engine)
        with make_session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()
