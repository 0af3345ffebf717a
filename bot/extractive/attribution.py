"""Who said what: statements an article itself attributes to a named actor.

Only explicit attributions count: `"…," Kim said`, `said Park Won-gon`, `X said on Monday
(that) …`, `X told reporters that …`, `according to the ministry, …`, `KCNA quoted Kim as
saying …`, `…, Kim was quoted as saying`, `X rejected / pledged / called for …`, `"…," he
added` and `the ministry said` (back to the last such actor), a quotation continued in the
next paragraph. A news outlet that relays ("according to state media", "it said" of a KCNA
report) is a source, never the speaker. The quote is the quoted words when the statement
has quotation marks, else the reported clause: always a verbatim span. Who is named at all
is `extractive_names`; every named actor is returned, with or without a stance.
"""

from __future__ import annotations

import re

from bot.extractive.entity import Entity, Mention, ordered_aliases
from bot.extractive.foreign_names import foreign_actors
from bot.extractive.gazetteer import DATELINE
from bot.extractive.languages import language_of
from bot.extractive.lexicon import MAX_QUOTE, MAX_STANCES_PER_ACTOR, OPPOSE, SUPPORT, polarity_of
from bot.extractive.named_entities import Names
from bot.extractive.speaker_refs import Speakers
from bot.extractive.text_parts import (
    QUOTE_CHARS,
    clause,
    noun_phrase,
    open_quote,
    quoted,
    subject_phrase,
    units_of,
)
from bot.models import Actor, ActorKind, Stance

_SPEECH = (
    r"said|says|told|tells|added|adds|wrote|writes|stated|announced|insisted|argued|noted|"
    r"stressed|affirmed|estimated|reported|declared|explained|confirmed|acknowledged|"
    r"emphasi[sz]ed|asserted|claimed|maintained|replied|responded|signall?ed|indicated"
)
_STANCE = rf"{OPPOSE}|{SUPPORT}|propos(?:es|ed)|offer(?:s|ed)|call(?:s|ed)|demand(?:s|ed)"
_VERB = re.compile(
    r"\b(?:(?:has|have|had|also|again|long|repeatedly|strongly|publicly|firmly|later|earlier|"
    rf"previously|already|separately)\s+)*(?P<verb>(?P<speech>{_SPEECH})|{_STANCE})\b"
)
_QUOTED_AS = re.compile(r"\bquoted (?P<who>[^,.;“”\"]{1,80}?) as saying,?(?: that)?\s*")
_WAS_QUOTED = re.compile(
    r"(?P<who>[^,.;“”\"]{1,80}?) (?:was|were) (?:quoted|cited)(?: by [^,.;“”\"]+?)?"
    r" as saying,?(?: that)?\s*"
)
_ACCORDING = re.compile(r"\b[Aa]ccording to (?P<who>[^,.;“”\"]+)")
_MID = re.compile(
    r"^(?P<mid>(?:(?:on|in|at|to|during|through|after|via|late|early|earlier|last|this|"
    r"before)\b[^“”\"«»:,]{0,100}?)?)\s*(?:\bthat\b|:|,)\s*"
)
# A new clause with its own subject: ", but Economy Minister Reiche said", "after Pyongyang
# dismissed", "; the ministry said".
# "…, but Kyiv has not responded, Peskov told reporters": the attribution governs it all.
_TRAILING = re.compile(
    r"(?:,|[”\"»])\s+(?:[^,“”\"«»]{1,100}?\s+(?:said|says|told|added|wrote)\b"
    r"(?:\s+(?:on|in|at|to|during|after|before|through|via|late|early|earlier|last|this|"
    r"reporters|journalists|a|an|the)\b[^“”\"«»,]*)?"
    r"|(?:said|says|added)\s+[A-Z][^“”\"«»]*)\.?$"
)
_CLAUSES = re.compile(
    r"(?:,\s+|\s+)(?:but|while|whereas|after|as|because|since|when|although|though)\s+"
    r"(?:(?:a|one) day after\s+)?(?=[A-Z])|,\s+(?:and\s+)?(?:a|one) day after\s+(?=[A-Z])"
    r"|,\s+and\s+(?=[A-Z])|;\s+"
)
_MIN_WORDS = 2  # a reported clause needs a subject and a verb at least
_POSITION = 160
_ELIDED_PIECE = 12  # grounding proves nothing with a shorter piece around an elision


def _cut(text: str, limit: int = MAX_QUOTE) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0]


def _joined(content: str, words: list[str]) -> str:
    """Join two quoted parts of one statement; short ones keep the words between them."""
    if len(words) == 1 or all(len(w) >= _ELIDED_PIECE for w in words):
        return " … ".join(_cut(w) for w in words)
    start, end = content.find(words[0]), content.rfind(words[-1]) + len(words[-1])
    if 0 < start < end < len(content) and end - start <= MAX_QUOTE:
        return content[start - 1 : end + 1]  # “hostile” and “outrageous encroachment”
    return max(words, key=len)


class _Reader:
    """Reads an article unit by unit, attributing statements to the actors it names."""

    def __init__(self, text: str) -> None:
        self.names = Names(text)
        self.who = Speakers(self.names)
        self.step = 0

    def read(self, text: str) -> None:
        """Attribute every statement in the article."""
        carried: Entity | None = None  # the speaker of a quotation left open at paragraph end
        for paragraph in text.split("\n"):
            speaker: Entity | None = None
            units = units_of(paragraph)
            for unit in units:
                self.step += 1
                mentions = self.names.scan(unit)
                who = self._unit(unit)
                if who is None and quoted(unit) and unit.lstrip()[:1] in QUOTE_CHARS:
                    who = speaker or carried  # a quotation continued from before
                    if who is not None:
                        self._add(who, unit, "")
                speaker = who or speaker
                self._remember(mentions)
            if units:
                carried = speaker if open_quote(paragraph) else None

    def _remember(self, mentions: list[Mention]) -> None:
        for m in mentions:
            self.who.seen[id(m.entity)] = self.step
            if m.entity.kind is ActorKind.PERSON:
                self.who.last_person = m.entity

    def _unit(self, unit: str) -> Entity | None:
        who = None
        whole = open_quote(unit) or _TRAILING.search(unit) is not None
        for part in [unit] if whole else _CLAUSES.split(unit):
            who = self._clause(part) or who
        return who

    def _clause(self, text: str) -> Entity | None:
        """Attribute one clause: the quoting forms first, then a subject and its verb."""
        if (relayed := self._quoting(text)) is not None:
            return relayed
        for verb in _VERB.finditer(text):
            before = text[: verb.start()]
            if verb["speech"] and (said := self._said(text, before, verb)) is not None:
                return said
            if any(c in before for c in QUOTE_CHARS) or (who := self.who.subject(before)) is None:
                continue
            if not verb["speech"]:
                rest = text[verb.end() :]
                return self._add(who, text[verb.start() :], noun_phrase(rest), verb_form=True)
            return self._say(who, _reported(text[verb.end() :], verb["verb"]))
        return None

    def _quoting(self, text: str) -> Entity | None:
        """Handle "quoted X as saying", "X was quoted as saying", "according to X"."""
        if (m := _QUOTED_AS.search(text)) is not None:
            return self._say(self.who.resolve(m["who"]), text[m.end() :] or text[: m.start()])
        if (m := _WAS_QUOTED.search(text)) is not None:
            who = self.who.resolve(m["who"].split(",")[-1])
            after = text[m.end() :]
            return self._say(who, after if len(after.split()) > _MIN_WORDS else text[: m.start()])
        if (m := _ACCORDING.search(text)) is not None and (who := self.who.resolve(m["who"])):
            if who.outlet:
                self.who.last_thing = who  # "according to state media": a source, not a speaker
                return None
            at_start = not text[: m.start()].strip(" ,")
            return self._say(who, text[m.end() :].lstrip(" ,") if at_start else text[: m.start()])
        return None

    def _said(self, text: str, before: str, verb: re.Match[str]) -> Entity | None:
        """Handle the trailing forms: `"…," X said …` and `"…," said X, a professor.`."""
        cut = max(before.rfind(","), *(before.rfind(c) for c in '”"»'))
        after = text[verb.end() :]
        if cut < 0 or any(c in after for c in QUOTE_CHARS):
            return None
        if not before[cut + 1 :].strip():  # "said Park Won-gon, a professor …"
            who = self.who.subject(after.split(",")[0], trailing=True)
            if who is None:  # "…, Kim Yo Jong, the sister of leader Kim Jong Un, said"
                cut = before.rfind(",", 0, before.rfind(",", 0, cut))
                speaker = before[cut + 1 :]
                if cut > 0 and len(text[:cut].split()) > _MIN_WORDS:
                    who = self.who.subject(speaker, trailing=True)
        elif len(text[:cut].split()) > _MIN_WORDS or quoted(text[: cut + 1]):
            who = self.who.subject(before[cut + 1 :], trailing=True)
        else:
            return None  # "Meanwhile, the JCS said …": an opener, not a statement before
        return self._say(who, text[: cut + 1]) if who is not None else None

    def _say(self, who: Entity | None, content: str) -> Entity | None:
        if who is None:
            return None
        content = DATELINE.sub("", content, count=1)  # "PYONGYANG — North Korea is ready …"
        if who.outlet:  # "“Kim Jong Un affirmed that …,” it said": the outlet relays Kim
            self.who.last_thing = who
            words = quoted(content)
            inner = _VERB.search(words[0]) if words else None
            if inner is None or (speaker := self.who.subject(words[0][: inner.start()])) is None:
                return None
            said = re.sub(r"^\s*that\s+", "", words[0][inner.end() :])
            return self._add(speaker, content, subject_phrase(said))
        return self._add(who, content, subject_phrase(clause(re.sub(r"^[“\"«]", "", content))))

    def _add(self, who: Entity, content: str, target: str, *, verb_form: bool = False) -> Entity:
        words = quoted(content)
        reported = clause(content)
        quote = _joined(content, words[:2]) if words else _cut(reported)
        if not quote or (not words and not verb_form and len(reported.split()) <= _MIN_WORDS):
            return who
        reported = reported.strip(QUOTE_CHARS + "’, ")
        position = reported if len(reported) <= _POSITION else _cut(reported, _POSITION - 1) + "…"
        who.stances.append(
            # No issue: naming one canonically, reusable across articles, takes a model.
            Stance(
                target=target,
                position=position,
                polarity=polarity_of(reported),
                issue="",
                quote=quote,
            )
        )
        if who.kind is ActorKind.PERSON:
            self.who.last_person = self.who.last_speaker = who
        else:
            self.who.last_thing = who
        return who


def _reported(rest: str, verb: str) -> str:
    """Cut what was said from what follows a speech verb: "on Monday that …", "reporters that …"."""
    rest = rest.lstrip()
    if (mid := _MID.match(rest)) is not None and (mid["mid"] or verb != "told"):
        return rest[mid.end() :]
    if verb in {"told", "tells"}:
        return re.sub(r"^\s*\w+(?: \w+)?\s+that\s+", "", rest)
    return rest


def _distinct(stances: list[Stance]) -> list[Stance]:
    """Drop repeated quotes and keep the first few: a briefing, not a transcript."""
    seen: set[str] = set()
    kept = []
    for stance in stances:
        if stance.quote not in seen:
            seen.add(stance.quote)
            kept.append(stance)
    return kept[:MAX_STANCES_PER_ACTOR]


def attributed_actors(text: str) -> list[Actor]:
    """Return every actor the article names; those it quotes or reports carry their stances."""
    if (lang := language_of(text)) != "en":
        found = foreign_actors(text, lang)
        return [Actor(name=e.name, aliases=e.aliases, kind=e.kind, stances=[]) for e in found]
    reader = _Reader(text)
    reader.read(text)
    actors = [e for e in reader.names.entities if not e.outlet]
    for entity in actors:
        entity.aliases = ordered_aliases(entity, text)
    ordered = [e for e in actors if e.stances] + [e for e in actors if not e.stances]
    return [
        Actor(name=e.name, aliases=e.aliases, kind=e.kind, stances=_distinct(e.stances))
        for e in ordered
    ]
