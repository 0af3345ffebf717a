"""Splitting a long message steps only tags through the tag stack: the same chunks as before."""

from __future__ import annotations

import random

import pytest

from bot.render import split
from bot.render.split import _ATOM, _best_cut, _closers, _step, _strip, _text_of, split_atoms


# The split as it was, every atom stepped and every length recounted (kept verbatim).
def _visible_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def reference_window_end(
    atoms: list[str],
    texts: list[str],
    start: int,
    stack: list[tuple[str, str]],
    limits: tuple[int, int],
) -> int:
    limit, max_entities = limits
    guard = 2 * limit
    open_tags = list(stack)
    visible, raw = 0, sum(len(tag) for _, tag in stack)
    entities = len(stack)
    for k in range(start, len(atoms)):
        _step(open_tags, atoms[k])
        visible += _visible_len(texts[k])
        raw += len(atoms[k])
        entities += atoms[k].startswith("<") and not atoms[k].startswith("</") and len(atoms[k]) > 1
        if visible > limit or raw + len(_closers(open_tags)) > guard or entities > max_entities:
            return max(k, start + 1)
    return len(atoms)


def reference_split(html: str, limit: int, max_entities: int) -> list[str]:
    atoms = _ATOM.findall(html)
    texts = [_text_of(a) for a in atoms]
    chunks: list[str] = []
    stack: list[tuple[str, str]] = []
    i = 0
    while i < len(atoms):
        end = reference_window_end(atoms, texts, i, stack, (limit, max_entities))
        cut = end if end == len(atoms) else _best_cut(texts, i, end)
        while cut < len(atoms) and atoms[cut].startswith("</"):
            cut += 1
        after = list(stack)
        for atom in atoms[i:cut]:
            _step(after, atom)
        body = _strip(atoms[i:cut], texts[i:cut])
        if body:
            chunks.append("".join(tag for _, tag in stack) + body + _closers(after))
        stack, i = after, cut
    return chunks


WORDS = [
    "word", "Пхеньян", "북한", "😀", "🇰🇷", "&amp;", "&lt;b&gt;", "&#128512;", "&#x1F600;", "&nbsp;",
    "x < y", "a & b", "“curly”", "\n", "\n\n", " ", "  ", "\t", "中文", "é",
]  # fmt: skip
TAGS = [
    ("<b>", "</b>"), ("<i>", "</i>"), ('<a href="https://t.me/c/1/2">', "</a>"),
    ("<blockquote expandable>", "</blockquote>"), ("<code>", "</code>"), ("<u>", "</u>"),
    ("< b >", "< / b >"), ("<br/>", ""), ("<", ""),
]  # fmt: skip


def random_html(rng: random.Random, size: int) -> str:
    """Return HTML of about `size` atoms: nested tags, entities, emoji, stray signs, blank lines."""
    out: list[str] = []
    open_tags: list[str] = []
    for _ in range(size):
        roll = rng.random()
        if roll < 0.08:
            opening, closing = rng.choice(TAGS)
            out.append(opening)
            if closing:
                open_tags.append(closing)
        elif roll < 0.14 and open_tags:
            out.append(open_tags.pop())
        else:
            out.append(rng.choice(WORDS))
    if rng.random() < 0.7:
        out.extend(reversed(open_tags))  # sometimes left unclosed
    return "".join(out)


@pytest.mark.parametrize("seed", range(40))
def test_the_window_gives_the_same_chunks(seed: int) -> None:
    rng = random.Random(seed)
    html = random_html(rng, rng.randrange(50, 3000))
    limit, max_entities = rng.choice([(40, 100), (200, 5), (500, 30), (4096, 100), (64, 2)])
    chunks = split_atoms(html, limit, max_entities)
    assert chunks == reference_split(html, limit, max_entities)
    assert len(chunks) > 1 or len(html) < limit  # the walk was exercised


def test_a_lone_surrogate_is_one_unit_not_a_crash() -> None:
    # JSON may carry a lone surrogate ("\\ud800") in a user's text; the old split raised
    # UnicodeEncodeError on it. Telegram counts it as one UTF-16 unit: 101 units, cut at 40.
    html = "a" * 50 + "\ud800" + "b" * 50
    with pytest.raises(UnicodeEncodeError):
        reference_split(html, 40, 100)  # the old code, kept verbatim, is wrong here
    assert split.split_atoms(html, 40, 100) == ["a" * 40, "a" * 10 + "\ud800" + "b" * 29, "b" * 21]
