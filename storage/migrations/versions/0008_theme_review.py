"""theme review: a draft before publishing, the step's theme message, notes set aside, the history of edits

Revision ID: 0008
Revises: 0007

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("workshops") as batch_op:
        # Workshops started before drafts existed keep publishing when their last step closes.
        batch_op.add_column(sa.Column("publish_mode", sa.String(length=8), nullable=False, server_default="auto"))
        batch_op.add_column(sa.Column("drafts_sent", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("steps") as batch_op:
        batch_op.add_column(sa.Column("themes_ts", sa.String(length=32), nullable=True))
    with op.batch_alter_table("contributions") as batch_op:
        batch_op.add_column(sa.Column("aside", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "theme_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["step_id"], ["steps.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_theme_edits_step_id", "theme_edits", ["step_id"])


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_theme_edits_step_id", table_name="theme_edits")
    op.drop_table("theme_edits")
    with op.batch_alter_table("contributions") as batch_op:
        batch_op.drop_column("aside")
    with op.batch_alter_table("steps") as batch_op:
        batch_op.drop_column("themes_ts")
    with op.batch_alter_table("workshops") as batch_op:
        batch_op.drop_column("drafts_sent")
        batch_op.drop_column("publish_mode")
