"""Where German, French and Russian copy names bodies and states, sentence by sentence.

A body is found by its head noun and the words completing its name, or by a closed list
(`languages.KNOWN_ORGS`); a state by its name or capital in any case form, except a capital
used as a place ("in Brüssel", "в Вене"); a firm by its quoted name after a cue
("госкорпорация «Росатом»"). What is found is masked before names are looked for.
"""

from __future__ import annotations

import re

from bot.extractive.entity import Entity
from bot.extractive.foreign_bodies import (
    NAME_WORD,
    UPPER,
    generic,
    is_title,
    org_name,
    org_pattern,
    ru_nominative,
    ru_pattern,
)
from bot.extractive.languages import (
    KNOWN_ORGS,
    LINKS,
    LOCATIVE,
    ORG_CUES,
    OUTLETS,
    RU_NAMED_HEADS,
    STATES,
    TIME,
    ru_stem,
)
from bot.models import ActorKind

_UPPER = UPPER
_W = NAME_WORD
_LOOKBACK = 5  # words before a run searched for a title
MASK = "¦"  # what stands in for a found body or state
_OF = frozenset(["de", "du", "des", "d'", "l'", "de l'"])
_QUOTED_NAME = re.compile(rf"«\s?([{_UPPER}][^«»\s]*(?:\s[^«»\s]+){{0,3}}?)\s?»")
Span = tuple[int, int]
_INDEFINITE = [[w] for w in ("ein", "eine", "eines", "einer", "einem", "einen", "un", "une")]


def _alternation(forms: list[str]) -> str:
    return "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))


class Scanner:
    """The bodies and states of one article, and the cues the name finder shares."""

    def __init__(self, lang: str) -> None:
        """Build the patterns of one language."""
        self.lang = lang
        self.entities: list[Entity] = []
        self.state_of: dict[str, str] = {}
        state_forms = []
        for state, others in STATES[lang].items():
            for form in (state, *others):
                self.state_of[self._key(form)] = state
                state_forms.append(form)
        org_forms = {f: org for org, fs in KNOWN_ORGS[lang].items() for f in (org, *fs)}
        self.org_of = {self._key(f): org for f, org in org_forms.items()}
        self.ru_states = [
            (re.compile(ru_pattern(f)), state)
            for state, others in STATES[lang].items()
            for f in (state, *others)
        ]
        if lang == "ru":
            states = "|".join(ru_pattern(f) for f in state_forms)
            orgs = "|".join(ru_pattern(f) if f.isalpha() else re.escape(f) for f in org_forms)
        else:
            states, orgs = _alternation(state_forms), _alternation(list(org_forms))
        genitive = "s?" if lang == "de" else ""
        self.states = re.compile(rf"(?<![\w-])(?:{states}){genitive}(?![\w-])")
        self.known_orgs = re.compile(rf"(?<![\w-])(?:{orgs})(?![\w])")
        links = "|".join(LINKS[lang])  # "Ursula von der Leyen", "Lula da Silva"
        self.runs = re.compile(rf"{_W}(?:(?:(?:\s+(?:{links}))+\s+|\s+|\s*d['’]){_W})*")

    def _key(self, form: str) -> str:
        form = form.casefold().replace("’", "'")
        return " ".join(ru_stem(w) for w in form.split()) if self.lang == "ru" else form

    def entity(self, name: str, kind: ActorKind, written: str = "") -> Entity:
        """Return the actor of this name, creating it the first time; note how it was written."""
        found = next((e for e in self.entities if e.name == name and e.kind is kind), None)
        if found is None:
            found = Entity(name, kind)
            self.entities.append(found)
        if written:
            found.add_alias(written)
        return found

    def _quoted_names(self, text: str, _taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Read «Росатом», «ВТБ Капитала», «Россия зовет!»: the quoted name of a firm or event.

        It is a body when a cue or a title before it says so ("госкорпорация «Росатом»",
        "экономист «ВТБ Капитала»"); a state inside a name is not the state.
        """
        spans = []
        for m in _QUOTED_NAME.finditer(text):
            spans.append(m.span())
            before = text[: m.start()].split()[-1:]
            cue = bool(before) and (self._is_title(before[0]) or self._org_cue(before[0]))
            if not cue or m[1] in OUTLETS:
                continue
            words = m[1].split()
            if self.lang == "ru" and self._is_title(before[0]):  # "директор «Северстали»" declines
                words[-1] = ru_nominative(words[-1])
            self.entity(" ".join(words), ActorKind.ORGANISATION, m[1])
        return spans

    def _free(self, taken: list[tuple[int, int]], m: re.Match[str]) -> bool:
        return not any(s < m.end() and m.start() < e for s, e in taken)

    def _orgs(self, text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Find bodies by their head noun, with the words that complete their name."""
        spans = []
        for m in org_pattern(self.lang).finditer(text):
            name = m.group().strip(" ,")
            last = name.rsplit(" ", 1)[-1]
            if " " in name and re.match(rf"\s+{_W}", text[m.end() :]) and not last.isupper():
                name = name.rsplit(" ", 1)[0]  # "МИД России Мария Захарова": a name begins
            words = name.split()
            if any(w in TIME for w in words):  # "… in Europa am Mittwoch": the name ends before
                name = " ".join(words[: next(i for i, w in enumerate(words) if w in TIME)])
            if not self._free(taken, m) or not name or {name, *name.split()} & OUTLETS:
                continue  # "Agentur PAP": an outlet
            if name[:1].islower() and " " not in name:
                continue  # "le gouvernement", "la cour": a body named before, not a name
            if " " not in name and text[: m.start()].split()[-1:] in _INDEFINITE:
                continue  # "eines Verbraucherverbands": some body, not a name
            inner = self._inner(name) and self._titled_before(text[: m.start()])
            if self._is_title(name.split()[0]) or generic(self.lang, name) or inner:
                continue
            end = m.start() + len(name)
            org = self.entity(org_name(self.lang, name), ActorKind.ORGANISATION, name)
            if len(name.split()) == 2 and last.isupper() and name.endswith(last):  # noqa: PLR2004
                org.add_alias(last)  # "Lokführergewerkschaft GDL" is "GDL" after
            if (acronym := re.match(rf"\s*\(([{_UPPER}][\w+-]{{1,9}})\)", text[end:])) is not None:
                org.add_alias(acronym[1])
                end += acronym.end()
            spans.append((m.start(), end))
        return spans

    def _inner(self, name: str) -> bool:
        """Tell "комитета Госдумы" (a body named through another) from "Совет Федерации"."""
        rest = name.split()[1:]
        return self.lang == "ru" and any(
            self.org_of.get(self._key(w)) or w.casefold().startswith(RU_NAMED_HEADS) for w in rest
        )

    def _known(self, text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
        spans = []
        for m in self.known_orgs.finditer(text):
            if self._free(taken, m) and (org := self.org_of.get(self._key(m.group()))):
                self.entity(org, ActorKind.ORGANISATION, m.group())
                spans.append(m.span())
        return spans

    def _states(self, text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
        spans = []
        for m in self.states.finditer(text):
            written = m.group()
            key = self._key(written)
            state = self.state_of.get(key) or self.state_of.get(key[:-1])
            if self.lang == "ru":  # "Китая": the form whose pattern it fits
                state = next((st for pat, st in self.ru_states if pat.fullmatch(written)), state)
            if state is None or not self._free(taken, m):
                continue
            spans.append(m.span())
            before = text[: m.start()].split()[-1:]
            is_capital = key not in {self._key(s) for s in STATES[self.lang]} and len(written) > 3  # noqa: PLR2004
            if is_capital and before and before[0].casefold() in LOCATIVE[self.lang]:
                continue  # "in Brüssel", "в Вене": a place
            self.entity(state, ActorKind.STATE, written)
        return spans

    def _org_cue(self, before: str) -> bool:
        """Tell whether a body's cue stands before a name: "le géant gazier Gazprom"."""
        words = [w.casefold() for w in re.split(r"[\s'«„\"]+", before.strip(' «„"'))[-2:]]
        if words and words[-1] in ORG_CUES[self.lang]:
            return True
        # a cue and its adjective, not a cue and a preposition ("die Organisation am Mittwoch")
        return len(words) == 2 and words[0] in ORG_CUES[self.lang] and len(words[1]) > 3  # noqa: PLR2004

    def _is_title(self, token: str) -> bool:
        return is_title(self.lang, token)

    def _titled_before(self, before: str) -> bool:
        """Tell whether a title precedes, across lowercase words only ("président ivoirien")."""
        words = [w for w in before.split() if w.strip(MASK)][-_LOOKBACK:]
        if self.lang == "de":  # German titles stand right before the name
            words = words[-1:]
        for word in reversed(words):
            bare = word.strip(',;:.«»„“"()')
            if bare in _OF:
                return False  # "le chef de l'Etat": the name is the title's complement
            if self._is_title(bare):
                return word == bare
            if word != bare or not bare[:1].islower():
                return False
        return False
