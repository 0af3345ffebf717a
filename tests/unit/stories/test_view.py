"""The /story view: framings kept only with their own source's words; who quotes whom."""

from __future__ import annotations

from bot.render.story_html import SINGLE_SOURCE, covered_line, render_story
from bot.stories.draft import SourceClaim, SourceFraming, StoryDraft, StorySource
from bot.stories.view import (
    Member,
    checked,
    only_quoted_by,
    relabelled,
    sources_of,
    without_model,
)

TASS = "Песков заявил: «Это лишь затягивает конфликт». Визит прошел в понедельник."
REUTERS = '"Germany stands firmly by Ukraine\'s side," Merz said at a news conference.'
SOURCES = [
    StorySource(name="TASS", article_hash="t", headline="Песков о помощи", quoted=["Peskov"]),
    StorySource(name="Reuters", article_hash="r", headline="Merz pledges aid",
                quoted=["Friedrich Merz"], label="wire"),
]  # fmt: skip
TEXTS = {"t": TASS, "r": REUTERS}


def test_a_framing_keeps_its_quote_only_when_that_source_printed_it() -> None:
    draft = StoryDraft(
        agreed=["Merz met Zelensky."],
        differences=[SourceClaim(source="S1", claim="Aid prolongs the war."),
                     SourceClaim(source="S9", claim="Invented source.")],
        framings=[
            SourceFraming(source="S1", framing="Leads with Moscow's reaction.",
                          quote="Это лишь затягивает конфликт"),
            SourceFraming(source="S2", framing="Leads with the pledge.",
                          quote="Germany stands firmly by Ukraine's side"),
            # TASS's words credited to Reuters: not in Reuters' article, dropped.
            SourceFraming(source="S2", framing="Borrowed.", quote="Это лишь затягивает конфликт"),
            SourceFraming(source="S1", framing="No quote.", quote=""),
        ],
    )  # fmt: skip
    view = checked(draft, SOURCES, TEXTS)
    assert [(f.source, f.framing) for f in view.framings] == [
        ("TASS", "Leads with Moscow's reaction."),
        ("Reuters", "Leads with the pledge."),
    ]
    assert view.dropped_framings == 2
    assert [(d.source, d.claim) for d in view.differences] == [("TASS", "Aid prolongs the war.")]
    assert view.made_with_model


def test_actors_quoted_by_one_source_only_are_named_with_it() -> None:
    assert only_quoted_by(SOURCES) == {"Peskov": "TASS", "Friedrich Merz": "Reuters"}
    both = [s.model_copy(update={"quoted": ["Merz"]}) for s in SOURCES]
    assert only_quoted_by(both) == {}
    assert only_quoted_by(SOURCES[:1]) == {}  # one source: no "sides"


def test_without_the_model_the_view_says_so_and_warns_on_one_source() -> None:
    html = render_story(without_model(SOURCES[:1]))
    assert SINGLE_SOURCE in html
    assert "Made without the model" in html
    assert "Песков о помощи" in html
    labelled = render_story(without_model(SOURCES))
    assert "<i>(wire)</i>" in labelled  # the chat's own label, never one the bot made up
    assert SINGLE_SOURCE not in labelled


def test_a_chat_labels_a_source_by_name_by_channel_or_by_site() -> None:
    members = [
        Member("a", "News Channel", None, None, None, None, "https://t.me/newsch/5"),
        Member("b", "Some Wire", None, None, None, None, "https://www.example.com/x"),
        Member("c", "Other", None, None, None, None, None),
    ]
    labels = {"@newsch": "state media", "example.com": "wire", "other": "blog"}
    got = {s.name: s.label for s in sources_of(members, labels)}
    assert got == {"News Channel": "state media", "Some Wire": "wire", "Other": "blog"}
    assert {s.label for s in sources_of(members, {})} == {None}  # none given: none shown


def test_a_stored_view_takes_the_labels_the_chat_gives_now() -> None:
    stored = without_model(SOURCES)  # Reuters labelled "wire" when it was made
    now = [SOURCES[0].model_copy(update={"label": "state media"}),
           SOURCES[1].model_copy(update={"label": None})]  # fmt: skip
    labels = [(s.name, s.label) for s in relabelled(stored, now).sources]
    assert labels == [("TASS", "state media"), ("Reuters", None)]
    assert "(wire)" not in render_story(relabelled(stored, now))


def test_the_briefing_line_counts_other_sources() -> None:
    assert covered_line(0) == ""
    assert "Also covered by 1 other source:" in covered_line(1)
    assert "Also covered by 3 other sources" in covered_line(3)
