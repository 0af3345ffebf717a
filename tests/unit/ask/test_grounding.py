"""Every sentence of an answer needs a verified citation; the rest is removed, never shown."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.ask.grounding import ground_answer, split_sentences
from bot.ask.models import AnswerDraft, AnswerSentence, Citation
from bot.search.archive import Passage

KOREA = (Path(__file__).parents[2] / "fixtures" / "korea.txt").read_text(encoding="utf-8")
BERLIN = (
    "BERLIN, 3. Dezember (dpa) - Bundeskanzler Friedrich Merz hat die Einigung auf den "
    "Haushalt 2027 begrüßt. „Das ist ein guter Tag für Deutschland“, sagte Merz am Mittwoch "
    "in Berlin.\n\nDie Neuverschuldung soll nach Angaben des Finanzministeriums bei 81,8 "
    "Milliarden Euro liegen."
)
TEXTS = {"korea": KOREA, "berlin": BERLIN}


def _passage(article_hash: str, paragraph: int, score: float) -> Passage:
    text = TEXTS[article_hash].split("\n\n")[paragraph]
    return Passage(
        article_hash=article_hash, text=text, title=article_hash.title(),
        published=date(2026, 12, 2), source_label="Yonhap", source_url="https://y.example/a",
        message_id=7,
        score=score,
    )  # fmt: skip


PASSAGES = [_passage("korea", 2, 3.0), _passage("berlin", 0, 2.0), _passage("korea", 1, 1.0)]


def _sentence(text: str, *citations: tuple[int, str]) -> AnswerSentence:
    return AnswerSentence(text=text, citations=[Citation(passage=n, quote=q) for n, q in citations])


def _ground(*sentences: AnswerSentence) -> tuple[list[str], list[str]]:
    draft = AnswerDraft(unanswerable=False, sentences=list(sentences))
    grounded = ground_answer(draft, PASSAGES, TEXTS)
    return [k.text for k in grounded.sentences], [d.reason for d in grounded.dropped]


GOOD = _sentence(
    "Kim Jong Un called the joint drills a rehearsal for invasion.",
    (1, "called the drills “a rehearsal for invasion”"),
)


def test_a_sentence_with_a_verified_quote_is_kept() -> None:
    kept, dropped = _ground(GOOD)
    assert kept == [GOOD.text]
    assert dropped == []


def test_a_quote_from_another_article_is_no_citation() -> None:
    wrong = _sentence(
        "Kim Jong Un welcomed the agreement.", (2, "called the drills “a rehearsal for invasion”")
    )
    kept, dropped = _ground(wrong)
    assert kept == []
    assert "not in the cited article" in dropped[0]


def test_a_paraphrased_quote_is_no_citation() -> None:
    paraphrased = _sentence(
        "Kim Jong Un said the drills rehearse an invasion.",
        (1, "said the exercises were rehearsing an invasion"),
    )
    kept, _ = _ground(paraphrased)
    assert kept == []


def test_an_invented_number_removes_the_sentence() -> None:
    invented = _sentence(
        "North Korea launched 3 ballistic missiles into the sea.",
        (3, "launched a ballistic missile into the sea off its east coast"),
    )
    kept, dropped = _ground(invented)
    assert kept == []
    assert "number '3'" in dropped[0]


def test_outside_knowledge_behind_a_real_quote_is_removed() -> None:
    dated = _sentence(
        "Kim Jong Un has ruled North Korea since 2011.",
        (1, "called the drills “a rehearsal for invasion”"),
    )
    background = _sentence(
        "The war ended with an armistice rather than a peace treaty, leaving both sides armed.",
        (1, "called the drills “a rehearsal for invasion”"),
    )
    kept, dropped = _ground(dated, background)
    assert kept == []
    assert len(dropped) == 2


def test_a_short_quote_or_a_passage_never_given_is_no_evidence() -> None:
    short = _sentence("Kim Jong Un oversaw the launch.", (3, "oversaw the launch"))
    missing = _sentence(
        "Kim Jong Un oversaw the launch.", (9, "Kim Jong Un, who oversaw the launch")
    )
    kept, dropped = _ground(short, missing)
    assert kept == []
    assert "too short" in dropped[0]
    assert "passage 9" in dropped[1]


def test_one_verified_citation_is_enough_and_sources_are_numbered_by_article() -> None:
    both = _sentence(
        "Kim Jong Un called the drills a rehearsal for invasion, and Merz welcomed the budget.",
        (1, "called the drills “a rehearsal for invasion”"),
        (2, "Das ist ein guter Tag für Deutschland"),
        (2, "a quote nobody ever wrote anywhere"),
    )
    again = _sentence(
        "Kim Jong Un oversaw the launch of the ballistic missile.",
        (3, "Kim Jong Un, who oversaw the launch"),
    )
    draft = AnswerDraft(unanswerable=False, sentences=[both, again])
    grounded = ground_answer(draft, PASSAGES, TEXTS)
    assert [k.sources for k in grounded.sentences] == [(1, 2), (1,)]  # passage 3: article 1
    assert [s.article_hash for s in grounded.sources] == ["korea", "berlin"]


def test_a_quote_is_checked_against_the_whole_article_not_just_the_passage() -> None:
    # The passage given is the third paragraph; the quote stands in the second.
    elsewhere = _sentence(
        "Kim Jong Un said his country would answer every provocation with overwhelming force.",
        (1, "answer every provocation with overwhelming force"),
    )
    kept, _ = _ground(elsewhere)
    assert kept == [elsewhere.text]


def test_the_passage_header_the_model_saw_supports_its_date_and_source() -> None:
    dated = _sentence(
        "On 2 December, Yonhap reported that Kim Jong Un called the drills a rehearsal for invasion.",
        (1, "called the drills “a rehearsal for invasion”"),
    )
    kept, dropped = _ground(dated)
    assert kept == [dated.text], dropped
    wrong_day = _sentence(
        "On 9 December, Kim Jong Un called the drills a rehearsal for invasion.",
        (1, "called the drills “a rehearsal for invasion”"),
    )
    assert _ground(wrong_day)[0] == []


RU = (
    "МОСКВА, 2 октября. /ТАСС/. Правительство внесло в Госдуму законопроект о повышении "
    "налога на добавленную стоимость с 20% до 22% с 1 января, сообщил министр финансов "
    "Антон Силуанов."
)
DE = (
    "Wiesbaden (dpa) - Die Teuerung in Deutschland hat sich im November auf 2,1 Prozent "
    "abgeschwächt. Energie war günstiger als vor einem Jahr."
)


def _one(text: str, sentence: str, quote: str) -> tuple[list[str], list[str]]:
    passage = Passage(
        article_hash="a", text=text, title=None, published=date(2026, 11, 2), source_label=None,
        source_url=None, message_id=None, score=1.0,
    )  # fmt: skip
    draft = AnswerDraft(unanswerable=False, sentences=[_sentence(sentence, (1, quote))])
    grounded = ground_answer(draft, [passage], {"a": text})
    return [k.text for k in grounded.sentences], [d.reason for d in grounded.dropped]


def test_answers_in_the_articles_language_are_checked_like_english_ones() -> None:
    ru_ok = "По словам Силуанова, налог на добавленную стоимость повысят с 20% до 22% с 1 января."
    assert _one(RU, ru_ok, "повышении налога на добавленную стоимость с 20% до 22%")[0] == [ru_ok]
    ru_bad = "По словам Силуанова, налог на добавленную стоимость повысят до 25% с 1 марта."
    assert _one(RU, ru_bad, "повышении налога на добавленную стоимость с 20% до 22%")[0] == []
    de_ok = "Die Teuerung in Deutschland schwächte sich im November auf 2,1 Prozent ab."
    assert _one(DE, de_ok, "Die Teuerung in Deutschland hat sich im November")[0] == [de_ok]
    de_bad = "Die Teuerung in Deutschland stieg im November auf 3,4 Prozent."
    assert _one(DE, de_bad, "Die Teuerung in Deutschland hat sich im November")[0] == []


KIM = "called the drills “a rehearsal for invasion”"
HATED = "He has long hated the drills, which he sees as a threat to his rule and his family."


def test_every_sentence_of_a_field_needs_a_quote_of_its_own() -> None:
    field = _sentence(f"Kim Jong Un called the drills a rehearsal for invasion. {HATED}", (1, KIM))
    grounded = ground_answer(AnswerDraft(unanswerable=False, sentences=[field]), PASSAGES, TEXTS)
    assert [k.text for k in grounded.sentences] == [
        "Kim Jong Un called the drills a rehearsal for invasion."
    ]
    assert [k.sources for k in grounded.sentences] == [(1,)]
    assert [(d.text, d.reason) for d in grounded.dropped] == [(HATED, "no citation of its own")]
    assert HATED not in grounded.draft.model_dump_json()


def test_each_sentence_of_a_field_is_backed_by_the_quote_that_states_it() -> None:
    field = _sentence(
        "Lee Jae-myung condemned the launch. Kim Jong Un called the drills a rehearsal for "
        "invasion. North Korea launched 3 ballistic missiles into the sea.",
        (1, KIM),
        (3, "launched a ballistic missile into the sea off its east coast"),
        (1, "South Korean President Lee Jae-myung condemned the launch"),
    )
    grounded = ground_answer(AnswerDraft(unanswerable=False, sentences=[field]), PASSAGES, TEXTS)
    assert [k.text for k in grounded.sentences] == [
        "Lee Jae-myung condemned the launch.",
        "Kim Jong Un called the drills a rehearsal for invasion.",
    ]
    # The third has its own quote, but its number is its own too: checked like any sentence.
    [dropped] = grounded.dropped
    assert dropped.text.startswith("North Korea launched 3")
    assert "number '3'" in dropped.reason
    assert [[c.quote for c in s.citations] for s in grounded.draft.sentences] == [
        ["South Korean President Lee Jae-myung condemned the launch"],
        [KIM],
    ]


def test_what_passed_passes_again_unchanged() -> None:
    field = _sentence(f"Kim Jong Un called the drills a rehearsal for invasion. {HATED}", (1, KIM))
    first = ground_answer(AnswerDraft(unanswerable=False, sentences=[field, GOOD]), PASSAGES, TEXTS)
    again = ground_answer(first.draft, PASSAGES, TEXTS)
    assert again.sentences == first.sentences
    assert again.draft == first.draft
    assert again.dropped == []


QUOTED = "Lee said: “This reckless act threatens peace. The door remains open.”"


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (t, [t])
        for t in (
            "The U.S. State Department said the United States “strongly condemns” the launch.",
            "Mr. Park said inflation rose to 2.5 percent in St. Petersburg.",
            "В 2019 г. Пхеньян отверг переговоры.",
        )
    ]
    + [
        (f"{QUOTED} He left.", [QUOTED, "He left."]),
        ("One. Two!\nThree?", ["One.", "Two!", "Three?"]),
    ],
)
def test_abbreviations_decimals_and_quotations_do_not_end_a_sentence(
    text: str, parts: list[str]
) -> None:
    assert split_sentences(text) == parts
