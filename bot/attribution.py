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

from bot.extractive_gazetteer import (
    DATELINE,
    ORG_CUES,
    PERSON_CUES,
    STATES,
    TIME_EXPRESSION,
    TITLES,
)
from bot.extractive_names import Entity, Mention, Names
from bot.extractive_phrases import (
    QUOTE_CHARS,
    clause,
    noun_phrase,
    open_quote,
    quoted,
    subject_phrase,
    units_of,
)
from bot.lexicon import MAX_QUOTE, MAX_STANCES_PER_ACTOR, OPPOSE, SUPPORT, polarity_of
from bot.models import Actor, ActorKind, Stance

_SPEECH = (
    r"said|says|told|tells|added|adds|wrote|writes|stated|announced|insisted|argued|noted|"
    r"stressed|affirmed|estimated|reported|declared|explained|confirmed|acknowledged|"
    r"emphasi[sz]ed|asserted|claimed|maintained|replied|responded"
)
_STANCE = rf"{OPPOSE}|{SUPPORT}|propos(?:es|ed)|offer(?:s|ed)|call(?:s|ed)|demand(?:s|ed)"
_VERB = re.compile(
    r"\b(?:(?:has|have|had|also|again|long|repeatedly|strongly|publicly|firmly|later|earlier|"
    rf"previously|already|separately)\s+)*(?P<verb>(?P<speech>{_SPEECH})|{_STANCE})\b"
)
_QUOTED_AS = re.compile(r"\bquoted (?P<who>[^,.;“”\"]{1,80}?) as saying,?(?: that)?\s*")
_WAS_QUOTED = re.compile(
    r"(?P<who>[^,.;“”\"]{1,80}?) (?:was|were) (?:quoted|cited)(?: by [^,.;“”\"]+?)? as saying,?(?: that)?\s*"
)
_ACCORDING = re.compile(r"\b[Aa]ccording to (?P<who>[^,.;“”\"]+)")
_DOCUMENT = re.compile(
    r"\b(?:report|statement|study|letter|document|survey|analysis|note)s? (?:by|from|of) ",
    re.IGNORECASE,
)
_APPOSITIVE = re.compile(r",\s+(?:a|an|the|who|whose|which|known as|also known as)\b[^,]*(?:,|$)")
_MID = re.compile(
    r"^(?P<mid>(?:(?:on|in|at|to|during|through|after|via|late|early|earlier|last|this|"
    r"before)\b[^“”\"«»:,]{0,100}?)?)\s*(?:\bthat\b|:|,)\s*"
)
_RELATIVE = re.compile(r",\s+(?:who|whose|which)\b.*,$")
_CLAUSES = re.compile(r",\s+(?:but|while|and|whereas)\s+(?=[A-Z])|;\s+")
_NOT_SUBJECT = frozenset(
    "in|at|on|by|with|from|to|for|after|before|when|while|that|which|who|is|was|were|are|"
    "has|have|had|will|would|could|should|may|might|can|did|does|do|not|than|because|if|"
    "met|and|but|or|said|says|been|be".split("|")
)
_SUBJECT_WORDS = frozenset(
    "the|a|an|its|his|her|their|state|media|news|foreign|official|officials|"
    "spokesperson|spokesman|spokeswoman|ministry|government|'s".split("|")
)
_ELIDED_PIECE = 12  # grounding proves nothing with a shorter piece around an elision
_HE = frozenset("he|she|him|her".split("|"))
_IT = frozenset("it|they|them".split("|"))


def _cut(text: str, limit: int = MAX_QUOTE) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0]


def _joined(content: str, words: list[str]) -> str:
    """Join two quoted parts of one statement; short ones keep the words between them."""
    if len(words) == 1 or all(len(w) >= _ELIDED_PIECE for w in words):
        return " … ".join(_cut(w) for w in words)
    start, end = content.find(words[0]), content.rfind(words[-1]) + len(words[-1])
    if 0 <= start < end and end - start <= MAX_QUOTE:  # "“hostile” and “outrageous encroachment”"
        return content[start:end]
    return max(words, key=len)


class _Reader:
    """Reads an article unit by unit, attributing statements to the actors it names."""

    def __init__(self, text: str) -> None:
        self.names = Names(text)
        self.last_person: Entity | None = None
        self.last_thing: Entity | None = None  # the last body or outlet that spoke ("it said")
        self.seen: dict[int, int] = {}
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
                who = self._unit(unit, mentions)
                if who is None and quoted(unit) and unit.lstrip()[:1] in QUOTE_CHARS:
                    who = speaker or carried  # a quotation continued from before
                    if who is not None:
                        self._add(who, unit, "")
                speaker = who or speaker
                for m in mentions:
                    self.seen[id(m.entity)] = self.step
                    if m.entity.kind is ActorKind.PERSON:
                        self.last_person = m.entity
            if units:
                carried = speaker if open_quote(paragraph) else None

    def _unit(self, unit: str, mentions: list[Mention]) -> Entity | None:
        who = None
        for part in _CLAUSES.split(unit) if not open_quote(unit) else [unit]:
            spoke = self._clause(part, [m for m in mentions if unit.find(part) <= m.start])
            who = who or spoke
        return who

    def _clause(self, text: str, mentions: list[Mention]) -> Entity | None:
        if (m := _QUOTED_AS.search(text)) is not None:
            return self._say(self._resolve(m["who"]), text[m.end() :] or text[: m.start()], text)
        if (m := _WAS_QUOTED.search(text)) is not None:
            who = self._resolve(m["who"].split(",")[-1])
            content = text[m.end() :] if len(text) - m.end() > 12 else text[: m.start()]  # noqa: PLR2004
            return self._say(who, content, text)
        if (m := _ACCORDING.search(text)) is not None:
            who = self._resolve(m["who"])
            if who is not None and not who.outlet:
                rest = text[m.end() :].lstrip(" ,") if m.start() < 3 else text[: m.start()]  # noqa: PLR2004
                return self._say(who, rest, text)
            if who is not None:
                self.last_thing = who
        for verb in _VERB.finditer(text):
            before = text[: verb.start()]
            if verb["speech"] and (said := self._said(text, before, verb)) is not None:
                return said
            if any(c in before for c in QUOTE_CHARS):
                continue
            who = self._subject(before)
            if who is None:
                continue
            if verb["speech"]:
                rest = text[verb.end() :]
                if (mid := _MID.match(rest)) is not None and (mid["mid"] or verb["verb"] != "told"):
                    rest = rest[mid.end() :]
                elif verb["verb"] in {"told", "tells"}:
                    rest = re.sub(r"^\s*\w+(?: \w+)?\s+that\s+", "", rest)
                return self._say(who, rest, text)
            return self._add(who, text[verb.start() :], noun_phrase(text[verb.end() :]), verb_form=True)
        return None

    def _said(self, text: str, before: str, verb: re.Match[str]) -> Entity | None:
        """Handle the trailing forms: `"…," X said …` and `"…," said X, a professor.`."""
        cut = max(before.rfind(","), *(before.rfind(c) for c in "”\"»"))
        after = text[verb.end() :]
        if cut >= 0 and not before[cut + 1 :].strip() and not any(c in after for c in QUOTE_CHARS):
            who = self._subject(after.split(",")[0], trailing=True)  # "said Park Won-gon, …"
            if who is not None:
                return self._say(who, text[: cut + 1], text)
        if cut > 0 and not any(c in after for c in QUOTE_CHARS):
            who = self._subject(before[cut + 1 :], trailing=True)
            if who is not None:
                return self._say(who, text[: cut + 1], text)
        return None

    def _say(self, who: Entity | None, content: str, sentence: str) -> Entity | None:
        if who is None:
            return None
        if who.outlet:  # "“Kim Jong Un affirmed that …,” it said": the outlet relays Kim
            self.last_thing = who
            words = quoted(content)
            inner = _VERB.search(words[0]) if words else None
            if inner is None or (speaker := self._subject(words[0][: inner.start()])) is None:
                return None
            said = re.sub(r"^\s*that\s+", "", words[0][inner.end() :])
            return self._add(speaker, content, subject_phrase(said))
        return self._add(who, content, subject_phrase(clause(re.sub(r"^[“\"«]", "", content))))

    def _add(self, who: Entity, content: str, target: str, *, verb_form: bool = False) -> Entity:
        words = quoted(content)
        reported = clause(content)
        quote = _joined(content, words[:2]) if words else _cut(reported)
        if not quote or (not words and not verb_form and len(reported.split()) < 3):  # noqa: PLR2004
            return who
        reported = reported.strip(QUOTE_CHARS + "’, ")  # noqa: RUF001
        position = reported if len(reported) <= 160 else _cut(reported, 159) + "…"  # noqa: PLR2004
        who.stances.append(
            Stance(target=target, position=position, polarity=polarity_of(reported), quote=quote)
        )
        if who.kind is ActorKind.PERSON:
            self.last_person = who
        else:
            self.last_thing = who
        return who

    def _subject(self, span: str, *, trailing: bool = False) -> Entity | None:
        """Resolve the phrase before a verb when it is a subject that names an actor."""
        span = _ACCORDING_ASIDE.sub(" ", span)
        span = TIME_EXPRESSION.sub(" ", span).strip(" ,")
        if not trailing and re.search(r"(?:^|,|\s)and$", span):
            return self._main_subject(span)
        if not trailing and "," in span:
            head, _, tail = span.partition(",")
            if TIME_EXPRESSION.fullmatch(head.strip()) or head.strip() in {"Meanwhile", "However"}:
                span = tail
        span = DATELINE.sub("", span.strip(), count=1)
        span = _RELATIVE.sub(" ", span.strip() + ",")
        span = _DOCUMENT.sub("", _APPOSITIVE.sub(" ", span.strip() + ",").strip(" ,"))
        residue = self._residue(span)
        if residue is None or any(w in _NOT_SUBJECT for w in residue):
            return None
        if sum(w not in _SUBJECT_WORDS and w not in PERSON_CUES and w not in ORG_CUES and "-" not in w for w in residue) > 2:  # noqa: PLR2004
            return None
        return self._resolve(span)

    def _residue(self, span: str) -> list[str] | None:
        names = [f for e in self.names.entities for f in e.forms()]
        rest = span
        for form in sorted(names, key=len, reverse=True):
            rest = re.sub(rf"(?<!\w){re.escape(form)}(?:['’]s)?(?!\w)", " ", rest)  # noqa: RUF001
        words = [w.strip(",()") for w in rest.split()]
        return [w.casefold() for w in words if w and not w[:1].isupper()]

    def _main_subject(self, span: str) -> Entity | None:
        """Find the subject of a sentence whose second verb is coordinated ("… and pledged")."""
        words: list[str] = []
        for word in span.split():
            if word.casefold().strip(",") in _NOT_SUBJECT and words:
                break
            words.append(word)
        return self._resolve(" ".join(words))

    def _resolve(self, phrase: str) -> Entity | None:
        """Return the actor a subject phrase names, or refers back to."""
        phrase = TIME_EXPRESSION.sub(" ", phrase)
        phrase = re.sub(r"\s+(?:in|on|to|at|through|via)\s+(?:a |an |the )?\w+.*$", "", phrase.strip())
        words = phrase.strip(" ,.").split()
        if not words:
            return None
        bare = [w.casefold() for w in words]
        if len(bare) == 1 and bare[0] in _HE:
            return self.last_person
        if len(bare) == 1 and bare[0] in _IT:
            return self.last_thing
        found = self._named(phrase)
        if found is not None:
            return found
        if bare[0] in {"the", "its", "his", "her", "their"} and len(bare) <= 4:  # noqa: PLR2004
            return self._back(bare[-1], " ".join(words))
        return None

    def _named(self, phrase: str) -> Entity | None:
        hits: list[tuple[int, int, Entity]] = []
        for entity in self.names.entities:
            for form in entity.forms():
                if (m := re.search(rf"(?<!\w){re.escape(form)}(?!\w)", phrase)) is not None:
                    hits.append((m.start(), -len(form), entity))
        if not hits:
            return None
        people = sorted(h for h in hits if h[2].kind is ActorKind.PERSON)
        if people:
            return people[0][2]
        first_segment = phrase.split(",")[0]
        inside = [h for h in hits if h[0] < len(first_segment)] or hits
        return min(inside, key=lambda h: (h[1], h[0]))[2]

    def _back(self, head: str, written: str) -> Entity | None:
        """Resolve "the ministry", "the group", "the North Korean leader" to a recent actor."""
        person = head in PERSON_CUES or head.capitalize() in TITLES
        matches = [
            e
            for e in self.names.entities
            if not e.outlet
            and head in e.heads
            and (e.kind is ActorKind.PERSON) == person
        ]
        if not matches and person and self.last_person is not None:
            matches = [self.last_person]  # "the North Korean leader": the person just named
        if not matches:
            return None
        best = max(matches, key=lambda e: self.seen.get(id(e), 0))
        best.add_alias(written if written[:1].islower() else written[:1].lower() + written[1:])
        return best


_ACCORDING_ASIDE = re.compile(r",?\s*\baccording to [^,.;]*,?")


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
    reader = _Reader(text)
    reader.read(text)
    actors = [e for e in reader.names.entities if not e.outlet]
    for entity in actors:
        entity.aliases = _ordered_aliases(entity, text)
    ordered = [e for e in actors if e.stances] + [e for e in actors if not e.stances]
    return [
        Actor(name=e.name, aliases=e.aliases, kind=e.kind, stances=_distinct(e.stances))
        for e in ordered
    ]


def _ordered_aliases(entity: Entity, text: str) -> list[str]:
    """Put the short forms the article uses first ("Kim" before "North Korean leader")."""
    short: list[str] = []
    if entity.kind is ActorKind.STATE:  # "Pyongyang" anywhere in the text is North Korea too
        short = [f for f in STATES.get(entity.name, ()) if _whole_word(f, text)]
    if entity.kind is ActorKind.PERSON and len(tokens := entity.name.split()) > 1:
        short = [t for t in (tokens[0], tokens[-1]) if _alone(t, text)]
    rest = [a for a in entity.aliases if a not in short]
    return [*short, *rest]


def _whole_word(word: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text.replace("’", "'")) is not None  # noqa: RUF001


def _alone(token: str, text: str) -> bool:
    """Tell whether a name's token also appears on its own ("Kim" beside "Kim Jong Un")."""
    for m in re.finditer(rf"(?<!\w){re.escape(token)}(?!\w)", text):
        before = text[max(0, m.start() - 80) : m.start()].split()[-1:]
        after = text[m.end() : m.end() + 80].split()[:1]
        if not (before and before[0][:1].isupper()) and not (after and after[0][:1].isupper()):
            return True
    return False
