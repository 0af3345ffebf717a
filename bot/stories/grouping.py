"""One chat's stories in memory: near-duplicates, then the best matching story, as articles arrive.

An arriving article is first compared with the articles whose MinHash signatures share an
LSH band: one at high Jaccard is the same wire copy republished, and joins its original's
story as a copy. Otherwise its features are weighted by rarity (idf over the articles in
the window) and the articles sharing its rarer features are scored by weighted cosine; the
article joins the story of the best one above the threshold, and when articles of two or
more stories pass it, those stories are merged (a late report that bridges them).
Everything here is pure and synchronous; the service runs it on the database thread.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import repeat
from operator import add, itemgetter

from bot.stories.features import ArticleFeatures
from bot.stories.lsh import BandIndex, band_keys
from bot.stories.text import similarity

# Estimated Jaccard of word 3-shingles above which two articles are one wire copy: on the
# fixture, copies score 0.56-1.0 and different reports of one event at most 0.2.
DUPLICATE_JACCARD = 0.5
STORY_SIMILARITY = 0.2  # weighted cosine of features: the same event
_CANDIDATES = 40  # articles scored in full, the best by their shared rare features
_RARE = 0.02  # features in more than this share of the window do not propose candidates
_MIN_RARE_DF = 30  # ... unless the window is small
_PROPOSERS = 32  # the rarest features of an arriving article that look for candidates
_GROWTH = 1.1  # the norms are refreshed each time the window has grown by a tenth
_PRIOR_DOCS = 30  # idf is smoothed as if this many more articles had been seen
_NEUTRAL_WEIGHT = 0.8  # names, states and numbers alone say a little less than all words
# Reports of one event come within hours of each other; a day apart, a match must be twice
# as close (a summit on Monday and a missile test on Thursday share their actors).
_HALF_LIFE_H = 24.0
_ZEROS = repeat(0.0)  # the default of `dict.get` mapped over many keys


@dataclass(frozen=True)
class Assignment:
    """Where an article went: its story, the article it copies, the stories merged into it."""

    story_id: str
    copy_of: str | None = None
    merged: tuple[str, ...] = ()


@dataclass(slots=True)
class _Member:
    features: ArticleFeatures
    story_id: str
    copy_of: str | None
    # The article's weight vector lengths (all features, language-free ones), taken with the
    # window's idf when it was inserted: the idf drifts slowly as articles arrive, and
    # recomputing them for every comparison cost more than the rest of the placement.
    norms: tuple[float, float] = (1.0, 1.0)


@dataclass
class ChatStories:
    """A chat's articles in the window, their stories, and the indexes that find matches."""

    window: timedelta
    members: dict[str, _Member] = field(default_factory=dict)
    stories: dict[str, set[str]] = field(default_factory=dict)
    _postings: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _bands: BandIndex = field(default_factory=BandIndex)
    _normed_at: int = 0  # how many articles the window had when the norms were last refreshed

    def add(self, article: ArticleFeatures) -> Assignment:
        """Place an arriving article (or place it again, after its features changed)."""
        if article.article_hash in self.members:
            self.remove(article.article_hash)
        original = self._duplicate_of(article)
        if original is not None:
            story = self.members[original].story_id
            self._insert(article, story, original)
            return Assignment(story, copy_of=original)
        matched = self._matching_stories(article)
        if not matched:
            story = article.article_hash[:16]
            self._insert(article, story, None)
            return Assignment(story)
        # The largest story keeps its id (ties: the older id, i.e. the smaller string).
        keep = min(matched, key=lambda s: (-len(self.stories[s]), s))
        merged = tuple(s for s in matched if s != keep)
        for other in merged:
            for h in self.stories.pop(other):
                self.members[h].story_id = keep
                self.stories[keep].add(h)
        self._insert(article, keep, None)
        return Assignment(keep, merged=merged)

    def restore(self, article: ArticleFeatures, story_id: str, copy_of: str | None) -> None:
        """Put back an article whose story was decided before (at start-up, from the store).

        Its norms wait for `refresh_norms`, called once all are back.
        """
        self._insert(article, story_id, copy_of, weigh=False)

    def refresh_norms(self) -> None:
        """Recompute every article's norms with the current idf (after a rebuild)."""
        self._normed_at = len(self.members)
        # Each feature's squared weight once, then summed in C: the window's ~700,000
        # (article, feature) pairs cost one lookup each, not an idf and a prefix test each.
        squared = {f: (w := self._idf(f)) * w for f in self._postings}
        free = {f: w for f, w in squared.items() if not f.startswith("t:")}
        for member in self.members.values():
            feats = member.features.features
            every = sum(map(squared.__getitem__, feats))
            neutral = sum(map(free.get, feats, _ZEROS))
            member.norms = math.sqrt(every) or 1.0, math.sqrt(neutral) or 1.0

    def remove(self, article_hash: str) -> None:
        """Forget an article (its features changed, or it left the window)."""
        member = self.members.pop(article_hash, None)
        if member is None:
            return
        for feature in member.features.features:
            posting = self._postings[feature]
            posting.discard(article_hash)
            if not posting:  # a name or number gone with its story: no empty set kept for it
                del self._postings[feature]
        self._bands.remove(article_hash, band_keys(member.features.signature))
        story = self.stories.get(member.story_id)
        if story is not None:
            story.discard(article_hash)
            if not story:
                del self.stories[member.story_id]

    def evict_before(self, moment: datetime) -> int:
        """Drop articles published before `moment` from the indexes; return how many."""
        old = [h for h, m in self.members.items() if m.features.published < moment]
        for h in old:
            self.remove(h)
        return len(old)

    def _insert(
        self, article: ArticleFeatures, story_id: str, copy_of: str | None, *, weigh: bool = True
    ) -> None:
        h = article.article_hash
        self.stories.setdefault(story_id, set()).add(h)
        # ~70 features an article, 10,000 articles at a rebuild: the postings are filled by
        # map in C (deque(maxlen=0) only runs it), not by a loop of the interpreter.
        deque(map(set.add, map(self._postings.__getitem__, article.features), repeat(h)), 0)
        self._bands.add(h, band_keys(article.signature))
        if not weigh:
            self.members[h] = _Member(article, story_id, copy_of)
            return
        norms = self._norms({f: self._idf(f) for f in article.features})
        self.members[h] = _Member(article, story_id, copy_of, norms)
        if len(self.members) > _GROWTH * self._normed_at:  # amortised: O(1) per article
            self.refresh_norms()

    def _in_window(self, a: ArticleFeatures, b: ArticleFeatures) -> bool:
        return abs(a.published - b.published) <= self.window

    def _duplicate_of(self, article: ArticleFeatures) -> str | None:
        seen = self._bands.sharing(band_keys(article.signature))
        best, best_sim = None, DUPLICATE_JACCARD
        for h in seen:
            other = self.members[h].features
            sim = similarity(article.signature, other.signature)
            if sim >= best_sim and self._in_window(article, other):
                best, best_sim = h, sim
        if best is None:
            return None
        # A copy of a copy is a copy of the original, if the original is still in the window
        # (it is not while it is being placed again itself).
        original = self.members[best].copy_of
        return original if original in self.members else best

    def _idf(self, feature: str) -> float:
        df = len(self._postings.get(feature, ()))
        return math.log((len(self.members) + _PRIOR_DOCS) / (df + 1))

    @staticmethod
    def _norms(weights: dict[str, float]) -> tuple[float, float]:
        every = sum(w * w for w in weights.values())
        free = sum(w * w for f, w in weights.items() if not f.startswith("t:"))
        return math.sqrt(every) or 1.0, math.sqrt(free) or 1.0

    def _matching_stories(self, article: ArticleFeatures) -> list[str]:
        weights = {f: self._idf(f) for f in article.features}
        norms = self._norms(weights)
        cap = max(_MIN_RARE_DF, int(_RARE * len(self.members)))
        # Only the article's rarest features propose candidates (prefix filtering): a match
        # worth the threshold shares some of them, and common words would make every
        # article a candidate.
        proposing = sorted(
            (len(p), f) for f in weights if (p := self._postings.get(f)) and len(p) <= cap
        )[:_PROPOSERS]
        # Thousands of (feature, article) pairs, the match's biggest cost: added up by map and
        # zip in C in the order a loop would, and ranked as `heapq.nlargest` ranks (a stable
        # sort on the score), so the candidates are the same ones, in the same order.
        partial: dict[str, float] = {}
        for _df, feature in proposing:
            posting, w2 = self._postings[feature], repeat(weights[feature] ** 2)
            partial.update(
                zip(posting, map(add, map(partial.get, posting, _ZEROS), w2), strict=False)
            )
        ranked = sorted(partial.items(), key=itemgetter(1), reverse=True)[:_CANDIDATES]
        best = [h for h, _partial in ranked]
        matched: dict[str, float] = {}
        for h in best:
            member = self.members[h]
            if not self._in_window(article, member.features):
                continue
            score = self._score(article, weights, norms, member)
            if score >= STORY_SIMILARITY and score > matched.get(member.story_id, 0.0):
                matched[member.story_id] = score
        return list(matched)

    def score(self, article: ArticleFeatures, other_hash: str) -> float:
        """Return how alike an article is to one in the window (see `_score`)."""
        weights = {f: self._idf(f) for f in article.features}
        return self._score(article, weights, self._norms(weights), self.members[other_hash])

    def _score(
        self,
        article: ArticleFeatures,
        weights: dict[str, float],
        norms: tuple[float, float],
        other: _Member,
    ) -> float:
        """Return how alike two articles are: weighted cosine, damped by the time between them.

        The cosine is taken twice, over all features and over those that do not depend on
        the language (names, states, numbers, issues); the better counts, the second a
        little discounted: two reports in two languages share no word stems.
        """
        every = free = 0.0
        for feature in article.features & other.features.features:
            w = weights[feature]
            every += w * w
            if not feature.startswith("t:"):
                free += w * w
        cosine = every / (norms[0] * other.norms[0])
        neutral = _NEUTRAL_WEIGHT * free / (norms[1] * other.norms[1])
        apart = abs(article.published - other.features.published).total_seconds() / 3600
        return max(cosine, neutral) / (1 + apart / _HALF_LIFE_H)
