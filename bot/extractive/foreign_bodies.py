"""How German, French and Russian copy writes bodies, titles and declined names.

The patterns that find a body with the words completing its name ("Verband der Chemischen
Industrie", "ministère des Armées", "Министерство экономического развития"), the heads
that only refer back ("die Notenbank", "суд"), titles, and the Russian case forms of one
name ("Банка России" is "Банк России", "Ына" is "Ын").
"""

from __future__ import annotations

import re

from bot.extractive.languages import (
    FR_ORG_HEADS,
    ORG_ENDINGS_DE,
    RU_ENDING,
    RU_GENERIC_HEADS,
    RU_NAMED_HEADS,
    TITLE_ENDINGS,
    ru_stem,
)

UPPER = "A-ZÀ-ÖØ-ÞА-ЯЁ"
NAME_WORD = rf"[{UPPER}][\w’'+-]*"
_W = NAME_WORD
_FR_ADJ = (
    r"[a-zéèêëîïôûç-]+(?:al|ale|aux|ique|aine|ain|el|elle|ien|ienne|en|enne|ais|aise|ante|ant|"
    r"ent|ente|ive|if|é|ée|ère|ier|aire)s?(?![\w'-])"
)
# What completes a Russian body's name: "экономического развития", "Федерации", "РФ".
_RU_GEN = (
    r"[а-яё]+(?:ого|его|ой|ей|ых|их)\s+[а-яё]+(?:ия|ии|а|я|ы|и|ов)(?!\w)"
    r"|[а-яё]+(?:ости|ения|ания|ства|ии|ики)(?!\w)|[а-яё]{3,}[^л\W][ыи](?!\w)"
    r"|[А-ЯЁ][а-яё-]+(?:ии|ы|а|и|я)(?!\w)|[А-ЯЁ]{2,}\+?(?!\w)"
)
_NAMED = ("bundestag", "landtag", "bundesrat", "bundesamt")  # heads that name one body
# Bare heads that refer back ("die Notenbank", "das Gericht"): a body, but not its name.
_DE_GENERIC = ("noten", "zentral", "nachrichten", "terror", "presse", "rating", "aufsichts", "")
_DE_TITLE_INFLECTED = ("präsidenten", "kanzlers", "kollege", "kollegen", "kollegin")
_RU_NOMINATIVE = (("ства", "ство"), ("ству", "ство"), ("ством", "ство"), ("стве", "ство"),
                  ("ы", "а"), ("ой", "а"), ("е", ""))  # fmt: skip


def org_pattern(lang: str) -> re.Pattern[str]:
    """Return the pattern of a body named by its head noun, with what completes the name."""
    if lang == "de":
        head = rf"[\w-]*(?:{'|'.join(ORG_ENDINGS_DE)})"
        complement = rf"(?:\s+(?:und|in|der|des|für)\s+{_W}){{0,3}}"
        return re.compile(
            rf"(?:(?<=\s)[a-zäöü]+(?:isches|ische|ischen)\s+)?(?:[{UPPER}][\w-]{{3,}}(?:e|er|es|en)\s+)?"
            rf"(?<![\w-])(?i:{head})(?:e?s)?(?![\w-])"
            rf"(?:\s+(?:der|des|für)\s+{_W}(?:\s+{_W})?{complement}|\s+[{UPPER}]{{2,7}}\b)?"
        )
    if lang == "fr":
        heads = "|".join(FR_ORG_HEADS)
        complement = rf"(?:{_W}(?:\s*d'{_W}|\s+{_W})*|{_FR_ADJ}|comptes|[a-zéèê]+(?=\s+{_FR_ADJ}))"
        return re.compile(
            rf"(?<![\w])(?:{heads})(?:\s+{_FR_ADJ})*(?:\s+(?:de la|de l'|des|du|de|d')\s*"
            rf"{complement}(?:\s+(?:{_FR_ADJ}|de {_W}(?:\s*d'{_W})?))*)?"
        )
    heads = "|".join((*RU_NAMED_HEADS, *RU_GENERIC_HEADS))
    return re.compile(
        rf"(?:[{UPPER}][а-яё]+(?:ий|ый|ой|ая|ого|ом)\s+(?:[а-яё]+(?:ий|ый|ой|ая|ого|ом)\s+)?)?"
        rf"(?<![\w-])(?i:{heads})[а-яё]*(?![\w-])(?:\s+(?:{_RU_GEN})){{0,2}}"
    )


def generic(lang: str, name: str) -> bool:
    """Tell a head that refers back ("Notenbank", "Совет", "суда") from a body's name."""
    words = name.split()
    if lang == "ru":
        if any(w.casefold().startswith(RU_NAMED_HEADS) for w in words):
            return False
        head = next((i for i, w in enumerate(words) if ru_head(w)), 0)
        return (head == len(words) - 1 and not words[0][:1].isupper()) or len(words) == 1
    if lang != "de" or len(words) > 1:
        return False
    folded = name.casefold()
    for ending in ORG_ENDINGS_DE:
        at = folded.rfind(ending)
        if at >= 0 and folded[at:].rstrip("es") == ending.rstrip("es") and ending not in _NAMED:
            return folded[:at] in _DE_GENERIC
    return False


def org_name(lang: str, written: str) -> str:
    """Name a body as found: German genitive "-s" and Russian head case undone."""
    words = written.split()
    if lang == "de" and (
        re.search(r"(?:tag|rat|werk|amt|bund)e?s$", words[-1])
        or (len(words) == 1 and re.search(r"(?:ums|ungs|ts)$", words[-1]))
    ):
        words[-1] = re.sub(r"e?s$", "", words[-1])  # genitive: "des Bundestags"
    if lang == "ru":
        head = next((i for i, w in enumerate(words) if ru_head(w)), 0)
        words[head] = ru_nominative(words[head])
        if head == 0 and words[0][:1].islower() and len(words) > 1:
            words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


def ru_head(word: str) -> bool:
    """Tell whether a Russian word is the head noun of a body ("Министерства", "суд")."""
    return word.casefold().startswith((*RU_NAMED_HEADS, *RU_GENERIC_HEADS))


def ru_nominative(word: str) -> str:
    """Undo the case of a Russian head noun: "Министерстве" → "Министерство"."""
    for ending, nominative in _RU_NOMINATIVE:
        if word.endswith(ending) and not word.endswith("ие"):
            return word[: len(word) - len(ending)] + nominative
    if word.endswith(("а", "у", "ом")) and not word.endswith("ства"):
        return re.sub(r"(?:а|у|ом)$", "", word)
    return word


def is_title(lang: str, token: str) -> bool:
    """Tell whether a word is a title or role ("Bundeskanzler", "porte-parole", "главы")."""
    folded = token.casefold()
    if lang == "de":  # "Bundeskanzler", "des Präsidenten"
        return folded.endswith(TITLE_ENDINGS["de"]) or folded.endswith(_DE_TITLE_INFLECTED)
    if lang == "ru":  # a title in any case: "главы", "директором-распорядителем"
        return any(
            part.startswith(t) and len(part) - len(t) <= 3  # noqa: PLR2004 - not "Генеральная"
            for part in (folded, *folded.split("-"))
            for t in TITLE_ENDINGS["ru"]
        )
    return folded in TITLE_ENDINGS["fr"]


def ru_pattern(form: str) -> str:
    """Match a Russian name in any case: each word by its stem and a short ending."""
    # "Дания" needs an ending after "Дани" ("Дании"): the bare stem is another word, a name
    return r"\s+".join(
        rf"{re.escape(ru_stem(w))}[а-яё]{{{int(ru_stem(w) != w)},3}}" for w in form.split()
    )


def declined(a: str, b: str) -> bool:
    """Tell whether two Russian words are forms of one name ("Ын", "Ына", "Ыном")."""
    short, long = sorted((a, b), key=len)
    stems = {RU_ENDING.sub("", w) or w for w in (a, b)}
    return len(stems) == 1 or (long.startswith(short) and len(long) - len(short) <= 3)  # noqa: PLR2004
