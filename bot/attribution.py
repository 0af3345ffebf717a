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

from bot.models import Actor, ActorKind, Polarity, Stance

_QUOTED = re.compile(r"[“\"«]([^“”\"«»]{12,}?)[”\"»]")
_QUOTE_CHARS = '“”"«»'
_OPPOSE = r"condemn(?:s|ed)?|reject(?:s|ed)?|oppose[sd]?|critici[sz](?:e|es|ed)|denounce[sd]?|den(?:y|ies|ied)|accuse[sd]?|dismiss(?:es|ed)?|refuse[sd]?|slam(?:s|med)?|warn(?:s|ed)?|threaten(?:s|ed)?|protest(?:s|ed)?"  # noqa: E501
_SUPPORT = r"pledge[sd]?|support(?:s|ed)?|welcome[sd]?|back(?:s|ed)|endorse[sd]?|praise[sd]?|promise[sd]?|vow(?:s|ed)?|urge[sd]?|call(?:s|ed)? (?:for|on)|commit(?:s|ted)? to|agree[sd]?"  # noqa: E501
_NEUTRAL = r"sa(?:id|ys)|told|tells?|add(?:s|ed)|state[sd]|declare[sd]|announce[sd]|insist(?:s|ed)|argue[sd]|note[sd]|call(?:s|ed)|wr(?:ote|ites)"  # noqa: E501
_VERB = re.compile(
    rf"\b(?:(?:has|have|had|also|again|repeatedly|strongly|publicly) )*"
    rf"(?P<verb>{_OPPOSE}|{_SUPPORT}|{_NEUTRAL})\b"
)
_POLARITY = [(re.compile(rf"\b(?:{_OPPOSE})\b"), Polarity.OPPOSES),
             (re.compile(rf"\b(?:{_SUPPORT})\b"), Polarity.SUPPORTS)]  # fmt: skip
_QUOTE_FIRST = re.compile(
    r"^[“\"«].+?[”\"»],?\s+(?:(?:said|says|added|wrote)\s+(?P<after>[^,.;]+)|"
    r"(?P<before>[^,.;“”\"]+?)\s+(?:said|says|added|told|wrote)\b)"
)
_ACCORDING = re.compile(r"\b[Aa]ccording to (?P<who>[^,.;“”\"]+)")
_QUOTED_AS = re.compile(r"\bquoted (?P<who>[^,.;“”\"]+?) as saying\b")
_ORG_WORDS = re.compile(
    r"\b(?:[Mm]inistry|[Dd]epartment|[Oo]ffice|[Aa]gency|[Cc]ouncil|[Cc]ommission|[Cc]ommittee|"
    r"[Gg]overnment|[Aa]rmy|[Mm]ilitary|[Ee]mbassy|[Bb]ank|[Pp]arty|[Uu]niversity|[Uu]nion|"
    r"[Cc]ourt|[Pp]arliament|Congress|Senate|Kremlin|Pentagon|White House|[Ff]ederation|"
    r"[Aa]ssociation|Trust|Foundation|Authority|Assembly|Board|Company|Group|[Oo]rgani[sz]ation|[Ii]nstitute|[Aa]dministration|[Cc]ommand|[Pp]olice)\b"
)
_ORG_OF = re.compile(
    r"^(?:the |a |an )?(?P<org>(?:[\w-]+ ){0,3}?(?:ministry|department|office|government|"
    r"embassy|military|army|agency))(?: statement| spokesperson| spokesman| official)? "
    r"(?:from|of|for) (?:the )?(?P<owner>[A-Z][\w .'-]*)$",
    re.IGNORECASE,
)
_POSSESSIVE_ORG = re.compile(
    r"^(?:the )?(?P<owner>[A-Z][\w .-]*?)['’]s (?P<org>(?:[\w-]+ ){0,3}?(?:ministry|department|"  # noqa: RUF001
    r"office|government|embassy|military|army|agency))$"
)
_PLACE_OF = re.compile(
    r"^(?:[Tt]he )?(?:town|city|village|province|region|county|district) of "
    r"(?P<name>[A-Z][\w' -]*)$"
)
_TITLE_WORDS = frozenset(
    [
        "President",
        "Prime",
        "Minister",
        "Secretary",
        "Chancellor",
        "Leader",
        "Spokesperson",
        "Spokesman",
        "Spokeswoman",
        "King",
        "Queen",
        "Senator",
        "Governor",
        "Mayor",
        "Dr",
        "Mr",
        "Mrs",
        "Ms",
        "Prof",
        "Professor",
        "Chairman",
        "Chair",
        "Ambassador",
        "Gen",
        "General",
        "Admiral",
        "Pope",
        "Premier",
        "Representative",
        "Rep",
        "Sen",
        "Judge",
        "Justice",
        "Commissioner",
    ]
)
_DESCRIPTION = re.compile(
    r"^the (?:[\w-]+ ){0,3}(?:leader|president|prime minister|minister|spokesperson|"
    r"chancellor|king|queen|premier|general|secretary|ambassador)$",
    re.IGNORECASE,
)
_OPENERS = frozenset(
    ["In", "On", "At", "After", "Before", "Meanwhile", "However", "But", "And", "Later", "Earlier"]
)
# Metonyms and acronyms for a few states that news names by their capital: a reader knows
# that "Pyongyang said" is North Korea speaking; a regex does not.
_STATES = {
    "North Korea": ("Pyongyang", "DPRK", "North Korean"),
    "South Korea": ("Seoul", "ROK", "South Korean"),
    "United States": ("Washington", "US", "U.S.", "USA", "America", "American"),
    "China": ("Beijing", "PRC", "Chinese"),
    "Russia": ("Moscow", "Kremlin", "Russian"),
    "Japan": ("Tokyo", "Japanese"),
    "United Kingdom": ("London", "Britain", "UK", "British"),
    "Ukraine": ("Kyiv", "Kiev", "Ukrainian"),
    "Iran": ("Tehran", "Iranian"),
    "Taiwan": ("Taipei", "Taiwanese"),
    "France": ("Paris", "French"),
    "Germany": ("Berlin", "German"),
    "India": ("New Delhi", "Indian"),
    "Israel": ("Israeli",),
}
_STATE_OF = {v.casefold(): k for k, vs in _STATES.items() for v in (k, *vs)}
_MAX_QUOTE = 280
_MAX_TARGET_WORDS = 6
_PRONOUNS = frozenset(
    ["it", "he", "she", "they", "we", "that", "this", "his", "her", "their", "its"]
)


@dataclass
class _Actor:
    name: str
    kind: ActorKind
    aliases: list[str] = field(default_factory=list)
    stances: list[Stance] = field(default_factory=list)


def _capitalised(word: str) -> bool:
    return bool(word) and word[0].isupper()


def _verbatim_cut(text: str, limit: int = _MAX_QUOTE) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0]


def _quote_of(sentence: str, rest: str) -> str:
    spans = [m.group(1).strip().rstrip(",") for m in _QUOTED.finditer(rest or sentence)]
    if spans:  # two quoted parts of one statement, elided; each piece is verbatim
        return " … ".join(_verbatim_cut(s) for s in spans[:2])
    return _verbatim_cut(sentence)


def _polarity(text: str) -> Polarity:
    for pattern, polarity in _POLARITY:
        if pattern.search(text):
            return polarity
    return Polarity.NEUTRAL


def _target(rest: str) -> str:
    words: list[str] = []
    for word in rest.split():
        if any(c in word for c in _QUOTE_CHARS) or word in {"that", "and", "as"}:
            break
        words.append(word.strip(",;:."))
        if word.endswith((",", ";", ":", ".")) or len(words) >= _MAX_TARGET_WORDS:
            break
    words = [w for w in words if w]
    return " ".join(words) if words and words[0].casefold() not in _PRONOUNS else "statement"


class _Cast:
    """The actors found so far, grouping the forms of each name."""

    def __init__(self, text: str) -> None:
        self._text = text
        self.actors: list[_Actor] = []
        self._last_person: _Actor | None = None

    def speaker(self, raw: str, *, sentence_start: bool) -> _Actor | None:
        """Resolve a subject phrase to an actor, or None when no named speaker is there."""
        phrase = raw.strip(" ,")
        segments = [s.strip() for s in phrase.split(",") if s.strip()]
        if not segments:
            return None
        first = segments[0].split()[0] if segments[0].split() else ""
        ordered = segments[::-1] if first in _OPENERS else segments
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
        if (m := _POSSESSIVE_ORG.match(phrase)) is not None:
            owner = _STATE_OF.get(m["owner"].strip().casefold(), m["owner"].strip())
            return self._actor(f"{owner}'s {m['org'].lower()}", ActorKind.ORGANISATION, phrase)
        if _DESCRIPTION.match(phrase):
            return self._add_alias(self._last_person, phrase)
        if (m := _ORG_OF.match(phrase)) is not None:
            owner = _STATE_OF.get(m["owner"].strip().casefold(), m["owner"].strip())
            return self._actor(f"{owner}'s {m['org'].lower()}", ActorKind.ORGANISATION, phrase)
        bare = re.sub(r"^(?:the|a|an|The|A|An) ", "", phrase)
        if (state := _STATE_OF.get(bare.casefold())) is not None:
            return self._actor(state, ActorKind.STATE, bare)
        words = bare.split()
        if _ORG_WORDS.search(bare) and all(
            _capitalised(w) or w in {"of", "for", "and"} for w in words
        ):
            return self._actor(bare, ActorKind.ORGANISATION, bare)
        if (m := _PLACE_OF.match(bare)) is not None:
            return self._actor(m["name"], ActorKind.OTHER, bare)
        run: list[str] = []
        for word in reversed(words):
            if not _capitalised(word) or word in _TITLE_WORDS:
                break
            run.insert(0, word)
        if not run or (len(run) == 1 and not self._named_elsewhere(run[0], sentence_start)):
            return None  # "Analysts said", "A spokesperson said": nobody named
        return self._person(" ".join(run), bare)

    def _named_elsewhere(self, word: str, sentence_start: bool) -> bool:
        if any(word in a.name.split() for a in self.actors if a.kind is ActorKind.PERSON):
            return True
        # A capitalised word that only ever opens a sentence is not a name ("Analysts").
        mid = re.search(rf"(?<![.!?”\"]\s)(?<!^)\b{re.escape(word)}\b", self._text, re.MULTILINE)
        return mid is not None or not sentence_start

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
                forms = [f for f in _STATES.get(actor.name, ()) if _whole_word(f, self._text)]
            elif actor.kind is ActorKind.PERSON and len(tokens := actor.name.split()) > 1:
                forms = [t for t in (tokens[0], tokens[-1]) if _alone(t, self._text)]
            for form in forms:
                self._add_alias(actor, form)
        return [
            Actor(name=a.name, aliases=a.aliases, kind=a.kind, stances=a.stances)
            for a in self.actors
            if a.stances
        ]


def _whole_word(word: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None


def _alone(token: str, text: str) -> bool:
    """Tell whether a name's token also appears on its own ("Kim" beside "Kim Jong Un")."""
    for m in re.finditer(rf"(?<!\w){re.escape(token)}(?!\w)", text):
        before = text[: m.start()].split()[-1:]
        after = text[m.end() :].split()[:1]
        if not (before and _capitalised(before[0])) and not (after and _capitalised(after[0])):
            return True
    return False


def _stance(sentence: str, rest: str, object_: str = "") -> Stance:
    return Stance(
        target=_target(object_),
        position=_verbatim_cut(rest.strip() or sentence, 160),
        polarity=_polarity(rest or sentence),
        quote=_quote_of(sentence, rest),
    )


def attributed_actors(sentences: list[str], text: str) -> list[Actor]:
    """Return the actors the article quotes or reports, each stance with a verbatim quote."""
    cast = _Cast(text)
    for sentence in sentences:
        if (m := _QUOTE_FIRST.match(sentence)) is not None:
            raw = m["after"] or m["before"]
            who = cast.speaker(raw, sentence_start=False)
            if who is not None:
                who.stances.append(_stance(sentence, sentence))
                continue
        if (m := _QUOTED_AS.search(sentence) or _ACCORDING.search(sentence)) is not None:
            who = cast.speaker(m["who"], sentence_start=False)
            if who is not None:
                rest = sentence[m.end() :].lstrip(" ,") or sentence[: m.start()]
                who.stances.append(_stance(sentence, rest, rest))
                continue
        for verb in _VERB.finditer(sentence):
            subject = sentence[: verb.start()]
            if not subject.strip() or any(c in subject for c in _QUOTE_CHARS):
                break
            who = cast.speaker(subject, sentence_start=True)
            if who is not None:
                who.stances.append(
                    _stance(sentence, sentence[verb.start() :], sentence[verb.end() :])
                )
                break
    return cast.finish()
