"""Every trust-corpus file is valid and its gold annotations agree with its own text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.evaluation.corpus_model import CorpusArticle

CORPUS = Path(__file__).resolve().parents[3] / "bot" / "evaluation" / "corpus"
FILES = sorted(CORPUS.glob("*.json"))
SAYS = {"direct", "reported", "via"}
# Opening and closing marks per language: German closes with the mark English opens with.
# Single marks are left out: ’ is also the apostrophe, and they only ever nest inside doubles.
MARKS = {
    "en": ("“", "”"),
    "fr": ("«“", "»”"),
    "ru": ("«„", "»“"),
    "de": ("„»", "“«"),
}
DASHES = ("–", "—", "-")
# A dash after a sentence's end that no closing dash has followed yet.
_DASH_AFTER_SENTENCE = re.compile(r"[.!?…»] [—–] [^—–]*$")


def _load(path: Path) -> CorpusArticle:
    return CorpusArticle.model_validate_json(path.read_text(encoding="utf-8"))


def _ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def _inside_marks(text: str, start: int, language: str) -> bool:
    """Say whether position `start` stands inside quotation marks or a dialogue-dash line."""
    paragraph = text[text.rfind("\n\n", 0, start) + 2 : start]
    opening, closing = MARKS[language]
    depth = sum(paragraph.count(m) for m in opening) - sum(paragraph.count(m) for m in closing)
    # A dialogue dash opens a quote at the paragraph's start or after a sentence's end
    # (Russian wire copy: "… сказал, что … — Речь идет …, — уточнил дипломат.").
    dash_opened = paragraph.lstrip().startswith(DASHES) or bool(
        _DASH_AFTER_SENTENCE.search(paragraph)
    )
    return depth > 0 or paragraph.count('"') % 2 == 1 or dash_opened


def test_the_corpus_is_there() -> None:
    assert len(FILES) >= 40


def test_ids_are_unique_across_the_corpus() -> None:
    ids = [_load(p).id for p in FILES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_id_matches_the_file_name_and_language(path: Path) -> None:
    article = _load(path)
    assert article.id == path.stem
    assert article.id.startswith(f"{article.language}-")


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_text_is_wire_length_in_paragraphs(path: Path) -> None:
    article = _load(path)
    words = len(article.text.split())
    assert 120 <= words <= 400, words
    assert "\n\n" in article.text


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_published_is_not_after_received(path: Path) -> None:
    article = _load(path)
    assert article.published <= article.received


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_every_actor_form_occurs_in_the_text(path: Path) -> None:
    article = _load(path)
    for actor in article.actors:
        assert actor.name in article.text or actor.aliases, actor.name
        for alias in actor.aliases:
            assert alias in article.text, (actor.name, alias)
    names = [actor.name for actor in article.actors]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_traps_occur_and_are_not_actors(path: Path) -> None:
    article = _load(path)
    forms = {form for a in article.actors for form in (a.name, *a.aliases)}
    for trap in article.traps:
        assert trap in article.text, trap
        assert trap not in forms, trap


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_quote_probes_agree_with_the_text(path: Path) -> None:
    article = _load(path)
    names = {actor.name for actor in article.actors}
    for probe in article.quotes:
        assert probe.actor in names, probe
        if probe.expected == "not_found":
            assert probe.quote not in article.text, probe.quote
            continue
        assert probe.quote in article.text, probe.quote
        if probe.expected == "narration":
            assert probe.speaker is None, probe
            continue
        assert probe.speaker in names, probe
        if probe.expected in SAYS:
            assert probe.speaker == probe.actor, probe
        else:  # misattributed
            assert probe.speaker != probe.actor, probe
        if probe.expected == "via":
            assert probe.via is not None
            assert probe.via in article.text, probe.via
        else:
            assert probe.via is None, probe


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_quoted_classes_stand_in_marks_and_the_others_do_not(path: Path) -> None:
    article = _load(path)
    for probe in article.quotes:
        if probe.expected in {"not_found", "via"}:
            continue  # via may be a quotation or indirect speech relayed by a third party
        inside = _inside_marks(article.text, article.text.find(probe.quote), article.language)
        assert inside == (probe.expected in {"direct", "misattributed"}), probe


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_stances_belong_to_speaking_actors(path: Path) -> None:
    article = _load(path)
    speaking = {actor.name for actor in article.actors if actor.speaks}
    assert article.stances
    for stance in article.stances:
        assert stance.actor in speaking, stance.actor


@pytest.mark.parametrize("path", FILES, ids=_ids(FILES))
def test_planted_errors_are_in_their_statement_and_not_in_the_article(path: Path) -> None:
    article = _load(path)
    assert article.summary.clean
    assert article.summary.planted
    for planted in article.summary.planted:
        assert planted.error in planted.statement, planted
        # A wrong token the article does contain could never be caught by looking it up.
        pattern = rf"(?<!\w){re.escape(planted.error)}(?!\w)"
        assert not re.search(pattern, article.text), planted
