"""What several processes on one database agree on: job leases, leases, budget holds, windows.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07

pending_jobs gets the process answering a job and until when (a lease a dead process lets
lapse); `leases` holds one-at-a-time work by name (a digest, a feed's poll, an article's
briefing); `budget_holds` the tokens set aside for LLM calls in flight; `rate_hits` the
moving windows of the hourly quotas and command limits. SQLite files get them too, one
schema for both engines, and a single process leaves them nearly empty.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None

INT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Add the lease columns and the three tables (each only if missing)."""
    inspector = sa.inspect(op.get_bind())
    have = {c["name"] for c in inspector.get_columns("pending_jobs")}
    for name in ("claimed_by", "lease_until"):
        if name not in have:  # a file from before Alembic was made whole already
            op.add_column("pending_jobs", sa.Column(name, sa.Text(), nullable=True))
    tables = set(inspector.get_table_names())
    if "leases" not in tables:
        op.create_table(
            "leases",
            sa.Column("name", sa.Text(), nullable=False),
            sa.Column("owner", sa.Text(), nullable=False),
            sa.Column("until", sa.Text(), nullable=False),
            sa.PrimaryKeyConstraint("name"),
        )
        op.create_index("leases_until", "leases", ["until"], unique=False)
    if "budget_holds" not in tables:
        op.create_table(
            "budget_holds",
            sa.Column("id", INT, nullable=False),
            sa.Column("owner", sa.Text(), nullable=False),
            sa.Column("user_id", INT, nullable=True),
            sa.Column("tokens", INT, nullable=False),
            sa.Column("until", sa.Text(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("budget_holds_until", "budget_holds", ["until"], unique=False)
    if "rate_hits" not in tables:
        op.create_table(
            "rate_hits",
            sa.Column("id", INT, nullable=False),
            sa.Column("scope", sa.Text(), nullable=False),
            sa.Column("key", sa.Text(), nullable=False),
            sa.Column("at", sa.Text(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("rate_hits_key", "rate_hits", ["scope", "key", "at"], unique=False)


def downgrade() -> None:
    """Drop the tables and the lease columns, and whatever they held."""
    for index, table in (
        ("rate_hits_key", "rate_hits"),
        ("budget_holds_until", "budget_holds"),
        ("leases_until", "leases"),
    ):
        op.drop_index(index, table_name=table)
        op.drop_table(table)
    with op.batch_alter_table("pending_jobs") as batch:
        batch.drop_column("lease_until")
        batch.drop_column("claimed_by")
