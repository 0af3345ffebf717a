"""A question to a search: its time words as dates, the chat's actors it names, its words.

Actors are matched through the chat's actor directory (bot/actors/lookup.py), the one /who
uses: every name and alias of every identity, found in the question inflection-tolerant
("Кима" finds "Ким"), and only where the question writes it capitalised, so "us" is not the
United States.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from bot.actors.identity import Identity
from bot.ask.periods import Period, find_period
from bot.checks.words import fold, same_word
from bot.search.query import SearchQuery

MAX_QUESTION_CHARS = 300  # longer plain messages are articles to brief, not questions
_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d+", re.UNICODE)
_QUESTION_WORDS = frozenset(
    # en
    "what who whom whose when where why how which is are was were did does do has have had "
    "can could will would should tell "
    # ru
    "что кто где когда почему зачем как какой какая какие каким сколько ли чем кого кому "
    "чего был была были есть расскажи "
    # de
    "was wer wen wem wessen wann wo warum wieso weshalb wie welche welcher welches hat haben "
    "ist sind gibt "
    # fr
    "que qui quoi quand où pourquoi comment quel quelle quels quelles combien est-ce".split()
)
# Words that carry no topic: question words, auxiliaries, pronouns, articles, prepositions.
_STOP = _QUESTION_WORDS | frozenset(
    "the a an of to in on at for about from by with and or any anything me us you say said says "
    "saying think thinks thought been be it its this that these those there their they he she "
    "him her his my our your over last past since during than then so do latest recent news "
    "и в во на о об про с со по за от до из у к ко же ли не а но или это этот эта эти тот "
    "сказал сказала говорил говорила заявил заявила говорят новости последние "
    "der die das den dem des ein eine einen einem und oder zu im am um über von mit für auf "
    "aus bei nach seit sagte gesagt sagen über "
    "le la les un une des du de et ou au aux en dans sur pour par avec a dit sur depuis".split()
)


@dataclass(frozen=True)
class Understood:
    """A question as the archive is asked it: the query, and what was read out of it."""

    query: SearchQuery
    period: Period | None
    actor: Identity | None


def is_question(text: str) -> bool:
    """Tell whether a short plain message reads as a question (not an article to brief)."""
    stripped = text.strip()
    if not stripped or len(stripped) > MAX_QUESTION_CHARS or "\n\n" in stripped:
        return False
    if stripped.endswith(("?", "？", "¿")):
        return True
    first = _WORD.search(stripped)
    return first is not None and fold(first.group()) in _QUESTION_WORDS and "\n" not in stripped


def understand(question: str, *, today: date, actors: Sequence[Identity] = ()) -> Understood:
    """Read a question's period, the actor it names and its topic words into a SearchQuery."""
    period = find_period(question, today)
    # "Inflation in November": the month is in the article's words, not only in its date.
    rest = question.replace(period.words, " ") if period and not period.named else question
    actor, _ = find_actor(rest, actors)
    words = [w for w in _WORD.findall(rest) if fold(w) not in _STOP and len(w) > 1]
    if actor is not None:
        # "ФНС" asked, "Федеральная налоговая служба" written: the actor's name is searched too.
        have = {fold(w) for w in words}
        words += [w for w in _WORD.findall(actor.name) if fold(w) not in have | _STOP]
    query = SearchQuery(
        text=" ".join(words),
        actor=actor.name if actor else None,
        since=period.since if period else None,
        until=period.until if period else None,
    )
    return Understood(query=query, period=period, actor=actor)


def without_actor(query: SearchQuery) -> SearchQuery:
    """Drop the actor filter (its name stays among the words): a wider second try."""
    return replace(query, actor=None)


def find_actor(text: str, actors: Sequence[Identity]) -> tuple[Identity | None, str]:
    """Return the chat's actor the text names with the longest form, and that form."""
    tokens = [m.group() for m in _WORD.finditer(text)]
    folded = [fold(t) for t in tokens]
    best: tuple[int, Identity, str] | None = None
    for actor in actors:
        for form in {actor.name, *actor.names, *actor.aliases}:
            words = [fold(w) for w in _WORD.findall(form)]
            if not words or (best and len(words) <= best[0]):
                continue
            if _occurs(words, folded, tokens):
                best = (len(words), actor, form)
    return (best[1], best[2]) if best else (None, "")


def _occurs(words: list[str], folded: list[str], tokens: list[str]) -> bool:
    size = len(words)
    for start in range(len(folded) - size + 1):
        window = folded[start : start + size]
        if not tokens[start][:1].isupper():
            continue
        if all(same_word(a, b) for a, b in zip(words, window, strict=True)):
            return True
    return False
