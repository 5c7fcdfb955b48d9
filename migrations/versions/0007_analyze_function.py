"""planner statistics refreshed by a function of the tables' owner

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 20:10:00

On PostgreSQL up to 16, only a table's owner may ANALYZE it. In production
the application connects as a role that owns nothing (docs/operations.md,
section 3 bis, so that it cannot drop the audit triggers of 0006); its
ANALYZE would be skipped with a warning, and a first import of 200,000 rows
would crawl again (dashboard/db.refresh_planner_statistics). The function
`pilotage_analyze(tables)` runs ANALYZE with the rights of its owner, the
role that ran the migrations: the named tables of the schema, or every table
when given NULL. It runs in the caller's transaction, so it counts the
import's uncommitted rows. ANALYZE changes no data: anybody may call it.
SQLite needs none of this.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTION = """
CREATE FUNCTION pilotage_analyze(tables text[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    name text;
BEGIN
    IF tables IS NULL THEN
        ANALYZE;
        RETURN;
    END IF;
    FOREACH name IN ARRAY tables LOOP
        EXECUTE format('ANALYZE public.%I', name);
    END LOOP;
END
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(FUNCTION)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION pilotage_analyze(text[])")
