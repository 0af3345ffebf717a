import json
from collections import Counter
from importlib import resources

import pytest

from bot.evaluation.corpus_model import CorpusArticle, corpus_files, load_corpus

FILES = corpus_files()
ARTICLES = {
    entry.name: CorpusArticle.model_validate_json(entry.read_text("utf-8")) for entry in FILES
}
CASES = sorted(ARTICLES.items())


def _ids(cases):
    return [name for name, _ in cases]


def test_the_corpus_loads_and_ids_are_unique():
    corpus = load_corpus()
    assert len(corpus) == len(FILES) > 0
    ids = Counter(article.id for article in corpus)
    assert [name for name, count in ids.items() if count > 1] == []


def test_the_subset_is_the_marked_articles():
    subset = load_corpus(subset=True)
    assert subset
    assert all(article.eval_subset for article in subset)
    assert len(subset) == sum(article.eval_subset for article in ARTICLES.values())


def test_every_file_is_plain_json_with_only_the_known_fields():
    folder = resources.files("bot.evaluation").joinpath("corpus")
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            assert isinstance(json.loads(entry.read_text("utf-8")), dict), entry.name


@pytest.mark.parametrize(("name", "article"), CASES, ids=_ids(CASES))
def test_id_matches_file_name_and_language(name, article):
    assert name == f"{article.id}.json"
    assert article.id.startswith(f"{article.language}-{article.style}-")


@pytest.mark.parametrize(("name", "article"), CASES, ids=_ids(CASES))
def test_dates_are_in_order(name, article):
    assert article.published <= article.received


@pytest.mark.parametrize(("name", "article"), CASES, ids=_ids(CASES))
def test_length_is_wire_length(name, article):
    assert 100 <= len(article.text.split()) <= 420


@pytest.mark.parametrize(("name", "article"), CASES, ids=_ids(CASES))
def test_quotes_are_in_the_text_unless_not_found(name, article):
    for probe in article.quotes:
        if probe.expected == "not_found":
            assert probe.quote not in article.text, probe.quote
        else:
            assert probe.quote in article.text, probe.quote


@pytest.mark.parametrize(("name", "article"), CASES, ids=_ids(CASES))
def test_quote_speakers_and_actors_are_annotated_actors(name, article):
    names = {actor.name for actor in article.actors}
    for probe in article.quotes:
        assert probe.actor in names, probe.actor
        if probe.expected == "narration":
            assert probe.speaker is None, probe.quote
        elif probe.expected != "not_found":
            assert probe.speaker in names, probe.quote
        if probe.expected == "misattributed":
            assert probe.actor != probe.speaker, probe.quote
        if probe.expected == "direct":
            assert probe.actor == probe.speaker, probe.quote
        assert (probe.via is not None) == (probe.expected == "via"), probe.quote


@pytest.mark.parametrize(("name", "article"), CASES, ids=_ids(CASES))
def test_actors_and_traps_occur_in_the_text(name, article):
    for actor in article.actors:
        # the canonical name may be a nominative the text only has inflected (Россия: России)
        assert any(form in article.text for form in (actor.name, *actor.aliases)), actor.name
        for form in actor.aliases:
            assert form in article.text, form
    for trap in article.traps:
        assert trap in article.text, trap
    forms = {form for actor in article.actors for form in (actor.name, *actor.aliases)}
    assert not forms & set(article.traps)


@pytest.mark.parametrize(("name", "article"), CASES, ids=_ids(CASES))
def test_stances_belong_to_speaking_actors(name, article):
    speaking = {actor.name for actor in article.actors if actor.speaks}
    assert 1 <= len(article.stances) <= 4
    for stance in article.stances:
        assert stance.actor in speaking, stance.actor


@pytest.mark.parametrize(("name", "article"), CASES, ids=_ids(CASES))
def test_planted_errors_occur_in_their_statement_not_in_the_text(name, article):
    assert 3 <= len(article.summary.clean) <= 5
    assert 3 <= len(article.summary.planted) <= 5
    for planted in article.summary.planted:
        assert planted.error in planted.statement, planted.statement
        assert planted.error not in article.text, planted.error
