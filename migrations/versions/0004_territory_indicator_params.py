"""territory indicator params

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 14:00:00

A territory's own indicator thresholds (15 days -> 30 or 45 in some
contracts with providers), read by the indicator engine as metrics.Params.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("territory") as batch:
        batch.add_column(
            sa.Column("indicator_params", sa.JSON(), server_default="{}", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("territory") as batch:
        batch.drop_column("indicator_params")
