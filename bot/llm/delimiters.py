"""Untrusted text cannot close or open the delimited data block, in any script or width.

The prompt files put articles and briefings between markers such as <<<ARTICLE>>> and
<<<END ARTICLE>>>. Text that looks like a marker to a model must not reach it as one, and a
model reads the marker with a Cyrillic capital IE for the last E, in full-width brackets
(U+FF1C, U+FF1E) or in single angle quotation marks (U+2039, U+203A) as the marker too. So
the text is folded first (NFKC, angle-bracket look-alikes to `<` and `>`, invisible and
combining characters dropped), every marker-like run is found in the folded view and
replaced in the original, which is otherwise unchanged. A run of three or more angle
brackets is never legitimate article text, whatever the word between them, so no letter
needs folding: confusable letters cannot help an attacker.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

REPLACEMENT = "[marker removed]"

# Look-alikes of < and > that NFKC leaves alone (from Unicode's confusables and the angle
# brackets of other blocks). The doubled ones read as two brackets.
_BRACKETS = {
    **dict.fromkeys("\u02c2\u1438\u2039\u2329\u276e\u276c\u2770\u27e8\u29fc\u3008\u16b2", "<"),
    **dict.fromkeys("\u02c3\u1433\u203a\u232a\u276f\u276d\u2771\u27e9\u29fd\u3009", ">"),
    **dict.fromkeys("\u00ab\u226a\u300a\u27ea", "<<"),
    **dict.fromkeys("\u00bb\u226b\u300b\u27eb", ">>"),
}
# Every character that is or folds to an angle bracket (NFKC maps the full-width and small
# forms); fewer than three of them and there is nothing to fold.
_CANDIDATE = re.compile("[<>\uff1c\uff1e\ufe64\ufe65" + "".join(_BRACKETS) + "]")
# A marker: three or more brackets each side (spaces between them allowed), short content.
_MARKER = re.compile(r"<(?:\s*<){2,}[^<>\n]{0,80}?>(?:\s*>){2,}")
# What is left: an unclosed "<<<END ARTICLE" or a stray ">>>" may still read as a boundary.
_RUN = re.compile(r"<(?:\s*<){2,}|>(?:\s*>){2,}")


def delimit(text: str) -> str:
    """Neutralise our own delimiters inside untrusted text so it cannot close the block."""
    if len(_CANDIDATE.findall(text)) < 3:  # noqa: PLR2004 - a marker needs three brackets
        return text  # the common case, at C speed
    folded, origin = _fold(text)
    spans = [m.span() for m in _MARKER.finditer(folded)]
    spans += [m.span() for m in _RUN.finditer(_blank(folded, spans))]
    out: list[str] = []
    at = 0
    for start, end in sorted(spans):
        out += [text[at : origin[start]], REPLACEMENT]
        at = origin[end - 1] + 1
    out.append(text[at:])
    return "".join(out)


def _fold(text: str) -> tuple[str, Sequence[int]]:
    # Folded characters and, for each, the index of the original character it came from.
    table = {c: f for c in set(text) if not c.isascii() and (f := _fold_char(c)) != c}
    if not table:
        return text, range(len(text))
    changed = re.compile("|".join(map(re.escape, table)))
    if all(len(f) == 1 for f in table.values()):  # same length: positions are unchanged
        return changed.sub(lambda m: table[m[0]], text), range(len(text))
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = table.get(char, char)
        chars.append(folded)
        origin += [index] * len(folded)
    return "".join(chars), origin


@functools.cache
def _fold_char(char: str) -> str:
    # Invisible characters (zero-width joiners, soft hyphens, combining marks) fold to nothing.
    parts = unicodedata.normalize("NFKC", char)
    kept = (p for p in parts if unicodedata.category(p) not in {"Cf", "Mn", "Me"})
    return "".join(_BRACKETS.get(p, p) for p in kept)


def _blank(folded: str, spans: list[tuple[int, int]]) -> str:
    # Hide what the first pass replaced, keeping positions, so the second finds only the rest.
    pieces: list[str] = []
    at = 0
    for start, end in spans:
        pieces += [folded[at:start], "\x00" * (end - start)]
        at = end
    pieces.append(folded[at:])
    return "".join(pieces)
