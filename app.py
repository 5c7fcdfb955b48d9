"""WSGI entry point: `gunicorn app:server`. Builds the app; reads nothing at import."""

from dashboard import create_app

app = create_app()
server = app.server
