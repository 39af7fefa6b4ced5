"""Import batches remember the file of the rows they did not take

Revision ID: 0003_import_rejects_file
Revises: 0002_roster_order
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_import_rejects_file"
down_revision: str | None = "0002_roster_order"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Imports made before this kept their rejects file's name nowhere: "" says so.
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("rejects_file_name", sa.String(length=255), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.drop_column("rejects_file_name")
