"""What an article brings to grouping: its features, from its text and, once made, its briefing.

Four kinds, each prefixed so they never collide: `n:` name keys (people, places,
organisations, across scripts), `e:` states and alliances as the issue matcher folds them,
`#` numbers, `t:` word stems (one language's wording). A briefing adds its actors' names,
its places and its stances' canonical issues (`i:`): a re-brief that changes them changes
the article's features, and so may move it to another story.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from datetime import datetime

from bot.actors.issues import issue_key, stem, text_entities
from bot.models import Briefing
from bot.stories import text as t

FEATURES_VERSION = 2  # stored features of another version are left out of the window
_MIN_STEM_WORD = 4  # shorter words are function words in all four languages
# Longer function words and the reporting verbs every article has: they say nothing about which
# event it is (idf discounts them in a full window, but not among a chat's first articles).
_FUNCTION_WORDS = """that this these those with from have were been will would their there
    they them than
    then when which while also after before over under into about said says told added
    dass eine einer eines nicht sich auch wird wurde sagte dans pour avec sont dont cette
    mais plus selon leur apres avant etait также этом этот чтобы было были будет который
    заявил сказал сообщил"""
_FUNCTION = frozenset(_FUNCTION_WORDS.split())
_SENTENCE = re.compile(r"(?<=[.!?»\"])\s+|\n+")
_MAX_SENTENCE = 500  # issue_key reads the first 500 characters of what it is given


@dataclass(frozen=True, slots=True)  # slots: a window holds 10,000 of them
class ArticleFeatures:
    """One article as the grouper sees it."""

    article_hash: str
    published: datetime
    features: frozenset[str]
    signature: tuple[int, ...]  # MinHash of the word 3-shingles: near-duplicate detection

    def encode(self) -> str:
        """Return the stored form: the version, the signature in hex, then the features.

        A line each (no feature holds a line break: all are made of word characters). Reading
        10,000 of these back at a start takes about half the time their JSON took.
        """
        sig = t.SIGNATURE.pack(*self.signature).hex()
        return "\n".join((str(FEATURES_VERSION), sig, *sorted(self.features)))

    @classmethod
    def decode(cls, article_hash: str, published: datetime, stored: str) -> ArticleFeatures | None:
        """Read stored features; None when they were made by another version."""
        if stored.startswith("{"):  # JSON, as stored before the line form
            return cls._from_json(article_hash, published, json.loads(stored))
        version, sig, *feats = stored.split("\n")
        if version != str(FEATURES_VERSION):
            return None
        return cls(
            article_hash, published, frozenset(feats), t.SIGNATURE.unpack(bytes.fromhex(sig))
        )

    @classmethod
    def _from_json(
        cls, article_hash: str, published: datetime, data: dict[str, object]
    ) -> ArticleFeatures | None:
        if data.get("v") != FEATURES_VERSION:
            return None
        feats, sig = data.get("f"), data.get("s")
        if not isinstance(feats, list) or not isinstance(sig, list):
            return None
        return cls(article_hash, published, frozenset(map(str, feats)), tuple(map(int, sig)))


def text_features(body: str) -> set[str]:
    """Return the features found in a text (title and body alike)."""
    found = {f"n:{k}" for k in t.names(body)} | {f"#{n}" for n in t.numbers(body)}
    for sentence in _SENTENCE.split(body):
        for part in (sentence[i : i + _MAX_SENTENCE] for i in range(0, len(sentence), 450)):
            found |= {f"e:{e}" for e in text_entities(part)}
    found |= {
        f"t:{_stem(w)}"
        for w in t.words(body)
        if len(w) >= _MIN_STEM_WORD and w.isalpha() and w not in _FUNCTION
    }
    return found


# Words recur from article to article (Zipf): their stems are looked up, not recomputed.
_stem = functools.lru_cache(maxsize=200_000)(stem)


def briefing_features(briefing: Briefing) -> set[str]:
    """Return the features a briefing adds: actors, places and canonical issues."""
    found: set[str] = set()
    for actor in briefing.actors:
        for form in (actor.name, *actor.aliases):
            found |= {f"n:{k}" for k in t.names(" " + form) if k}
        for stance in actor.stances:
            issue = stance.issue or stance.target
            found |= {f"i:{token.split(':')[-1]}" for token in issue_key(issue)}
    for place in briefing.places:
        found |= {f"n:{k}" for k in t.names(" " + place)}
    return found


def features_of(
    article_hash: str,
    published: datetime,
    body: str,
    title: str | None = None,
    briefing: Briefing | None = None,
) -> ArticleFeatures:
    """Compute an article's features from its text, title and (when made) briefing."""
    whole = f"{title}\n\n{body}" if title else body
    found = text_features(whole)
    if briefing is not None:
        found |= briefing_features(briefing)
    sig = t.signature(t.shingles(body))
    return ArticleFeatures(article_hash, published, frozenset(found), sig)
