"""Write an export as Markdown, CSV or JSON, streaming records to a text file as they come.

Markdown: every text from an article or the model is escaped, so a quote holding `*`, `[`,
`#` or `<script>` stays text in any renderer. CSV (the csv module): a cell that starts with
`=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so a spreadsheet never
runs a quote as a formula (OWASP's advice on CSV injection); one row per citation, the
briefing's own columns repeated on each of its rows.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import re
from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import TextIO

from bot.export.records import BriefingRecord, Citation

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&])")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
CITATION_COLUMNS = [f.name for f in dataclasses.fields(Citation)]
BRIEFING_COLUMNS = ["headline", "title", "source", "link", "published", "published_from",
                    "received", "tldr", "key_points", "why_it_matters"]  # fmt: skip
# A briefing's citations share its article: its source, link and dates are not repeated.
CITED_COLUMNS = [name for name in CITATION_COLUMNS if name not in BRIEFING_COLUMNS]


class Format(StrEnum):
    """The file formats an export can take."""

    MD = "md"
    CSV = "csv"
    JSON = "json"


def md(text: str) -> str:
    """Escape text for Markdown, on one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_link(label: str, url: str) -> str:
    if not url:
        return md(label)
    safe = url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
    return f"[{md(label or url)}](<{safe}>)"


def cell(value: object) -> str:
    """Make a value a CSV cell no spreadsheet will run as a formula."""
    text = ("yes" if value else "no") if isinstance(value, bool) else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def _citation_md(c: Citation, *, with_actor: bool) -> list[str]:
    who = f"**{md(c.actor)}** ({md(c.kind)}) " if with_actor else ""
    about = md(c.issue or c.target)
    lines = [f"- {who}{md(c.polarity)} *{about}*: {md(c.position)}"]
    if c.quote:
        lines.append(f"  > {md(c.quote)}")
    said = c.provenance or "unknown provenance"
    if c.speaker:
        said += f", said by {c.speaker}"
    if c.via:
        said += f", via {c.via}"
    checked = "verified" if c.verified else "not verified"
    where = _md_link(c.source or c.headline or "the article", c.link)
    dated = md(c.published) + (f" ({md(c.published_from)})" if c.published_from else "")
    lines.append(f"  — {md(said)}; {checked}; {where}, {dated}")
    return lines


def write_md(out: TextIO, title: str, items: Iterable[BriefingRecord] | Iterable[Citation]) -> int:
    """Write a Markdown export; return how many briefings or citations it holds."""
    out.write(f"# {md(title)}\n\n")
    count = 0
    for item in items:
        count += 1
        if isinstance(item, Citation):
            out.write("\n".join(_citation_md(item, with_actor=True)) + "\n")
            continue
        out.write(f"## {md(item.headline or item.title or 'Untitled')}\n\n")
        dated = md(item.published) + (
            f" ({md(item.published_from)})" if item.published_from else ""
        )
        out.write(f"{_md_link(item.source or 'Source', item.link)} · {dated}\n\n")
        if item.tldr:
            out.write(f"**TL;DR** {md(item.tldr)}\n\n")
        out.writelines(f"- {md(p)}\n" for p in item.key_points)
        if item.why_it_matters:
            out.write(f"\n**Why it matters** {md(item.why_it_matters)}\n")
        if item.citations:
            out.write("\n**Actors and stances**\n\n")
            out.writelines(
                "\n".join(_citation_md(c, with_actor=True)) + "\n" for c in item.citations
            )
        out.write("\n")
    if not count:
        out.write("Nothing to export yet.\n")
    return count


def _briefing_rows(item: BriefingRecord) -> Iterator[list[str]]:
    own = [cell(getattr(item, name)) for name in BRIEFING_COLUMNS if name != "key_points"]
    own.insert(BRIEFING_COLUMNS.index("key_points"), cell(" • ".join(item.key_points)))
    for c in item.citations or (None,):
        cited = (
            [cell(getattr(c, n)) for n in CITATION_COLUMNS] if c else [""] * len(CITATION_COLUMNS)
        )
        yield own + cited


def write_csv(
    out: TextIO, items: Iterable[BriefingRecord] | Iterable[Citation], *, briefings: bool
) -> int:
    """Write a CSV export (a header row, then a row per citation); return the items written."""
    writer = csv.writer(out)
    writer.writerow(BRIEFING_COLUMNS + CITED_COLUMNS if briefings else CITATION_COLUMNS)
    count = 0
    for item in items:
        count += 1
        if isinstance(item, Citation):
            writer.writerow([cell(getattr(item, n)) for n in CITATION_COLUMNS])
        else:
            writer.writerows(_briefing_rows(item))
    return count


def write_json(out: TextIO, items: Iterable[BriefingRecord] | Iterable[Citation]) -> int:
    """Write a JSON array of the items, one at a time; return how many."""
    out.write("[")
    count = 0
    for item in items:
        out.write(",\n" if count else "\n")
        json.dump(dataclasses.asdict(item), out, ensure_ascii=False)
        count += 1
    out.write("\n]\n")
    return count
