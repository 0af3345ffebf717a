"""Export formats: CSV a spreadsheet never runs, Markdown that stays text, JSON; /export's words."""

from __future__ import annotations

import csv
import io
import json

import pytest

from bot.export.formats import Format, cell, md, write_csv, write_json, write_md
from bot.export.records import BriefingRecord, Citation, What
from bot.export.service import ExportAskError, parse_ask


def _citation(**changes: object) -> Citation:
    values: dict[str, object] = {
        "actor": "Kim Jong Un", "kind": "person", "issue": "talks with the US",
        "target": "talks", "polarity": "opposes", "position": "Rejects talks",
        "quote": "we will never sit at the table", "provenance": "direct", "verified": True,
        "speaker": "", "via": "", "source": "@koreawatch", "link": "https://t.me/kw/1",
        "published": "2026-03-12", "published_from": "dateline", "headline": "North Korea fires",
    }  # fmt: skip
    values.update(changes)
    return Citation(**values)  # type: ignore[arg-type]


def _briefing(*citations: Citation) -> BriefingRecord:
    return BriefingRecord(
        headline="North Korea fires missile", title="t", source="@koreawatch",
        link="https://t.me/kw/1", published="2026-03-12", published_from="dateline",
        received="2026-03-12T09:00:00+00:00", tldr="Short.", key_points=("One", "Two"),
        why_it_matters="Because.", citations=citations,
    )  # fmt: skip


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
)
def test_a_cell_that_starts_like_a_formula_is_prefixed(text: str) -> None:
    assert cell(text) == "'" + text
    assert cell("plain = text") == "plain = text"
    assert cell(True) == "yes"


def test_csv_rows_are_safe_and_read_back_whole() -> None:
    out = io.StringIO()
    quote = '=cmd|" /C calc"!A0, and "a comma"\nand a line'
    assert write_csv(out, [_citation(quote=quote)], briefings=False) == 1
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["quote"] == "'" + quote
    assert rows[0]["link"] == "https://t.me/kw/1"
    assert rows[0]["provenance"] == "direct"
    assert rows[0]["published"] == "2026-03-12"


def test_a_briefings_csv_has_a_row_per_citation_and_one_for_a_briefing_without() -> None:
    out = io.StringIO()
    items = [_briefing(_citation(), _citation(actor="Lee")), _briefing()]
    assert write_csv(out, items, briefings=True) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["actor"] for r in rows] == ["Kim Jong Un", "Lee", ""]
    assert {r["headline"] for r in rows} == {"North Korea fires missile"}
    assert rows[0]["key_points"] == "One • Two"


def test_markdown_keeps_model_and_article_text_as_text() -> None:
    assert md("*bold* [x](javascript:y) <script>") == (r"\*bold\* \[x\]\(javascript:y\) \<script\>")
    out = io.StringIO()
    hostile = _citation(quote="# Heading\n- item <b>", source="a](http://evil)")
    write_md(out, "Title", [_briefing(hostile)])
    text = out.getvalue()
    assert "> \\# Heading \\- item \\<b\\>" in text  # one line, every marker escaped
    assert "[a\\]\\(http://evil\\)](<https://t.me/kw/1>)" in text
    assert "direct; verified" in text and "2026\\-03\\-12 (dateline)" in text


def test_json_is_an_array_of_the_items() -> None:
    out = io.StringIO()
    assert write_json(out, [_citation(), _citation(actor="Lee")]) == 2
    assert [c["actor"] for c in json.loads(out.getvalue())] == ["Kim Jong Un", "Lee"]
    empty = io.StringIO()
    write_json(empty, [])
    assert json.loads(empty.getvalue()) == []


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ([], (What.BRIEFINGS, Format.MD, "")),
        (["csv"], (What.BRIEFINGS, Format.CSV, "")),
        (["stances", "csv"], (What.STANCES, Format.CSV, "")),
        (["who", "kim", "jong", "un"], (What.WHO, Format.MD, "kim jong un")),
        (["who", "kim", "CSV"], (What.WHO, Format.CSV, "kim")),
        (["briefings", "md"], (What.BRIEFINGS, Format.MD, "")),
    ],
)
def test_export_words(words: list[str], expected: tuple[What, Format, str]) -> None:
    assert parse_ask(words) == expected


@pytest.mark.parametrize(("words", "said"), [(["who"], "Whose"), (["everything"], "can't export")])
def test_export_words_that_make_no_sense_are_explained(words: list[str], said: str) -> None:
    with pytest.raises(ExportAskError, match=said):
        parse_ask(words)
