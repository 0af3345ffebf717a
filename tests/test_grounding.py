import pytest

from bot.articles.text import canonical
from bot.checks.quotes import ground, quote_in_text
from bot.models import BriefingDraft
from tests.briefings import fixture, korea_briefing

KOREA = fixture("korea.txt")


@pytest.mark.parametrize(
    ("quote", "verified"),
    [
        ("a rehearsal for invasion", True),  # verbatim (the article has curly quotes around it)
        ("answer  every provocation\nwith overwhelming force", True),  # re-spaced
        ("“legitimate exercise of our sovereign right to self-defence.”", True),  # with quotes
        ('"legitimate exercise of our sovereign right to self-defence"', True),  # straight
        ("THIS RECKLESS ACT threatens peace", True),  # case
        ("North Korea’s main ally", True),  # curly apostrophe
        ("North Korea's main ally", True),  # straight apostrophe for a curly one
        ("Pyongyang has rejected every offer ... of talks since 2019", True),  # elision
        ("Pyongyang has rejected every offer [...] of talks since 2019", True),
        (
            "of talks since 2019 ... Pyongyang has rejected every offer",
            False,
        ),  # elided out of order
        ("We will destroy our enemies within a week", False),  # fabricated
        ("a rehearsal for an invasion", False),  # paraphrased
        ("Kim", False),  # too short to prove anything
        ("", False),
    ],
)
def test_quote_grounding(quote: str, verified: bool) -> None:
    assert quote_in_text(quote, canonical(KOREA)) is verified


def test_ground_marks_each_stance_and_counts() -> None:
    draft = BriefingDraft.model_validate(korea_briefing())
    draft.actors[0].stances[0].quote = "We will crush them all"  # fabricated
    briefing = ground(draft, KOREA)
    assert briefing.stance_count == 5
    assert briefing.verified_count == 4
    assert briefing.actors[0].stances[0].verified is False
    assert all(s.verified for a in briefing.actors[1:] for s in a.stances)
