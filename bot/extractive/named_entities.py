"""Who an article names: people, states and organisations, each once with its other forms.

Capitalised runs are classified by closed lists (states, outlets, time words, titles) and by
their context: a title or a role before a run ("leader Kim Jong Un"), an apposition after it
("Park Won-gon, a professor"), a speech verb beside it, a head noun in it ("Foreign
Ministry"). A run with no such evidence is left out: a missed name costs less than a
weekday presented as a person.
"""

from __future__ import annotations

import re

from bot.extractive.entity import Entity, Mention, descriptor, initials, norm, tokens_of
from bot.extractive.entity_registry import EntityRegistry
from bot.extractive.gazetteer import (
    CORPORATE,
    DATELINE,
    DEMONYMS,
    LEADING,
    ORG_CUES,
    ORG_HEADS,
    PERSON_CUES,
    STATE_OF,
    STATES,
    TIME_WORDS,
    TITLES,
)
from bot.extractive.name_patterns import (
    ALIAS_DEFINED,
    APPOSITION,
    AT_EMPLOYER,
    BODY,
    DEFINED_ACRONYM,
    LOCATIVE,
    ROLE_AFTER,
    RUN,
    SPEECH_AFTER,
    SPEECH_BEFORE,
)
from bot.models import ActorKind


class Names(EntityRegistry):
    """The entities of one article, found unit by unit in reading order."""

    def scan(self, unit: str) -> list[Mention]:
        """Find the entities a unit names, registering new ones."""
        if (dateline := DATELINE.match(unit)) is not None and dateline.end():
            unit = " " * dateline.end() + unit[dateline.end() :]  # "WASHINGTON (AP) —" is a place
        mentions = list(self._bodies(unit))
        taken = [(m.start, m.end) for m in mentions]
        for run in RUN.finditer(unit):
            if any(s <= run.start() < e for s, e in taken):
                continue
            mentions += self._run(unit, run.start(), run.group())
        mentions.sort(key=lambda m: m.start)
        for m in mentions:
            self._note_apposition(unit, m)
            self.recent.remove(m.entity)  # "Kim" alone is the Kim named last
            self.recent.append(m.entity)
        return mentions

    def _bodies(self, unit: str) -> list[Mention]:
        """Find bodies named by function: "China's commerce ministry", "a ministry of the DPRK"."""
        found = []
        for m in BODY.finditer(unit):
            owner_text = (m["owner"] or m["owner2"]).strip()
            owner = STATE_OF.get(norm(owner_text)) or STATE_OF.get(norm(owner_text.split()[-1]))
            if owner is None:
                continue
            body = (m["body"] or m["body2"]).lower()
            state = self.entity(owner, ActorKind.STATE)
            if m["owner"] and ROLE_AFTER.match(unit, m.end()):
                found.append(Mention(m.start(), m.start() + len(owner_text), state))
                continue  # "Qatar's foreign ministry spokesperson Majed al-Ansari": a title
            org = self.entity(f"{owner}'s {body}", ActorKind.ORGANISATION)
            org.heads.add(body.split()[-1])
            org.add_alias(body)
            found.append(Mention(m.start(), m.end(), org))
            at = unit.find(owner_text, m.start())
            if owner_text in {state.name, *STATES.get(owner, ())} and at >= 0:
                found.append(Mention(at, at + len(owner_text), state))
        return found

    def _run(self, unit: str, start: int, run: str) -> list[Mention]:
        tokens = tokens_of(run)
        lead = 0
        while lead < len(tokens) - 1 and tokens[lead] in LEADING:
            lead += 1
        if len(tokens) == 1 and tokens[0] in LEADING:
            return []
        offset = start + len(" ".join(run.split()[:lead])) + (1 if lead else 0)
        return self._classify(unit, offset, tokens[lead:])

    def _classify(self, unit: str, start: int, tokens: list[str]) -> list[Mention]:
        """Classify a run of capitalised tokens; return the mentions it holds."""
        # Time words split a run: "Monday Kim" is never one name, and never part of one.
        for i, token in enumerate(tokens):
            if token.rstrip(".") in TIME_WORDS or token.isdigit():
                return self._split(unit, start, tokens, i, skip=1)
        if not tokens:
            return []
        if tokens[-1][-2:] in {"'s", "’s"}:
            tokens = [*tokens[:-1], tokens[-1][:-2]]
        text = " ".join(tokens)
        if (known := self._known(unit, start, text)) is not None:
            return [Mention(start, start + len(text), known)]
        parts = self._parts(unit, start, tokens)
        return parts if parts is not None else self._unknown(unit, start, tokens)

    def _parts(self, unit: str, start: int, tokens: list[str]) -> list[Mention] | None:
        """Split "AMD Inc. and Broadcom Inc." or "Russia's Security Council" into names."""
        if "and" in tokens:
            i = tokens.index("and")
            left = " ".join(tokens[:i])
            if tokens[i - 1] in ORG_HEADS or self._known(unit, start, left) is not None:
                return self._split(unit, start, tokens, i, skip=1)
        for i, token in enumerate(tokens[:-1]):
            if token[-2:] not in {"'s", "’s"} or not token[:-2]:
                continue
            owner = [*tokens[:i], token[:-2]]
            if self._known(unit, start, " ".join(owner)) is not None or self._person_like(owner):
                rest = start + len(" ".join(tokens[: i + 1])) + 1
                return [
                    *self._classify(unit, start, owner),
                    *self._classify(unit, rest, tokens[i + 1 :]),
                ]
        return None

    def _unknown(self, unit: str, start: int, tokens: list[str]) -> list[Mention]:
        """Classify a run no list knows: a body by its head, a person by title or context."""
        text = " ".join(tokens)
        end = start + len(text)
        if self._is_org(unit, start, end, tokens):
            org = self.entity(text, ActorKind.ORGANISATION)
            if tokens[-1] in CORPORATE and len(tokens) > 1:
                org.add_alias(" ".join(tokens[:-1]))  # "Nvidia Corp." is "Nvidia" after
            self._defined_alias(unit, end, org)
            return [Mention(start, end, org)]
        titled = [i for i, t in enumerate(tokens) if t in TITLES]
        if titled and titled[-1] < len(tokens) - 1:
            return self._titled(unit, start, tokens, titled[-1])
        if all(t in DEMONYMS or t in TITLES for t in tokens):
            return []
        return self._name(unit, start, tokens)

    def _split(
        self, unit: str, start: int, tokens: list[str], i: int, *, skip: int
    ) -> list[Mention]:
        left, right = tokens[:i], tokens[i + skip :]
        right_start = start + len(" ".join(tokens[: i + skip])) + 1
        return [*self._classify(unit, start, left), *self._classify(unit, right_start, right)]

    def _is_org(self, unit: str, start: int, end: int, tokens: list[str]) -> bool:
        if tokens[-1] in ORG_HEADS and (len(tokens) > 1 or unit[:start].endswith(("the ", "The "))):
            return len(tokens) > 1 or self._head_of_known(tokens[-1]) is None
        if any(t in ORG_HEADS and tokens[i + 1 : i + 2] == ["of"] for i, t in enumerate(tokens)):
            return True
        if len(tokens) > 1 and DEFINED_ACRONYM.match(unit, end):
            return True  # "Alternative for Germany (AfD)": people have no acronyms
        if AT_EMPLOYER.search(unit[:start]):
            return True  # "an analyst at UBS"
        before = unit[:start].split()[-1:]
        after = unit[end:].split()[:2]
        if after[1:] and after[1][:1].isupper():
            after = []  # "Business lobby Medef": the cue names Medef, not "Business"
        cue = {w.strip(",.;:").casefold() for w in before + after[:1]}
        return bool(cue & ORG_CUES) and not any(t in TITLES for t in tokens)

    def _titled(self, unit: str, start: int, tokens: list[str], last_title: int) -> list[Mention]:
        first_title = last_title
        while first_title > 0 and tokens[first_title - 1] in TITLES:
            first_title -= 1
        name = tokens[last_title + 1 :]
        if "and" in name:  # "President Lee Jae Myung and Japanese Prime Minister …"
            name = name[: name.index("and")]
        name_start = start + len(" ".join(tokens[: last_title + 1])) + 1
        # "Security Council Secretary Sergei Shoigu": a body in a title is only named when known
        before = tokens[:first_title]
        mentions = self._classify(unit, start, before) if before else []
        if not name:
            return mentions
        mentions = [
            m
            for m in mentions
            if m.entity.kind is not ActorKind.ORGANISATION
            or self._known(unit, start, " ".join(before)) is not None
        ]
        person = self._person(name, evidence=True)
        if person is None:
            return mentions
        person.add_alias(" ".join(tokens[: last_title + 1]))
        person.heads |= {t.casefold() for t in tokens[first_title : last_title + 1]}
        return [*mentions, Mention(name_start, name_start + len(" ".join(name)), person)]

    def _name(self, unit: str, start: int, tokens: list[str]) -> list[Mention]:
        text = " ".join(tokens)
        end = start + len(text)
        before = unit[:start]
        if len(tokens) == 1:
            single = tokens[0]
            if (head := self._head_of_known(single)) is not None and before.endswith(
                ("the ", "The ")
            ):
                head.add_alias(f"the {single}")
                return [Mention(start, end, head)]
            for entity in reversed(self.recent):
                if entity.kind is ActorKind.PERSON and single in entity.name.split():
                    entity.add_alias(single)
                    return [Mention(start, end, entity)]
                if entity.kind is ActorKind.ORGANISATION and single == initials(entity.name):
                    entity.add_alias(single)
                    return [Mention(start, end, entity)]
        cue = before.split()[-1:]
        evidence = (
            (bool(cue) and cue[0].strip(",").casefold() in PERSON_CUES)
            or (APPOSITION.match(unit[end:]) is not None and len(tokens) > 1)
            or (
                SPEECH_AFTER.match(unit[end:]) is not None
                and (len(tokens) > 1 or text in self._mid_caps)
                and not (before.split()[-1:] and before.split()[-1].casefold() in LOCATIVE)
            )
            or SPEECH_BEFORE.search(before) is not None
        )
        if len(tokens) > 4 or any(t in TITLES or t in ORG_HEADS or t.islower() for t in tokens):  # noqa: PLR2004
            return (
                []
                if "and" not in tokens
                else self._split(unit, start, tokens, tokens.index("and"), skip=1)
            )
        person = self._person(tokens, evidence=evidence)
        if person is None:
            return []
        if cue and cue[0].casefold() in PERSON_CUES:
            person.heads.add(cue[0].casefold())
            if role := descriptor(before):
                person.add_alias(role)
        return [Mention(start, end, person)]

    def _defined_alias(self, unit: str, end: int, org: Entity) -> None:
        if (m := ALIAS_DEFINED.match(unit, end)) is not None:
            org.add_alias(m["paren"] or m["known"])
        if (acronym := initials(org.name)) and re.search(rf"\b{acronym}\b", self.text):
            org.add_alias(acronym)

    def _note_apposition(self, unit: str, mention: Mention) -> None:
        m = re.match(
            r",\s+(?:a|an|the)\s+(?:[\w'’-]+\s+){0,3}?(?P<head>[a-z]+)\b", unit[mention.end :]
        )
        if m is not None and mention.entity.kind is not ActorKind.PERSON:
            mention.entity.heads.add(m["head"])
