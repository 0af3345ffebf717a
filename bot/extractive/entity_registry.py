"""Hold the entities an article has named so far and look a name up among them and the lists."""

from __future__ import annotations

import re

from bot.extractive.entity import Entity, norm
from bot.extractive.gazetteer import ORG_OF, OUTLET_KEYS, STATE_OF
from bot.extractive.name_patterns import LOCATIVE
from bot.models import ActorKind


class EntityRegistry:
    """The entities of one article met so far, the last named last."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.entities: list[Entity] = []
        self.recent: list[Entity] = []  # the same entities, the last named last
        self._mid_caps = {m[1] for m in re.finditer(r"[a-z0-9,;)] ([A-Z][\w'’-]*)", text)}

    def entity(self, name: str, kind: ActorKind, *, outlet: bool = False) -> Entity:
        """Return the entity of this name, creating it the first time."""
        for known in self.entities:
            if norm(known.name) == norm(name) and known.outlet == outlet:
                return known
        made = Entity(name, kind, outlet=outlet)
        self.recent.append(made)
        if kind is ActorKind.ORGANISATION and not outlet:
            made.heads.add(name.rsplit(maxsplit=1)[-1].casefold())
        self.entities.append(made)
        return made

    def _known(self, unit: str, start: int, text: str) -> Entity | None:
        key = norm(text)
        before = [w.casefold() for w in unit[:start].split()[-1:]]
        if key in OUTLET_KEYS or text.endswith(("News Agency", "Press Agency")):
            return self.entity(text, ActorKind.ORGANISATION, outlet=True)
        if key == "north" and before == ["the"]:
            key = "the north" if "North Korea" in self.text else ""
        if (state := STATE_OF.get(key)) is not None:
            is_city = text != state and text not in {"US", "U.S.", "UK", "Britain", "America"}
            if is_city and before and before[0] in LOCATIVE:
                return None  # "in Taipei" is a place, "Taipei said" is a state
            found = self.entity(state, ActorKind.STATE)
            found.add_alias(f"the {text}" if key == "the north" else text)
            return found
        if (org := ORG_OF.get(key)) is not None:
            found = self.entity(org, ActorKind.ORGANISATION)
            found.add_alias(text)
            return found
        for entity in reversed(self.entities):
            if any(norm(f) == key for f in entity.forms()):
                return entity
        return None

    def _head_of_known(self, head: str) -> Entity | None:
        for entity in reversed(self.entities):
            if entity.kind is ActorKind.ORGANISATION and head.casefold() in entity.heads:
                return entity
        return None

    def _person(self, tokens: list[str], *, evidence: bool) -> Entity | None:
        name = " ".join(tokens)
        for entity in self.entities:
            if entity.kind is not ActorKind.PERSON:
                continue
            known = entity.name.split()
            if name == entity.name or (len(tokens) == 1 and tokens[0] in known):
                return entity
            if len(known) == 1 and known[0] in tokens:  # the surname came first
                entity.add_alias(entity.name)
                entity.name = name
                return entity
        if not evidence or any(STATE_OF.get(norm(t)) for t in tokens if len(tokens) == 1):
            return None
        return self.entity(name, ActorKind.PERSON)

    def _person_like(self, tokens: list[str]) -> bool:
        return bool(tokens) and self._person(tokens, evidence=False) is not None
