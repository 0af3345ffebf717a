"""PostgreSQL's search document weighs its columns as FTS5's bm25 does: title, brief, names, body.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08

The baseline gave the names weight A, with the title; bm25 weighs title 5, brief 3, names 2,
body 1, so the document becomes title A, brief B, names C, body D (ranked with weights
{0.2, 0.4, 0.6, 1.0} for D, C, B, A: bot/search/retrieve.py). A generated column cannot
be altered in place: it is dropped with its GIN index and added again, which recomputes
every row's tsvector (about the cost of indexing the archive's text once). SQLite's FTS5
table weighs its columns at query time: nothing to do there.
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

_DOCUMENT = """ALTER TABLE search_fts ADD COLUMN document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', title), '{title}') ||
    setweight(to_tsvector('simple', brief), '{brief}') ||
    setweight(to_tsvector('simple', names), '{names}') ||
    setweight(to_tsvector('simple', body), '{body}')
) STORED"""
_INDEX = "CREATE INDEX search_fts_document ON search_fts USING GIN (document)"


def _redefine(weights: dict[str, str]) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS search_fts_document")
    op.execute("ALTER TABLE search_fts DROP COLUMN document")
    op.execute(_DOCUMENT.format(**weights))
    op.execute(_INDEX)


def upgrade() -> None:
    """Title A, brief B, names C, body D (PostgreSQL only)."""
    _redefine({"title": "A", "brief": "B", "names": "C", "body": "D"})


def downgrade() -> None:
    """Restore the baseline's weights: title and names A, brief B, body C (PostgreSQL only)."""
    _redefine({"title": "A", "brief": "B", "names": "A", "body": "C"})
