"""Build an export file: which records, in which format, under which name (blocking)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TextIO

from bot.errors import BriefbotError
from bot.export.formats import Format, write_csv, write_json, write_md
from bot.export.records import What, briefings, stances
from bot.store.briefing_cache import BriefingCache
from bot.store.index import Index

MAX_TELEGRAM_BYTES = 50 * 1024 * 1024  # what a bot may upload with sendDocument


@dataclass(frozen=True)
class ExportRequest:
    """What to export from one chat, and how."""

    chat_id: int
    what: What = What.BRIEFINGS
    fmt: Format = Format.MD
    actor: str = ""  # for What.WHO: the actor's display name
    names: Collection[str] = field(default_factory=frozenset)  # its names as indexed

    def title(self, today: date) -> str:
        """Return the document's title line."""
        if self.what is What.WHO:
            return f"{self.actor}: stances in chat {self.chat_id}, exported {today.isoformat()}"
        return (
            f"{self.what.value.capitalize()} of chat {self.chat_id}, exported {today.isoformat()}"
        )

    def filename(self, today: date) -> str:
        """Return the file's name: what, whose, when."""
        what = self.what.value
        if self.what is What.WHO:
            slug = "".join(c if c.isalnum() else "-" for c in self.actor.lower()).strip("-")
            what = f"who-{slug[:40] or 'actor'}"
        return f"briefbot-{what}-{today.isoformat()}.{self.fmt.value}"


def write_export(
    index: Index, cache: BriefingCache, request: ExportRequest, out: Path, today: date
) -> int:
    """Write the export to the file `out`; return how many briefings or citations it holds."""
    # newline="": the csv module writes its own line ends (RFC 4180's CRLF).
    with out.open("w", encoding="utf-8", newline="") as handle:
        return write_to(handle, index, cache, request, today)


def write_to(
    handle: TextIO, index: Index, cache: BriefingCache, request: ExportRequest, today: date
) -> int:
    """Write the export to an open text file; return how many briefings or citations."""
    db = index.reader()
    try:
        items = (
            briefings(db, cache, request.chat_id)
            if request.what is What.BRIEFINGS
            else stances(db, request.chat_id, request.names if request.what is What.WHO else None)
        )
        if request.fmt is Format.CSV:
            return write_csv(handle, items, briefings=request.what is What.BRIEFINGS)
        if request.fmt is Format.JSON:
            return write_json(handle, items)
        return write_md(handle, request.title(today), items)
    finally:
        db.close()


class ExportAskError(BriefbotError):
    """An /export the bot cannot read; the message says how to write it."""


_FORMATS = {"md": Format.MD, "markdown": Format.MD, "csv": Format.CSV, "json": Format.JSON}
USAGE = "Send /export briefings, /export stances or /export who NAME, with csv for a spreadsheet."


def parse_ask(words: list[str]) -> tuple[What, Format, str]:
    """Read /export's words: what (briefings by default), the format (md by default), a name."""
    rest = list(words)
    fmt = Format.MD
    if rest and rest[-1].lower() in _FORMATS:
        fmt = _FORMATS[rest.pop().lower()]
    what = What.BRIEFINGS
    if rest and rest[0].lower() in {w.value for w in What}:
        what = What(rest.pop(0).lower())
    name = " ".join(rest).strip()
    if what is What.WHO and not name:
        raise ExportAskError("Whose stances? Send /export who NAME.")
    if what is not What.WHO and name:
        raise ExportAskError(f"I can't export “{name[:40]}”. {USAGE}")
    return what, fmt, name
