"""audit log append-only

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 16:30:00

Triggers refuse UPDATE and DELETE on `audit_log` (and TRUNCATE on
PostgreSQL), so neither the application nor a mistaken query can edit the
trail. One update stays possible: the foreign key's ON DELETE SET NULL when a
user is deleted, which only clears `user_id` (the row keeps the login).
A database owner can still drop the triggers: for a trail the application
account itself cannot touch, give that account INSERT and SELECT only on
`audit_log` (docs/operations.md). On SQLite, a later migration that rebuilds
`audit_log` with batch_alter_table must create these triggers again.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "audit_log is append-only"

POSTGRESQL_FUNCTION = f"""
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.user_id IS NOT NULL AND NEW.user_id IS NULL
            AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.action = OLD.action
            AND NEW.login IS NOT DISTINCT FROM OLD.login
            AND NEW.territory_code IS NOT DISTINCT FROM OLD.territory_code
            AND NEW.remote_addr IS NOT DISTINCT FROM OLD.remote_addr
            AND NEW.details::text = OLD.details::text
        THEN
            RETURN NEW;  -- ON DELETE SET NULL of a deleted user
        END IF;
    END IF;
    RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP;
END
$$
"""

# SQLite: the same rule; `IS` compares NULLs as equal.
SQLITE_ONLY_USER_CLEARED = """
OLD.user_id IS NOT NULL AND NEW.user_id IS NULL
AND NEW.id IS OLD.id AND NEW.at IS OLD.at AND NEW.action IS OLD.action
AND NEW.login IS OLD.login AND NEW.territory_code IS OLD.territory_code
AND NEW.remote_addr IS OLD.remote_addr AND NEW.details IS OLD.details
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_FUNCTION)
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
        )
        return
    op.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        f"WHEN NOT ({SQLITE_ONLY_USER_CLEARED}) "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END"
    )
    op.execute(
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION audit_log_append_only()")
        return
    op.execute("DROP TRIGGER audit_log_no_delete")
    op.execute("DROP TRIGGER audit_log_no_update")
