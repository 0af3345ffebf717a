"""The blobs table: on PostgreSQL, what the data directory's files hold today.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07

Cached briefings, digests and answers, article texts, fetched pages and rendered pictures,
by kind and key, so a process on PostgreSQL needs no disk of its own. SQLite files get the
empty table (one schema for both engines) and keep their files.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Make the blobs table and the index pruning reads."""
    if "blobs" in sa.inspect(op.get_bind()).get_table_names():
        return  # a file from before Alembic, made whole by this version already
    op.create_table(
        "blobs",
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("written_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "key"),
    )
    op.create_index("blobs_written", "blobs", ["kind", "written_at"], unique=False)


def downgrade() -> None:
    """Drop the table, and whatever it held."""
    op.drop_index("blobs_written", table_name="blobs")
    op.drop_table("blobs")
