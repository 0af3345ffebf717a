"""Attribution: who a sentence says is speaking, through whom, and which words that covers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.checks.cues import (
    ABOUT_THIS,
    ACCORDING,
    CARRIED_BY,
    CITING,
    INVERTED_PRONOUN,
    IT_SAYS,
    PARTICIPLE,
    QUOTED_AS,
    SO_AFTER_QUOTE,
    SPEECH_VERB,
    WAS_QUOTED,
)
from bot.checks.phrases import (
    EDGE,
    MASK,
    cited_name,
    following_np,
    inverted,
    leading_np,
    media_in,
    proper_name,
    words,
)

_TRAILING_WORDS = 4  # a clause this long before a speaker makes the attribution trail
_SAYING = re.compile(
    r"sa(?:id|ys?)|t[eo]l[dl]s?|add|stat|wr[io]te|affirm|declar|insist|argu|not|claim|stress|"
    r"sag|erklär|beton|schrieb|заяви|сказа|сообщи|отмети|подчеркну|добави|dit|déclar|affirm|"
    r"ajout|soulign|estim|indiqu|assur|expliqu",
    re.IGNORECASE,
)
_CONTEXT = re.compile(
    r"\s(?:after|before|when|while|nachdem|bevor|après que|avant que|alors que|"
    r"после того как|когда)\s"
)


_SOURCE = re.compile(r"(?i)source|official|quelle|источник|sprecher|spokes|statement|communiqu")
_AGENCY = re.compile(
    r"(?i)^(?:the |der |die |l'|l’|cette )?(?:agency|agentur|agence|агентства|агентство)$"
)


_GERMAN = re.compile(r"\b(?:der|das|und|nicht|dem|den|ein|eine|mit|von|ist|wird|auch|sich|im)\b")
_KONJUNKTIV = re.compile(
    r"\b(?:sei|seien|habe|werde|könne|müsse|solle|wolle|dürfe|möge|gebe|bleibe|liege|stehe)\b"
)


def subjunctive(masked: str) -> bool:
    """Tell whether a German sentence is in the subjunctive of indirect speech."""
    if len(_GERMAN.findall(masked)) < 2 and not _KONJUNKTIV.search(masked):  # noqa: PLR2004
        return False
    if _KONJUNKTIV.search(masked):
        return True
    # V2: the verb after the subject ("Die Bundesregierung unterstütze …", indicative "-t")
    found = re.match(r"\s*(?:[A-ZÄÖÜ][\w-]*\s+){1,3}([a-zäöüß]+e)\s", masked)
    return found is not None and found[1] not in _NOT_VERB


_NOT_VERB = frozenset(["die", "eine", "keine", "seine", "ihre", "diese", "jede", "alle", "ohne"])


@dataclass(frozen=True)
class Attribution:
    """A sentence's attribution: the speaker phrase as written, a relay, the governed words."""

    who: str | None  # "he", "Kim", "the ministry"; None when only a relay speaks
    via: str | None  # "KCNA", "state media"; "" means "the relay the article last named"
    start: int  # the governed words, relative to the sentence
    end: int
    previous: bool = False  # "Об этом заявил X": it governs the sentence before


def _apposed(tail: str) -> bool:
    """Tell whether a clause ends in a name apposed to its subject ("Der Chef, Max Muster,")."""
    segments = tail.split(",")
    if len(segments) < 3 or segments[-1].strip() or not leading_np(segments[-3]):  # noqa: PLR2004
        return False
    name = leading_np(segments[-2])
    return bool(name) and segments[-2].strip(" .") == name and proper_name(name)


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
        np, index = found[0]
        appositive = leading_np(segments[-2]) if apposition else ""
        # "the regional governor, Serhiy Lysak, wrote": the title and the name apposed to it
        whole = bool(appositive) and segments[-2].strip(" .") == appositive
        if index == len(segments) - 3 and whole and proper_name(appositive):
            np = f"{np}, {appositive}"
        return np, offsets[index] + max(0, segments[index].find(np.split()[0].rstrip(",")))
    return "", verb


def _relay_and_cited(masked: str) -> tuple[str | None, str | None, int]:
    """Find a relay that cites someone: (who, relay, where the relayed words start)."""
    if (m := QUOTED_AS.search(masked)) is not None:
        relay = leading_np(masked[: m.start()].rsplit(",", maxsplit=1)[-1]) or media_in(
            masked[: m.start()]
        )
        cited = m["who"] or m["de"] or m["ru"]
        return following_np(cited) or cited, relay or "", m.end()
    if (m := WAS_QUOTED.search(masked)) is not None:
        who = leading_np(m["who"].split(",")[-1])
        if who:
            return who, media_in(m["relay"] or "") or (m["relay"] or ""), -1
    # "he said, citing North Korea's missiles" gives a reason; a relay cites a source
    if (m := CITING.search(masked)) is not None and (media_in(masked) or _SOURCE.search(m["who"])):
        who = cited_name(m["who"])
        return who, media_in(masked) or "", 0
    return None, None, 0


def _according(masked: str) -> Attribution | None:
    m = ACCORDING.search(masked)
    if m is None:
        return None
    if m["pron"]:
        who = m["pron"]
    elif m["post"]:
        who = cited_name(m["post"])  # "Der Sprecherin Maria Sacharowa zufolge …"
    else:
        who = cited_name(m["who"])
        tail = masked[m.end() :].split(",")
        # "selon la ministre des Armées, Catherine Vautrin, le budget …": the name follows.
        if (
            len(tail) > 2  # noqa: PLR2004 - a name between two commas
            and tail[0] == ""
            and (name := leading_np(tail[1]))
            and tail[1].strip() == name
        ):
            who = f"{who}, {name}"
    before = masked[: m.start()].strip(EDGE)
    if len(words(before)) >= _TRAILING_WORDS:
        return Attribution(who, None, 0, m.start())
    # "Laut X sind …" has no comma: the governed words start after the name.
    named_end = masked.find(who.split()[-1], m.start()) + len(who.split()[-1]) if who else m.end()
    return Attribution(who, None, min(m.end(), max(named_end, m.start())), len(masked))


def attribution(masked: str) -> Attribution | None:
    """Read a sentence (quotations masked) for who speaks, through whom, over which words."""
    who, relay, start = _relay_and_cited(masked)
    if who is not None:  # "…, Kim was quoted as saying" (start -1): the words before it
        end = masked.find(who) if start < 0 else len(masked)
        return Attribution(who, relay, max(0, start), end)
    relay = _carried(masked)
    according = _according(masked)
    if according is not None and according.who is not None:
        media = media_in(according.who)
        if media is None and _AGENCY.match(according.who):
            media = ""  # "according to the agency": the outlet named before
        if media is None:
            return according
        relay = media
    spoken = _spoken(masked)
    if spoken is not None:
        return Attribution(spoken.who, relay, spoken.start, spoken.end, spoken.previous)
    if relay is not None:  # the outlet is all that speaks: "…, according to TASS"
        return _relay_speaks(masked, relay, according)
    return None


def _carried(masked: str) -> str | None:
    """Find the outlet that carries the sentence ("carried by KCNA", "…, Interfax reported")."""
    carried = CARRIED_BY.search(masked)
    if carried is None:
        return None
    if carried["end"] is not None:  # "…, the Interfax news agency reported."
        return media_in(carried["end"])
    written = carried["relay"] or carried["fr"] or carried["de"] or carried["ru"]
    return media_in(written) or written.strip()


def _relay_speaks(masked: str, relay: str, according: Attribution | None) -> Attribution:
    if relay == "" and according is not None:
        return according  # "according to the agency": a body a title refers back to
    region = according or Attribution(None, None, 0, len(masked))
    clauses = masked[region.start : region.end].split(",")
    subject = next((np for c in clauses if proper_name(np := leading_np(c))), "")
    if subject and MASK in masked[region.start : region.end]:
        # "Kim ordered “serial production”, according to KCNA": Kim's words, relayed
        return Attribution(subject, relay, region.start, region.end)
    return Attribution(relay, None, region.start, region.end)


def _spoken(masked: str) -> Attribution | None:
    if (says := IT_SAYS.search(masked)) is not None:
        trailing = len(words(masked[: says.start()])) >= _TRAILING_WORDS
        return Attribution("es", None, 0, says.start() if trailing else len(masked))
    if (so := SO_AFTER_QUOTE.search(masked[masked.rfind(MASK) + 1 :])) and MASK in masked:
        after = masked.rfind(MASK) + 1 + so.end()
        return Attribution(following_np(masked[after:]), None, 0, masked.rfind(MASK) + 1)
    about = ABOUT_THIS.match(masked) is not None
    participle = PARTICIPLE.search(masked)
    verbs = list(SPEECH_VERB.finditer(masked))
    first = participle is not None and not any(v.start() < participle.start() for v in verbs)
    if participle is not None and first and (who := leading_np(masked[: participle.start()])):
        return Attribution(who, None, participle.start(), len(masked))
    for verb in verbs:
        if (found := _at_verb(masked, verb, about=about)) is not None:
            return found
    return None


def _inverted_at(masked: str, verb: re.Match[str]) -> Attribution | None:
    """Read a speaker named after the verb ("…, заявил Виталий Маркелов.")."""
    after = masked[verb.end() :]
    who = inverted(after)
    if not who:
        return None
    rest = after[after.find(who.split()[-1]) + len(who.split()[-1]) :].strip()
    if rest.startswith(",") and rest.strip(EDGE + ".!?"):
        return Attribution(who, None, 0, len(masked))  # "…, добавил он, сократятся …"
    return Attribution(who, None, 0, verb.start())


def _at_verb(masked: str, verb: re.Match[str], *, about: bool) -> Attribution | None:
    """Read the speaker of one speech verb: inverted after it, or the subject before it."""
    if (pronoun := INVERTED_PRONOUN.search(verb.group(0))) is not None:
        return Attribution(pronoun.group(1), None, 0, len(masked))
    before = masked[: verb.start()]
    tail = before[before.rfind(MASK) + 1 :] if MASK in before else before
    if _only_according(tail):
        tail = ""  # "Laut der Agentur Interfax sagte er": the speaker follows the verb
    if about or not tail.strip(EDGE + ".!?"):
        who = following_np(masked[verb.end() :])
        end = verb.start() if MASK in before else len(masked)
        return Attribution(who, None, 0, end, previous=about) if who else None
    if tail.rstrip(" —–-").endswith(",") and not _apposed(tail):
        found = _inverted_at(masked, verb)
        if found is not None:
            return found
    return _subject_at(masked, verb)


def _only_according(text: str) -> bool:
    lead = ACCORDING.match(text.lstrip())
    return lead is not None and not text.lstrip()[lead.end() :].strip(EDGE)


# One return per attribution form; each names the words it governs.
def _subject_at(masked: str, verb: re.Match[str]) -> Attribution | None:
    """Read the subject before a speech verb and the words it governs."""
    who, start = _subject_before(masked, verb.start())
    if not who:
        return None
    if MASK in masked[:start]:  # "The MSMT is “…”, the ministry said": from the quotation on
        return Attribution(who, None, masked.find(MASK), len(masked))
    if _only_according(masked[:start]):
        return Attribution(who, None, verb.start(), len(masked))  # "Как передает X, Y заявил"
    if len(words(masked[:start])) >= _TRAILING_WORDS and "," in masked[:start]:
        return Attribution(who, None, 0, start)  # "…, Kim said."
    end = len(masked)
    # "urged allies to hurry after a strike killed 14": the "after" clause is the reporter's;
    # after "said" a whole clause is the speaker's, so nothing is cut there.
    if not _SAYING.search(verb.group(0)) and (context := _CONTEXT.search(masked, verb.end())):
        end = context.start()
    return Attribution(who, None, verb.start(), end)
