"""Who a subject phrase is: a named actor, a pronoun or title back to one, or nobody.

"North Korean leader Kim Jong Un", "the ministry", "he", "it" (a relaying outlet, then),
"A report by the Multilateral Sanctions Monitoring Team, a group comprising 11 UN members":
a phrase is a subject only when, apart from the names in it, it holds a few role words
("leader", "spokesperson", "state media") and no clause ("Officials in Kim's government").
"""

from __future__ import annotations

import re

from bot.extractive.entity import Entity
from bot.extractive.gazetteer import (
    DATELINE,
    DEMONYMS,
    ORG_CUES,
    PERSON_CUES,
    TIME_EXPRESSION,
    TITLES,
    words,
)
from bot.extractive.named_entities import Names
from bot.models import ActorKind

_DOCUMENT = re.compile(
    r"\b(?:report|statement|study|letter|document|survey|analysis|note)s? (?:by|from|of) ",
    re.IGNORECASE,
)
_APPOSITIVE = re.compile(r",\s+(?:a|an|the|who|whose|which|known as|also known as)\b[^,]*(?:,|$)")
_RELATIVE = re.compile(r",\s+(?:who|whose|which)\b.*,$")
_ACCORDING_ASIDE = re.compile(r",?\s*\baccording to [^,.;]*,?")
_NOT_SUBJECT = words(
    """
in|at|on|by|with|from|to|for|after|before|when|while|that|which|who|is|was|were|are|has|
have|had|will|would|could|should|may|might|can|did|does|do|not|than|because|if|met|and|but|
or|said|says|been|be
"""
)
_SUBJECT_WORDS = words(
    """
the|a|an|its|his|her|their|state|media|news|foreign|official|officials|spokesperson|
spokesman|spokeswoman|ministry|government|'s
"""
)
# "Meanwhile,", "In Washington,": where or when, not who.
_OPENER = re.compile(r"Meanwhile|However|Separately|(?:In|At|From|Back in) [A-Z][\w .'’-]*")
_MAX_ROLE_WORDS = 2  # "EU industry chief", "consumer organisation": more is a clause
_MAX_BACK_WORDS = 4  # "the North Korean leader"
_HE = frozenset(["he", "she", "him", "her"])
_IT = frozenset(["it", "they", "them"])


class Speakers:
    """Resolve subject phrases against an article's names, remembering who spoke last."""

    def __init__(self, names: Names) -> None:
        self.names = names
        self.last_person: Entity | None = None
        self.last_thing: Entity | None = None  # the last body or outlet that spoke ("it said")
        self.last_speaker: Entity | None = None  # the last person quoted or reported
        self.seen: dict[int, int] = {}  # entity id → the last unit that named it

    def subject(self, span: str, *, trailing: bool = False) -> Entity | None:
        """Resolve the phrase before a verb when it is a subject that names an actor."""
        span = _ACCORDING_ASIDE.sub(" ", span)
        span = TIME_EXPRESSION.sub(" ", span).strip(" ,")
        if not trailing and re.search(r"(?:^|,|\s)and$", span):
            return self._main_subject(span)
        if not trailing and "," in span:
            head, _, tail = span.partition(",")
            if TIME_EXPRESSION.fullmatch(head.strip()) or _OPENER.fullmatch(head.strip()):
                span = tail
        span = DATELINE.sub("", span.strip(), count=1)
        span = _RELATIVE.sub(" ", span.strip() + ",")
        span = _DOCUMENT.sub("", _APPOSITIVE.sub(" ", span.strip() + ",").strip(" ,"))
        residue = self._residue(span)
        if any(w in _NOT_SUBJECT for w in residue):
            return None
        roles = _SUBJECT_WORDS | PERSON_CUES | ORG_CUES
        if sum(w not in roles and "-" not in w for w in residue) > _MAX_ROLE_WORDS:
            return None
        return self.resolve(span)

    def _residue(self, span: str) -> list[str]:
        names = [f for e in self.names.entities for f in e.forms()]
        rest = span
        for form in sorted(names, key=len, reverse=True):
            rest = re.sub(rf"(?<!\w){re.escape(form)}(?:['’]s)?(?!\w)", " ", rest)
        words = [w.strip(",()") for w in rest.split()]
        return [w.casefold() for w in words if w and not w[:1].isupper()]

    def _main_subject(self, span: str) -> Entity | None:
        """Find the subject of a sentence whose second verb is coordinated ("… and pledged")."""
        words: list[str] = []
        for word in span.split():
            if word.casefold().strip(",") in _NOT_SUBJECT and words:
                break
            words.append(word)
        return self.resolve(" ".join(words))

    def resolve(self, phrase: str) -> Entity | None:
        """Return the actor a subject phrase names, or refers back to."""
        phrase = TIME_EXPRESSION.sub(" ", phrase)
        phrase = re.sub(
            r"\s+(?:in|on|to|at|through|via)\s+(?:a |an |the )?\w+.*$", "", phrase.strip()
        )
        words = phrase.strip(" ,.").split()
        if not words:
            return None
        bare = [w.casefold() for w in words]
        if len(bare) == 1 and bare[0] in _HE:
            return self.last_person
        if len(bare) == 1 and bare[0] in _IT:
            return self.last_thing
        found = self._surname(words[0]) if len(words) == 1 else None
        found = found or self._named(phrase)
        if found is not None:
            return found
        if bare[0] in {"the", "its", "his", "her", "their"} and len(bare) <= _MAX_BACK_WORDS:
            return self._back(bare[-1], " ".join(words))
        return None

    def _surname(self, word: str) -> Entity | None:
        """Resolve a name two people share: "Kim" after Kim Yo Jong spoke of Kim Jong Un is she."""
        same = [
            e for e in self.names.entities if e.kind is ActorKind.PERSON and word in e.name.split()
        ]
        if len(same) < 2:  # noqa: PLR2004 - one person (or none): the ordinary lookup finds them
            return None
        if self.last_speaker in same:
            return self.last_speaker
        return max(same, key=lambda e: self.seen.get(id(e), 0))

    def _named(self, phrase: str) -> Entity | None:
        # A bare title ("President", "Chancellor") names nobody in particular: "Russian
        # President Vladimir Putin" is Putin even when "President" is Trump's alias too.
        hits = [
            (m.start(), -len(form), entity)
            for entity in self.names.entities
            for form in entity.forms()
            if not _title_only(form)
            and (m := re.search(rf"(?<!\w){re.escape(form)}(?!\w)", phrase)) is not None
        ]
        if not hits:
            return None
        people = [h for h in hits if h[2].kind is ActorKind.PERSON]
        if people:  # of two Kims, the one named last
            return min(people, key=lambda h: (h[0], h[1], -self.seen.get(id(h[2]), 0)))[2]
        first_segment = phrase.split(",", maxsplit=1)[0]
        inside = [h for h in hits if h[0] < len(first_segment)] or hits
        return min(inside, key=lambda h: (h[1], h[0]))[2]

    def _back(self, head: str, written: str) -> Entity | None:
        """Resolve "the ministry", "the group", "the North Korean leader" to a recent actor."""
        person = head in PERSON_CUES or head.capitalize() in TITLES
        matches = [
            e
            for e in self.names.entities
            if not e.outlet and head in e.heads and (e.kind is ActorKind.PERSON) == person
        ]
        if not matches and person and self.last_person is not None:
            matches = [self.last_person]  # "the North Korean leader": the person just named
        if not matches:
            return None
        best = max(matches, key=lambda e: self.seen.get(id(e), 0))
        best.add_alias(written if written[:1].islower() else written[:1].lower() + written[1:])
        return best


def _title_only(form: str) -> bool:
    """Tell a role ("U.S. President", "Sen.") from a name: every word of it is a title."""
    return all(w in TITLES or w in DEMONYMS or w.casefold() in PERSON_CUES for w in form.split())
