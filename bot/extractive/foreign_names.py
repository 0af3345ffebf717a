"""Who German, French and Russian wire copy names: people, states and bodies, each once.

German capitalises every noun, so a capitalised run is a name only with evidence: a title
before it ("Außenminister Johann Wadephul", "le président", "пресс-секретарь"), a speech
verb beside it, a head noun of a body ("Bundesregierung", "ministère des Armées", "Совет
Федерации"), a known state. In French and Russian, where only names are capitalised, two
or more capitalised words inside a sentence are a name too. Titles are cues, never part
of a name; outlets that relay and dateline cities are never actors. Russian declines
names: forms that share their stems are one actor, named by its shortest form.
"""

from __future__ import annotations

import re

from bot.extractive.entity import Entity
from bot.extractive.foreign_bodies import (
    NAME_WORD,
    UPPER,
    declined,
    generic,
    is_title,
    org_name,
    org_pattern,
    ru_head,
    ru_nominative,
    ru_pattern,
)
from bot.extractive.languages import (
    COMMON_ACRONYMS,
    KNOWN_ORGS,
    LEADING,
    LINKS,
    LOCATIVE,
    ORG_CUES,
    ORG_HEADS,
    OUTLETS,
    SPEECH,
    STATES,
    TIME,
    ru_stem,
)
from bot.extractive.text_parts import sentences_of
from bot.models import ActorKind

_UPPER = UPPER
_W = NAME_WORD
_DATELINE = re.compile(
    r"^[^\n]{0,60}?(?:\([A-Za-z/ ]{2,12}\)\s*[-–—]|/[^/\n]{2,20}/\.?\s*[-–—]?"
    r"|[-–—]\s*РИА Новости\.)"
    r"|^[A-ZÄÖÜ][\w/]+ [–—] "
)
_ACRONYM = re.compile(rf"^[{_UPPER}]{{2,7}}\+?$")
_NOUN_ENDS = ("ung", "heit", "keit", "schaft", "tion", "tät", "ismus", "nis", "ment", "chen")
_WINDOW = 40
_MASK = "¦"
_RU_ADJECTIVE = r"(?:ский|ская|ское|ском|ской|ских|ый|ой|ая|ое|ого|ому|ую|ых|нем|нее)$"
_PREPOSITIONS = frozenset(["à", "la", "au", "aux", "de", "d'", "l'", "du", "des", "по"])
_OF = frozenset(["de", "du", "des", "d'", "l'", "de l'"])
_LOOKBACK = 5  # words before a run searched for a title
_QUOTED_NAME = re.compile(rf"«\s?([{_UPPER}][^«»\s]*(?:\s[^«»\s]+){{0,3}}?)\s?»")
_RU_AGENCY = re.compile(r"^Рос(?!си|тов|тисл)[а-яё]{3,}$")  # Росстат, Роскомнадзор, Росатом


def _alternation(forms: list[str]) -> str:
    return "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))


class _Finder:
    """Collects the actors of one article, sentence by sentence."""

    def __init__(self, lang: str) -> None:
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

    def sentence(self, text: str) -> None:
        """Find the actors one sentence names."""
        taken: list[tuple[int, int]] = []
        for finder in (self._quoted_names, self._orgs, self._known, self._states):
            taken += finder(text, taken)
        masked = list(text)
        for s, e in taken:  # what is found splits the runs around it
            masked[s:e] = _MASK * (e - s)
        text = "".join(masked)
        for run in self.runs.finditer(text):
            self._run(text, run.start(), run.group())

    def _quoted_names(self, text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
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
            if self.lang == "ru":
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
            if not self._free(taken, m) or generic(self.lang, name) or name in OUTLETS:
                continue
            if name[:1].islower() and " " not in name:
                continue  # "le gouvernement", "la cour": a body named before, not a name
            inner = self._inner(name) and self._titled_before(text[: m.start()])
            if self._is_title(name.split()[0]) or generic(self.lang, name) or inner:
                continue
            end = m.start() + len(name)
            org = self.entity(org_name(self.lang, name), ActorKind.ORGANISATION, name)
            if (acronym := re.match(rf"\s*\(([{_UPPER}][\w+-]{{1,9}})\)", text[end:])) is not None:
                org.add_alias(acronym[1])
                end += acronym.end()
            spans.append((m.start(), end))
        return spans

    def _inner(self, name: str) -> bool:
        """Tell "комитета Госдумы" (a body named through another) from "Совет Федерации"."""
        rest = name.split()[1:]
        return self.lang == "ru" and any(
            self.org_of.get(self._key(w)) or w.casefold().startswith(ORG_HEADS["ru"]) for w in rest
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

    def _run(self, text: str, start: int, run: str) -> None:
        if run in OUTLETS:
            return
        tokens = run.split()
        elided = tokens[0].replace("’", "'").partition("'")[2]
        if elided[:1].islower():  # "L'agence Fitch": the article and its noun open the run
            tokens = tokens[1:]
            start += len(run.split(maxsplit=1)[0]) + 1
            run = run[run.find(" ") + 1 :] if tokens else ""
            if not tokens:
                return
        at_start = not text[:start].strip(' «»„“"—–-(')
        if len(tokens) > 2 and self._portfolio(text[:start]):  # noqa: PLR2004
            start += len(tokens[0]) + 1  # "le commissaire à la Défense Andrius Kubilius"
            tokens, run = tokens[1:], run[len(tokens[0]) + 1 :]
        name: list[str] = []
        titled = self._titled_before(text[:start])
        if self._org_cue(text[:start]) and len(tokens) <= 3:  # noqa: PLR2004 - "le cabinet Dataforce"
            self.entity(" ".join(t.strip(".,") for t in tokens), ActorKind.ORGANISATION)
            return
        for token in tokens:
            bare = token.strip(".,")
            if bare in LEADING and not name:
                continue
            if self.lang == "ru" and _RU_AGENCY.match(bare):
                self._person(text, start, name, titled=titled, at_start=at_start)
                self.entity(ru_nominative(bare), ActorKind.ORGANISATION, bare)
                name, titled = [], False
                continue
            if self._is_title(bare):
                self._person(text, start, name, titled=titled, at_start=at_start)
                name, titled, at_start = [], True, False
            elif bare in TIME or bare in OUTLETS or bare in COMMON_ACRONYMS:
                self._person(text, start, name, titled=titled, at_start=at_start)
                name, titled = [], False
            elif _ACRONYM.match(bare):
                self._person(text, start, name, titled=titled, at_start=at_start)
                self._acronym(text, start, bare)
                name, titled = [], False
            else:
                name.append(bare)
        self._person(text, start, name, titled=titled, at_start=at_start)

    def _acronym(self, text: str, start: int, acronym: str) -> None:
        """Name a body by its acronym, unless it is a person's party: "Wadephul (CDU)"."""
        if text[:start].endswith("(") and text[: start - 1].rstrip()[-1:].isalpha():
            return
        for entity in self.entities:
            if acronym in entity.forms():
                return
        self.entity(acronym, ActorKind.ORGANISATION)

    def _portfolio(self, before: str) -> bool:
        """Tell whether a run opens with a title's portfolio: "secrétaire d'Etat Marco Rubio"."""
        words = before.replace("'", "' ").split()
        while words and words[-1] in _PREPOSITIONS:
            words.pop()
        return (
            len(words) < len(before.replace("'", "' ").split())
            and bool(words)
            and self._is_title(words[-1])
        )

    def _org_cue(self, before: str) -> bool:
        words = re.split(r"[\s'«„\"]+", before.strip(' «„"'))[-2:]  # "le géant gazier Gazprom"
        return any(w.casefold() in ORG_CUES[self.lang] for w in words)

    def _is_title(self, token: str) -> bool:
        return is_title(self.lang, token)

    def _titled_before(self, before: str) -> bool:
        """Tell whether a title precedes, across lowercase words only ("président ivoirien")."""
        words = [w for w in before.split() if w.strip(_MASK)][-_LOOKBACK:]
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

    def _person(
        self, text: str, start: int, name: list[str], *, titled: bool, at_start: bool
    ) -> None:
        while name and name[-1] in LINKS[self.lang]:
            name.pop()
        if not name or len([w for w in name if w[:1].isupper()]) > 4:  # noqa: PLR2004
            return
        written = " ".join(name)
        if self.lang == "ru" and ru_head(name[0]):
            return  # "Секретарь Совета": the title's body, not a name
        if (known := self._known_person(name)) is not None:
            known.add_alias(written)
            return
        at = text.find(written, start)
        speech = self._speaks(text[:at], text[at + len(written) :])
        several = len(name) > 1
        if self.lang == "ru" and re.search(_RU_ADJECTIVE, name[0]):
            several = False  # "Ближнем Востоке": an adjective and its noun, a place
        if self.lang == "de":
            several = several and not any(w.casefold().endswith(_NOUN_ENDS) for w in name)
            plain = False  # German capitalises every noun: "Millionen Euro" is no name
        else:
            plain = several and not at_start
        after = text[at + len(written) :]
        apposition = after.startswith(",") and any(
            self._is_title(w.strip(",.;:")) for w in after[1:].split()[:3]
        )
        party = re.match(r"\s*\([A-ZÄÖÜ][\w/-]{1,12}\)", after) is not None  # "Bärbel Bas (SPD)"
        if titled or ((speech or apposition or party) and several) or plain:
            self.entity(written, ActorKind.PERSON)

    def _speaks(self, before: str, after: str) -> bool:
        """Tell whether a speech verb stands right beside a name ("sagte Merz", "Merz sagte")."""
        verb = SPEECH[self.lang].pattern
        return bool(
            re.match(rf"[\s,]*(?:(?:hat|habe|am|a|il|elle|в|также|\w+ag)\s+)?{verb}", after)
            or re.search(rf"{verb}[\s,—–-]*$", before)
        )

    def _known_person(self, name: list[str]) -> Entity | None:
        for entity in self.entities:
            if entity.kind is not ActorKind.PERSON:
                continue
            known = entity.name.split()
            if self._same(name, known) or (len(name) == 1 and self._same(name, known[-1:])):
                return entity
            if len(known) == 1 and len(name) > 1 and self._same(known, name[-1:]):
                entity.add_alias(entity.name)
                entity.name = " ".join(name)  # the surname came first: "M. Zelensky"
                return entity
        return None

    def _same(self, a: list[str], b: list[str]) -> bool:
        if len(a) != len(b):
            return False
        if self.lang != "ru":
            return a == b
        return all(declined(x, y) for x, y in zip(a, b, strict=True))


def foreign_actors(text: str, lang: str) -> list[Entity]:
    """Return the people, states and bodies that German, French or Russian copy names."""
    finder = _Finder(lang)
    text = _DATELINE.sub(lambda m: " " * len(m.group()), text, count=1)
    for paragraph in text.split("\n"):
        for sentence in sentences_of(paragraph):
            finder.sentence(sentence)
    for entity in finder.entities:
        if lang == "ru" and entity.kind is ActorKind.PERSON:
            forms = [entity.name, *entity.aliases]  # the fullest name, its shortest form
            entity.name = min(forms, key=lambda f: (-len(f.split()), len(f)))
        entity.aliases = [a for a in entity.aliases if a != entity.name]
    return finder.entities
