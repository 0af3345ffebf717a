"""Grouping as articles arrive: copies, stories, merges, distractors, changed features."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.evaluation.story_corpus import StoryItem, load_story_corpus
from bot.stories.features import ArticleFeatures, features_of
from bot.stories.grouping import ChatStories

ITEMS = {i.id: i for i in load_story_corpus()}
WINDOW = timedelta(hours=72)


def feats(item_id: str, *, shift: timedelta = timedelta(0)) -> ArticleFeatures:
    item: StoryItem = ITEMS[item_id]
    return features_of(item.id, item.published + shift, item.text, item.title)


def test_a_republished_wire_copy_joins_its_original_as_a_copy() -> None:
    book = ChatStories(window=WINDOW)
    first = book.add(feats("e13-dpa"))
    copy = book.add(feats("e13-dpa-copy"))
    assert copy.story_id == first.story_id
    assert copy.copy_of == "e13-dpa"


def test_reports_of_one_event_in_three_languages_make_one_story() -> None:
    book = ChatStories(window=WINDOW)
    stories = {book.add(feats(i)).story_id for i in ("e13-reuters", "e13-dpa", "e13-lemonde")}
    assert len(stories) == 1
    assert all(m.copy_of is None for m in book.members.values())


def test_same_leaders_on_monday_and_thursday_stay_two_stories() -> None:
    book = ChatStories(window=WINDOW)
    summit = {book.add(feats(i)).story_id for i in ("e01-reuters", "e01-tass")}
    missile = {book.add(feats(i)).story_id for i in ("e02-yonhap", "e02-afp")}
    assert len(summit) == len(missile) == 1
    assert summit != missile


def test_a_late_article_bridging_two_stories_merges_them() -> None:
    book = ChatStories(window=WINDOW)
    # Two reports of one event placed in two stories (as when neither matched the other),
    # then a third that matches both: the stories become one, under the larger one's id.
    book.restore(feats("e24-interfax"), "story-a", None)
    book.restore(feats("e24-reuters"), "story-b", None)
    book.restore(feats("e40-dpa"), "story-a", None)  # story-a is the larger
    book.refresh_norms()  # as after a rebuild from the store
    bridge = book.add(feats("e24-tass"))
    assert bridge.story_id == "story-a"
    assert bridge.merged == ("story-b",)
    assert book.stories["story-a"] == {"e24-interfax", "e24-reuters", "e40-dpa", "e24-tass"}
    assert "story-b" not in book.stories


def test_articles_further_apart_than_the_window_never_group() -> None:
    book = ChatStories(window=timedelta(hours=1))
    first = book.add(feats("e04-reuters"))
    late = book.add(feats("e04-ap", shift=timedelta(hours=5)))
    assert late.story_id != first.story_id


def test_placing_an_article_again_with_new_features_re_evaluates_it() -> None:
    book = ChatStories(window=WINDOW)
    fed = book.add(feats("e04-reuters")).story_id
    boe = book.add(feats("e09-reuters")).story_id
    item = ITEMS["e04-ap"]
    moved = book.add(features_of(item.id, item.published, ITEMS["e09-bloomberg"].text))
    assert moved.story_id == boe  # its features now say Bank of England
    back = book.add(feats("e04-ap"))
    assert back.story_id == fed
    assert book.stories[boe] == {"e09-reuters"}


def test_an_original_placed_again_after_its_copy_finds_the_copy() -> None:
    book = ChatStories(window=WINDOW)
    first = book.add(feats("e13-dpa"))
    book.add(feats("e13-dpa-copy"))
    again = book.add(feats("e13-dpa"))  # re-briefed: taken out and placed anew
    assert again.story_id == first.story_id
    assert again.copy_of == "e13-dpa-copy"


def test_evicting_old_articles_keeps_the_window_small() -> None:
    book = ChatStories(window=WINDOW)
    book.add(feats("e04-reuters"))
    book.add(feats("e40-dpa"))
    dropped = book.evict_before(datetime(2026, 11, 20, tzinfo=UTC))
    assert dropped == 1
    assert set(book.members) == {"e40-dpa"}
