"""What one application instance holds: its settings, engine and session factory."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from dashboard.config import Settings

EXTENSION_KEY = "pilotage"


@dataclass(frozen=True)
class AppState:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]


def attach_state(server: Flask, state: AppState) -> None:
    server.extensions[EXTENSION_KEY] = state


def get_state() -> AppState:
    return current_app.extensions[EXTENSION_KEY]


def open_session() -> Session:
    """A new session on the application's database; use it as a context manager."""
    return get_state().sessions()
