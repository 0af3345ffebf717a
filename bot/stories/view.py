"""A story's view from its articles: sources, quoted actors, and the model's comparison checked.

Pure functions: the caller gathers each article's briefing and text. Every framing line the
model writes must carry a quote found in THAT source's article (the same provenance lookup
briefings use, bot/checks/provenance.py); a line whose quote is not found there is dropped.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.checks.provenance import ArticleQuotes
from bot.feeds.channel import channel_name
from bot.llm.delimiters import delimit
from bot.models import StoredBriefing
from bot.stories.draft import Claim, Framing, StoryDraft, StorySource, StoryView
from bot.stories.service import source_key

PASTED = "pasted text"
_SPACE = re.compile(r"\s+")
MAX_LABEL = 40  # characters of a chat's label for a source
_QUOTES = "\"'“”„«»"  # phones turn typed quotes into curly ones
_ARTICLE_CHARS = 2500  # of each source's article in the prompt: the lead carries the framing


@dataclass(frozen=True)
class Member:
    """One article of the story with what is known of it."""

    article_hash: str
    source_label: str | None
    copy_of: str | None
    title: str | None
    briefing: StoredBriefing | None
    text: str | None
    source_url: str | None = None


def label_keys(label: str | None, url: str | None) -> list[str]:
    """Return the names a chat may label a source by: its label, @channel, or its site."""
    keys = [label.strip().casefold()] if label and label.strip() else []
    if url:
        parts = urlsplit(url)
        host = (parts.hostname or "").removeprefix("www.")
        if host in {"t.me", "telegram.me"} and parts.path.strip("/"):
            keys.append("@" + parts.path.strip("/").split("/")[0].casefold())
        elif host:
            keys.append(host)
    return keys


def label_text(raw: str) -> str | None:
    """Return a label as the chat wrote it, quoted or not (None when there is none)."""
    try:
        words = shlex.split(raw)
    except ValueError:  # an unbalanced quote: the words as they are
        words = raw.split()
    text = " ".join(words).strip().strip(_QUOTES).strip()
    return text[:MAX_LABEL] or None


def followed_name(kind: str, url: str, title: str) -> str:
    """Return the name a followed source's articles are labelled by: its @channel, or its title.

    A feed's items carry its title as their source (bot/feeds/items.py) and link to pages whose
    site may be another feed's too; a channel's posts link to t.me/name, hence "@name".
    """
    name = channel_name(url) if kind == "channel" else None
    return f"@{name}" if name else title


def sources_of(members: list[Member], labels: dict[str, str]) -> list[StorySource]:
    """List a story's sources (one per source, first article first) with their quoted actors."""
    seen: dict[str, StorySource] = {}
    for m in members:
        key = source_key(m.source_label, m.article_hash)
        if key in seen:
            continue
        b = m.briefing.briefing if m.briefing else None
        headline = (b.headline if b else None) or m.title or "(no headline)"
        quoted = [a.name for a in b.actors if any(s.verified for s in a.stances)] if b else []
        seen[key] = StorySource(
            name=m.source_label or PASTED,
            article_hash=m.article_hash,
            headline=headline.strip(),
            quoted=quoted,
            label=next(
                (labels[k] for k in label_keys(m.source_label, m.source_url) if k in labels), None
            ),
            copy_of=m.copy_of,
        )
    return list(seen.values())


def only_quoted_by(sources: list[StorySource]) -> dict[str, str]:
    """Return the actors quoted by exactly one of several sources, with that source."""
    if len(sources) < 2:  # noqa: PLR2004 - one source quotes everyone "alone"
        return {}
    by_actor: dict[str, list[str]] = {}
    for s in sources:
        for actor in dict.fromkeys(s.quoted):
            by_actor.setdefault(actor, []).append(s.name)
    return {actor: names[0] for actor, names in by_actor.items() if len(names) == 1}


def one_line(text: str) -> str:
    """Put text on one line with the prompt's delimiters neutralised (articles are untrusted)."""
    return delimit(_SPACE.sub(" ", text).strip())


def prompt_articles(sources: list[StorySource], texts: dict[str, str]) -> str:
    """Render each source's article for the story prompt, headed by its id."""
    entries = []
    for i, s in enumerate(sources, 1):
        body = one_line(texts.get(s.article_hash, "")[:_ARTICLE_CHARS])
        entries.append(f"[S{i}] {one_line(s.name)}\n{one_line(s.headline)}\n{body}")
    return "\n\n".join(entries)


def checked(draft: StoryDraft, sources: list[StorySource], texts: dict[str, str]) -> StoryView:
    """Keep the model's framing lines whose quote is in that source's own article."""
    by_id = {f"S{i}": s for i, s in enumerate(sources, 1)}
    framings: list[Framing] = []
    dropped = 0
    for f in draft.framings:
        source = by_id.get(f.source.strip().strip("[]"))
        text = texts.get(source.article_hash) if source else None
        if source is None or text is None or not f.quote.strip():
            dropped += 1
            continue
        if not ArticleQuotes(text).found(f.quote):
            dropped += 1
            continue
        framings.append(Framing(source=source.name, framing=f.framing, quote=f.quote.strip()))
    differences = [
        Claim(source=by_id[d.source.strip().strip("[]")].name, claim=d.claim)
        for d in draft.differences
        if d.source.strip().strip("[]") in by_id
    ]
    return StoryView(
        sources=sources,
        agreed=[a for a in draft.agreed if a.strip()][:5],
        differences=differences[:5],
        framings=framings,
        only_quoted_by=only_quoted_by(sources),
        made_with_model=True,
        dropped_framings=dropped,
    )


def relabelled(view: StoryView, sources: list[StorySource]) -> StoryView:
    """Give a stored view's sources the labels they have now (None where the chat took it back)."""
    by_hash = {s.article_hash: s.label for s in sources}
    by_name = {s.name: s.label for s in sources}
    now = [
        s.model_copy(update={"label": by_hash.get(s.article_hash, by_name.get(s.name))})
        for s in view.sources
    ]
    return view.model_copy(update={"sources": now})


def without_model(sources: list[StorySource]) -> StoryView:
    """Return the view made without the model: the grouping, headlines and quoted actors."""
    return StoryView(sources=sources, only_quoted_by=only_quoted_by(sources))
