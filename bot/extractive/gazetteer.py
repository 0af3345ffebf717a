"""Closed word lists the extractive briefing needs to tell names apart: states, outlets, time.

Only closed classes belong here (countries, weekdays, news agencies, title words): open
classes such as people and companies are recognised by their context, never by a list.
"""

from __future__ import annotations

import re


def words(listing: str) -> frozenset[str]:
    """Read a word list written as `a|b|c`, over as many lines as it takes."""
    return frozenset(w.strip() for w in listing.replace("\n", "").split("|") if w.strip())


# State → the other names news uses for it: capital metonyms, acronyms, "the North".
STATES: dict[str, tuple[str, ...]] = {
    "North Korea": ("Pyongyang", "DPRK", "the North", "Democratic People's Republic of Korea"),
    "South Korea": ("Seoul", "ROK", "the South", "Republic of Korea"),
    "United States": ("Washington", "US", "U.S.", "USA", "America", "the United States"),
    "China": ("Beijing", "PRC", "People's Republic of China"),
    "Russia": ("Moscow", "Russian Federation"),
    "Japan": ("Tokyo",),
    "United Kingdom": ("London", "Britain", "UK", "U.K.", "Great Britain"),
    "Ukraine": ("Kyiv", "Kiev"),
    "Iran": ("Tehran",),
    "Taiwan": ("Taipei",),
    "France": ("Paris",),
    "Germany": ("Berlin",),
    "India": ("New Delhi",),
    "Israel": (),
    "Italy": ("Rome",),
    "Spain": ("Madrid",),
    "Poland": ("Warsaw",),
    "Turkey": ("Ankara", "Turkiye"),
    "Belarus": ("Minsk",),
    "Syria": ("Damascus",),
    "Iraq": ("Baghdad",),
    "Egypt": ("Cairo",),
    "Saudi Arabia": ("Riyadh",),
    "Qatar": ("Doha",),
    "Pakistan": ("Islamabad",),
    "Afghanistan": ("Kabul",),
    "Canada": ("Ottawa",),
    "Mexico": ("Mexico City",),
    "Brazil": ("Brasilia",),
    "Argentina": ("Buenos Aires",),
    "Australia": ("Canberra",),
    "Indonesia": ("Jakarta",),
    "Philippines": ("Manila",),
    "Vietnam": ("Hanoi",),
    "Thailand": ("Bangkok",),
    "Venezuela": ("Caracas",),
    "Cuba": ("Havana",),
    "Hungary": ("Budapest",),
    "Netherlands": ("The Hague",),
    "Belgium": (),
    "Sweden": ("Stockholm",),
    "Finland": ("Helsinki",),
    "Norway": ("Oslo",),
    "Denmark": ("Copenhagen",),
    "Greece": ("Athens",),
    "Serbia": ("Belgrade",),
    "Georgia": ("Tbilisi",),
    "Armenia": ("Yerevan",),
    "Azerbaijan": ("Baku",),
    "Kazakhstan": ("Astana",),
    "Lebanon": ("Beirut",),
    "Jordan": ("Amman",),
    "Yemen": ("Sanaa",),
    "Nigeria": ("Abuja",),
    "South Africa": ("Pretoria",),
    "Kenya": ("Nairobi",),
    "Ethiopia": ("Addis Ababa",),
    "Sudan": ("Khartoum",),
    "Libya": ("Tripoli",),
    "Algeria": ("Algiers",),
    "Morocco": ("Rabat",),
    "Switzerland": ("Bern",),
    "Austria": ("Vienna",),
    "Czech Republic": ("Prague", "Czechia"),
    "Romania": ("Bucharest",),
    "Moldova": ("Chisinau",),
    "Lithuania": ("Vilnius",),
    "Latvia": ("Riga",),
    "Estonia": ("Tallinn",),
    "Portugal": ("Lisbon",),
    "Ireland": ("Dublin",),
    "Myanmar": ("Naypyitaw",),
    "Malaysia": ("Kuala Lumpur",),
    "Singapore": (),
    "New Zealand": ("Wellington",),
    "Chile": ("Santiago",),
    "Colombia": ("Bogota",),
    "Peru": ("Lima",),
    "United Arab Emirates": ("UAE", "Abu Dhabi"),
    "Democratic Republic of Congo": ("DRC", "Kinshasa", "Democratic Republic of the Congo"),
    "Republic of Congo": ("Brazzaville", "Congo-Brazzaville"),
}
# States news names by no other name than their own.
STATES |= dict.fromkeys(
    words(
        """
Albania|Kyrgyzstan|Tajikistan|Uzbekistan|Turkmenistan|Mongolia|Slovakia|Slovenia|Croatia|Bosnia|
Montenegro|North Macedonia|Kosovo|Bulgaria|Cyprus|Malta|Luxembourg|Iceland|Burundi|Rwanda|Uganda|
Tanzania|Somalia|Eritrea|Djibouti|South Sudan|Chad|Niger|Mali|Burkina Faso|Senegal|Ghana|
Ivory Coast|Cameroon|Gabon|Angola|Zambia|Zimbabwe|Mozambique|Madagascar|Namibia|Botswana|
Sierra Leone|Liberia|Guinea|Tunisia|Mauritania|Bahrain|Kuwait|Oman|Bangladesh|Nepal|Sri Lanka|
Cambodia|Laos|Ecuador|Bolivia|Uruguay|Paraguay|Panama|Nicaragua|Honduras|Guatemala|El Salvador|
Haiti|Dominican Republic|Jamaica
"""
    ),
    (),
)
# Adjectives of states: "North Korean leader" is a title, not a mention of the state.
DEMONYMS = words(
    """
North Korean|South Korean|Korean|American|Chinese|Russian|Japanese|British|Ukrainian|Iranian|
Taiwanese|French|German|Indian|Israeli|Italian|Spanish|Polish|Turkish|Syrian|Iraqi|Egyptian|
Saudi|Pakistani|Afghan|Canadian|Mexican|Brazilian|Australian|European|Western|Eastern|Asian|
African|Arab|Palestinian|Belarusian|Hungarian|Dutch|Swedish|Finnish|Greek|Serbian|Georgian|
Swiss|Austrian|Czech|Irish|Portuguese|Lebanese|Qatari|Jordanian|Venezuelan|Cuban|Vietnamese|
Thai|Indonesian|Filipino|Nigerian
"""
)
# News agencies and outlets relay what others say; they are sources, not actors.
OUTLETS = words(
    """
KCNA|Korean Central News Agency|Rodong Sinmun|Yonhap|TASS|RIA Novosti|RIA|Interfax|Reuters|
AP|Associated Press|AFP|Agence France-Presse|Bloomberg|Xinhua|dpa|DPA|Kyodo|ANSA|EFE|BBC|CNN|
Al Jazeera|Fox News|NHK|CCTV|IRNA|Anadolu|Ukrinform|Sputnik|RT|The New York Times|
New York Times|Wall Street Journal|Financial Times|The Guardian|Le Monde|Der Spiegel|
Politico|Axios|Nikkei|KCTV|SUNA|SPA|WAM|MENA|IRNA|Tasnim|Fars|Anadolu Agency
"""
)
# Bodies known by one word or an acronym, which no head word ("Ministry") reveals.
KNOWN_ORGS: dict[str, tuple[str, ...]] = {
    "United Nations": ("UN", "U.N."),
    "European Union": ("EU", "E.U."),
    "NATO": ("North Atlantic Treaty Organization",),
    "International Monetary Fund": ("IMF",),
    "World Bank": (),
    "World Health Organization": ("WHO",),
    "OPEC": (),
    "OPEC+": (),
    "OECD": ("Organisation for Economic Co-operation and Development",),
    "International Atomic Energy Agency": ("IAEA",),
    "Kremlin": (),
    "Pentagon": (),
    "White House": (),
    "Federal Reserve": ("Fed",),
    "European Central Bank": ("ECB",),
    "Hamas": (),
    "Hezbollah": (),
    "Taliban": (),
    "G7": ("Group of Seven",),
    "G20": ("Group of 20",),
}
# The last word of an organisation's name.
ORG_HEADS = words(
    """
Ministry|Department|Office|Agency|Council|Commission|Committee|Government|Army|Navy|Military|
Embassy|Bank|Party|University|Union|Court|Parliament|Congress|Senate|Federation|Association|
Trust|Foundation|Authority|Assembly|Board|Company|Group|Organisation|Organization|Institute|
Administration|Command|Police|Team|Service|Services|Forces|Force|Guard|Corps|Fund|Reserve|
Bureau|Secretariat|Cabinet|Staff|Inc|Inc.|Corp|Corp.|Co|Co.|Ltd|Ltd.|Plc|PLC|AG|SA|LLC|
Holdings|Partners|Capital|Group|Airlines|Motors|Electronics|Industries|Energy|Petroleum|
Communications|Technologies|Systems|Pharmaceuticals|Alliance|Coalition|Movement|Front|
Network|Centre|Center|Chamber|Exchange|Tribunal|Directorate|Watch
"""
)
# Lowercase heads of bodies named by their function: "South Korea's unification ministry".
BODY_NOUNS = (
    "ministry|department|office|government|embassy|military|army|agency|cabinet|parliament|"
    "central bank|presidential office|foreign ministry|defence ministry|defense ministry"
)
TITLES = words(
    """
President|Prime|Minister|Secretary|Chancellor|Leader|Spokesperson|Spokesman|Spokeswoman|King|
Queen|Senator|Sen.|Governor|Mayor|Dr|Dr.|Mr|Mr.|Mrs|Mrs.|Ms|Ms.|Prof|Prof.|Professor|
Chairman|Chairwoman|Chair|Ambassador|Gen|Gen.|General|Admiral|Pope|Premier|Representative|
Rep|Rep.|Judge|Justice|Commissioner|Chief|Executive|Officer|Vice-President|Vice|Deputy|
Director|Head|Envoy|Majority|Minority|Speaker|Crown|Prince|Princess|Sheikh|Emir|Sultan|
Foreign|Defence|Defense|Economy|Finance|Interior|Trade|Industry|Health|Energy|Oil|
Transport|Agriculture|Education|Labour|Labor|Environment|Culture|Justice|Digital|Unification|Democratic|Republican|
Senate|House|CEO|CFO|Secretary-General|Governors|Lt|Col|Colonel|Major|Captain|Marshal|Lord|Lady
"""
)
# A lowercase word right before a name that makes it a person: "leader Kim Jong Un".
PERSON_CUES = words(
    """
leader|president|minister|secretary|spokesperson|spokesman|spokeswoman|chancellor|premier|counterpart|
chief|ceo|analyst|economist|strategist|professor|chairman|chairwoman|governor|mayor|envoy|
ambassador|general|commander|official|lawmaker|senator|director|head|aide|adviser|advisor|
sister|brother|wife|husband|son|daughter|founder|executive|judge|prosecutor|lawyer|diplomat|
negotiator|deputy|researcher|fellow|manager|trader|candidate|activist|dissident|member
"""
)
WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
TIME_WORDS = frozenset(f"{WEEKDAYS}|{MONTHS}|Christmas|Easter|Ramadan".split("|"))
# "on Monday", "last year", "earlier this week", "on Dec 4", "in October last year".
TIME_EXPRESSION = re.compile(
    rf"(?:\b(?:late|early|earlier|later)\s+)?(?:\b(?:on|by|since|until|from|in)\s+)?"
    rf"(?:\b(?:{WEEKDAYS})\b(?:\s+(?:morning|afternoon|evening|night))?|"
    rf"\b(?:{MONTHS})\b\.?(?:\s+\d{{1,2}}\b)?(?:,?\s+\d{{4}})?|\b\d{{1,2}}\s+(?:{MONTHS})\b(?:\s+\d{{4}})?|"
    r"\b(?:last|this|next)\s+(?:week|month|year|weekend)|\b(?:today|yesterday|tomorrow)\b|"
    r"\bearlier\b|\b(?:a|one) day (?:earlier|later|before))"
    r"(?:\s+(?:last|this|next)\s+(?:week|month|year))?"
)
# A wire dateline: SEOUL, Dec 4 (Reuters) - | WASHINGTON (AP) — | MOSCOW, June 3. /TASS/.
_CITY = r"[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+)*(?:,\s*[A-Z][a-z]+\.?\s*\d{1,2}(?:,\s*\d{4})?\.?)?\s*"
_DASH = r"(?:-{1,2}|—|–)"
DATELINE = re.compile(
    rf"^\s*(?:(?:{_CITY})?(?:\([A-Za-z][\w .-]*\)|/[A-Z]+/\.?)\s*{_DASH}?|{_CITY}{_DASH})\s*"
)
# A lowercase word beside a name that makes it a body: "consumer organisation BEUC",
# "the CGT union", "the France Unbowed party".
ORG_CUES = words(
    """
organisation|organization|group|lobby|union|party|company|firm|agency|association|watchdog|
regulator|carmaker|chipmaker|insurer|lender|airline|militia|movement|alliance|coalition|
consortium|federation|network|institute|fund|bloc|broker|bank|conglomerate|retailer|
automaker|manufacturer|operator|startup
"""
)
# Words a wire name carries with its full stop: "Inc.", "Sen.", "U.S.".
ABBREVIATIONS = words(
    """
Inc.|Corp.|Co.|Ltd.|Sen.|Rep.|Gen.|Dr.|Mr.|Mrs.|Ms.|Prof.|Jr.|Sr.|St.|Lt.|Col.|Gov.
"""
)
# Company suffixes: "Nvidia Corp." is "Nvidia" afterwards.
CORPORATE = words("Inc.|Inc|Corp.|Corp|Co.|Co|Ltd|Ltd.|Plc|PLC|AG|SA|LLC|Holdings")
# Capitalised words that open a sentence without being part of a name.
LEADING = words(
    """
The|A|An|In|On|At|By|For|From|To|With|After|Before|Its|His|Her|Their|Our|But|And|Meanwhile|
However|According|While|When|As|If|This|That|These|Those|Under|Over|During|Since|Until|Both|
Former|Then|Also|Yet|So|Earlier|Later|Separately|Still
"""
)
STATE_OF = {v.replace("’", "'").casefold(): k for k, vs in STATES.items() for v in (k, *vs)}
ORG_OF = {v.casefold(): k for k, vs in KNOWN_ORGS.items() for v in (k, *vs)}
OUTLET_KEYS = {o.casefold() for o in OUTLETS}
