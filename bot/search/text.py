"""Words as the archive indexes them: folded (case, diacritics, ё→е), tokenised, stemmed.

Stemming is by script and language: a Cyrillic word goes through the Russian stemmer (the
Snowball stemmers have no Ukrainian one; the Russian one still joins most Ukrainian forms),
a Latin word through the stemmer of the text's language, which is told from its commonest
words. A query has no language of its own, so each of its Latin words is stemmed in every
language the archive stems in and any of those forms may match. Folding comes after
stemming: the stemmers know their own letters (ü, é, й), and the index must not.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

import Stemmer

# The languages the bot briefs in that Snowball stems, by ISO 639-1 code.
STEMMERS = {
    "en": "english", "ru": "russian", "de": "german", "fr": "french", "es": "spanish",
    "it": "italian", "pt": "portuguese", "nl": "dutch", "pl": "polish", "sv": "swedish",
}  # fmt: skip
LATIN = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "sv")
_WORD = re.compile(r"\w+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_CYRILLIC_WORD = re.compile(r"\b[\u0400-\u04ff]")
_UKRAINIAN = re.compile(r"[іїєґ]")
_DETECT_WORDS = 150  # enough of an article to tell its language by its commonest words
# The commonest short words of each language: what tells a text's language, and what a
# question's words (for /ask) may leave out.
STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the of and to in a is that for on with as was by at from it said has "
                    "have are be this which were an will or not his her its their who what "
                    "did about how when where why does do".split()),
    "de": frozenset("der die das und ist nicht ein eine den dem des mit auf für im von zu "
                    "sich auch am wie wurde hat sind bei nach aus wer was wann warum".split()),
    "fr": frozenset("le la les et des un une du est que qui dans pour pas sur au avec il "
                    "elle ont été aux ce sont par".split()),
    "es": frozenset("el la los las y de que en un una por con para es del se su al lo "
                    "como más fue ha".split()),
    "it": frozenset("il lo la gli le e di che un una per con non è del della dei nel ha "
                    "sono ai".split()),
    "pt": frozenset("o a os as e de que um uma do da dos das em no na para com não por "
                    "foi ao".split()),
    "ru": frozenset("и в во не что он на я с со как а то все она так его но да ты к у же "
                    "вы за бы по ее мне было от о из ему до ли если или ни быть был "
                    "для при это что какой какие кто где когда сколько".split()),
}  # fmt: skip
_VOTES = {w: lang for lang, words in STOPWORDS.items() if lang != "ru" for w in words}
_VOTING = frozenset(_VOTES)


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {0x0451: "\u0435"}  # ё → е
    for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):  # Latin letters with marks
        parts = unicodedata.normalize("NFKD", chr(code))
        base = "".join(c for c in parts if not unicodedata.combining(c))
        if base and base != chr(code):
            table[code] = base
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Fold case and diacritics (é to e, ü to u, yo to ye); Cyrillic short i stays a letter."""
    return text.casefold().translate(_FOLD)


def words(text: str) -> list[str]:
    """Return the text's words, case-folded but with their diacritics (the stemmers' input).

    Snowball's Russian stemmer reads ё as е itself; `fold` maps the rest after stemming.
    """
    if text.isascii():  # most wire copy: \w is [A-Za-z0-9_] there, and split() is faster
        return text.lower().translate(_ASCII_GAPS).split()
    return _WORD.findall(text.casefold())


# Every ASCII character that is not a word character, as a space (`words`'s fast path).
_ASCII_GAPS = str.maketrans({c: " " for c in map(chr, range(128)) if not _WORD.match(c)})


@functools.cache
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(STEMMERS[language])


def detect_language(tokens: list[str]) -> str | None:
    """Tell a text's language from its first words (Cyrillic by its letters), or None."""
    head = tokens[:_DETECT_WORDS]
    if not head:
        return None
    joined = " ".join(head)
    # A text without one Cyrillic letter (most) skips the count of Cyrillic words.
    if _CYRILLIC.search(joined) and len(_CYRILLIC_WORD.findall(joined)) * 2 >= len(head):
        return "uk" if _UKRAINIAN.search(joined) else "ru"
    # Each distinct common word votes once: cheaper than counting, and as telling.
    votes = Counter(map(_VOTES.__getitem__, _VOTING.intersection(head)))
    return max(votes, key=votes.__getitem__) if votes else None  # as most_common(1) picks


def stems(tokens: list[str], language: str | None) -> list[str]:
    """Stem each word (Cyrillic as Russian, Latin in `language`), then fold it."""
    return folded_stems(tokens, language).split()


def folded_stems(tokens: list[str], language: str | None) -> str:
    """Return the words' stems, folded and joined by spaces (the fast path for indexing).

    In a Latin text each word goes to its own script's stemmer (a quoted Cyrillic word is
    stemmed as Russian); in a Russian, Ukrainian or unknown one with any Cyrillic, every word
    goes to the Russian stemmer (it leaves Latin words be); in the rest no word is stemmed.
    """
    if language in STEMMERS and language != "ru":
        mode = language
    elif _CYRILLIC.search(" ".join(tokens)):
        mode = "ru"
    else:
        mode = ""
    memo = _MEMO.get(mode, _EMPTY)
    try:
        return " ".join(map(memo.__getitem__, tokens))
    except KeyError:
        return " ".join(map(_learn(memo, mode, tokens).__getitem__, tokens))


# Each word's folded stem by stemming mode (a Latin language, "ru", "": none), as a news
# archive repeats its words: a dict lookup per word is what indexing costs, where Snowball
# and folding run once per distinct word.
_MEMO: dict[str, dict[str, str]] = {}
_MEMO_WORDS = 300_000  # per mode: a news archive's vocabulary, ~30 MB at most
_EMPTY: dict[str, str] = {}


def _learn(memo: dict[str, str], mode: str, tokens: list[str]) -> dict[str, str]:
    """Return the mode's memo with the tokens' folded stems added.

    A full memo is replaced by a new one, never emptied: another thread reading it meanwhile
    still finds the words it just learnt.
    """
    new = [t for t in dict.fromkeys(tokens) if t not in memo]
    if memo is _EMPTY or len(memo) + len(new) > _MEMO_WORDS:
        memo, new = {}, list(dict.fromkeys(tokens))
    if not mode:
        memo.update(zip(new, map(fold, new), strict=True))
    else:
        cyrillic = new if mode == "ru" else [t for t in new if _CYRILLIC.match(t)]
        latin = [] if mode == "ru" else [t for t in new if not _CYRILLIC.match(t)]
        for language, group in (("ru", cyrillic), (mode, latin)):
            if group:
                stemmed = map(fold, _stemmer(language).stemWords(group))
                memo.update(zip(group, stemmed, strict=True))
    _MEMO[mode] = memo
    return memo


def index_text(text: str, language: str | None) -> str:
    """Return the text as the index stores it: stems separated by spaces."""
    return folded_stems(words(text), language)


def variants(word: str, languages: Iterable[str] = LATIN) -> list[str]:
    """Return the stems a query word may have in the index (one per stemming language)."""
    tokens = words(word)
    if not tokens:
        return []
    token = tokens[0]
    if _CYRILLIC.match(token):
        return stems([token], "ru")
    # The word as it is, too: a text of no known language is indexed unstemmed.
    found = dict.fromkeys(s for lang in languages for s in stems([token], lang))
    return list(found | dict.fromkeys([fold(token)]))
