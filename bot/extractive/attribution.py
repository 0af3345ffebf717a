"""Who said what: statements an article itself attributes to a named speaker.

Only explicit attributions count: `"…," Kim said`, `said Park Won-gon`, `X told reporters
that …`, `according to the ministry, …`, `State media quoted X as saying …`, `X pledged /
rejected / called for …`. The quote is always a verbatim span of the sentence (a quoted part
when there is one, else the sentence itself). Names met in several forms — full name,
surname, a title such as "the North Korean leader", a capital for its state — become one actor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.extractive.lexicon import (
    ACCORDING,
    CAVEAT,
    DESCRIPTION,
    MAX_QUOTE,
    MAX_STANCES_PER_ACTOR,
    MAX_TARGET_WORDS,
    OPENERS,
    OPPOSE_CUE,
    ORG_OF,
    ORG_WORDS,
    PLACE_OF,
    PLEDGE_AGAINST,
    POSSESSIVE_ORG,
    PRONOUNS,
    QUOTE_CHARS,
    QUOTE_FIRST,
    QUOTED,
    QUOTED_AS,
    STATE_OF,
    STATES,
    SUPPORT_CUE,
    TITLE_WORDS,
    VERB,
)
from bot.models import Actor, ActorKind, Polarity, Stance

# A capitalised word after a lowercase word or a comma: not a sentence's first word.
_MID_SENTENCE_CAP = re.compile(r"[a-z0-9,;:)] (?P<word>[A-Z][\w'\u2019-]*)")
# Words that end the object phrase: "said the limits would …" is about "the limits".
_CLAUSE_BREAKS = frozenset(
    ["that", "and", "as", "would", "will", "could", "should", "was", "were", "is", "are",
     "has", "had", "have", "might", "must", "can", "to"]
)  # fmt: skip


@dataclass
class _Actor:
    name: str
    kind: ActorKind
    aliases: list[str] = field(default_factory=list)
    stances: list[Stance] = field(default_factory=list)


def _capitalised(word: str) -> bool:
    return bool(word) and word[0].isupper()


def _verbatim_cut(text: str, limit: int = MAX_QUOTE) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0]


def _quote_of(sentence: str, rest: str) -> str:
    spans = [m.group(1).strip().rstrip(",") for m in QUOTED.finditer(rest or sentence)]
    if spans:  # two quoted parts of one statement, elided; each piece is verbatim
        return " … ".join(_verbatim_cut(s) for s in spans[:2])
    return _verbatim_cut(sentence)


def polarity_of(text: str) -> Polarity:
    """Judge a reported clause's polarity from its verbs; both kinds of cue make it mixed."""
    if PLEDGE_AGAINST.search(text):
        return Polarity.OPPOSES
    caveat = CAVEAT.search(text)
    opposes = OPPOSE_CUE.search(CAVEAT.sub(" ", text)) is not None
    supports = SUPPORT_CUE.search(text) is not None
    if (opposes and supports) or (caveat and supports):
        return Polarity.MIXED
    if opposes:
        return Polarity.OPPOSES
    if supports:
        return Polarity.SUPPORTS
    return Polarity.MIXED if caveat else Polarity.NEUTRAL


def _target(rest: str) -> str:
    words: list[str] = []
    for word in rest.split():
        if any(c in word for c in QUOTE_CHARS) or word in _CLAUSE_BREAKS:
            break
        words.append(word.strip(",;:."))
        if word.endswith((",", ";", ":", ".")) or len(words) >= MAX_TARGET_WORDS:
            break
    words = [w for w in words if w]
    return " ".join(words) if words and words[0].casefold() not in PRONOUNS else "statement"


class _Cast:
    """The actors found so far, grouping the forms of each name."""

    def __init__(self, text: str) -> None:
        self._text = text
        self.actors: list[_Actor] = []
        self._last_person: _Actor | None = None
        # One pass over the text, not one search per sentence: a long article has thousands.
        self._mid_sentence_caps = {m["word"] for m in _MID_SENTENCE_CAP.finditer(text)}

    def speaker(self, raw: str, *, sentence_start: bool) -> _Actor | None:
        """Resolve a subject phrase to an actor, or None when no named speaker is there."""
        phrase = raw.strip(" ,")
        segments = [s.strip() for s in phrase.split(",") if s.strip()]
        if not segments:
            return None
        first = segments[0].split()[0] if segments[0].split() else ""
        ordered = segments[::-1] if first in OPENERS else segments
        for phrase in ordered[:3]:  # "Its mayor, Pavel Roos," names him in the apposition
            if (actor := self._resolve(phrase, sentence_start=sentence_start)) is not None:
                return actor
        return None

    # One return per form a speaker takes; splitting them would scatter one decision.
    def _resolve(self, phrase: str, *, sentence_start: bool) -> _Actor | None:  # noqa: PLR0911
        phrase = re.sub(r"\s+(?:reporters|journalists)\b.*$", "", phrase)
        # "a State Department spokesperson", "a ministry statement": the body speaks.
        phrase = re.sub(
            r"\s+(?:spokesperson|spokesman|spokeswoman|official|statement)s?$", "", phrase
        )
        if (m := POSSESSIVE_ORG.match(phrase)) is not None:
            owner = STATE_OF.get(m["owner"].strip().casefold(), m["owner"].strip())
            return self._actor(f"{owner}'s {m['org'].lower()}", ActorKind.ORGANISATION, phrase)
        if DESCRIPTION.match(phrase):
            return self._add_alias(self._last_person, phrase)
        if (m := ORG_OF.match(phrase)) is not None:
            owner = STATE_OF.get(m["owner"].strip().casefold(), m["owner"].strip())
            return self._actor(f"{owner}'s {m['org'].lower()}", ActorKind.ORGANISATION, phrase)
        bare = re.sub(r"^(?:the|a|an|The|A|An) ", "", phrase)
        if (state := STATE_OF.get(bare.casefold())) is not None:
            return self._actor(state, ActorKind.STATE, bare)
        words = bare.split()
        if ORG_WORDS.search(bare) and all(
            _capitalised(w) or w in {"of", "for", "and"} for w in words
        ):
            return self._actor(bare, ActorKind.ORGANISATION, bare)
        if (m := PLACE_OF.match(bare)) is not None:
            return self._actor(m["name"], ActorKind.OTHER, bare)
        run: list[str] = []
        for word in reversed(words):
            if not _capitalised(word) or word in TITLE_WORDS:
                break
            run.insert(0, word)
        if not run or (len(run) == 1 and not self._named_elsewhere(run[0], sentence_start)):
            return None  # "Analysts said", "A spokesperson said": nobody named
        return self._person(" ".join(run), bare)

    def _named_elsewhere(self, word: str, sentence_start: bool) -> bool:
        if any(word in a.name.split() for a in self.actors if a.kind is ActorKind.PERSON):
            return True
        # A capitalised word that only ever opens a sentence is not a name ("Analysts").
        return word in self._mid_sentence_caps or not sentence_start

    def _person(self, name: str, written: str) -> _Actor:
        tokens = name.split()
        for actor in self.actors:
            if actor.kind is not ActorKind.PERSON:
                continue
            known = actor.name.split()
            if len(tokens) == 1 and tokens[0] in known:
                self._last_person = actor
                return actor  # "Lee" after "Lee Jae-myung"
            if len(known) == 1 and known[0] in tokens:  # the surname came first
                actor.aliases.append(actor.name)
                actor.name = name
                self._last_person = actor
                return self._add_alias(actor, written) or actor
        actor = self._actor(name, ActorKind.PERSON, written)
        self._last_person = actor
        return actor

    def _actor(self, name: str, kind: ActorKind, written: str) -> _Actor:
        for actor in self.actors:
            if actor.name.casefold() == name.casefold():
                return self._add_alias(actor, written) or actor
        actor = _Actor(name, kind)
        self.actors.append(actor)
        return self._add_alias(actor, written) or actor

    @staticmethod
    def _add_alias(actor: _Actor | None, alias: str) -> _Actor | None:
        if actor is not None and alias.casefold() not in {
            a.casefold() for a in [actor.name, *actor.aliases]
        }:
            actor.aliases.append(alias)
        return actor

    def finish(self) -> list[Actor]:
        """Add the short forms the article uses, and return the actors that said something."""
        for actor in self.actors:
            forms: list[str] = []
            if actor.kind is ActorKind.STATE:
                forms = [f for f in STATES.get(actor.name, ()) if _whole_word(f, self._text)]
            elif actor.kind is ActorKind.PERSON and len(tokens := actor.name.split()) > 1:
                forms = [t for t in (tokens[0], tokens[-1]) if _alone(t, self._text)]
            for form in forms:
                self._add_alias(actor, form)
        return [
            Actor(name=a.name, aliases=a.aliases, kind=a.kind, stances=_distinct(a.stances))
            for a in self.actors
            if a.stances
        ]


def _distinct(stances: list[Stance]) -> list[Stance]:
    """Drop repeated quotes and keep the first few: a briefing, not a transcript."""
    seen: set[str] = set()
    kept = []
    for stance in stances:
        if stance.quote not in seen:
            seen.add(stance.quote)
            kept.append(stance)
    return kept[:MAX_STANCES_PER_ACTOR]


def _whole_word(word: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None


def _alone(token: str, text: str) -> bool:
    """Tell whether a name's token also appears on its own ("Kim" beside "Kim Jong Un")."""
    for m in re.finditer(rf"(?<!\w){re.escape(token)}(?!\w)", text):
        before = text[max(0, m.start() - 80) : m.start()].split()[-1:]
        after = text[m.end() : m.end() + 80].split()[:1]
        if not (before and _capitalised(before[0])) and not (after and _capitalised(after[0])):
            return True
    return False


def _stance(sentence: str, rest: str, object_: str = "") -> Stance:
    return Stance(
        target=_target(object_),
        position=_verbatim_cut(rest.strip() or sentence, 160),
        polarity=polarity_of(rest or sentence),
        quote=_quote_of(sentence, rest),
    )


def attributed_actors(sentences: list[str], text: str) -> list[Actor]:
    """Return the actors the article quotes or reports, each stance with a verbatim quote."""
    cast = _Cast(text)
    for sentence in sentences:
        if (m := QUOTE_FIRST.match(sentence)) is not None:
            raw = m["after"] or m["before"]
            who = cast.speaker(raw, sentence_start=False)
            if who is not None:
                who.stances.append(_stance(sentence, sentence))
                continue
        if (m := QUOTED_AS.search(sentence) or ACCORDING.search(sentence)) is not None:
            who = cast.speaker(m["who"], sentence_start=False)
            if who is not None:
                rest = sentence[m.end() :].lstrip(" ,") or sentence[: m.start()]
                who.stances.append(_stance(sentence, rest, rest))
                continue
        for verb in VERB.finditer(sentence):
            subject = sentence[: verb.start()]
            if not subject.strip() or any(c in subject for c in QUOTE_CHARS):
                break
            who = cast.speaker(subject, sentence_start=True)
            if who is not None:
                who.stances.append(
                    _stance(sentence, sentence[verb.start() :], sentence[verb.end() :])
                )
                break
    return cast.finish()
