"""Same-issue matching for shifts: paraphrases of one issue match, confusable issues do not.

An issue is reduced to a key: the set of its content words, each lower-cased, lightly
stemmed and mapped through a short synonym table, with states named by their capitals,
demonyms or acronyms folded into one entity, and stop words and a few "soft" qualifiers
("new", "further", "bill") dropped. Two issues are the same only when their keys are equal:
word order, inflection and function words never matter, while every leftover content word
does — an entity (Russia ≠ Iran), a number (2026 ≠ 2027), a product (steel ≠ cars) or a word
that changes the head (a ceasefire ≠ its violations). A shift is a claim that someone changed
their mind on one issue, so this errs toward "different": a missed paraphrase costs a shift
left unshown, a false match shows a change of position that never happened.
"""

# ruff: noqa: RUF001 - the word tables are Russian: Cyrillic letters that look Latin are meant

from __future__ import annotations

import functools
import re
import unicodedata

# Entities: canonical id -> surface forms (matched on folded words; multi-word forms first).
# Capitals stand for their states as news uses them ("Moscow said", "sanctions on Moscow").
_ENTITY_FORMS = {
    "russia": "russia russian russians moscow kremlin russie russe russes russland russlands "
    "moscou moskau россия россии россию россией российский москва кремль",
    "ukraine": "ukraine ukraine's ukrainian ukrainians kyiv kiev kiew ukrainien ukrainienne "
    "ukrainische ukrainischen украина украинский киев",
    "us": "united_states usa america american americans washington etats_unis amerique "
    "americain americaine amerika amerikanische amerikanischen сша америка вашингтон",
    "uk": "united_kingdom britain great_britain british london royaume_uni grossbritannien "
    "британия британский лондон",
    "eu": "european_union union_europeenne europaische_union евросоюз =ес",
    "nato": "nato otan нато north_atlantic_alliance",
    "un": "united_nations onu оон",
    "china": "china chinese beijing prc chine chinois chinoise pekin peking chinesische "
    "chinesischen китай китайский пекин",
    "iran": "iran iranian iranians tehran iranien iranienne iranische iranischen иран ирана "
    "ирану тегеран",
    "israel": "israel israeli israelis israelien israelienne israelische israelischen "
    "израиль израильский",
    "gaza": "gaza gazan gazans gaza_strip сектор_газа",  # not "газа": "газ" is gas
    "nkorea": "north_korea north_korean dprk pyongyang coree_du_nord nordkorea "
    "кндр северная_корея пхеньян",
    "skorea": "south_korea south_korean rok seoul coree_du_sud sudkorea южная_корея сеул",
    "japan": "japan japanese tokyo japon japonais япония японский токио",
    "taiwan": "taiwan taiwanese taipei тайвань тайваньский",
    "georgia": "georgia georgian tbilisi georgie georgien =грузия =грузии =грузию =грузией "
    "грузинский тбилиси",
    "belarus": "belarus belarusian minsk bielorussie weissrussland беларусь белоруссия минск",
    "syria": "syria syrian damascus syrie syrien =сирия =сирии =сирию сирийский дамаск",
    "lebanon": "lebanon lebanese beirut liban libanon ливан ливанский бейрут",
    "turkey": "turkey turkish turkiye ankara turquie turkei турция турецкий анкара",
    "poland": "poland polish warsaw pologne polen польша польский варшава",
    "germany": "germany german berlin allemagne deutschland германия германский немецкий берлин",
    "france": "france french paris frankreich франция французский париж",
    "india": "india indian new_delhi inde indien =индия =индии =индию индийский",
    "saudi": "saudi_arabia saudi riyadh arabie_saoudite саудовская_аравия",
    "palestine": "palestine palestinian palestinians palastina палестина палестинский",
    "iraq": "iraq iraqi baghdad irak ирак иракский багдад",
    "egypt": "egypt egyptian cairo egypte agypten египет египетский каир",
    "venezuela": "venezuela venezuelan caracas венесуэла",
    "armenia": "armenia armenian yerevan armenie армения армянский ереван",
    "azerbaijan": "azerbaijan azerbaijani baku azerbaidjan азербайджан азербайджанский =баку",
    "moldova": "moldova moldovan chisinau moldavie молдавия молдова",
    "canada": "canada canadian ottawa канада канадский",
    "mexico": "mexico mexican mexique mexiko мексика мексиканский",
}


def _words(table: str) -> list[str]:
    # Word tables read better as running text than as a list literal of a hundred strings.
    return table.split()


# Acronyms that are also ordinary words in some language ("US" ~ "us", "UN" ~ French "un")
# count as entities only when written in capitals.
_ACRONYMS = {"US": "us", "U.S.": "us", "U.S": "us", "UK": "uk", "U.K.": "uk", "EU": "eu",
             "UN": "un", "U.N.": "un", "ROK": "skorea"}  # fmt: skip

# Function words of en/ru/de/fr; negations ("no", "not", "без") are NOT here: they change
# the issue.
_STOP = frozenset(
    _words("""a an the of on to for in into with against over by from at about and or its it their
    his her our s as is are be this that these those between toward towards upon via any
    в во на с со по о об обо для против к ко и от из за у над под при
    der die das den dem des ein eine einen einem einer eines gegen fur mit von zu zum zur auf
    im uber und an am aus bei nach um
    le la les l de du des d un une contre pour avec sur en au aux et dans vers par""")
)
# Qualifiers that do not change which issue is meant: "new sanctions on Russia" is still
# the Russia-sanctions issue, "the pension reform bill" the pension reform.
_SOFT = frozenset(
    _words("""new further additional more fresh renewed latest proposed planned possible potential
    current recent ongoing continued so called impose imposed imposing imposition bill
    bills legislation draft drafts proposal proposals plan plans package packages measure
    measures initiative initiatives
    neue neuen neuer neues weitere weiteren nouveau nouvelle nouvelles nouveaux nouvel
    новые новых новый новая дополнительные""")
)
# Words for one idea (matched after stemming; the first of each group names it).
_SYNONYMS = [
    "aid assistance",
    "talks negotiations dialogue",
    "ceasefire truce armistice перемирие waffenstillstand waffenruhe",
    "deal agreement accord pact",
    "weapons arms",
    "troops soldiers",
    "war conflict",
    "deliveries supplies",
    "tariffs duties",
    "membership accession",
    "position stance",
    "relations ties",
    "drills exercises",
]
_PHRASES = {  # spelled several ways, folded before splitting into words
    "cease-fire": "ceasefire",
    "cease fire": "ceasefire",
    "cessez-le-feu": "ceasefire",
    "прекращение огня": "ceasefire",
    "прекращения огня": "ceasefire",
    "programme": "program",  # British and American spellings: substrings, so plurals too
    "defence": "defense",
    "offence": "offense",
    "centre": "center",
    "labour": "labor",
}
# With two states in one issue, which is where matters: "Russian troops in Ukraine" is not
# "Ukrainian troops in Russia", "gas from Russia to China" not "gas from China to Russia".
# An entity after one of these words keeps the word's role in the key.
_ROLE = {"in": "in", "into": "in", "inside": "in", "within": "in", "from": "from", "on": "on",
         "against": "on", "upon": "on", "в": "in", "во": "in", "на": "in", "из": "from",
         "против": "on", "по": "on", "im": "in", "aus": "from", "gegen": "on", "dans": "in",
         "contre": "on"}  # fmt: skip

_AND = frozenset(["and", "or", "и", "или", "und", "oder", "et", "ou"])
_CYRILLIC = re.compile(r"[а-я]")
_CYRILLIC_FORM = "ru:"  # Cyrillic entity forms are looked up by stem, apart from exact words
_PLACED_ENTITIES = 2  # from two entities on, their roles count
_WORD = re.compile(r"[\w@]+(?:['’][\w]+)?")
# Derivational and inflectional endings of en/de/fr, tried longest first after a plural.
_LATIN_ENDINGS = ("ation", "ment", "ing", "ion", "ed", "er", "en", "e")
# Case and number endings; the leftmost match is the longest ending ("санкциями" → "санкц").
_CYRILLIC_ENDINGS = re.compile(
    r"(?:иями|иях|иям|ией|ями|ами|ого|его|ому|ему|ыми|ими|ых|их|ым|им|ые|ие|ой|ей|ий|ый|ая|яя"
    r"|ое|ее|ую|юю|ов|ев|ок|ах|ях|ам|ям|ом|ем|ью|ию|ия|ии|а|я|о|е|ы|и|у|ю|ь|й)$"
)


def _fold(text: str) -> str:
    # Strip accents (é → e, ü → u) but keep Cyrillic whole: й and ё are letters of their own.
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return unicodedata.normalize("NFC", strip_marks(decomposed)).replace("ё", "е")


def strip_marks(decomposed: str) -> str:
    """Drop the combining marks of a decomposed text, except the breve (й stays й)."""
    if decomposed.isascii():
        return decomposed
    # Looked up per distinct character, not per character: a whole article has a few dozen.
    marks = [c for c in set(decomposed) if unicodedata.combining(c) and c != "\u0306"]
    return decomposed.translate(dict.fromkeys(map(ord, marks))) if marks else decomposed


_MIN_STEM = 3  # letters an ending may leave behind ("cars" → "car", never "gas" → "ga")
# Prefix lengths that inflected forms share once their endings are gone ("international"
# and "internal" part at the eighth letter).
_CYRILLIC_STEM, _LATIN_STEM = 6, 8


def stem(word: str) -> str:
    """Reduce a folded word to a short prefix that its inflected forms share."""
    if word.isdigit() or word.startswith("@"):
        return word
    if _CYRILLIC.search(word):
        bare = _CYRILLIC_ENDINGS.sub("", word)
        return (bare if len(bare) >= _MIN_STEM else word)[:_CYRILLIC_STEM]
    if word.endswith("ies") and len(word) > _MIN_STEM + 1:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > _MIN_STEM:
        word = word[:-1]
    for _pass in range(2):  # "Sanktionen" → "Sanktion" → "Sankt", as "sanction" → "sanct"
        ending = next(
            (e for e in _LATIN_ENDINGS if word.endswith(e) and len(word) - len(e) >= _MIN_STEM), ""
        )
        word = word[: len(word) - len(ending)]
    return word[:_LATIN_STEM]


def _entity_table() -> tuple[dict[str, str], list[tuple[str, str]]]:
    words: dict[str, str] = {}
    phrases: list[tuple[str, str]] = []
    for entity, forms in _ENTITY_FORMS.items():
        for form in forms.split():
            if "_" in form:
                phrases.append((form.replace("_", " "), entity))
            elif form.startswith("="):  # an exact form: its stem is a common word ("груз")
                words[form[1:]] = entity
            elif _CYRILLIC.search(form):  # by stem: Russian declines names ("Киеву", "Россией")
                words[_CYRILLIC_FORM + stem(form)] = entity
            else:
                words[_fold(form)] = entity
    phrases.sort(key=lambda p: -len(p[0]))  # "gaza strip" before "gaza"
    return words, phrases


_ENTITY_WORDS, _ENTITY_PHRASES = _entity_table()
_PHRASE_RE = re.compile(
    "|".join(rf"\b{re.escape(_fold(p))}\b" for p, _e in _ENTITY_PHRASES)
    + "|"
    + "|".join(re.escape(p) for p in _PHRASES)
)
_PHRASE_TO = {_fold(p): f"@{e}" for p, e in _ENTITY_PHRASES} | _PHRASES
# The alternation is tried at every character (~1 ms a page); most texts have none of its
# phrases, which plain substring tests tell twenty times faster.
_PHRASE_LITERALS = tuple(_PHRASE_TO)


def _phrases_marked(folded: str) -> str:
    if not any(p in folded for p in _PHRASE_LITERALS):
        return folded
    return _PHRASE_RE.sub(lambda m: f" {_PHRASE_TO[m.group(0)]} ", folded)


_ACRONYM_RE = re.compile(r"(?<![\w.])(?:" + "|".join(map(re.escape, _ACRONYMS)) + r")(?![\w])")
_SYNONYM_OF = {stem(_fold(w)): group.split()[0] for group in _SYNONYMS for w in group.split()}


def _token(word: str) -> str | None:
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    word = word.replace("’", "'")
    if "'" in word:  # French elision: l'Iran, d'aide
        head, _, word = word.partition("'")
        if len(head) > len("qu"):  # l', d', qu' are articles; "aujourd'hui" is one word
            word = head
    if not word or word in _STOP or word in _SOFT:
        return None
    if word.startswith("@"):
        return word
    entity = _ENTITY_WORDS.get(word) or _ENTITY_WORDS.get(_CYRILLIC_FORM + stem(word))
    if entity is not None:
        return f"@{entity}"
    stemmed = stem(word)
    return _SYNONYM_OF.get(stemmed, stemmed)


@functools.lru_cache(maxsize=65536)  # an actor's stances revisit the same few issues
def issue_key(text: str) -> frozenset[str]:
    """Return an issue's canonical key: its content words, stemmed, entities folded."""
    marked = _ACRONYM_RE.sub(lambda m: f" @{_ACRONYMS[m.group(0)]} ", text[:500])
    folded = _phrases_marked(_fold(marked)).replace("-", " ")
    tokens: list[tuple[str | None, str]] = []
    role: str | None = None
    for word in _WORD.findall(folded):
        token = _token(word)
        if token is None:  # "in the", "against" ...: the role of the entity that follows
            if word in _AND and tokens and tokens[-1][1].startswith("@"):
                role = tokens[-1][0]  # "on Russia and Iran": both are "on"
            role = _ROLE.get(word, role)
            continue
        tokens.append((role if token.startswith("@") else None, token))
        role = None
    if len({t for _role, t in tokens if t.startswith("@")}) < _PLACED_ENTITIES:
        return frozenset(t for _role, t in tokens)
    return frozenset(f"{role}:{t}" if role else t for role, t in tokens)


def issue_entities(text: str) -> frozenset[str]:
    """Return the issue's key entities: states, alliances and numbers, canonicalised."""
    return frozenset(t for t in issue_key(text) if "@" in t or t.isdigit())


def same_issue(a: str, b: str) -> bool:
    """Tell whether two stance issues (or targets) name the same issue."""
    key = issue_key(a)
    return bool(key) and key == issue_key(b)


# A text's words recur across sentences and articles (Zipf): each is read once.
_cached_token = functools.lru_cache(maxsize=65536)(_token)  # ~10 MB at most


def text_entities(text: str) -> frozenset[str]:
    """Return the entities `issue_key` would find in a text (its first 500 characters).

    For scanning whole articles sentence by sentence: the same tokens as `issue_key`, without
    the work an issue key needs and a text's entities do not (roles, every word's stem).
    """
    marked = _ACRONYM_RE.sub(lambda m: f" @{_ACRONYMS[m.group(0)]} ", text[:500])
    folded = _phrases_marked(_fold(marked))
    tokens = map(_cached_token, _WORD.findall(folded.replace("-", " ")))
    return frozenset(token for token in tokens if token is not None and "@" in token)
