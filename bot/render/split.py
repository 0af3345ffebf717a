"""Split Telegram HTML into messages within Telegram's length and entity limits.

Rendering decides what a briefing says; splitting decides where a long message may be cut
without breaking a tag or an entity, counting what Telegram counts (UTF-16 length, the
first 100 entities). Every renderer's output (briefings, /who, digests) goes through
`split_html`, so the splitter is a concern of its own, apart from any one renderer.
"""

from __future__ import annotations

import re
from html import unescape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


TELEGRAM_LIMIT = 4096
# Telegram keeps the formatting of only the first 100 entities of a message and shows the
# rest as plain text, so a message is split before its 101st tag.
MAX_ENTITIES = 100


# One atom is a whole tag, a whole entity or one character: cutting only between atoms is
# what keeps a split from ever landing inside a tag or an entity.
_ATOM = re.compile(r"<[^<>]*>|&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z]\w*);|.", re.DOTALL)


# The same atoms, except that plain text comes in runs rather than one character at a time.
_RUN = re.compile(r"<[^<>]*>|&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z]\w*);|[^<&]+|.", re.DOTALL)
_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][\w-]*)")


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
    return len(text.encode("utf-16-le", "surrogatepass")) // 2  # a lone surrogate is one unit


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
