"""Phrases cut from wire copy without cutting them mid-phrase: sentences, noun phrases, headline.

Everything returned is a verbatim span of the text (or the text with a dateline, a leading
time and "according to …" asides taken out, for the headline), cut only at a boundary.
"""

from __future__ import annotations

import re

from bot.extractive.gazetteer import DATELINE, TIME_EXPRESSION, WEEKDAYS, words

# A sentence ends at . ! ? (and a closing quote after it) before a capital, a digit or an
# opening quote; CJK full stops end one wherever they are.
_SPLIT = re.compile(
    r"(?<=[.!?])[\"'\u201d\u2019»)]?\s+(?=[\"“«‘(]?[A-ZÀ-ÝĀ-ŽА-Я0-9])|(?<=[。！？])[”」』]?"
)
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Sen|Rep|St|Jr|Sr|Inc|Corp|Co|No|vs|U\.S|U\.K|e\.g|i\.e|"
    r"Jan|Feb|Aug|Sept?|Oct|Nov|Dec|Gov|Lt|Col))\.$"
)
QUOTE_CHARS = '“”"«»„‘'
_PAIRS = re.compile(r"“([^“”]+)”|\"([^\"]+)\"|«([^«»]+)»|„([^„“”]+)[“”]|‘([^‘’]+)’(?!\w)")
_NP_STOP = words(
    """
that|which|who|whom|whose|as|because|while|if|when|after|before|since|until|unless|so|but|is|
are|was|were|be|been|will|would|could|should|can|may|might|must|has|have|had|do|does|did|
than|not|saying|insisting|calling|adding|arguing|warning|citing|amid|despite
"""
)
_DANGLING = words(
    """
a|an|the|of|by|on|for|with|in|at|to|from|his|her|its|their|our|this|these|those|and|or|about|
over|under|into|against|between|among|per|some|any|all|both|each|every|own|more|most|less|
new|recent|other|further|first|such
"""
)
_BOUNDARY = words(
    """
of|by|on|for|with|in|at|from|about|over|under|into|against|and|or
"""
)
_ABOUT = re.compile(
    r"^(?:\w+\s+){0,3}?(?:support|backing|opposition|commitment|solidarity|respect|call|calls)"
    r"\s+(?:for|to|with|of)\s+",
    re.IGNORECASE,
)
_DETERMINERS = words(
    """
the|a|an|its|his|her|their|our|this|these|those|all
"""
)
_PRONOUNS = words(
    """
it|he|she|they|we|i|you|him|them|us|this|that|these|those
"""
)
_HEADLINE_CHARS = 140
_HEAD_CUTS = re.compile(
    r",\s|\s(?:and|as|after|while|but|amid|following|which|because|despite|before|when|saying)\s"
)
_ASIDE = re.compile(r",?\s*\baccording to [^,.;]*,?")
_DAY = re.compile(rf"\s+(?:(?:late |early )?on\s+(?:{WEEKDAYS})\b|today\b)")
_OPENER = re.compile(rf"^(?:(?:{TIME_EXPRESSION.pattern})|Meanwhile|However),\s+", re.IGNORECASE)


def split_sentences(text: str) -> list[str]:
    """Split text into sentences, paragraph by paragraph, keeping each one verbatim."""
    return [unit for paragraph in text.split("\n") for unit in sentences_of(paragraph)]


def sentences_of(paragraph: str) -> list[str]:
    """Split one paragraph into sentences (verbatim slices, not across an open quote)."""
    out: list[str] = []
    start = 0
    for match in _SPLIT.finditer(paragraph):
        piece = paragraph[start : match.end()].strip()
        if _ABBREVIATION.search(piece.rstrip("\"'”’») ")):
            continue  # "the U.S. said": not the end of a sentence
        if piece:
            out.append(piece)
        start = match.end()
    if tail := paragraph[start:].strip():
        out.append(tail)
    return out


def open_quote(text: str) -> bool:
    """Tell whether a quotation opened in the text is still open at its end."""
    return (
        text.count("“") > text.count("”")
        or text.count('"') % 2 == 1
        or text.count("«") > text.count("»")
    )


def units_of(paragraph: str) -> list[str]:
    """Split a paragraph into sentences, but keep a quotation and its attribution together."""
    units: list[str] = []
    for sentence in sentences_of(paragraph):
        if units and open_quote(units[-1]):
            start = paragraph.find(units[-1])
            end = paragraph.find(sentence, start) + len(sentence)
            units[-1] = paragraph[start:end]
        else:
            units.append(sentence)
    return units


def quoted(text: str) -> list[str]:
    """Return the quoted words in a text (an unclosed last quotation runs to the end)."""
    spans = [next(g for g in m.groups() if g is not None) for m in _PAIRS.finditer(text)]
    if open_quote(text):
        opener = max(text.rfind("“"), text.rfind("«"), text.rfind('"'))
        spans.append(text[opener + 1 :])
    return [s.strip().rstrip(",") for s in spans if len(s.strip()) >= 3]  # noqa: PLR2004


def clause(text: str) -> str:
    """Trim a reported clause to its verbatim core: no trailing attribution or full stop."""
    text = re.sub(r",?\s*according to [^,“”\"]*$", "", text.strip())
    return text.strip().rstrip(".,;:").strip()


def _trim(words: list[str], limit: int) -> list[str]:
    if len(words) > limit:
        cuts = [i for i in range(1, limit + 1) if words[i].casefold() in _BOUNDARY]
        words = words[: cuts[-1]] if cuts else []
    while words and (words[-1].casefold() in _DANGLING or words[-1].endswith(("'s", "’s"))):
        words.pop()
    return words


def noun_phrase(text: str, limit: int = 8) -> str:
    """Return the whole noun phrase a text starts with, or "" when it does not start with one."""
    text = _ABOUT.sub("", text.strip(), count=1)
    words: list[str] = []
    for raw in text.split():
        bare = raw.strip(",;:.!?()")
        if any(c in raw for c in QUOTE_CHARS) or bare.casefold() in _NP_STOP:
            break
        if bare.casefold() == "to":  # "vowed to challenge the pact": the pact
            if words:
                break
            continue
        words.append(bare)
        if bare != raw.rstrip(")"):
            break
    if words and words[0].casefold() not in _DETERMINERS and not words[0][:1].isupper():
        words = words[1:] if len(words) > 1 and words[1].casefold() in _DETERMINERS else []
    words = _trim(words, limit)
    if not words or (len(words) == 1 and words[0].casefold() in _PRONOUNS):
        return ""
    return " ".join(words)


def subject_phrase(text: str) -> str:
    """Return the subject noun phrase a reported clause starts with ("" for a pronoun)."""
    words: list[str] = []
    for raw in text.split()[:8]:
        bare = raw.strip(",;:.!?")
        if any(c in raw for c in QUOTE_CHARS) or bare.casefold() in _NP_STOP:
            break
        if words and words[0][:1].isupper() and words[0] != "The" and not bare[:1].isupper():
            break  # "North Korea enabled", "Moscow saw": a name, then its verb
        if words and bare.endswith("ed"):
            break
        words.append(bare)
        if bare != raw:
            break
    if words and words[0].casefold() not in _DETERMINERS and not words[0][:1].isupper():
        return ""
    words = _trim(words, 6)
    return "" if not words or words[0].casefold() in _PRONOUNS else " ".join(words)


def headline(lead: str) -> str:
    """Make a headline from a lead: its main clause, without dateline or leading time."""
    text = DATELINE.sub("", lead, count=1)
    text = _OPENER.sub("", _ASIDE.sub(" ", text).strip())
    text = _DAY.sub("", text)
    text = " ".join(text.split()).rstrip(".!?;: ")
    first = text.split(", ")[0]
    if len(first.split()) >= 5 and len(first) <= _HEADLINE_CHARS:  # noqa: PLR2004
        text = first
    if len(text) > _HEADLINE_CHARS:
        cuts = [m.start() for m in _HEAD_CUTS.finditer(text) if 30 <= m.start() <= _HEADLINE_CHARS]  # noqa: PLR2004
        text = text[: cuts[-1]] if cuts else text[: _HEADLINE_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return text[:1].upper() + text[1:]
