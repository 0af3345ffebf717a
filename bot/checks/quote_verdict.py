"""Hold the verdict on a quote: whose words it is (Provenance) and the check that says so."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Provenance(StrEnum):
    """Whose words a quote is, as the article presents them."""

    DIRECT = "direct"
    REPORTED = "reported"
    VIA = "via"
    NARRATION = "narration"
    MISATTRIBUTED = "misattributed"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class QuoteCheck:
    """The verdict on one quote: its class, who said it, through whom, and where."""

    provenance: Provenance
    speaker: str | None
    via: str | None
    sentence: str | None
    quoted: bool = False  # the words stand inside quotation marks in the article

    @property
    def own_words(self) -> bool:
        """Tell whether these are the actor's own words: quoted, directly or through a relay.

        Unquoted words relayed by a third party ("according to state media, Kim pledged …")
        are the relay's paraphrase: the actor's position, not the actor's words.
        """
        return self.provenance is Provenance.DIRECT or (
            self.provenance is Provenance.VIA and self.quoted
        )
