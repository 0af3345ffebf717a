"""An actor as the extractive briefing finds it, and small helpers on names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.extractive.gazetteer import ABBREVIATIONS, STATES, words
from bot.models import ActorKind, Stance

_ACRONYM_FROM = 3  # "Multilateral Sanctions Monitoring Team" is "MSMT"; two words are not
_NOT_ROLE = words("the|a|an|its|his|her|their|of|and|by|with|to|on|in|said")


@dataclass(eq=False)
class Entity:
    """One named actor (or a news outlet, which is only ever a source)."""

    name: str
    kind: ActorKind
    aliases: list[str] = field(default_factory=list)
    heads: set[str] = field(default_factory=set)  # "the ministry", "the group" refer back
    stances: list[Stance] = field(default_factory=list)
    outlet: bool = False

    def add_alias(self, alias: str) -> None:
        """Record another written form of the name, once."""
        alias = alias.strip(" ,")
        if alias and alias.casefold() not in {a.casefold() for a in [self.name, *self.aliases]}:
            self.aliases.append(alias)

    def forms(self) -> list[str]:
        """Return the name and every alias."""
        return [self.name, *self.aliases]


@dataclass(frozen=True)
class Mention:
    """Where in a unit an entity is named."""

    start: int
    end: int
    entity: Entity


def norm(text: str) -> str:
    """Fold a name for comparison: case and the typographic apostrophe."""
    return text.replace("’", "'").casefold()


def tokens_of(run: str) -> list[str]:
    """Split a run into tokens; a sentence's full stop leaves a name, "Inc." keeps its own."""
    return [
        token[:-1]
        if token.endswith(".")
        and token not in ABBREVIATIONS
        and not re.fullmatch(r"(?:[A-Z]\.)+", token)  # "U.S.", the initial of "Robert F. Kennedy"
        else token
        for token in run.split()
    ]


def initials(name: str) -> str:
    """Return the acronym a long name may go by ("MSMT"), or "" for a short name."""
    capitals = [w for w in name.split() if w[:1].isupper()]
    return "".join(w[0] for w in capitals) if len(capitals) >= _ACRONYM_FROM else ""


def descriptor(before: str) -> str:
    """Return the role just before a name: "North Korean leader" in "… North Korean leader Kim"."""
    found: list[str] = []
    for word in reversed(before.split()[-4:]):
        if not word.replace("-", "").isalpha() or word.casefold() in _NOT_ROLE:
            break
        found.insert(0, word)
    return " ".join(found) if len(found) > 1 else ""


def ordered_aliases(entity: Entity, text: str) -> list[str]:
    """Put the short forms the article uses first ("Kim" before "North Korean leader")."""
    short: list[str] = []
    if entity.kind is ActorKind.STATE:  # "Pyongyang" anywhere in the text is North Korea too
        short = [f for f in STATES.get(entity.name, ()) if _whole_word(f, text)]
    if entity.kind is ActorKind.PERSON and len(tokens := entity.name.split()) > 1:
        short = [t for t in (tokens[0], tokens[-1]) if _alone(t, text)]
    rest = [a for a in entity.aliases if a not in short]
    return [*short, *rest]


def _whole_word(word: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text.replace("’", "'")) is not None


def _alone(token: str, text: str) -> bool:
    """Tell whether a name's token also appears on its own ("Kim" beside "Kim Jong Un")."""
    for m in re.finditer(rf"(?<!\w){re.escape(token)}(?!\w)", text):
        before = text[max(0, m.start() - 80) : m.start()].split()[-1:]
        after = text[m.end() : m.end() + 80].split()[:1]
        if not (before and before[0][:1].isupper()) and not (after and after[0][:1].isupper()):
            return True
    return False
