"""Attribution: who a sentence says is speaking, through whom, and which words that covers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.checks.cues import (
    ABOUT_THIS,
    ACCORDING,
    CARRIED_BY,
    CITING,
    GENERIC_MEDIA,
    INVERTED_PRONOUN,
    NAMED_MEDIA,
    NP_LOWER,
    OPENERS,
    PARTICIPLE,
    PERSON_PRONOUNS,
    POST_STOP,
    QUOTED_AS,
    ROLE,
    RU_STOP,
    SO_AFTER_QUOTE,
    SPEECH_VERB,
    TIME_WORDS,
    WAS_QUOTED,
)

MASK = "\ue000"  # stands for quoted words, so cues inside a quotation are not read
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_EDGE = " ,;:()[]\"'«»“”„—–-" + MASK
_MAX_NAME_WORDS = 8
_RU_VERB = re.compile(r"(?:[ауяе]ет|ит|[ую]т|ят|ть|ся|сь|^\w{4,}л[аио]?)$")  # present, past tenses
_ADJECTIVE = re.compile(r"^[a-z]+(?:al|ian|ese|ish|ic|ary|ive)$")
_DANGLING = frozenset(["the", "a", "an", "of", "von", "de", "der", "la"])
_GERMAN_OBJECT = frozenset(["der", "dem", "den", "des"])
_TRAILING_WORDS = 4  # a clause this long before a speaker makes the attribution trail


@dataclass(frozen=True)
class Attribution:
    """A sentence's attribution: the speaker phrase as written, a relay, the governed words."""

    who: str | None  # "he", "Kim", "the ministry"; None when only a relay speaks
    via: str | None  # "KCNA", "state media"; "" means "the relay the article last named"
    start: int  # the governed words, relative to the sentence
    end: int
    previous: bool = False  # "Об этом заявил X": it governs the sentence before


def _words(text: str) -> list[str]:
    return [w for w in (w.strip(_EDGE + ".!?") for w in text.split()) if w]


def _capital(word: str) -> bool:
    bare = re.sub(r"^(?:l|d|qu)['’]", "", word, flags=re.IGNORECASE)
    return bool(bare) and bare[0].isupper()


def leading_np(text: str) -> str:
    """Return the named subject a clause opens with ("North Korean leader Kim Jong Un")."""
    kept: list[str] = []
    for word in _words(text):
        low = word.casefold()
        if not kept and (low in OPENERS or low in RU_STOP or TIME_WORDS.match(word)):
            continue
        if kept and TIME_WORDS.match(word) and not _capital(word) and low not in NP_LOWER:
            break
        if _CYRILLIC.search(word):
            if low in RU_STOP or (not _capital(word) and _RU_VERB.search(low)):
                break
            kept.append(word)
        elif (
            (_capital(word) and not TIME_WORDS.match(word))
            or low in NP_LOWER
            or re.fullmatch(r"[\w-]+['’]s", word)
            # "a senior presidential official": adjectives before the name, not after it
            or (_ADJECTIVE.search(low) and not any(_capital(w) for w in kept[1:]))
        ):
            kept.append(word)
        else:
            break
    while kept and (
        kept[-1].casefold() in _DANGLING
        or (_ADJECTIVE.search(kept[-1]) and kept[-1] not in NP_LOWER)
    ):
        kept.pop()
    if kept and _CYRILLIC.search(kept[0]) and not any(_capital(w) for w in kept):
        if not any(ROLE.search(w) for w in kept):
            return ""  # lowercase Russian words that name nobody
    return " ".join(kept)


def following_np(text: str) -> str:
    """Return the speaker named after an inverted verb ("said Senate leader Chuck Schumer")."""
    kept: list[str] = []
    parts = re.split(r"[,.;:!?()]", text, maxsplit=1)
    after = parts[1] if len(parts) > 1 else ""
    for raw in parts[0].split():
        word = raw.strip(_EDGE)
        low = word.casefold()
        if not word or low in POST_STOP or (TIME_WORDS.match(word) and kept):
            break
        if not _CYRILLIC.search(word) and not _capital(word) and low not in NP_LOWER:
            break  # "a déclaré Elisabeth Borne sous les huées": the name ends
        if kept and low in _GERMAN_OBJECT and kept[-1].casefold() not in _DANGLING:
            break  # "sagte der CSU-Politiker der Zeitung": who is told is not who speaks
        kept.append(word)
        if len(kept) >= _MAX_NAME_WORDS or (len(kept) == 1 and low in PERSON_PRONOUNS):
            break
    # "a prévenu le leader de La France insoumise, Jean-Luc Mélenchon": the name follows.
    name = leading_np(after)
    if kept and name and _proper_name(name) and after.strip(_EDGE + ".!?") == name:
        return f"{' '.join(kept)}, {name}"
    return " ".join(kept)


def _proper_name(text: str) -> bool:
    return any(_capital(w) and w.casefold() not in NP_LOWER for w in text.split())


def media_in(text: str) -> str | None:
    """Return the news outlet a phrase names, if it names one."""
    named = NAMED_MEDIA.search(text)
    generic = GENERIC_MEDIA.search(text)
    if named is None and generic is None:
        return None
    if generic is not None and named is None:
        # "the Korean Central News Agency": the outlet's whole name.
        words = text[: generic.start()].split()
        lead = []
        while words and _capital(words[-1]) and words[-1].casefold() not in NP_LOWER:
            lead.insert(0, words.pop())
        return " ".join([*lead, generic.group(0)])
    if generic is not None and named is not None and generic.end() + 1 == named.start():
        return text[generic.start() : named.end()]  # "state media KCNA"
    chosen = named or generic
    assert chosen is not None  # noqa: S101 - one of them matched above
    return chosen.group(0)


def _subject_before(masked: str, verb: int) -> tuple[str, int]:
    """Find the subject phrase before a verb; return it and where its clause starts."""
    head = masked[:verb]
    cut = max(head.rfind(MASK), head.rfind(";"), head.rfind(":"))
    clause = head[cut + 1 :]
    segments = clause.split(",")
    offsets = [cut + 1]
    for segment in segments[:-1]:
        offsets.append(offsets[-1] + len(segment) + 1)
    order = list(range(len(segments)))[::-1]
    apposition = len(order) > 1 and not segments[order[0]].strip()
    if apposition:
        order = order[2:] + order[1:2]  # "X, an apposition, said": X first, then the apposition
    found = [(np, index) for index in order if (np := leading_np(segments[index]))]
    if found:
        # "Le secrétaire général de la CGT, Philippe Martinez, a appelé": the name, not the title.
        np, index = found[0]
        second = found[1] if len(found) > 1 else None
        if apposition and second is not None and second[1] == order[1] and _proper_name(second[0]):
            np = f"{np}, {second[0]}"  # "Le secrétaire général de la CGT, Philippe Martinez,"
        return np, offsets[index] + segments[index].find(np.split()[0])
    return "", verb


def _relay_and_cited(masked: str) -> tuple[str | None, str | None, int]:
    """Find a relay that cites someone: (who, relay, where the relayed words start)."""
    if (m := QUOTED_AS.search(masked)) is not None:
        relay = leading_np(masked[: m.start()].rsplit(",", maxsplit=1)[-1]) or media_in(
            masked[: m.start()]
        )
        return following_np(m["who"]) or m["who"], relay or "", m.end()
    if (m := WAS_QUOTED.search(masked)) is not None:
        who = leading_np(m["who"].split(",")[-1])
        if who:
            return who, media_in(m["relay"] or "") or (m["relay"] or ""), -1
    if (m := CITING.search(masked)) is not None:
        who = _cited_name(m["who"])
        return who, media_in(masked) or "", 0
    return None, None, 0


def _cited_name(text: str) -> str:
    """Cut "according to X …" to X: descriptors, then a name, then nothing lowercase."""
    words: list[str] = []
    named = False
    for word in _words(text)[:_MAX_NAME_WORDS]:
        lower = not _capital(word) and word.casefold() not in NP_LOWER
        if lower and _CYRILLIC.search(word):
            lower = word.casefold() in RU_STOP
        if lower and named:
            break
        words.append(word)
        named = named or _proper_name(word)
    return " ".join(words)


def _according(masked: str) -> Attribution | None:
    m = ACCORDING.search(masked)
    if m is None:
        return None
    if m["pron"]:
        who = m["pron"]
    else:
        who = _cited_name(m["who"])
        tail = masked[m.end() :].split(",")
        # "selon la ministre des Armées, Catherine Vautrin, le budget …": the name follows.
        if (
            len(tail) > 2  # noqa: PLR2004 - a name between two commas
            and tail[0] == ""
            and (name := leading_np(tail[1]))
            and tail[1].strip() == name
        ):
            who = f"{who}, {name}"
    before = masked[: m.start()].strip(_EDGE)
    if len(_words(before)) >= _TRAILING_WORDS:
        return Attribution(who, None, 0, m.start())
    # "Laut X sind …" has no comma: the governed words start after the name.
    named_end = masked.find(who.split()[-1], m.start()) + len(who.split()[-1]) if who else m.end()
    return Attribution(who, None, min(m.end(), max(named_end, m.start())), len(masked))


def attribution(masked: str) -> Attribution | None:
    """Read a sentence (quotations masked) for who speaks, through whom, over which words."""
    who, relay, start = _relay_and_cited(masked)
    if who is not None:
        if start < 0:  # "…, Kim was quoted as saying": the words before it
            return Attribution(who, relay, 0, masked.find(who))
        return Attribution(who, relay, start, len(masked))
    carried = CARRIED_BY.search(masked)
    relay = None
    if carried is not None:
        written = carried["relay"] or carried["fr"] or carried["de"]
        relay = media_in(written) or written.strip()
    according = _according(masked)
    if according is not None and according.who is not None:
        media = media_in(according.who)
        if media is None:
            return according
        relay = media
    spoken = _spoken(masked)
    if spoken is not None:
        return Attribution(spoken.who, relay, spoken.start, spoken.end, spoken.previous)
    if relay is not None:  # the outlet is all that speaks: "…, according to TASS"
        region = according or Attribution(None, None, 0, len(masked))
        return Attribution(relay, None, region.start, region.end)
    return None


def _spoken(masked: str) -> Attribution | None:
    if (so := SO_AFTER_QUOTE.search(masked[masked.rfind(MASK) + 1 :])) and MASK in masked:
        after = masked.rfind(MASK) + 1 + so.end()
        return Attribution(following_np(masked[after:]), None, 0, masked.rfind(MASK) + 1)
    about = ABOUT_THIS.match(masked) is not None
    participle = PARTICIPLE.search(masked)
    verbs = list(SPEECH_VERB.finditer(masked))
    if participle is not None and not any(v.start() < participle.start() for v in verbs):
        if who := leading_np(masked[: participle.start()]):
            return Attribution(who, None, participle.start(), len(masked))
    for verb in verbs:
        if (pronoun := INVERTED_PRONOUN.search(verb.group(0))) is not None:
            return Attribution(pronoun.group(1), None, 0, len(masked))
        before = masked[: verb.start()]
        tail = before[before.rfind(MASK) + 1 :] if MASK in before else before
        if about or not tail.strip(_EDGE + ".!?"):
            who = following_np(masked[verb.end() :])
            if who:
                end = verb.start() if MASK in before else len(masked)
                return Attribution(who, None, 0, end, previous=about)
            continue
        if tail.rstrip(" —–-").endswith(",") and (who := _inverted(masked[verb.end() :])):
            return Attribution(who, None, 0, verb.start())  # "…, заявил Виталий Маркелов."
        who, start = _subject_before(masked, verb.start())
        if not who:
            continue
        if len(_words(masked[:start])) >= _TRAILING_WORDS and "," in masked[:start]:
            return Attribution(who, None, 0, start)  # "…, Kim said."
        return Attribution(who, None, verb.start(), len(masked))
    return None


def _inverted(after: str) -> str:
    """Return the speaker an inverted verb names, if the name ends the clause."""
    who = following_np(after)
    if not who or not (_proper_name(who) or who.casefold() in PERSON_PRONOUNS):
        return ""
    last = who.split()[-1]
    rest = after[after.find(last) + len(last) :].strip()
    next_word = rest.split()[0].casefold() if rest.split() else ""
    return who if not rest or rest[0] in ",.;:!?" or next_word in POST_STOP else ""
