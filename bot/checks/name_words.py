"""Word lists that tell a proper name from an ordinary capitalised word."""

from __future__ import annotations

import re

from bot.extractive.gazetteer import TITLES as TITLE_WORDS

# Words that may join the parts of one name: "Bank of England", "Corée du Nord".
CONNECTORS = frozenset(["of", "de", "du", "des", "von", "van", "der", "al", "bin", "ibn", "da"])

# Function words a capitalised run may start with ("In Pyongyang", "Der Kreml", "La Chine").
STOPWORDS = frozenset(
    """the a an in on at after before as by for from with while when during under over this
    that these those it its his her their our we they he she both all some many most several
    such each meanwhile however but and also then now there here if yet so why what how who
    which according since despite amid among than not no
    because although though whether once until unless whereas should would could may might
    must together
    в во на по с со к о об от из за для при после до это этот эта эти его ее её их он она они
    и но а также однако как что кроме между так уже ещё еще тем у
    der die das den dem des ein eine einen einem einer eines im am zum zur vom beim ins an auf
    aus bei mit nach seit vor zu und aber auch es er sie wir diese dieser dieses laut nachdem
    während als wie damit doch
    le la les l un une du d en à au aux dans pour par sur selon après avant et mais ce cette
    ces il elle ils elles son sa ses leur leurs lors depuis alors ainsi pendant""".split()
)

# Titles name nobody on their own: "President", "Kanzler", "министр".
TITLES = frozenset(
    [w.casefold() for w in TITLE_WORDS]
    + """secretary minister deputy vice foreign defence defense leader spokesman head
    chief envoy machthaber kanzler bundeskanzler präsident außenminister aussenminister
    sprecher sprecherin chef staatschef regierungschef sekretär generalsekretär botschafter
    ministerpräsident leiter vorsitzender président ministre porte parole dirigeant chef
    secrétaire ambassadeur premier президент министр глава лидер секретарь посол
    премьер пресс спикер""".split()
)

# Lowercase words a Title Case English headline keeps lowercase.
FUNCTION_WORDS = frozenset(
    "a an the and or nor but of in on at to for by with from as vs via over into up off".split()
)

# A few very common words per language, to tell a German statement from others.
LANGUAGE_HINTS = {
    "de": frozenset(
        """der die das den dem des und ist sind wurde wurden hat haben nicht mit von vom zum
        zur im am für über auf ein eine einer einen soll wird auch sich nach bei aus zu""".split()
    ),
    "en": frozenset("the and of to is was were has have with for on at by from that its".split()),
    "fr": frozenset("le la les des du de et est un une à au aux sur pour par dans été ce".split()),
}

# After these a German capitalised word is a noun: "der Bericht", "im vergangenen Jahr".
DETERMINERS_DE = frozenset(
    """der die das den dem des ein eine einen einem einer eines kein keine keinen keinem
    keiner im am zum zur vom beim ins ans sein seine seinen seinem seiner ihr ihre ihren
    ihrem ihrer unser unsere dieser diese diesen diesem dieses jener welche alle beide beiden
    mehrere viele einige mit""".split()
)

_GERMAN_NOUN = re.compile(
    r"(?:ung|heit|keit|schaft|tion|sion|ität|ismus|nis|tum|ment|ik|ur|enz|anz|ei|ie|ling|"
    r"chen|lein|ent|ant|ist|eur|är|ör|age)(?:en|n|e|s|se|nen|es)?$"
)
_GERMAN_INFLECTED = ("e", "en", "er", "es", "em")
# Shapes of ordinary words that open a sentence ("Tensions", "Talks", "Стоимость"): a
# lone capitalised word at a sentence start with such an ending is not taken for a name.
_COMMON_ENDINGS = (
    "ing", "ed", "ly", "tion", "tions", "ment", "ments", "ness", "ity", "ance", "ence", "ers",
    "ists", "als", "ions", "ies", "ors", "sts", "ts", "ks", "cs", "ces", "ents", "ats",
    "ость", "ости", "ние", "ния", "ция", "ции", "ства", "ство", "ться", "ются", "ется",
    "ité", "ités", "eur", "eurs", "aux", "acy", "ism", "ship", "ize", "ise", "ous", "ful",
    "less", "ble", "ive",
)  # fmt: skip


# Ordinary words that often open a summary's or an analysis's sentence, without a telling
# ending. Not a dictionary: a lone unknown capitalised word at a sentence start is still
# taken for a name unless it is here or ends like an ordinary word.
_OPENERS = frozenset(
    """pressure diplomacy expect watch half growth trade aid support war peace fighting
    progress concern concerns fear fears hope hopes risk risks attention focus pay
    investors markets prices voters troops forces leaders allies critics officials experts
    analysts observers diplomats lawmakers negotiators rebels protesters residents
    meanwhile still yet instead further moreover overall today tomorrow yesterday later
    earlier next last first second third finally already even only just much more less
    little few every any another other same new old recent key major main broader wider
    deeper closer greater higher lower stronger weaker rising falling failure success
    escalation retaliation cooperation confidence trust doubt doubts uncertainty
    military economic political nuclear global regional domestic foreign western eastern
    look keep note consider beyond against without within amid behind
    ожидается вероятно возможно кроме поэтому теперь сейчас ранее позже впрочем итак
    давление рост торговля поддержка война переговоры эксперты аналитики наблюдатели
    attendez-vous désormais ensuite pourtant cependant enfin déjà aussi encore surtout
    pression croissance guerre paix soutien experts analystes observateurs""".split()
)


def looks_common(word: str, lang: str) -> bool:
    """Tell whether a word has the shape of an ordinary word, not a name."""
    folded = word.casefold()
    if lang == "de":  # a lowercase adjective or article before a German noun
        return word[:1].islower() and len(word) > 3 and folded.endswith(_GERMAN_INFLECTED)  # noqa: PLR2004
    return folded in _OPENERS or folded.endswith(_COMMON_ENDINGS)


def looks_like_german_noun(word: str) -> bool:
    """Tell whether a capitalised German word ends like a common noun (-ung, -heit, -tion)."""
    return bool(_GERMAN_NOUN.search(word.casefold()))
