"""Words the extractive briefing recognises: speech verbs, titles, bodies, state metonyms."""

from __future__ import annotations

import re

QUOTED = re.compile(r"[“\"«]([^“”\"«»]{12,}?)[”\"»]")
QUOTE_CHARS = '“”"«»'
OPPOSE = r"condemn(?:s|ed)?|reject(?:s|ed)?|oppose[sd]?|critici[sz](?:e|es|ed)|denounce[sd]?|den(?:y|ies|ied)|accuse[sd]?|dismiss(?:es|ed)?|refuse[sd]?|slam(?:s|med)?|warn(?:s|ed)?|threaten(?:s|ed)?|protest(?:s|ed)?"  # noqa: E501
SUPPORT = r"pledge[sd]?|support(?:s|ed)?|welcome[sd]?|back(?:s|ed)|endorse[sd]?|praise[sd]?|promise[sd]?|vow(?:s|ed)?|urge[sd]?|call(?:s|ed)? (?:for|on)|commit(?:s|ted)? to|agree[sd]?"  # noqa: E501
NEUTRAL = r"sa(?:id|ys)|told|tells?|add(?:s|ed)|state[sd]|declare[sd]|announce[sd]|insist(?:s|ed)|argue[sd]|note[sd]|call(?:s|ed)|wr(?:ote|ites)"  # noqa: E501
VERB = re.compile(
    rf"\b(?:(?:has|have|had|also|again|repeatedly|strongly|publicly) )*"
    rf"(?P<verb>{OPPOSE}|{SUPPORT}|{NEUTRAL})\b"
)
# Polarity cues in the reported clause. A pledge to act against something ("vowed to
# challenge the pact") is opposition, not support; a caveat after "but" ("welcomed it, but
# warned that...") qualifies a stance rather than reversing it.
OPPOSE_CUE = re.compile(
    rf"\b(?:{OPPOSE}|challenge[sd]?|block(?:s|ed)?|fight(?:s)?|fought|scrap(?:s|ped)?|"
    r"repeal(?:s|ed)?|overturn(?:s|ed)?|sue[sd]?|veto(?:es|ed)?|punish(?:es|ed)?|"
    r"resist(?:s|ed)?|boycott(?:s|ed)?|halt(?:s|ed)?)\b"
)
SUPPORT_CUE = re.compile(rf"\b(?:{SUPPORT}|hail(?:s|ed)?|applaud(?:s|ed)?)\b")
PLEDGE_AGAINST = re.compile(
    rf"\b(?:{SUPPORT}) to (?:\w+ )?(?:{OPPOSE}|challenge|block|fight|scrap|repeal|overturn|"
    r"sue|veto|punish|resist|boycott|halt)\b"
)
CAVEAT = re.compile(r"\b(?:but|though|although|while|yet)\b[^.;]*?\bwarn(?:s|ed)?\b")
QUOTE_FIRST = re.compile(
    r"^[“\"«].+?[”\"»],?\s+(?:(?:said|says|added|wrote)\s+(?P<after>[^,.;]+)|"
    r"(?P<before>[^,.;“”\"]+?)\s+(?:said|says|added|told|wrote)\b)"
)
ACCORDING = re.compile(r"\b[Aa]ccording to (?P<who>[^,.;“”\"]+)")
QUOTED_AS = re.compile(r"\bquoted (?P<who>[^,.;“”\"]+?) as saying\b")
ORG_WORDS = re.compile(
    r"\b(?:[Mm]inistry|[Dd]epartment|[Oo]ffice|[Aa]gency|[Cc]ouncil|[Cc]ommission|[Cc]ommittee|"
    r"[Gg]overnment|[Aa]rmy|[Mm]ilitary|[Ee]mbassy|[Bb]ank|[Pp]arty|[Uu]niversity|[Uu]nion|"
    r"[Cc]ourt|[Pp]arliament|Congress|Senate|Kremlin|Pentagon|White House|[Ff]ederation|"
    r"[Aa]ssociation|Trust|Foundation|Authority|Assembly|Board|Company|Group|[Oo]rgani[sz]ation|[Ii]nstitute|[Aa]dministration|[Cc]ommand|[Pp]olice)\b"
)
ORG_OF = re.compile(
    r"^(?:the |a |an )?(?P<org>(?:[\w-]+ ){0,3}?(?:ministry|department|office|government|"
    r"embassy|military|army|agency))(?: statement| spokesperson| spokesman| official)? "
    r"(?:from|of|for) (?:the )?(?P<owner>[A-Z][\w .'-]*)$",
    re.IGNORECASE,
)
POSSESSIVE_ORG = re.compile(
    r"^(?:the )?(?P<owner>[A-Z][\w .-]*?)['’]s (?P<org>(?:[\w-]+ ){0,3}?(?:ministry|department|"  # noqa: RUF001
    r"office|government|embassy|military|army|agency))$"
)
PLACE_OF = re.compile(
    r"^(?:[Tt]he )?(?:town|city|village|province|region|county|district) of "
    r"(?P<name>[A-Z][\w' -]*)$"
)
TITLE_WORDS = frozenset(
    [
        "President",
        "Prime",
        "Minister",
        "Secretary",
        "Chancellor",
        "Leader",
        "Spokesperson",
        "Spokesman",
        "Spokeswoman",
        "King",
        "Queen",
        "Senator",
        "Governor",
        "Mayor",
        "Dr",
        "Mr",
        "Mrs",
        "Ms",
        "Prof",
        "Professor",
        "Chairman",
        "Chair",
        "Ambassador",
        "Gen",
        "General",
        "Admiral",
        "Pope",
        "Premier",
        "Representative",
        "Rep",
        "Sen",
        "Judge",
        "Justice",
        "Commissioner",
    ]
)
DESCRIPTION = re.compile(
    r"^the (?:[\w-]+ ){0,3}(?:leader|president|prime minister|minister|spokesperson|"
    r"chancellor|king|queen|premier|general|secretary|ambassador)$",
    re.IGNORECASE,
)
OPENERS = frozenset(
    ["In", "On", "At", "After", "Before", "Meanwhile", "However", "But", "And", "Later", "Earlier"]
)
# Metonyms and acronyms for a few states that news names by their capital: a reader knows
# that "Pyongyang said" is North Korea speaking; a regex does not.
STATES = {
    "North Korea": ("Pyongyang", "DPRK", "North Korean"),
    "South Korea": ("Seoul", "ROK", "South Korean"),
    "United States": ("Washington", "US", "U.S.", "USA", "America", "American"),
    "China": ("Beijing", "PRC", "Chinese"),
    "Russia": ("Moscow", "Kremlin", "Russian"),
    "Japan": ("Tokyo", "Japanese"),
    "United Kingdom": ("London", "Britain", "UK", "British"),
    "Ukraine": ("Kyiv", "Kiev", "Ukrainian"),
    "Iran": ("Tehran", "Iranian"),
    "Taiwan": ("Taipei", "Taiwanese"),
    "France": ("Paris", "French"),
    "Germany": ("Berlin", "German"),
    "India": ("New Delhi", "Indian"),
    "Israel": ("Israeli",),
}
STATE_OF = {v.casefold(): k for k, vs in STATES.items() for v in (k, *vs)}
MAX_QUOTE = 280
MAX_STANCES_PER_ACTOR = 4
MAX_TARGET_WORDS = 6
PRONOUNS = frozenset(
    ["it", "he", "she", "they", "we", "that", "this", "his", "her", "their", "its"]
)
