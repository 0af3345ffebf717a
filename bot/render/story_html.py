"""Stories as Telegram HTML: the briefing's one line about other sources, and the /story view."""

from __future__ import annotations

from bot.render.briefing_html import esc
from bot.render.plural import counted, form
from bot.stories.draft import StoryView

STORY_CALLBACK = "story"  # the button under a briefing; the message says which article
SINGLE_SOURCE = "⚠️ Only one source so far: nothing to check it against."
WITHOUT_MODEL = "Made without the model: the grouping, headlines and quoted actors only."


def covered_line(other_sources: int) -> str:
    """Say how many other sources covered the briefing's story ("" when none)."""
    if other_sources <= 0:
        return ""
    noun = "source" if other_sources == 1 else "sources"
    return f"<i>Also covered by {other_sources} other {noun}: /story</i>"


def covered_button(other_sources: int) -> tuple[str, str] | None:
    """Return the button that opens the story, when it has other sources."""
    if other_sources <= 0:
        return None
    noun = "source" if other_sources == 1 else "sources"
    return (f"Also covered by {other_sources} other {noun}", STORY_CALLBACK)


def _named(name: str, label: str | None) -> str:
    return f"<b>{esc(name)}</b>" + (f" <i>({esc(label)})</i>" if label else "")


def _sources(view: StoryView) -> str:
    lines = []
    for s in view.sources:
        line = f"• {_named(s.name, s.label)}: {esc(s.headline)}"
        if s.quoted:
            line += f"\n  quotes {esc(', '.join(s.quoted))}"
        if s.copy_of:
            line += "\n  <i>the same wire copy as another source</i>"
        lines.append(line)
    return "<b>Sources</b>\n" + "\n".join(lines)


def _comparison(view: StoryView) -> list[str]:
    labels = {s.name: s.label for s in view.sources}
    blocks = []
    if view.agreed:
        blocks.append("<b>Sources agree</b>\n" + "\n".join(f"• {esc(a)}" for a in view.agreed))
    if view.differences:
        diffs = [f"• {esc(d.claim)} — only {_named(d.source, labels.get(d.source))}"
                 for d in view.differences]  # fmt: skip
        blocks.append("<b>Only one source says</b>\n" + "\n".join(diffs))
    if view.framings:
        frames = [f"• {_named(f.source, labels.get(f.source))}: {esc(f.framing)}\n"
                  f"  <i>“{esc(f.quote)}”</i> ✅" for f in view.framings]  # fmt: skip
        blocks.append("<b>How each source frames it</b>\n" + "\n".join(frames))
    return blocks


def render_story(view: StoryView) -> str:
    """Render a story: its sources, what they agree and differ on, how each frames it."""
    n = len(view.sources)
    head = [f"<b>Story: {n} source{'s' if n != 1 else ''}</b>"]
    if n == 1:
        head.append(SINGLE_SOURCE)
    if not view.made_with_model:
        head.append(f"<i>{WITHOUT_MODEL}</i>")
    blocks = ["\n".join(head), _sources(view), *_comparison(view)]
    if view.only_quoted_by:
        alone = [f"• {esc(actor)}: only {esc(source)}"
                 for actor, source in view.only_quoted_by.items()]  # fmt: skip
        blocks.append("<b>Quoted by one source only</b>\n" + "\n".join(alone))
    if view.dropped_framings:
        blocks.append(
            f"<i>{counted(view.dropped_framings, 'framing line')} left out: "
            f"{form(view.dropped_framings, 'its', 'their')} quote was not found in that source's "
            "article.</i>"
        )
    return "\n\n".join(blocks)
