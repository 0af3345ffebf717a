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
    ru_head,
    ru_nominative,
)
from bot.extractive.foreign_scan import Scanner
from bot.extractive.languages import (
    COMMON_ACRONYMS,
    LEADING,
    LINKS,
    OUTLETS,
    SPEECH,
    TIME,
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
_NAME_PARTS = 2  # first name and surname; a third capitalised word before them is a body
_RU_ADJECTIVE = r"(?:ский|ская|ское|ском|ской|ских|ый|ой|ая|ое|ого|ому|ую|ых|нем|нее)$"
_PREPOSITIONS = frozenset(["à", "la", "au", "aux", "de", "d'", "l'", "du", "des", "по"])
_OF = frozenset(["de", "du", "des", "d'", "l'", "de l'"])
_LOOKBACK = 5  # words before a run searched for a title
_QUOTED_NAME = re.compile(rf"«\s?([{_UPPER}][^«»\s]*(?:\s[^«»\s]+){{0,3}}?)\s?»")
_RU_AGENCY = re.compile(r"^Рос(?!си|тов|тисл)[а-яё]{3,}$")  # Росстат, Роскомнадзор, Росатом


class _Finder(Scanner):
    """Collects the actors of one article, sentence by sentence."""

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

    def _trim(self, text: str, start: int, run: str) -> tuple[int, list[str]]:
        """Drop what opens a run without being a name: "L'agence", a title's portfolio."""
        tokens = run.split()
        if tokens[0].replace("’", "'").partition("'")[2][:1].islower():  # "L'agence Fitch"
            start += len(tokens[0]) + 1
            tokens = tokens[1:]
        if len(tokens) > 2 and self._portfolio(text[:start]):  # noqa: PLR2004
            start += len(tokens[0]) + 1  # "le commissaire à la Défense Andrius Kubilius"
            tokens = tokens[1:]
        return start, tokens

    def _run(self, text: str, start: int, run: str) -> None:
        """Split a capitalised run at titles, time words and acronyms; name what is left."""
        start, tokens = self._trim(text, start, run)
        if run in OUTLETS or not tokens:
            return
        if self._org_cue(text[:start]) and len(tokens) <= 3:  # noqa: PLR2004 - "le cabinet Dataforce"
            self.entity(" ".join(t.strip(".,") for t in tokens), ActorKind.ORGANISATION)
            return
        at_start = not text[:start].strip(' «»„“"—–-(')
        name: list[str] = []
        titled = self._titled_before(text[:start])
        for bare in (t.strip(".,") for t in tokens):
            if bare in LEADING and not name:
                continue
            if not self._ends_name(bare):
                name.append(bare)
                continue
            self._person(text, start, name, titled=titled, at_start=at_start)
            name, titled = [], self._is_title(bare)
            at_start = at_start and not titled
            if titled:
                continue
            if self.lang == "ru" and _RU_AGENCY.match(bare):
                self.entity(ru_nominative(bare), ActorKind.ORGANISATION, bare)
            elif _ACRONYM.match(bare) and bare not in COMMON_ACRONYMS | OUTLETS:
                self._acronym(text, start, bare)
        self._person(text, start, name, titled=titled, at_start=at_start)

    def _ends_name(self, word: str) -> bool:
        """Tell a word that cannot be part of a person's name: a title, an acronym, a month."""
        return (
            self._is_title(word)
            or word in TIME
            or word in OUTLETS
            or bool(_ACRONYM.match(word))
            or (self.lang == "ru" and bool(_RU_AGENCY.match(word)))
        )

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

    def _person(
        self, text: str, start: int, name: list[str], *, titled: bool, at_start: bool
    ) -> None:
        while name and name[-1] in LINKS[self.lang]:
            name.pop()
        if not name or len([w for w in name if w[:1].isupper()]) > 4:  # noqa: PLR2004
            return
        if self.lang == "ru" and titled:
            name = self._ru_titled(name)
            if not name:
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

    def _ru_titled(self, name: list[str]) -> list[str]:
        """Keep the name a Russian title governs: not the body or region between them."""
        capitals = [w for w in name if w[:1].isupper()]
        patronymic = len(name) > 1 and name[1].endswith(("вич", "вна", "чна", "ич"))
        if len(capitals) > _NAME_PARTS and name[0][-1:] in "аыи" and not patronymic:
            return name[1:]  # "Председатель Центризбиркома Элла Памфилова": the title's body
        if len(name) == 1 and re.search(_RU_ADJECTIVE, name[0]):
            return []  # "губернатор Белгородской области": the region, not a name
        if len(name) == 1 and any(ru_head(part) for part in name[0].split("-")[1:]):
            self.entity(ru_nominative(name[0]), ActorKind.ORGANISATION, name[0])
            return []  # "Аналитики Альфа-Банка": a body
        return name

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
