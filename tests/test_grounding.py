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


ARTICLE = canonical(
    'Kim said: "first piece here, then a second long piece here." '
    "Later, first piece here was repeated."
)


@pytest.mark.parametrize(
    ("quote", "found"),
    [
        ("Kim sa", True),  # 6 characters: the shortest quote that counts
        ("Kim s", False),  # 5: too short to prove anything
        ('"Kim said:"', True),  # edge quotes and punctuation are not the words
        ("Kim said!", True),
        ("Later, first piece here! ... was repeated", True),  # nor a piece's own edges
        ("kim said", True),  # one piece: no minimum beyond six characters
        ("first piece here... second long piece here,", True),  # each piece stripped
        ("first piece here ... then", False),  # an elided piece under 12 proves nothing
        ("abcdefghijkl ... mnopqrstuvwx", False),  # not in the article
        ("first piece here ... then a secon", True),  # a piece of exactly 12 is enough
        ("second long piece here ... first piece here", True),  # the repetition comes later
        ("then a second long piece here ... Kim said", False),  # pieces out of order
    ],
)
def test_quote_in_text_by_hand(quote: str, found: bool) -> None:
    assert quote_in_text(quote, ARTICLE) is found


def test_a_quote_from_the_articles_very_start_counts() -> None:
    assert quote_in_text("Kim said", ARTICLE)
    # The first piece occurs twice: the match takes the earliest, so what follows it counts.
    folded = canonical("first piece here, and the rest of it. Then first piece here again.")
    assert quote_in_text("first piece here ... and the rest of it", folded)
    # A later piece must come after the earlier one, however long the earlier one is.
    folded = canonical("Padding words in front: first piece here, then a second long piece here.")
    assert not quote_in_text("then a second long piece here ... first piece here", folded)
