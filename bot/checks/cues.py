"""Attribution words in English, Russian, German and French: speech verbs, relays, pronouns."""

from __future__ import annotations

import re

_RU_STEMS = (
    "заяви|сказа|сообщи|отмети|подчеркну|добави|поясни|призна|завери|пообеща|призва|обвини|"
    "указа|написа|ответи|назва|предупреди|уточни|выступи|констатирова|потребова|пригрози|"
    "раскритикова|осуди|отверг|высказа|заявля|говори|сообща|отмеча|подчеркива|предупрежда|"
    "допуска|критикова|ожида|прогнозирова|оцени|назыв|отвеча|пообеща|согласи|настаива|возрази"
)
FR_PARTICIPLES = (
    "déclaré|dit|affirmé|ajouté|souligné|estimé|indiqué|assuré|expliqué|averti|annoncé|appelé|"
    "dénoncé|accusé|promis|insisté|rappelé|jugé|martelé|prévenu|tranché|regretté|répondu|réaffirmé|plaidé|confié|"
    "lancé|qualifié|exhorté|réclamé|rejeté|condamné|salué|écrit|fait savoir|fait valoir|réagi|"
    "précisé|remercié|répliqué|poursuivi|menacé|mis en garde|recommandé|jugé|déploré|"
    "reconnu|confirmé|annoncé|demandé|plaidé"
)
FR_PRESENT = (
    "déclare|affirme|estime|souligne|assure|explique|dit|ajoute|prévient|insiste|rappelle|"
    "répond|réplique|poursuit|précise|conclut|juge"
)
# Finite speech and stance verbs; whatever stands before (or, inverted, after) is the speaker.
SPEECH_VERB = re.compile(
    r"(?<![\w-])(?:(?:has|have|had|also|again|repeatedly|later|earlier|publicly|strongly) )*"
    r"(?:said|says|say|told|tells|tell|added|adds|stated|declared|announced|insisted|insists|argued|"
    r"noted|warned|warns|accused|accuses|pledged|vowed|promised|urged|urges|called|calls|"
    r"rejected|denied|affirmed|stressed|claimed|reiterated|welcomed|condemned|critici[sz]ed|"
    r"acknowledged|confirmed|emphasi[sz]ed|wrote|writes|described|dismissed|demanded|proposed|"
    r"explained|asserted|predicted|complained|admitted|suggested|replied|responded|threatened|"
    r"hailed|praised|blamed|expressed|agreed|"
    rf"(?:{_RU_STEMS})л(?:а|и|о)?(?:сь|ся)?|считает|заявляет|говорит|уверен[аы]?|ожидает|полагает|допускает|"
    r"sagte|sagt|erklärte|erklärt|betonte|betont|forderte|fordert|warnte|warnt|kritisierte|"
    r"kündigte|teilte|schrieb|warf|bekräftigte|versicherte|meinte|räumte|fügte|verlangte|"
    r"lehnte|wies|bezeichnete|nannte|drohte|sprach|begrüßte|befand|entschied|mitteilte|"
    rf"(?:a|ont|avait|avaient)(?:-t-(?:il|elle|on))?\s+(?:(?:également|aussi|encore|déjà)\s+)?"
    rf"(?:{FR_PARTICIPLES})|(?:{FR_PRESENT})(?:-t)?-(?:il|elle)|{FR_PRESENT})\b",
    re.IGNORECASE,
)
# "…, hieß es in dem Bericht": the document speaks for whoever issued it.
IT_SAYS = re.compile(r"\b(?:hieß|heißt) es\b|\bговорится\b|\bpeut-on lire\b", re.IGNORECASE)
# "…", so Pistorius: only right after a quotation.
SO_AFTER_QUOTE = re.compile(r"^[\s,]*(?:so|meinte)\s", re.IGNORECASE)
INVERTED_PRONOUN = re.compile(r"-(?:t-)?(il|elle|on)\b", re.IGNORECASE)

QUOTED_AS = re.compile(
    r"\bquoted (?P<who>.+?) as (?:saying|telling|stating)\b|"
    r"\bzitierte (?P<de>.+?) mit den Worten\b|\bпроцитировал[аои]? (?P<ru>[^,.;:]+)",
)
WAS_QUOTED = re.compile(
    r"(?P<who>[^,;]+?) (?:was|were|has been|had been) quoted (?:by (?P<relay>[^,;]+?) )?"
    r"as (?:saying|telling|stating)\b"
)
CITING = re.compile(
    r"\b(?:citing|citant|unter Berufung auf|со ссылкой на|ссылаясь на) (?P<who>[^,.;:]+)",
    re.IGNORECASE,
)
CARRIED_BY = re.compile(
    r"\b(?:carried|cited|published|released|reported|quoted|relayed) by (?P<relay>[^,.;:]+)|"
    r"\bcitée? par (?P<fr>[^,.;:]+)|\bzitiert (?:von|durch) (?P<de>[^,.;:]+)|"
    r"\bкотор\w+ цитиру\w+ (?P<ru>[^,.;:]+)|"
    r"[,\ue000]\s*(?P<end>[^,;:\ue000]{2,60}?) "
    r"(?:reported|berichtete|meldete|rapporte|a rapporté)\s*\.?\s*$",
    re.IGNORECASE,
)
ACCORDING = re.compile(
    r"(?:\b(?:according to|laut|selon|d'après|d’après|nach Angaben (?:von |des |der )?|"
    r"по (?:данным|информации|сообщению) |по словам )|"
    r"(?:^|,)\s*(?:[Кк]ак (?:переда[её]т|сообщает|пишет|(?:сообщи|переда|заяви|написа)л[аои]?)|"
    r"^\s*[Ww]ie) )(?P<who>[^,.;:]+)"
    r"|\b[Пп]о (?P<pron>его|ее|её|их) словам"
    r"|^\s*(?:(?:Der|Dem|Den|Die)\s+)?(?P<post>[^,.;:]{2,80}?) zufolge\b",
    re.IGNORECASE,
)
ABOUT_THIS = re.compile(r"^\s*(?:Об этом|О чем|Darüber|Dies|Cela|C'est ce qu)", re.IGNORECASE)
NAMED_MEDIA = re.compile(
    r"\b(?:KCNA|TASS|ТАСС|RIA(?: Novosti)?|РИА(?: Новости)?|Interfax|Интерфакс|Yonhap|Xinhua|"
    r"dpa|AFP|Reuters|AP|Bloomberg|Rodong Sinmun|Kyodo|Anadolu|IRNA|ISNA|CCTV|RT|"
    r"Известия|Коммерсант|Spiegel|Bild|Le Monde|Le Figaro)\b"
)
GENERIC_MEDIA = re.compile(
    r"\b(?:state[- ](?:run )?(?:media|television|TV|news agency|broadcaster)|news agency|"
    r"(?:Nachrichten)?[Aa]gentur|agence|агентство|СМИ|госСМИ|Staatsmedien|médias d'Etat|"
    r"newspaper|broadcaster|outlet|[Pp]ress [Aa]gency|quotidien|Zeitung|газета)\b",
    re.IGNORECASE,
)
PERSON_PRONOUNS = frozenset(
    ["he", "she", "him", "his", "her", "er", "sie", "ihm", "ihn", "il", "elle", "lui", "он",
     "она", "его", "ее", "её", "ils", "elles", "they", "their", "они", "их"]
)  # fmt: skip
THING_PRONOUNS = frozenset(["it", "its", "es", "оно"])
ROLE = re.compile(
    r"minist|министр|politiker|president|präsident|président|президент|leader|chancellor|kanzler|spokes|secretary|"
    r"sekretär|секретар|porte-parole|sprecher|представител|chef|chief|head|premier|prime|"
    r"governor|mayor|envoy|ambassador|official|group|agency|team|government|regierung|"
    r"gouvernement|правительств|ministry|ministère|ministerium|министерств|état|etat|staat|"
    r"kremlin|кремл|council|rat|совет|committee|office|bureau|party|партия|partei|parti|"
    r"лидер|глава|председател|директор|посол|канцлер|премьер|руководител|спикер|постпред|"
    r"еврокомиссар|commissioner|kommissar|commissaire|ведомств",
    re.IGNORECASE,
)
ORG_WORDS = re.compile(
    r"ministry|ministère|ministerium|министерств|МИД|government|regierung|gouvernement|"
    r"правительств|agency|агентств|agence|group|team|report|kremlin|кремл|council|office|party|"
    r"партия|partei|parti|media|СМИ|committee|commission|statement|embassy|army|military|"
    r"KCNA|TASS|ТАСС|Interfax|Интерфакс|gericht|court\b|tribunal|\bcour\b|\bсуд\b|bank|банк|"
    r"institut|verband|gewerkschaft|union|konzern|company|compan|компани|senat|senate|"
    r"organi[sz]ation|организаци|ведомств",
    re.IGNORECASE,
)
# Lowercase words that can stand inside a named subject ("EU foreign policy chief Kaja Kallas").
NP_LOWER = frozenset(
    [
    "the", "a", "an", "of", "for", "von", "die", "das", "dem", "van", "der", "den", "de", "du",
    "des", "la", "le", "les", "al", "bin", "di", "da", "y", "foreign", "policy", "chief",
    "secretary", "spokesman", "spokeswoman", "spokesperson", "press", "deputy", "prime",
    "minister", "president", "leader",
    "official", "officials", "ministry", "state", "news", "agency", "media", "group", "team",
    "report", "statement", "government", "senior", "general", "majority", "minority",
    "democratic", "republican", "defence", "defense", "security", "council", "house", "party",
    "head", "envoy", "ambassador", "representative", "adviser", "aide", "director", "commander",
    "mayor", "governor", "source", "sources", "diplomat", "diplomats", "analysts", "economists",
    "experts", "he", "she", "they", "it", "we", "er", "sie", "es", "il", "elle", "ils", "elles",
    "by", "from", "ein", "eine", "einer", "un", "une", "porte-parole", "ministre", "chef",
    "secrétaire", "général", "générale", "présidente", "première", "dirigeant", "dirigeante",
    "patron", "patronne", "président", "premier", "general-secretary", "department", "office",
    "commission", "embassy", "army", "military", "police", "court", "company", "bank", "union",
    "administration", "cabinet", "parliament", "committee", "authorities", "authority",
    "son", "sa", "ses", "leur", "sein", "seine", "ihr", "ihre", "its", "their"
    ]
)  # fmt: skip
RU_STOP = frozenset(
    [
    "в", "во", "на", "по", "с", "со", "к", "у", "о", "об", "также", "уже", "ранее", "вновь",
    "еще", "ещё", "тоже", "не", "и", "а", "но", "что", "как"
    ]
)  # fmt: skip
POST_STOP = frozenset(
    [
    "on", "in", "at", "during", "after", "before", "when", "who", "which", "whose", "while",
    "that", "as", "lors", "devant", "après", "dans", "pendant", "pour", "au", "aux", "am", "im",
    "bei", "vor", "nach", "auf", "während", "dass", "que", "qui", "в", "во", "на", "после",
    "перед", "что", "который", "которая", "reporters", "journalists", "journalistes",
    "reportern", "журналистам"
    ]
)  # fmt: skip
TIME_WORDS = re.compile(
    r"^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tonight|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|heute|gestern|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    r"понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье|"
    r"on|in|at|am|im|last|this|earlier|later|also|again|then|meanwhile|however|but|and|"
    r"on)$",
    re.IGNORECASE,
)
OPENERS = frozenset(
    [
    "on", "in", "at", "after", "before", "meanwhile", "however", "but", "and", "also", "am", "im",
    "nach", "lors", "en", "wie"
    ]
)  # fmt: skip
# "…, saying the bloc would …": the participle's speaker is the sentence's subject.
PARTICIPLE = re.compile(
    r",\s*(?:saying|adding|insisting|warning|arguing|claiming|stressing|noting|"
    r"estimant|affirmant|soulignant|ajoutant|assurant|jugeant|expliquant|"
    r"заявив|отметив|подчеркнув|добавив|сказав|"
    r"und (?:sagte|betonte|erklärte))\b"
)
