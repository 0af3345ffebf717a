"""Words the extractive briefing recognises in a reported clause: speech and stance verbs."""

from __future__ import annotations

import re

from bot.models import Polarity

OPPOSE = r"condemn(?:s|ed)?|reject(?:s|ed)?|oppose[sd]?|critici[sz](?:e|es|ed)|denounce[sd]?|den(?:y|ies|ied)|accuse[sd]?|dismiss(?:es|ed)?|refuse[sd]?|slam(?:s|med)?|warn(?:s|ed)?|threaten(?:s|ed)?|protest(?:s|ed)?"  # noqa: E501
SUPPORT = r"pledge[sd]?|support(?:s|ed)?|welcome[sd]?|back(?:s|ed)|endorse[sd]?|praise[sd]?|promise[sd]?|vow(?:s|ed)?|urge[sd]?|call(?:s|ed)? (?:for|on)|commit(?:s|ted)? to|agree[sd]?"  # noqa: E501
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
MAX_QUOTE = 280
MAX_STANCES_PER_ACTOR = 4


def polarity_of(text: str) -> Polarity:
    """Judge a reported clause's polarity from its verbs; both kinds of cue make it mixed."""
    if PLEDGE_AGAINST.search(text):
        return Polarity.OPPOSES
    caveat = CAVEAT.search(text)
    opposes = OPPOSE_CUE.search(CAVEAT.sub(" ", text)) is not None
    supports = SUPPORT_CUE.search(text) is not None
    if (opposes and supports) or (caveat and supports):
        return Polarity.MIXED
    if opposes:
        return Polarity.OPPOSES
    if supports:
        return Polarity.SUPPORTS
    return Polarity.MIXED if caveat else Polarity.NEUTRAL
