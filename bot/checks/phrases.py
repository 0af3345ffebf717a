"""Speaker phrases: the name a clause opens with, the name after an inverted verb, outlets."""

from __future__ import annotations

import re

from bot.checks.cues import (
    GENERIC_MEDIA,
    NAMED_MEDIA,
    NP_LOWER,
    OPENERS,
    PERSON_PRONOUNS,
    POST_STOP,
    ROLE,
    RU_STOP,
    SPEECH_VERB,
    TIME_WORDS,
)

MASK = "\ue000"  # stands for quoted words, so cues inside a quotation are not read
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
EDGE = " ,;:()[]\"'«»“”„—–-" + MASK
_MAX_NAME_WORDS = 8
_RU_VERB = re.compile(r"(?:[ауяе]ет|ит|[ую]т|ят|ть|ся|сь|^\w{4,}л[аио]?)$")  # present, past tenses
_ADJECTIVE = re.compile(r"^[a-z]+(?:al|ian|ese|ish|ic|ary|ive)$")
_DANGLING = frozenset(["the", "a", "an", "of", "for", "von", "de", "der", "la"])
_GERMAN_OBJECT = frozenset(["der", "dem", "den", "des"])
_SPOKESPERSON = re.compile(r"(?i)sprecher|spokes|porte-parole|представител|vertreter|chef|leiter")
_MAX_TITLE = 3
_ELISION = re.compile(r"^(?:l|d|qu)['’]|^(?:al|el|ad|ash|as|bin|ibn|abu)-", re.IGNORECASE)
_NAMED_AFTER = re.compile(r"(?i)(?:agency|agentur|agence|агентство|quotidien|newspaper|газета)$")
_TOLD_AT = re.compile(
    r"^(?:à (?:la presse|l'AFP|l’AFP)|aux journalistes|to reporters|журналистам)\b"
)
_OFFICIAL = frozenset(["officielle", "official", "offizielle", "staatliche", "государственное"])
_TIME_PREPOSITIONS = frozenset(["в", "во", "am", "on", "le", "ce", "last", "this"])
_SOON = frozenset(["ранее", "также", "вновь", "позже", "später", "zudem", "ebenfalls", "également"])
_TOLD = re.compile(
    r"(?i)zeitung|sender|blatt|magazin|agentur|medien|presse|radio|fernseh|bild|funke"
)
_NOT_TITLE = re.compile(
    r"^(?:a|ont|est|sont|hat|haben|ist|war|was|is|are|has|had|have|will|would|wird|that|que|qui|"
    r"who|dass|and|et|und|or|ou|but|to|à|on|in|at|with|avec|mit|sur|auf)$|ed$"
)
# German separable particles close a clause after an inverted speaker ("fügte er hinzu")
_PARTICLES = frozenset(["hinzu", "an", "mit", "ab", "zu", "fest", "vor", "aus", "ein", "zurück"])


def words(text: str) -> list[str]:
    """Split a phrase into words without the punctuation around them."""
    stripped = (w.strip(EDGE + "!?") for w in text.split())
    # "U.S." keeps its dots; a sentence's full stop goes
    return [w if "." in w[:-1] else w.rstrip(".") for w in stripped if w.rstrip(".")]


def capital(word: str) -> bool:
    """Tell whether a word is capitalised, looking past an elision ("l'Etat") or "al-"."""
    bare = _ELISION.sub("", word)
    return bool(bare) and bare[0].isupper()


def _untitled(word: str) -> bool:
    """Tell whether a word can stand before a title: an article, a title, a possessive."""
    low = word.casefold()
    return (
        low in NP_LOWER
        or not capital(word)
        or bool(_ADJECTIVE.search(low))  # "Presidential chief of staff Kang Hoon-sik"
        or bool(re.fullmatch(r"[\w-]+['’]s", word))
    )


def _titled(kept: list[str], rest: list[str]) -> int:
    """Count the lowercase words a title goes on with before a name, or 0 when it ends."""
    if not kept:
        return 0
    if all(_untitled(w) for w in kept):
        return _title_words(rest)
    # "le ministre des Affaires étrangères Abbas Araghchi", "Le Parti démocratique de Côte
    # d'Ivoire": an office goes on to a full name; a name already given ends the phrase
    run = longest = 0
    for word in kept:
        run = run + 1 if capital(word) and not ROLE.search(word) else 0
        longest = max(longest, run)
    if longest < 2 and any(ROLE.search(w) for w in kept):  # noqa: PLR2004
        return _title_words(rest, full=True)
    return 0


def _title_words(rest: list[str], *, full: bool = False) -> int:
    """Count the lowercase title words before a name ("interior minister Fernando …")."""
    for count, word in enumerate(rest[: _MAX_TITLE + 1]):
        if capital(word) and not TIME_WORDS.match(word):
            after = rest[count + 1] if count + 1 < len(rest) else ""
            return count if not full or capital(after) else 0
        if _CYRILLIC.search(word) or _NOT_TITLE.search(word) or SPEECH_VERB.fullmatch(word):
            return 0
    return 0


def _russian_end(word: str, kept: list[str], *, last: bool) -> bool:
    """Tell whether a Russian word ends a subject (a preposition, a verb)."""
    low = word.casefold()
    # "Глава Организации по атомной энергии Ирана": "по" inside a title
    inside = low == "по" and bool(kept) and capital(kept[0]) and not last
    return (low in RU_STOP and not inside) or (not capital(word) and bool(_RU_VERB.search(low)))


def _ends_np(word: str, kept: list[str], *, last: bool) -> bool:
    """Tell whether a word ends the subject instead of going on with it."""
    if _CYRILLIC.search(word):
        return _russian_end(word, kept, last=last)
    return not _np_word(word, kept)


def _np_word(word: str, kept: list[str]) -> bool:
    """Tell whether a Latin-script word goes on a named subject."""
    low = word.casefold()
    return bool(
        (capital(word) and not TIME_WORDS.match(word))
        or low in NP_LOWER
        or re.fullmatch(r"[\w-]+['’]s", word)
        # "a senior presidential official": adjectives before the name, not after it
        or (_ADJECTIVE.search(low) and not any(capital(w) for w in kept[1:]))
    )


def leading_np(text: str) -> str:
    """Return the named subject a clause opens with ("North Korean leader Kim Jong Un")."""
    kept: list[str] = []
    seq = words(re.sub(r"\([^)]*\)", " ", text))  # "Dobrindt (CSU)": the party is not the name
    skip = 0
    for at, word in enumerate(seq):
        if skip:
            skip -= 1
            continue
        low = word.casefold()
        # "le chancelier Friedrich Merz", "Spain's interior minister Fernando Grande-Marlaska"
        unnamed = not capital(word) and low not in NP_LOWER and not _CYRILLIC.search(word)
        if kept and unnamed and (titles := _titled(kept, seq[at:])):
            kept.extend(seq[at : at + titles])
            skip = titles - 1
            continue
        if not kept and (low in OPENERS or low in RU_STOP or TIME_WORDS.match(word)):
            continue
        if kept and TIME_WORDS.match(word) and not capital(word) and low not in NP_LOWER:
            break
        if _ends_np(word, kept, last=at + 1 == len(seq)):
            break
        kept.append(word)
    while kept and (
        kept[-1].casefold() in _DANGLING
        or (_ADJECTIVE.search(kept[-1]) and kept[-1] not in NP_LOWER)
    ):
        kept.pop()
    named = any(capital(w) or ROLE.search(w) for w in kept)
    if kept and _CYRILLIC.search(kept[0]) and not named:
        return ""  # lowercase Russian words that name nobody
    return " ".join(kept)


def _time_lead(raws: list[str]) -> int:
    """Count the words of a time phrase before an inverted speaker ("в пятницу", "am Montag")."""
    at = 0
    while at < len(raws) and at < _MAX_TITLE + 2:
        low = raws[at].strip(EDGE).casefold()
        nxt = raws[at + 1].strip(EDGE) if at + 1 < len(raws) else ""
        if low in _TIME_PREPOSITIONS and nxt and TIME_WORDS.match(nxt):
            at += 2
        elif (TIME_WORDS.match(low) and low not in POST_STOP) or low in _SOON:
            at += 1
        elif told := _TOLD_AT.match(" ".join(raws[at:]).casefold()):
            at += len(told.group(0).split())  # "a lancé à la presse X": who is told
        else:
            break
    return at


def following_np(text: str) -> str:
    """Return the speaker named after an inverted verb ("said Senate leader Chuck Schumer")."""
    kept: list[str] = []
    parts = re.split(r"[,.;:!?()]", text, maxsplit=1)
    after = parts[1] if len(parts) > 1 else ""
    raws = parts[0].split()
    at = _time_lead(raws)
    while at < len(raws):
        word = raws[at].strip(EDGE)
        low = word.casefold()
        if not word or low in POST_STOP or (TIME_WORDS.match(word) and kept):
            break
        if not _CYRILLIC.search(word) and not capital(word) and low not in NP_LOWER:
            titles = _titled(kept, [w.strip(EDGE) for w in raws[at:]])
            if not titles:
                break  # "a déclaré Elisabeth Borne sous les huées": the name ends
            kept.extend(w.strip(EDGE) for w in raws[at : at + titles])
            at += titles
            continue
        # a spokesman "der Kommission", an office "der Rat der EU" speak for it
        told = _TOLD.search(" ".join(raws[at + 1 : at + 2]))
        office = kept and (_SPOKESPERSON.search(kept[-1]) or (ROLE.search(kept[-1]) and not told))
        if kept and low in _GERMAN_OBJECT and kept[-1].casefold() not in _DANGLING and not office:
            break  # "sagte der CSU-Politiker der Zeitung": who is told is not who speaks
        kept.append(word)
        at += 1
        # "he said" ends at the pronoun; "a déclaré He Yadong" goes on to the name
        named = at < len(raws) and capital(word) and capital(raws[at].strip(EDGE))
        if len(kept) >= _MAX_NAME_WORDS or (
            len(kept) == 1 and low in PERSON_PRONOUNS and not named
        ):
            break
    # "a prévenu le leader de La France insoumise, Jean-Luc Mélenchon": the name follows.
    name = leading_np(after)
    rest = after.strip(EDGE + ".!?")
    pronoun = len(kept) == 1 and kept[0].casefold() in PERSON_PRONOUNS
    if kept and not pronoun and name and proper_name(name) and rest.startswith(name):
        return f"{' '.join(kept)}, {name}"
    return " ".join(kept)


def proper_name(text: str) -> bool:
    """Tell whether a phrase holds a name and not only titles and articles."""
    return any(capital(w) and w.casefold() not in NP_LOWER for w in text.split())


def media_in(text: str) -> str | None:
    """Return the news outlet a phrase names, if it names one."""
    named = NAMED_MEDIA.search(text)
    generic = GENERIC_MEDIA.search(text)
    if named is None and generic is None:
        return None
    if generic is not None and named is None:
        # "l'agence officielle Irna", "агентство Tasnim": the name that follows.
        after = text[generic.end() :].split()[:3]
        if not _NAMED_AFTER.search(generic.group(0)):
            after = []
        if after and after[0].casefold() in _OFFICIAL:
            after = after[1:]
        name = [w.strip(EDGE + ".") for w in after]
        name = name[: next((i for i, w in enumerate(name) if not capital(w)), len(name))]
        if name and name[0]:
            return " ".join(name)
        # "the Korean Central News Agency": the outlet's whole name.
        before = text[: generic.start()].split()
        lead: list[str] = []
        while before and capital(before[-1]) and before[-1].casefold() not in NP_LOWER:
            lead.insert(0, before.pop())
        return " ".join([*lead, generic.group(0)])
    if generic is not None and named is not None and generic.end() + 1 == named.start():
        return text[generic.start() : named.end()]  # "state media KCNA"
    chosen = named or generic
    assert chosen is not None  # noqa: S101 - one of them matched above
    return chosen.group(0)


def cited_name(text: str) -> str:
    """Cut "according to X …" to X: descriptors, then a name, then nothing lowercase."""
    kept: list[str] = []
    named = False
    for word in words(text)[:_MAX_NAME_WORDS]:
        lower = not capital(word) and word.casefold() not in NP_LOWER
        if lower and _CYRILLIC.search(word):
            lower = word.casefold() in RU_STOP
        if lower and named:
            break
        kept.append(word)
        named = named or proper_name(word)
    return " ".join(kept)


def inverted(after: str) -> str:
    """Return the speaker an inverted verb names, if the name ends the clause."""
    who = following_np(after)
    if not who or not (proper_name(who) or who.casefold() in PERSON_PRONOUNS):
        return ""
    while len(who.split()) > 1 and who.split()[-1].casefold() in _PARTICLES | _DANGLING:
        who = who.rsplit(" ", 1)[0]  # "kündigte Proteste an": a particle, not a name
    last = who.split()[-1]
    rest = after[after.find(last) + len(last) :].strip()
    if (particle := re.match(r"(\w+)(?=[,.;:!?]|$)", rest)) and particle[1] in _PARTICLES:
        rest = rest[particle.end() :]  # "fügte er hinzu."
    next_word = rest.split()[0].casefold() if rest.split() else ""
    return who if not rest or rest[0] in ",.;:!?" or next_word in POST_STOP else ""
