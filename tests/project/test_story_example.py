"""The README's /story example is a real render: three wire reports of one Fed decision.

The view is made as /story makes it with the model: the sources as the chat named (and
labelled) them, a comparison whose framing quotes pass the provenance check against each
source's own article (bot/stories/view.py), rendered by bot/render/story_html.py and read as
Telegram shows it. The README's block must be that text, line for line.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from bot.evaluation.story_corpus import load_story_corpus
from bot.render.story_html import render_story
from bot.stories.draft import SourceClaim, SourceFraming, StoryDraft, StorySource
from bot.stories.view import checked
from tests.fake_telegram import parse_html

README = Path(__file__).resolve().parents[2] / "README.md"
WIRES = {"Reuters": "e04-reuters", "AP": "e04-ap", "Bloomberg": "e04-bloomberg"}
LABELS = {"Reuters": "wire service"}  # what `/label Reuters wire service` gives
BOT, INDENT = "bot   → ", " " * 8


def example() -> str:
    """Render the /story of the three wire reports as Telegram shows it."""
    items = {i.id: i for i in load_story_corpus()}
    sources = [
        StorySource(name=name, article_hash=item, headline=items[item].title,
                    quoted=["Jerome Powell"], label=LABELS.get(name))
        for name, item in WIRES.items()
    ]  # fmt: skip
    texts = {item: items[item].text for item in WIRES.values()}
    draft = StoryDraft(
        agreed=["The Fed held its key rate steady on Wednesday.",
                "Governors Christopher Waller and Michelle Bowman dissented in favour of a cut."],
        differences=[SourceClaim(source="S3", claim="Treasury yields rose after the decision."),
                     SourceClaim(source="S2", claim="President Trump has demanded steep cuts.")],
        framings=[
            SourceFraming(source="S1", framing="The Fed in no hurry to cut again.",
                          quote="signaled it was in no hurry to resume cutting borrowing costs"),
            SourceFraming(source="S2", framing="Inflation stuck above target as hiring slows.",
                          quote="citing inflation that has stayed stubbornly above its target"),
            SourceFraming(source="S3", framing="A split decision, sticky prices against jobs.",
                          quote="as policymakers weighed sticky inflation against a cooling "
                                "labor market"),
            # Powell's words credited to AP, which printed others: the check drops the line.
            SourceFraming(source="S2", framing="Powell is patient.",
                          quote="We are well positioned to wait for more clarity"),
        ],
    )  # fmt: skip
    return parse_html(render_story(checked(draft, sources, texts)))[0]


def readme_example() -> str:
    """Return the README's /story example without its "bot →" margin."""
    block = re.search(r"```text\n(bot   → Story: .*?)\n```", README.read_text(encoding="utf-8"),
                      re.DOTALL)  # fmt: skip
    assert block is not None, "README.md has no /story example"
    lines = block.group(1).split("\n")
    return "\n".join(
        [lines[0].removeprefix(BOT), *(line.removeprefix(INDENT) for line in lines[1:])]
    )


def test_the_readme_shows_a_real_story_render() -> None:
    assert readme_example() == example()


if __name__ == "__main__":  # print the block to paste into the README
    first, *rest = example().split("\n")
    sys.stdout.write("\n".join([BOT + first, *(INDENT + line if line else "" for line in rest)]))
    sys.stdout.write("\n")
