"""The data directory's files as rows of the blobs table, for `briefbot migrate` to PostgreSQL.

On PostgreSQL the stores keep what SQLite deployments keep in files as rows (kind, key,
body, written_at): the kind is the top folder, the key the file's name without its suffix
(briefings/ab/abc….json is ("briefings", "abc…")), the body the file's bytes unchanged, and
written_at its modification time, so pruning by age goes on from where it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from bot.store.chat_queries import iso
from bot.store.checksums import TableSum, combined

KINDS = ("briefings", "articles", "fetched", "answers", "digests", "pictures")
SUFFIXES = (".json", ".txt", ".png")  # what the stores write; anything else is not theirs

BlobRow = tuple[str, str, bytes, str]


def rows(data_dir: Path) -> Iterator[BlobRow]:
    """Yield every stored file under the data directory as a blobs row, folder by folder."""
    for kind in KINDS:
        folder = data_dir / kind
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            # Leading dots: a write in progress (atomic_write's temp files, *.part pictures).
            if path.is_file() and path.suffix in SUFFIXES and not path.name.startswith("."):
                yield (
                    kind,
                    path.stem,
                    path.read_bytes(),
                    iso(datetime.fromtimestamp(path.stat().st_mtime, UTC)),
                )


def checksum(data_dir: Path) -> TableSum:
    """Count and hash the files as the blobs table's rows, for the copy's check."""
    return combined(rows(data_dir))
