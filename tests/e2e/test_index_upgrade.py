"""A database written before issues, provenance, mentions and search opens, upgrades, answers."""

from __future__ import annotations

import logging
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from bot.actors.lookup import find_page
from bot.checks.provenance import Provenance
from bot.models import Polarity
from bot.render.who_page import render_page
from bot.search.archive import search_now
from bot.search.query import parse_query
from bot.store.briefing_cache import ArticleTexts
from bot.store.index import Index
from tests.who_kit import brief_and_send, person, said, stored

pytestmark = pytest.mark.sqlite_only("files written by releases before PostgreSQL support")

CHAT = 7

# The index's tables as the code before this change created them (verbatim).
_OLD_TABLES = """
CREATE TABLE IF NOT EXISTS briefings (
    article_hash TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    headline TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS stances (
    article_hash TEXT NOT NULL,
    ord INTEGER NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    aliases TEXT NOT NULL,
    target TEXT NOT NULL,
    position TEXT NOT NULL,
    polarity TEXT NOT NULL,
    quote TEXT NOT NULL,
    verified INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS stances_article ON stances(article_hash);
CREATE INDEX IF NOT EXISTS stances_actor ON stances(actor);
CREATE TABLE IF NOT EXISTS chat_articles (
    chat_id INTEGER NOT NULL,
    article_hash TEXT NOT NULL,
    message_id INTEGER,
    received_at TEXT NOT NULL,
    title TEXT,
    source_label TEXT,
    source_url TEXT
);
CREATE INDEX IF NOT EXISTS chat_articles_chat ON chat_articles(chat_id, received_at);
CREATE INDEX IF NOT EXISTS chat_articles_chat_article
    ON chat_articles(chat_id, article_hash, received_at);
CREATE INDEX IF NOT EXISTS chat_articles_article ON chat_articles(article_hash);
CREATE TABLE IF NOT EXISTS chat_actor_forms (
    chat_id INTEGER NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    aliases TEXT NOT NULL,
    PRIMARY KEY (chat_id, actor, kind, aliases)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS index_meta (name TEXT PRIMARY KEY, value);
"""
_OLD_CHAT_STANCES = """
CREATE TABLE IF NOT EXISTS chat_stances (
    chat_id INTEGER NOT NULL,
    actor TEXT NOT NULL,
    received_at TEXT NOT NULL,  -- the chat's latest sending of the article
    article_hash TEXT NOT NULL,
    ord INTEGER NOT NULL,
    kind TEXT NOT NULL,
    aliases TEXT NOT NULL,
    target TEXT NOT NULL,
    polarity TEXT NOT NULL,
    verified INTEGER NOT NULL,
    PRIMARY KEY (chat_id, actor, received_at DESC, article_hash, ord)
) WITHOUT ROWID;
"""
_DAY = "2025-03-0{}T09:00:00.000000+00:00"
_TODAY = date(2025, 3, 10)


def _old_database(path: Path, *, with_chat_stances: bool) -> None:
    """Write what the old code wrote: Kim for talks on day 1, against them (unfound) on day 2."""
    db = sqlite3.connect(path)
    db.executescript(_OLD_TABLES + (_OLD_CHAT_STANCES if with_chat_stances else ""))
    for n, (polarity, quote, verified) in enumerate(
        [("supports", "We want talks", 1), ("opposes", "No talks ever", 0)]
    ):
        h = f"old{n}"
        db.execute("INSERT INTO briefings VALUES (?, ?, ?, ?)", (h, f"k{n}", f"Old {n}", _DAY))
        db.execute(
            "INSERT INTO stances VALUES (?,?,?,?,?,?,?,?,?,?)",
            (h, 0, "Kim Jong Un", "person", "Kim", "the talks", "p", polarity, quote, verified),
        )
        db.execute(
            "INSERT INTO chat_articles VALUES (?, ?, ?, ?, ?, ?, ?)",
            (CHAT, h, n + 1, _DAY.format(n + 1), f"Title {n}", "@kw", f"https://t.me/kw/{n + 1}"),
        )
    db.execute("INSERT INTO chat_actor_forms VALUES (?, 'Kim Jong Un', 'person', 'Kim')", (CHAT,))
    db.execute("INSERT INTO index_meta VALUES ('chat_actor_forms', 1)")
    if with_chat_stances:
        db.execute(
            """INSERT INTO chat_stances SELECT ca.chat_id, s.actor, MAX(ca.received_at),
               s.article_hash, s.ord, s.kind, s.aliases, s.target, s.polarity, s.verified
               FROM chat_articles ca JOIN stances s ON s.article_hash = ca.article_hash
               GROUP BY ca.chat_id, s.article_hash, s.ord"""
        )
        db.execute("INSERT INTO index_meta VALUES ('chat_stances', 1)")
    db.commit()
    db.close()


def _columns(index: Index, table: str) -> list[str]:
    return [r[1] for r in index.connection.execute(f"PRAGMA table_info({table})")]


@pytest.mark.parametrize("with_chat_stances", [True, False])
def test_an_old_database_upgrades_in_place_and_keeps_its_answers(
    tmp_path: Path, with_chat_stances: bool
) -> None:
    path = tmp_path / "index.sqlite3"
    _old_database(path, with_chat_stances=with_chat_stances)
    for _opening in range(2):  # the second opening finds nothing left to add
        index = Index(path)
        try:
            assert _columns(index, "stances")[-4:] == ["issue", "provenance", "speaker", "via"]
            assert _columns(index, "chat_stances")[-2:] == ["issue", "provenance"]
            _found, page = find_page(index, CHAT, "kim")
            assert page is not None and (page.stances, page.articles) == (2, 2)
            assert [(r.quote, r.verified, r.provenance, r.issue) for r in page.newest] == [
                ("No talks ever", False, None, ""),
                ("We want talks", True, None, ""),
            ]
            assert page.shift_count == 1  # as before: stances from before provenance count
            text = render_page(page, chat_id=CHAT)
            assert "found in the article (speaker not checked): “We want talks”" in text
            assert "<blockquote>" not in text  # whose words they are was never checked
            assert "⚠️ not found in the article: “No talks ever”" in text
        finally:
            index.close()


def test_an_upgraded_database_takes_new_briefings_whole(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    _old_database(path, with_chat_stances=True)
    index = Index(path)
    try:
        made = stored(
            "new0",
            person("Kim Jong Un", said("the talks are dead", Provenance.VIA, via="KCNA",
                                       issue="talks with the US", polarity=Polarity.OPPOSES)),
            person("Vladimir Putin"),
        )  # fmt: skip
        brief_and_send(index, CHAT, made, day=5)
        _found, page = find_page(index, CHAT, "Kim Jong Un")
        assert page is not None and page.stances == 3
        newest = page.newest[0]
        assert (newest.provenance, newest.via, newest.issue) == (
            Provenance.VIA,
            "KCNA",
            "talks with the US",
        )
        assert "<blockquote>the talks are dead</blockquote>\n<i>via KCNA</i>" in render_page(
            page, chat_id=CHAT
        )
        _found, putin = find_page(index, CHAT, "Putin")
        assert putin is not None and putin.mentioned == 1
    finally:
        index.close()


# chat_stances as the release with issues and provenance (but before publication dates)
# created it: keyed by arrival.
# The columns the code of that time had added to stances (verbatim).
_STANCES_ADDED = ("issue TEXT NOT NULL DEFAULT ''", "provenance TEXT", "speaker TEXT", "via TEXT")
_ISSUES_CHAT_STANCES = """
CREATE TABLE chat_stances (
    chat_id INTEGER NOT NULL, actor TEXT NOT NULL, received_at TEXT NOT NULL,
    article_hash TEXT NOT NULL, ord INTEGER NOT NULL, kind TEXT NOT NULL,
    aliases TEXT NOT NULL, target TEXT NOT NULL, polarity TEXT NOT NULL,
    verified INTEGER NOT NULL, issue TEXT NOT NULL DEFAULT '', provenance TEXT,
    PRIMARY KEY (chat_id, actor, received_at DESC, article_hash, ord)
) WITHOUT ROWID;
"""


def test_a_database_with_issues_but_no_dates_is_rebuilt_by_date(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    _old_database(path, with_chat_stances=False)
    db = sqlite3.connect(path)
    for added in _STANCES_ADDED:
        db.execute(f"ALTER TABLE stances ADD COLUMN {added}")
    db.execute("UPDATE stances SET issue = 'talks with the US', provenance = 'direct'")
    db.executescript(_ISSUES_CHAT_STANCES)
    db.execute(
        """INSERT INTO chat_stances SELECT ca.chat_id, s.actor, MAX(ca.received_at),
           s.article_hash, s.ord, s.kind, s.aliases, s.target, s.polarity, s.verified,
           s.issue, s.provenance
           FROM chat_articles ca JOIN stances s ON s.article_hash = ca.article_hash
           GROUP BY ca.chat_id, s.article_hash, s.ord"""
    )
    db.execute("INSERT INTO index_meta VALUES ('chat_stances', 1)")
    db.commit()
    db.close()
    index = Index(path)
    try:
        assert "dated" in _columns(index, "chat_stances")
        assert _columns(index, "chat_articles")[-2:] == ["published_at", "published_from"]
        kept = index.connection.execute(
            "SELECT dated, received_at, issue, provenance FROM chat_stances ORDER BY dated"
        ).fetchall()
        assert [tuple(r) for r in kept] == [
            (_DAY.format(n), _DAY.format(n), "talks with the US", "direct") for n in (1, 2)
        ]  # undated sendings are dated by their arrival
        _found, page = find_page(index, CHAT, "kim")
        assert page is not None and [r.provenance for r in page.newest] == [Provenance.DIRECT] * 2
        assert page.shift_count == 1  # one issue, supports then opposes
    finally:
        index.close()


def test_a_database_from_before_search_is_indexed_once_on_opening(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "index.sqlite3"
    _old_database(path, with_chat_stances=True)
    ArticleTexts(tmp_path).put(
        "old1", "SEOUL (Reuters) - The envoy rejected the proposal outright."
    )
    with caplog.at_level(logging.INFO, logger="bot.store.search_docs"):
        index = Index(path)
    try:
        assert "search index: 2 of 2 articles added" in caplog.text
        found, total = search_now(index, CHAT, parse_query("envoy proposal", today=_TODAY))
        assert (total, [h.article_hash for h in found]) == (1, ["old1"])
        assert "\x02envoy\x03" in found[0].snippet
        _hits, total = search_now(index, CHAT, parse_query("kim", today=_TODAY))
        assert total == 2  # the actor's name is searched (the briefings' files are gone)
        assert search_now(index, CHAT + 1, parse_query("kim", today=_TODAY))[1] == 0
    finally:
        index.close()
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="bot.store.search_docs"):
        Index(path).close()  # the second opening has nothing left to add
    assert "search index" not in caplog.text
