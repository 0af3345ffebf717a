"""Same-issue matching for shifts: paraphrases match, confusable issues never do."""

from __future__ import annotations

import pytest

from bot.actors.issues import issue_entities, issue_key, same_issue

# Pairs a fuzzy matcher confuses: each names a different issue (entity, number, product or a
# modifier that changes the head), so a change of polarity across them is not a shift.
CONFUSABLE = [
    ("sanctions on Russia", "sanctions on Iran"),
    ("Russia sanctions", "Iran sanctions"),
    ("sanctions against Moscow", "sanctions against Tehran"),
    ("military aid to Israel", "military aid to Ukraine"),
    ("military aid for Kyiv", "military aid for Israel"),
    ("the ceasefire", "ceasefire violations"),
    ("the Gaza ceasefire", "violations of the Gaza ceasefire"),
    ("the ceasefire in Gaza", "the ceasefire in Lebanon"),
    ("the ceasefire", "an extension of the ceasefire"),
    ("the ceasefire", "the end of the ceasefire"),
    ("tariffs on Chinese steel", "tariffs on Chinese cars"),
    ("tariffs on Chinese steel", "tariffs on Japanese steel"),
    ("tariffs on steel", "tariffs on aluminium"),
    ("the 2026 budget", "the 2027 budget"),
    ("the 2026 budget", "the budget"),
    ("NATO membership for Ukraine", "NATO membership for Georgia"),
    ("EU membership for Ukraine", "NATO membership for Ukraine"),
    ("talks with the US", "talks with China"),
    ("talks with the United States", "talks with Russia"),
    ("talks with Hamas", "talks with Hezbollah"),
    ("sanctions on Russia", "lifting sanctions on Russia"),
    ("sanctions on Russia", "easing of sanctions on Russia"),
    ("sanctions on Russia", "sanctions on Russian oil"),
    ("US troops in Syria", "withdrawal of US troops from Syria"),
    ("US troops in Syria", "US troops in Iraq"),
    ("Russian troops in Belarus", "Russian troops in Ukraine"),
    ("nuclear talks with Iran", "talks with Iran"),
    ("Iran's nuclear programme", "North Korea's nuclear programme"),
    ("North Korea's missile tests", "South Korea's missile tests"),
    ("arms sales to Taiwan", "arms sales to Saudi Arabia"),
    ("a $10 billion aid package", "a $20 billion aid package"),
    ("the pension reform", "the pension reform referendum"),
    ("a ban on nuclear weapons", "nuclear weapons"),
    ("the election results", "the election"),
    ("the 2024 election", "the 2028 election"),
    ("an independent Palestinian state", "a Palestinian state"),
    ("the grain deal", "the gas deal"),
    ("gas exports to Europe", "gas exports to China"),
    ("Ukraine's counteroffensive", "Russia's offensive"),
    ("peace talks in Istanbul", "peace talks in Geneva"),
    ("the war in Ukraine", "the war in Gaza"),
    ("the Iran nuclear deal", "the Iran prisoner deal"),
    ("climate targets for 2030", "climate targets for 2050"),
    ("an arms embargo on Israel", "an arms embargo on Russia"),
    ("санкции против России", "санкции против Ирана"),
    ("военная помощь Украине", "военная помощь Израилю"),
    ("Sanktionen gegen Russland", "Sanktionen gegen Iran"),
    ("Waffenlieferungen an die Ukraine", "Waffenlieferungen an Israel"),
    ("les sanctions contre la Russie", "les sanctions contre l'Iran"),
    ("le cessez-le-feu à Gaza", "les violations du cessez-le-feu à Gaza"),
    # Two states in one issue: which one is where, or whose, matters.
    ("Russian troops in Ukraine", "Ukrainian troops in Russia"),
    ("gas exports from Russia to China", "gas exports from China to Russia"),
    ("US sanctions on Russia", "Russian sanctions on the US"),
    ("Israeli strikes on Iran", "Iranian strikes on Israel"),
    ("российские войска на Украине", "украинские войска в России"),
    # Words that share a long prefix.
    ("internal affairs", "international affairs"),
    ("переговоры", "перегруппировка"),
    ("sanctions relief", "sanctions"),
    ("Chinese investment in the US", "US investment in China"),
    ("a two-state solution", "a one-state solution"),
    ("interest rate hikes", "interest rate cuts"),
    ("raising the debt ceiling", "the debt ceiling"),
    ("Taiwan independence", "reunification with Taiwan"),
]

# The same issue in other words: order, inflection, stop words, capitals and demonyms for
# states, short synonyms. A polarity change across them is a shift.
PARAPHRASES = [
    ("sanctions against Russia", "Russia sanctions"),
    ("Russia sanctions", "sanctions on Moscow"),
    ("sanctions against Russia", "sanctions on Moscow"),
    ("Russian sanctions", "new sanctions on Russia"),
    ("talks with the US", "talks with the United States"),
    ("talks with the U.S.", "talks with Washington"),
    ("talks with the USA", "negotiations with America"),
    ("the ceasefire in Gaza", "the Gaza ceasefire"),
    ("a Gaza truce", "the ceasefire in the Gaza Strip"),
    ("the cease-fire in Gaza", "Gaza ceasefire"),
    ("military aid for Kyiv", "military aid to Ukraine"),
    ("military assistance to Ukraine", "Ukraine military aid"),
    ("NATO membership for Ukraine", "Ukraine's NATO membership"),
    ("Ukraine's membership of NATO", "Ukrainian NATO membership"),
    ("tariffs on Chinese steel", "Chinese steel tariffs"),
    ("tariffs on steel from China", "tariffs on Chinese steel"),
    ("the 2026 budget", "2026 budget"),
    ("the pension reform", "Pension reform bill"),
    ("Iran's nuclear program", "the Iranian nuclear programme"),
    ("arms deliveries to Taiwan", "weapons deliveries to Taipei"),
    ("the war in Ukraine", "the Ukraine war"),
    ("North Korea's missile tests", "Pyongyang's missile test"),
    ("the grain deal", "the grain agreement"),
    ("talks with Beijing", "talks with China"),
    ("санкции против России", "санкций против России"),
    ("Sanktionen gegen Russland", "neue Sanktionen gegen Russland"),
    ("US sanctions on Russia", "Washington's sanctions against Moscow"),
    ("Russian strikes on Ukraine", "strikes on Kyiv by Moscow"),
    ("defence spending", "defense spending"),
    ("the Kremlin's position on Ukraine", "Russia's stance on Ukraine"),
    ("relations with China", "ties with Beijing"),
    ("joint military drills with the US", "joint military exercises with Washington"),
    ("sanctions on Russia and Iran", "sanctions on Iran and Russia"),
    ("the Israeli-Palestinian conflict", "the Palestinian-Israeli conflict"),
    ("independence for Taiwan", "Taiwan's independence"),
    ("sanctioning Russia", "sanctions on Russia"),
    ("переговоры с Украиной", "переговоров с Украиной"),
    ("перемирие в Газе", "перемирия в Газе"),
    ("военной помощи Украине", "военная помощь Киеву"),
    ("les sanctions contre la Russie", "sanctions contre Moscou"),
]


@pytest.mark.parametrize(("a", "b"), CONFUSABLE)
def test_confusable_issues_never_match(a: str, b: str) -> None:
    assert not same_issue(a, b)
    assert not same_issue(b, a)


@pytest.mark.parametrize(("a", "b"), PARAPHRASES)
def test_paraphrases_match(a: str, b: str) -> None:
    assert same_issue(a, b)
    assert same_issue(b, a)


def test_the_tables_are_big_enough() -> None:
    assert len(CONFUSABLE) >= 40
    assert len(PARAPHRASES) >= 20


def test_entities_are_normalised_through_capitals_and_demonyms() -> None:
    assert issue_entities("sanctions on Moscow") == issue_entities("Russian sanctions")
    assert issue_entities("talks with the U.S.") == issue_entities("talks with the United States")
    assert issue_entities("the 2026 budget") != issue_entities("the 2027 budget")
    assert issue_entities("the ceasefire") == frozenset()
    assert issue_entities("санкции против России") == issue_entities("sanctions on Russia")


def test_nothing_to_compare_is_never_the_same_issue() -> None:
    for empty in ["", "!!", "the", "  "]:
        assert issue_key(empty) == frozenset()
        assert not same_issue(empty, empty)
    assert same_issue("Sanctions", "sanctions")


@pytest.mark.parametrize(
    "text", ["санкции", "Waffenstillstand", "cessez-le-feu", "制裁", "🇺🇦", "a" * 5000]
)
def test_any_text_has_a_key(text: str) -> None:
    assert isinstance(issue_key(text), frozenset)
    assert same_issue(text, text) == bool(issue_key(text))
