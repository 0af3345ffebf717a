"""Speakers by name: pronouns and titles back to who they mean, and does a phrase name an actor."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.checks.cues import ORG_WORDS, PERSON_PRONOUNS, ROLE, THING_PRONOUNS, TIME_WORDS
from bot.checks.phrases import media_in
from bot.checks.quotation import fold
from bot.extractive.gazetteer import STATE_OF

_TOKEN = re.compile(r"[\w'’-]+")
_ARTICLES = frozenset(
    [
        "the",
        "a",
        "an",
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "le",
        "la",
        "les",
        "l",
        "un",
        "une",
    ]
)
_PARTICLES = frozenset(["von", "van", "der", "den", "de", "la", "le", "du", "da", "di", "bin"])
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_STEM, _ENDING = 4, 3  # a declined name keeps its stem and changes its ending
_INDEFINITE = frozenset(["a", "an", "un", "une", "ein", "eine", "einer", "eines"])
_FULL_NAME = 2  # "Alexander Dobrindt": a first name and a surname
_APPOSED = 40  # characters between a name and the title apposed to it
_APPOSITION = re.compile(
    r"^\s*,\s*(?:(?:a|an|the|une?|ein|eine|le|la|der|die|das)\s+)?(?:[\w-]+\s+){0,2}$"
)
_NAME_AFTER = r"\s+((?:[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’-]+\s?){1,3})"


@dataclass(frozen=True)
class Speaker:
    """Someone the article lets speak: a person, an organisation or state, or a news outlet."""

    name: str
    kind: str  # "person" | "org" | "relay"


def _strip(word: str) -> str:
    return re.sub(r"^(?:l|d|qu)['’]", "", word, flags=re.IGNORECASE)


def _proper(word: str) -> bool:
    bare = _strip(word)
    return (
        bool(bare)
        and bare[0].isupper()
        and bare.casefold() not in _ARTICLES
        and not ROLE.search(bare)
        and not TIME_WORDS.match(bare)
    )


def kind_of(name: str) -> str:
    """Guess whether a named speaker is a person, an organisation or state, or an outlet."""
    if media_in(name):
        return "relay"
    words = name.split()
    last = words[-1] if words else ""
    if name.casefold() in STATE_OF or ORG_WORDS.search(last) or ROLE.search(last):
        return "org"
    if re.fullmatch(r"[A-ZА-ЯЁ]{2,}\+?", last):  # "CDC", "OPEC+", "ЦБ": an acronym names a body
        return "org"
    return "person"


class Cast:
    """The speakers met so far, most recent last, for pronouns and titles to refer back to."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._seen: list[Speaker] = []
        # Named subjects by last mention (a dict keeps order): a long article names the same
        # few again and again, and a list of every mention made each title lookup quadratic.
        self._mentioned: dict[Speaker, None] = {}
        self._full_ends: dict[str, int] = {}  # surname -> where it first ends named in full
        self._topic: Speaker | None = None  # a person named as a subject since the last speaker

    def latest_relay(self) -> str | None:
        """Return the outlet the article named last, if any."""
        return next((s.name for s in reversed(self._seen) if s.kind == "relay"), None)

    def relay(self, name: str) -> Speaker:
        """Record an outlet that relays or reports."""
        topic = self._topic
        noted = self._note(Speaker(name, "relay"))
        self._topic = topic  # "Das Handelsblatt zitierte ihn": the outlet is not who "ihn" is
        return noted

    def resolve(self, written: str, position: int) -> Speaker:
        """Resolve a speaker phrase (a name, a pronoun, a title) to a speaker."""
        low = written.casefold()
        if low in THING_PRONOUNS:
            found = self._latest({"org", "relay"})
            return self._note(found) if found else Speaker(written, "org")
        if low in PERSON_PRONOUNS:
            # "Macron reagierte verärgert. »…«, sagte er": the subject just named
            found = self._topic or self._latest({"person"})
            return self._note(found) if found else Speaker(written, "person")
        if low.split()[0] in _INDEFINITE:
            return self._note(Speaker(written, kind_of(written)))  # "a senior official": new
        if any(_proper(w) for w in written.split()):
            return self._note(self._known(written) or Speaker(written, kind_of(written)))
        return self._note(self._described(written, position))

    def _latest(self, kinds: set[str]) -> Speaker | None:
        return next((s for s in reversed(self._seen) if s.kind in kinds), None)

    def _known(self, written: str) -> Speaker | None:
        """Find an earlier fuller form ("Kim" after "North Korean leader Kim Jong Un")."""
        tokens = [t for t, proper in _tokens(written) if proper]
        body = ORG_WORDS.search(written)
        for speaker in reversed(self._seen):
            if body and not ORG_WORDS.search(speaker.name):
                continue  # "Le ministère des Affaires étrangères" is not its minister
            theirs = [t for t, _ in _tokens(speaker.name)]
            if tokens and all(any(_same(t, o) for o in theirs) for t in tokens):
                return speaker if len(speaker.name) >= len(written) else None
        return None

    def _described(self, written: str, position: int) -> Speaker:
        """Resolve a title ("the minister", "der Kanzler") to the speaker it describes."""
        roles = [_strip(w).casefold() for w in written.split() if ROLE.search(_strip(w))]
        roles = [re.sub(r"['’]s$", "", role) for role in roles]
        for role in roles:
            for speaker in reversed(self._seen):
                if role in speaker.name.casefold():
                    return speaker
        for role in roles:
            if (near := self._apposed(role, position)) is not None:
                return near
        for role in roles:
            # "the agency" after "the International Atomic Energy Agency's Board"
            head = rf"((?:[A-ZÀ-ÖØ-Þ][\w'’-]*\s+){{1,5}}{re.escape(role[:1].upper() + role[1:])})\b"
            if role.isascii() and (bodies := re.findall(head, self._text[:position])):
                return Speaker(bodies[-1], "org")
            pattern = rf"(?i:\w*{re.escape(role)}\w*){_NAME_AFTER}"
            names = re.findall(pattern, self._text[:position])
            if names:
                return Speaker(names[-1].strip(), "person")
        organisation = any(ORG_WORDS.search(w) for w in written.split())
        kind = "org" if organisation else "person"
        if not roles:
            return Speaker(written, kind)  # "a source", "analysts": nobody met before
        # "the minister" is the last person who was a minister, or whose title is unknown.
        fits = [s for s in [*self._mentioned, *self._seen] if s.kind == kind]
        found = next((s for s in reversed(fits) if _compatible(written, s.name)), None)
        return found or Speaker(written, kind)

    def mention(self, name: str, position: int) -> None:
        """Record a named subject that does not speak, for a later pronoun or title."""
        proper = [w for w in name.split() if _proper(w)]
        if not proper:
            return
        known = self._known(name)
        # a lone surname stands for a person named in full before ("Selenskyj dankte …")
        lone = known is None and len(proper) < _FULL_NAME
        if lone and self._named_in_full_by(proper[-1]) > position:
            return
        speaker = known or Speaker(name, kind_of(name))
        self._mentioned.pop(speaker, None)
        self._mentioned[speaker] = None
        if speaker.kind == "person":
            self._topic = speaker

    def _named_in_full_by(self, surname: str) -> int:
        # Found once per surname over the whole text, not per sentence over the text so far:
        # that rescan made a long article's parse cubic (a 1 MB page never finished).
        if (end := self._full_ends.get(surname)) is None:
            at = _named_in_full(self._text, surname)
            end = self._full_ends[surname] = len(self._text) + 1 if at < 0 else at + len(surname)
        return end

    def _apposed(self, role: str, position: int) -> Speaker | None:
        """Find the speaker a title was apposed to ("the MSMT, a group of 11 members")."""
        before = self._text[:position].casefold()
        for at in (m.start() for m in reversed(list(re.finditer(re.escape(role), before)))):
            for speaker in reversed(self._seen):
                last = speaker.name.split()[-1].casefold()
                found = before.rfind(last, max(0, at - _APPOSED), at)
                if found >= 0 and _APPOSITION.match(before[found + len(last) : at]):
                    return speaker
        return None

    def _note(self, speaker: Speaker) -> Speaker:
        self._topic = None
        if speaker in self._seen:
            self._seen.remove(speaker)
        self._seen.append(speaker)
        return speaker


def _same(a: str, b: str) -> bool:
    if a == b or a in {f"{b}s", f"{b}'s"} or b in {f"{a}s", f"{a}'s"}:
        return True
    if not (_CYRILLIC.search(a) and _CYRILLIC.search(b)):
        return False
    shorter, longer = sorted((a, b), key=len)
    common = 0
    while common < len(shorter) and shorter[common] == longer[common]:
        common += 1
    # Russian declines names: "Пескова", "Захаровой" are Песков, Захарова.
    return common >= max(_STEM, len(shorter) - 2) and len(longer) - common <= _ENDING


def _named_in_full(text: str, surname: str) -> int:
    """Return where a surname first comes after a first name ("… Wolodymyr Selenskyj"), or -1."""
    at = text.find(surname)
    while at > 0:
        if text[at - 1] == " " and _proper(_word_before(text, at)):
            return at
        at = text.find(surname, at + 1)
    return -1


def _word_before(text: str, at: int) -> str:
    """Return the whitespace-delimited word before `at` (as `text[:at].split()[-1]`, or "")."""
    end = at
    while end > 0 and text[end - 1].isspace():
        end -= 1
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end]


@lru_cache(maxsize=4096)  # the same few names and speakers are matched again for every quote
def _tokens(text: str) -> tuple[tuple[str, bool], ...]:
    return tuple((_strip(fold(w)), _proper(w)) for w in _TOKEN.findall(text))


def _named_part(phrase: str) -> str:
    """Pick the part of "X, an apposition" that names: a bare name apposed, else the head."""
    parts = [p for p in re.sub(r"\([^)]*\)", " ", phrase).split(",") if p.strip()]
    names = [
        p
        for p in parts[1:]
        if all(proper or t in _PARTICLES for t, proper in _tokens(p)) and _proper(p.split()[0])
    ]
    return names[-1] if names else (parts[0] if parts else phrase)


def names_actor(phrase: str, actor: str, aliases: Sequence[str]) -> bool:
    """Tell whether a speaker phrase names this actor (by name or alias, as the last name)."""
    said = _tokens(_named_part(phrase))
    for name in (actor, *aliases):
        wanted = [t for t, _ in _tokens(name)]
        while wanted and wanted[0] in _ARTICLES:
            wanted.pop(0)
        if not wanted:
            continue
        for i in range(len(said) - len(wanted) + 1):
            # "Kremlin spokesman Dmitry Peskov" names Peskov, not the Kremlin.
            if all(_same(said[i + j][0], wanted[j]) for j in range(len(wanted))) and not any(
                proper for _, proper in said[i + len(wanted) :]
            ):
                return True
    proper = [t for t, is_proper in said if is_proper]
    mine = [t for t, _ in _tokens(actor)]
    return bool(proper) and all(any(_same(t, m) for m in mine) for t in proper)


# Titles that say nothing of the office, and offices that go by several names.
_ANY_OFFICE = frozenset(
    ["chef", "chief", "head", "leader", "politiker", "official", "глава", "лидер", "руководител"]
)
_OFFICES = {
    "état": "president", "etat": "president", "staat": "president", "président": "president",
    "präsident": "president", "президент": "president", "министр": "minist",
    "chancellor": "kanzler", "premier": "prime", "secretary": "secretar", "sekretär": "secretar",
    "секретар": "secretar",
}  # fmt: skip


def _offices(text: str) -> set[str]:
    found = {m.group(0).casefold() for m in ROLE.finditer(text)}
    return {_OFFICES.get(office, office) for office in found}


def _compatible(title: str, name: str) -> bool:
    """Tell whether a title can refer back to a speaker described this way."""
    theirs = _offices(name) - _ANY_OFFICE
    mine = _offices(title) - _ANY_OFFICE
    return not theirs or not mine or bool(mine & theirs)
