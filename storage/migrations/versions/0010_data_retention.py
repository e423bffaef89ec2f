"""data retention: when a workshop's notes were blanked after publishing, and whose workshop a cached LLM answer
was made for (so deleting a workshop or forgetting a workspace finds it)

Revision ID: 0010
Revises: 0009

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("workshops") as batch_op:
        batch_op.add_column(sa.Column("notes_purged_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("llm_cache") as batch_op:
        # Entries stored before this revision have no owner: nothing says which workshop they came from.
        batch_op.add_column(sa.Column("workshop_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("team_id", sa.String(length=32), nullable=True))
        batch_op.create_foreign_key("fk_llm_cache_workshop", "workshops", ["workshop_id"], ["id"], ondelete="SET NULL")
        batch_op.create_index(batch_op.f("ix_llm_cache_workshop_id"), ["workshop_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_llm_cache_team_id"), ["team_id"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("llm_cache") as batch_op:
        batch_op.drop_index(batch_op.f("ix_llm_cache_team_id"))
        batch_op.drop_index(batch_op.f("ix_llm_cache_workshop_id"))
        batch_op.drop_constraint("fk_llm_cache_workshop", type_="foreignkey")
        batch_op.drop_column("team_id")
        batch_op.drop_column("workshop_id")
    with op.batch_alter_table("workshops") as batch_op:
        batch_op.drop_column("notes_purged_at")
