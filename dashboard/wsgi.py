"""WSGI entry point for a production server: `gunicorn dashboard.wsgi:application`.

`pilotage serve --production` is the documented way (it checks the schema,
picks the number of workers and runs gunicorn itself); this module is for an
operator who prefers to call gunicorn directly. Settings come from the
environment (PILOTAGE_DATABASE_URL, PILOTAGE_SECRET_KEY, PILOTAGE_PRODUCTION...;
see docs/operations.md). With PILOTAGE_PRODUCTION=1 the same refusals as
`serve --production` apply (no SQLite override here), X-Forwarded-* headers
are trusted from one reverse proxy, and debug is impossible. The web workers
run no scheduler: start `pilotage scheduler` as one dedicated process.
"""

from __future__ import annotations

import os

from dashboard.config import load_settings
from dashboard.production import check_production, production_wsgi_app

settings = load_settings()
if settings.production:
    check_production(settings, os.environ)
    application = production_wsgi_app(settings, trusted_proxies=1)
else:
    from dashboard import create_app

    application = create_app(settings).server
