"""The patterns that find names in English wire copy and the context that classifies them."""

from __future__ import annotations

import re

from bot.extractive.gazetteer import BODY_NOUNS, PERSON_CUES, words

WORD = r"(?:(?:al|el|ad|as|bin)-)?[A-Z](?:[\w'’.&-]*[\w.'’])?\+?"  # "Kim", "Inc.", "al-Burhan"
LINK = r"[ \t]+(?:(?:(?:of|for|and|de|von|van|der|bin|al|del|da)[ \t]+)+(?:the[ \t]+)?)?"
RUN = re.compile(rf"{WORD}(?:{LINK}{WORD})*")
SPEECH_AFTER = re.compile(
    r"^\s+(?:(?:has|had|have|also|again|later|earlier|on \w+)\s+)*(?:said|says|told|added|"
    r"wrote|stated|announced|insisted|argued|warned|noted|stressed|urged|called|declared)\b"
)
SPEECH_BEFORE = re.compile(r"\b(?:said|says|added|wrote|according to(?: the)?)\s+$")
APPOSITION = re.compile(
    rf",\s+(?:(?:a|an|the|who|whose)\b|(?:[\w'’-]+\s+){{0,3}}(?:{'|'.join(PERSON_CUES)})\b)"
)
LOCATIVE = words("in|at|from|to|near|into|across|outside|inside|via|around")
BODY = re.compile(
    rf"\b(?P<owner>[A-Z][\w'’ .-]*?)['’]s (?P<body>(?:[a-z-]+ )?(?:{BODY_NOUNS}))\b"
    rf"|\b(?:a|the|A|The) (?P<body2>(?:[a-z-]+ )?(?:{BODY_NOUNS}))"
    r"(?: statement| spokesperson| spokesman| official)? (?:from|of|for) (?:the )?"
    r"(?P<owner2>[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*)"
)
ROLE_AFTER = re.compile(rf" (?:{'|'.join(PERSON_CUES)}) [A-Z]")
DEFINED_ACRONYM = re.compile(r"\s*\([A-Z][A-Za-z]*[A-Z]\)")
AT_EMPLOYER = re.compile(
    r"\b(?:analyst|economist|strategist|professor|researcher|fellow|officer|partner|director|"
    r"manager|trader|executive|lawyer|scientist|expert|lecturer|adviser|advisor|head)s? at $"
)
ALIAS_DEFINED = re.compile(
    r"\s*(?:\((?P<paren>[A-Z][\w.&-]+)\)"
    r"|,\s+(?:known as|also known as)\s+(?P<known>[A-Z][\w.&-]+))"
)
