"""Turn briefings and errors into Telegram HTML (parse_mode=HTML) and split long messages."""

from __future__ import annotations

import re
from html import escape, unescape
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bot.models import Polarity

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.models import ArticleRef, CheckedActor, CheckedStance, StoredBriefing

TELEGRAM_LIMIT = 4096
# Telegram keeps the formatting of only the first 100 entities of a message and shows the
# rest as plain text, so a message is split before its 101st tag.
MAX_ENTITIES = 100
_MAX_ALIASES = 3
_ALIAS_CHARS = 40
_EXPANDABLE_FROM = 300  # quotes longer than this start collapsed, so one stance can't fill a screen
_ERROR_CHARS = 500
MARKS = {
    Polarity.SUPPORTS: "✅",
    Polarity.OPPOSES: "❌",
    Polarity.NEUTRAL: "⚪",
    Polarity.MIXED: "🔀",
}

# One atom is a whole tag, a whole entity or one character: cutting only between atoms is
# what keeps a split from ever landing inside a tag or an entity.
_ATOM = re.compile(r"<[^<>]*>|&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z]\w*);|.", re.DOTALL)
_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")
# The same atoms, except that plain text comes in runs rather than one character at a time.
_RUN = re.compile(r"<[^<>]*>|&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z]\w*);|[^<&]+|.", re.DOTALL)
_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][\w-]*)")


def esc(text: str) -> str:
    """Escape text for a Telegram HTML body (use `link` for anything that goes in an attribute)."""
    return escape(text, quote=False)


def link(url: str, text: str) -> str:
    """Render `<a href>` for http(s) URLs only; anything else becomes plain escaped text."""
    label = text if text.strip() else url
    target = url.strip()
    if not _is_web_url(target):
        return esc(label)
    return f'<a href="{escape(target, quote=True)}">{esc(label)}</a>'


def _is_web_url(url: str) -> bool:
    # Control and space characters are how schemes like "java\tscript:" get smuggled past
    # naive checks, so refuse them outright instead of trying to normalise them.
    if not url or any(c.isspace() or not c.isprintable() for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


def message_link(chat_id: int, message_id: int | None, username: str | None = None) -> str | None:
    """Link a message in a supergroup or channel; None where Telegram has no such link."""
    digits = str(chat_id)
    # Only supergroups and channels (ids -100XXXXXXXXXX) have message links; private chats
    # and basic groups do not, whatever username they have.
    if message_id is None or not digits.startswith("-100"):
        return None
    if username and _USERNAME.fullmatch(username.removeprefix("@")):
        return f"https://t.me/{username.removeprefix('@')}/{message_id}"
    return f"https://t.me/c/{digits[4:]}/{message_id}"


def article_url(
    source_url: str | None, chat_id: int, message_id: int | None, username: str | None = None
) -> str | None:
    """Prefer an article's own web URL, else the forwarded message in the chat."""
    if source_url and _is_web_url(source_url.strip()):
        return source_url.strip()
    return message_link(chat_id, message_id, username)


def _shorten(text: str, limit: int) -> str:
    # Shorten before escaping, so the cut can never fall inside an entity.
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render_error(message: str, error_id: str | None = None) -> str:
    """Render a short, escaped, user-facing error message."""
    text = f"⚠️ {esc(_shorten(message.strip() or 'Something went wrong.', _ERROR_CHARS))}"
    if error_id:
        # No <i> around <code>: Telegram refuses code nested inside other entities.
        text += f"\nError ID: <code>{esc(_shorten(error_id, 64))}</code>"
    return text


def extractive_label(reason: str) -> str:
    """Say, in one line, that a briefing was made without the LLM, and why."""
    return (
        f"📝 Made without the language model ({reason}): the article's key sentences and "
        "attributed quotes. Send it again later for the full briefing."
    )


def render_briefing(
    stored: StoredBriefing, *, show_unverified: bool = True, cached: bool = False
) -> str:
    """Render a stored briefing as one Telegram HTML string (pass it through split_html)."""
    b = stored.briefing
    head = [f"<b>{esc(b.headline.strip())}</b>"] if b.headline.strip() else []
    head += [line for line in [_source_line(stored.article)] if line]
    if stored.extractive_reason:
        head.append(f"<i>{esc(extractive_label(stored.extractive_reason))}</i>")
    blocks = ["\n".join(head)]
    if b.tldr.strip():
        blocks.append(f"<b>TL;DR</b>\n{esc(b.tldr.strip())}")
    points = [f"• {esc(p.strip())}" for p in b.key_points if p.strip()]
    if points:
        blocks.append("<b>Key points</b>\n" + "\n".join(points))
    if b.why_it_matters.strip():
        blocks.append(f"<b>Why it matters</b>\n{esc(b.why_it_matters.strip())}")
    if b.actors:
        # A blank line between actors gives split_html a paragraph boundary to cut at.
        actors = "\n\n".join(_render_actor(a, show_unverified=show_unverified) for a in b.actors)
        blocks.append(f"<b>Actors &amp; stances</b>\n{actors}")
    notes = [f"{b.verified_count} of {b.stance_count} quotes verified"] if b.stance_count else []
    notes += ["⚡ from cache"] if cached else []
    if notes:
        blocks.append(f"<i>{' · '.join(notes)}</i>")
    return "\n\n".join(block for block in blocks if block)


def _source_line(article: ArticleRef) -> str:
    parts = []
    source = article.source
    if source is not None and (source.label.strip() or source.url):
        parts.append(link(source.url, source.label) if source.url else esc(source.label))
    if article.truncated_from:
        parts.append(
            f"(truncated: first {article.chars:,} of {article.truncated_from:,} characters)"
        )
    return f"<i>{' '.join(parts)}</i>" if parts else ""


def _render_actor(actor: CheckedActor, *, show_unverified: bool) -> str:
    name = actor.name.strip()
    seen = {name.casefold()}
    aliases = []
    for alias in (a.strip() for a in actor.aliases):
        if alias and alias.casefold() not in seen:
            seen.add(alias.casefold())
            aliases.append(_shorten(alias, _ALIAS_CHARS))
    head = f"<b>{esc(name)}</b>"
    if aliases:
        more = ", …" if len(aliases) > _MAX_ALIASES else ""
        head += f" ({esc(', '.join(aliases[:_MAX_ALIASES]))}{more})"
    head += f" · <i>{esc(actor.kind.value)}</i>"
    stances = [_render_stance(s, show_unverified=show_unverified) for s in actor.stances]
    return "\n".join([head, *stances])


def _render_stance(stance: CheckedStance, *, show_unverified: bool) -> str:
    polarity = stance.polarity
    line = f"{MARKS[polarity]} {polarity.value} <i>{esc(stance.target.strip())}</i>"
    if stance.position.strip():
        line += f": {esc(stance.position.strip())}"
    quote = stance.quote.strip()
    if not quote:
        return line
    if stance.verified:
        tag = "blockquote expandable" if len(quote) > _EXPANDABLE_FROM else "blockquote"
        return f"{line}\n<{tag}>{esc(quote)}</blockquote>"
    # Unverified quotes stay plain text behind a warning: a blockquote would lend them the
    # authority that only a quote found in the article has earned.
    if show_unverified:
        return f"{line}\n⚠️ unverified — not found in the article: “{esc(quote)}”"
    return f"{line}\n<i>⚠️ quote withheld: not found in the article</i>"


def split_html(
    html: str, limit: int = TELEGRAM_LIMIT, max_entities: int = MAX_ENTITIES
) -> list[str]:
    """Split Telegram HTML into well-formed chunks within Telegram's length and entity limits."""
    if limit < 1:
        raise ValueError("limit must be positive")
    # Most replies fit one message: checking that on runs of text, not character by
    # character, costs a small fraction of the walk below.
    if (single := _fits_one(html, limit, max_entities)) is not None:
        return [single] if single else []
    return split_atoms(html, limit, max_entities)


def split_atoms(
    html: str, limit: int = TELEGRAM_LIMIT, max_entities: int = MAX_ENTITIES
) -> list[str]:
    """Split character by character (what split_html does when the text needs splitting)."""
    atoms = _ATOM.findall(html)
    texts = [_text_of(a) for a in atoms]
    chunks: list[str] = []
    stack: list[tuple[str, str]] = []  # (name, opening tag) of the tags open at position i
    i = 0
    while i < len(atoms):
        end = _window_end(atoms, texts, i, stack, (limit, max_entities))
        cut = end if end == len(atoms) else _best_cut(texts, i, end)
        # Take closing tags that follow the cut along, or the next chunk opens with an
        # empty element that was reopened only to be closed.
        while cut < len(atoms) and atoms[cut].startswith("</"):
            cut += 1
        after = list(stack)
        for atom in atoms[i:cut]:
            if atom[0] == "<":
                _step(after, atom)
        body = _strip(atoms[i:cut], texts[i:cut])
        if body:
            chunks.append("".join(tag for _, tag in stack) + body + _closers(after))
        stack, i = after, cut
    return chunks


def _fits_one(html: str, limit: int, max_entities: int) -> str | None:
    """Return `html` as its one chunk would be (trimmed, closed), or None if it needs more."""
    atoms = _RUN.findall(html)
    texts = [_text_of(a) for a in atoms]
    if _visible_len("".join(texts)) > limit:
        return None
    # The same raw-length and entity caps as _window_end, checked over the whole text.
    open_tags: list[tuple[str, str]] = []
    raw = entities = 0
    for atom in atoms:
        _step(open_tags, atom)
        raw += len(atom)
        entities += atom.startswith("<") and not atom.startswith("</") and len(atom) > 1
        if raw + len(_closers(open_tags)) > 2 * limit or entities > max_entities:
            return None
    solid = [k for k, text in enumerate(texts) if text.strip()]
    if not solid:
        return ""
    lo, hi = solid[0], solid[-1]
    # As _strip does per character: whitespace outside the first and last visible
    # character goes, every tag stays.
    out: list[str] = []
    stack: list[tuple[str, str]] = []
    for k, atom in enumerate(atoms):
        if not texts[k]:  # a tag
            out.append(atom)
            _step(stack, atom)
        elif lo <= k <= hi:
            run = atom
            if k == lo and _is_run(atom):
                run = run.lstrip()
            if k == hi and _is_run(atom):
                run = run.rstrip()
            out.append(run)
    return "".join(out) + _closers(stack)


def _is_run(atom: str) -> bool:
    return atom[0] not in "<&"


def _text_of(atom: str) -> str:
    if len(atom) > 1 and atom[0] == "<":
        return ""
    return unescape(atom) if atom[0] == "&" else atom


def _visible_len(text: str) -> int:
    # Telegram measures messages in UTF-16 code units, so an emoji outside the BMP counts
    # twice; counting the same way keeps chunks under the limit however it is measured.
    return len(text.encode("utf-16-le")) // 2


def _step(stack: list[tuple[str, str]], atom: str) -> None:
    match = _TAG.match(atom)
    if match is None or atom.endswith("/>"):
        return
    closing, name = match.group(1), match.group(2).lower()
    if not closing:
        stack.append((name, atom))
        return
    for k in range(len(stack) - 1, -1, -1):
        if stack[k][0] == name:
            del stack[k:]
            return


def _closers(stack: list[tuple[str, str]]) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(stack))


def _window_end(
    atoms: list[str],
    texts: list[str],
    start: int,
    stack: list[tuple[str, str]],
    limits: tuple[int, int],
) -> int:
    limit, max_entities = limits
    # Raw length is capped too: entity-heavy text can be short to Telegram yet long in bytes.
    guard = 2 * limit
    open_tags = list(stack)
    visible, raw, closing = 0, sum(len(tag) for _, tag in stack), len(_closers(stack))
    entities = len(stack)  # tags reopened at the top of the chunk are entities too
    for k in range(start, len(atoms)):
        atom, text = atoms[k], texts[k]
        if atom[0] == "<":  # only a tag opens or closes anything (a long page has ~8,000 atoms)
            _step(open_tags, atom)
            closing = len(_closers(open_tags))
            entities += not atom.startswith("</") and len(atom) > 1
        # One character below the surrogates is one UTF-16 unit; the rest are counted.
        visible += 1 if len(text) == 1 and text < "\ud800" else _visible_len(text)
        raw += len(atom)
        if visible > limit or raw + closing > guard or entities > max_entities:
            return max(k, start + 1)  # always make progress, even past one oversized atom
    return len(atoms)


def _next_text(texts: list[str], k: int) -> str:
    # A short look-ahead is enough to step over tags between two newlines, and keeps the
    # search for a blank line linear instead of rescanning the rest of the message.
    return next((t for t in texts[k + 1 : k + 64] if t), "")


def _best_cut(texts: list[str], start: int, end: int) -> int:
    # Cut before atom c (the chunk is start..c-1); c == end is allowed because the atom at
    # end is not part of the chunk. c must leave some non-blank text in the chunk.
    first = next((k for k in range(start, end) if texts[k].strip()), end)
    preferences: list[Callable[[int], bool]] = [
        lambda c: texts[c] == "\n" and _next_text(texts, c) == "\n",  # blank line
        lambda c: texts[c] == "\n",
        lambda c: texts[c].isspace(),
    ]
    for fits in preferences:
        for c in range(end, first, -1):
            if fits(c):
                return c
    return end


def _strip(atoms: list[str], texts: list[str]) -> str:
    # Drop whitespace before the first and after the last visible character, but keep every
    # tag so that opening and closing tags stay balanced.
    solid = [k for k, text in enumerate(texts) if text.strip()]
    if not solid:
        return ""
    lo, hi = solid[0], solid[-1]
    return "".join(a for k, a in enumerate(atoms) if lo <= k <= hi or not texts[k])
