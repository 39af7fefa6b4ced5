"""An index in roster order, so 100,000 people list without a sort step

Revision ID: 0002_roster_order
Revises: 0001_initial
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002_roster_order"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index("ix_people_roster_order", ["removed_at", "sort_key"], unique=False)
        # Both are covered by the new index: removed_at as its first column, and the
        # sort key wherever the roster is read in order.
        batch_op.drop_index("ix_people_removed_at")
        batch_op.drop_index("ix_people_sort_key")


def downgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index("ix_people_sort_key", ["sort_key"], unique=False)
        batch_op.create_index("ix_people_removed_at", ["removed_at"], unique=False)
        batch_op.drop_index("ix_people_roster_order")
