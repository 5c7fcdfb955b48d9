"""What one application instance holds: settings, engine, session factory, facts cache."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask, current_app
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from dashboard.config import Settings
from dashboard.facts_cache import FactsCache

EXTENSION_KEY = "pilotage"


@dataclass(frozen=True)
class AppState:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    # Each territory's facts between requests (dashboard/facts_cache.py).
    facts_cache: FactsCache = field(default_factory=FactsCache)


def attach_state(server: Flask, state: AppState) -> None:
    server.extensions[EXTENSION_KEY] = state


def get_state() -> AppState:
    return current_app.extensions[EXTENSION_KEY]


def open_session() -> Session:
    """A new session on the application's database; use it as a context manager."""
    return get_state().sessions()
