"""many workspaces: each job says which workspace it works for; a workspace's Enterprise Grid organisation

Revision ID: 0011
Revises: 0010

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("jobs") as batch_op:
        batch_op.add_column(sa.Column("team_id", sa.String(length=32), nullable=True))
        batch_op.create_index("ix_jobs_team_id", ["team_id"])
    with op.batch_alter_table("workspaces") as batch_op:
        batch_op.add_column(sa.Column("enterprise_id", sa.String(length=32), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("workspaces") as batch_op:
        batch_op.drop_column("enterprise_id")
    with op.batch_alter_table("jobs") as batch_op:
        batch_op.drop_index("ix_jobs_team_id")
        batch_op.drop_column("team_id")
