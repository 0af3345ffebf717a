"""chat_articles gets an id of its own: PostgreSQL has no rowid to tell sendings apart.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07

On SQLite the id is the rowid made explicit (INTEGER PRIMARY KEY), copied as it was, so
"the first recorded sending wins" orders as before; the table is rebuilt once, which takes
about 1 s per 300,000 sendings. On PostgreSQL the column is added as a serial key.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

INT = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
COLUMNS = (
    "chat_id", "article_hash", "message_id", "received_at", "title", "source_label",
    "source_url", "published_at", "published_from",
)  # fmt: skip
INDEXES = {
    "chat_articles_chat": ["chat_id", "received_at"],
    "chat_articles_chat_article": ["chat_id", "article_hash", "received_at"],
    "chat_articles_article": ["article_hash"],
}


def upgrade() -> None:
    """Give every sending its id (SQLite: its rowid, kept)."""
    bind = op.get_bind()
    have = {c["name"] for c in sa.inspect(bind).get_columns("chat_articles")}
    if "id" in have:  # made whole by this version already
        return
    if bind.dialect.name != "sqlite":
        op.execute("ALTER TABLE chat_articles ADD COLUMN id BIGSERIAL PRIMARY KEY")
        return
    op.create_table(
        "_chat_articles_new",
        sa.Column("id", INT, primary_key=True),
        sa.Column("chat_id", INT, nullable=False),
        sa.Column("article_hash", sa.Text(), nullable=False),
        sa.Column("message_id", INT, nullable=True),
        sa.Column("received_at", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("source_label", sa.Text(), nullable=True),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("published_at", sa.Text(), nullable=True),
        sa.Column("published_from", sa.Text(), nullable=True),
    )
    listed = ", ".join(COLUMNS)
    op.execute(
        f"INSERT INTO _chat_articles_new (id, {listed}) "  # noqa: S608 - fixed names
        f"SELECT rowid, {listed} FROM chat_articles ORDER BY rowid"
    )
    op.drop_table("chat_articles")
    op.rename_table("_chat_articles_new", "chat_articles")
    for name, columns in INDEXES.items():
        op.create_index(name, "chat_articles", columns)


def downgrade() -> None:
    """Drop the id (SQLite keeps it as the rowid)."""
    with op.batch_alter_table("chat_articles") as batch:
        batch.drop_column("id")
