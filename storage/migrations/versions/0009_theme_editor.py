"""theme editor: notes marked as customer quotes, a touchpoint's channel, themes kept when a step is grouped again,
steps reopened from the draft

Revision ID: 0009
Revises: 0008

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("steps") as batch_op:
        batch_op.add_column(sa.Column("reopened", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("contributions") as batch_op:
        batch_op.add_column(sa.Column("quote", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("themes") as batch_op:
        batch_op.add_column(sa.Column("channel", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("kept", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("themes") as batch_op:
        batch_op.drop_column("kept")
        batch_op.drop_column("channel")
    with op.batch_alter_table("contributions") as batch_op:
        batch_op.drop_column("quote")
    with op.batch_alter_table("steps") as batch_op:
        batch_op.drop_column("reopened")
