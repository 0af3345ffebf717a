"""Long articles, briefed whole: split on paragraphs, brief the parts at once, merge."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable

from pydantic import Field

from bot.articles.text import canonical
from bot.llm.delimiters import delimit
from bot.llm.port import Completion, LLMPort
from bot.llm.prompts import Prompt
from bot.models import Actor, BriefingDraft, KeyPoint, Stance, Usage, _LLMModel
from bot.ops.budget import CHARS_PER_TOKEN, estimate_tokens

_SENTENCE = re.compile(r"(?<=[.!?\u3002])\s+")
_MIN_PART_CHARS = 2000  # below this a part says too little to brief on its own
_SPACE = re.compile(r"\s+")


class MergeDraft(_LLMModel):
    """What the LLM returns when merging the parts' briefings."""

    headline: str
    tldr: str = Field(description="At most three sentences.")
    key_points: list[KeyPoint] = Field(
        description="Three to six key points, each with the source sentence of the part "
        "point it draws on, copied verbatim."
    )
    why_it_matters: str


def split_text(text: str, max_chars: int) -> list[str]:
    """Cut text into parts of at most `max_chars`, on paragraph, then sentence, then word ends."""
    parts: list[str] = []
    current = ""
    for piece in _pieces(text, max_chars):
        joined = f"{current}\n\n{piece}" if current else piece
        if len(joined) <= max_chars:
            current = joined
        else:
            parts.append(current)
            current = piece
    if current:
        parts.append(current)
    return parts


def _pieces(text: str, max_chars: int) -> Iterable[str]:
    # Paragraphs as they are; an over-long one by sentences; an over-long sentence by words.
    for paragraph in text.split("\n\n"):
        if len(paragraph) <= max_chars:
            yield paragraph
            continue
        for sentence in _SENTENCE.split(paragraph):
            rest = sentence
            while len(rest) > max_chars:
                cut = rest.rfind(" ", 0, max_chars)
                cut = cut if cut > 0 else max_chars  # a "word" longer than a part: cut it
                yield rest[:cut]
                rest = rest[cut:].lstrip()
            if rest:
                yield rest


def _forms(actor: Actor) -> set[str]:
    return {canonical(actor.name), *(canonical(a) for a in actor.aliases)}


def merge_actors(actor_lists: Iterable[list[Actor]]) -> list[Actor]:
    """Merge actors across parts by canonical name and alias; drop duplicate stances."""
    merged: list[Actor] = []
    for actors in actor_lists:
        for actor in actors:
            name = canonical(actor.name)
            # Same actor when either's name is the other's name or alias. Two aliases alone
            # don't decide it: "Kim" is both Kim Jong Un and Kim Yo Jong.
            match = next(
                (m for m in merged if name in _forms(m) or canonical(m.name) in _forms(actor)),
                None,
            )
            if match is None:
                merged.append(actor.model_copy(update={"stances": _dedupe(actor.stances)}))
                continue
            index = merged.index(match)
            aliases = [*match.aliases, actor.name, *actor.aliases]
            stances = _dedupe([*match.stances, *actor.stances])
            merged[index] = match.model_copy(update={"aliases": aliases, "stances": stances})
    return merged


def _dedupe(stances: list[Stance]) -> list[Stance]:
    seen: set[tuple[str, ...]] = set()
    kept: list[Stance] = []
    for stance in stances:
        quote = canonical(stance.quote)
        about = (canonical(stance.target), canonical(stance.position), stance.polarity.value)
        if ("q", quote) in seen or ("p", *about) in seen:
            continue
        seen |= {("q", quote), ("p", *about)}
        kept.append(stance)
    return kept


def _union(lists: Iterable[list[str]]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in (i.strip() for items in lists for i in items):
        if item and canonical(item) not in seen:
            seen.add(canonical(item))
            out.append(item)
    return out


def part_entry(number: int, draft: BriefingDraft) -> str:
    """Render one part's briefing as a numbered entry of the merge prompt."""

    def line(text: str) -> str:
        return delimit(_SPACE.sub(" ", text).strip())

    lines = [f"[P{number}] {line(draft.headline)}", f"Summary: {line(draft.tldr)}"]
    # Each point with its source sentence: the merged point must carry one, copied verbatim
    # from here, and it is checked against the article like any other.
    lines += [f"- {line(p.text)}\n  Source: {line(p.source)}" for p in draft.key_points]
    lines.append(f"Why it matters: {line(draft.why_it_matters)}")
    return "\n".join(lines)


class LongForm:
    """Brief an article too long for one call: its parts concurrently, then one merge call."""

    def __init__(
        self, llm: LLMPort, prompt: Prompt, merge_prompt: Prompt, max_input_tokens: int
    ) -> None:
        self._llm = llm
        self._prompt = prompt
        self._merge = merge_prompt
        system, user = prompt.render(language_instruction="", title="", published="", article="")
        overhead = estimate_tokens(system) + estimate_tokens(user) + 100  # + title, language
        self._part_chars = max(_MIN_PART_CHARS, (max_input_tokens - overhead) * CHARS_PER_TOKEN)

    @property
    def merge_prompt(self) -> Prompt:
        """Return the merge prompt (its version is part of a long article's cache key)."""
        return self._merge

    def part_chars(self) -> int:
        """Return the most article characters one call may carry, after the prompt itself."""
        return self._part_chars

    def needs_split(self, text: str) -> bool:
        """Tell whether the article is beyond what one call may carry."""
        return len(text) > self.part_chars()

    async def draft(
        self, text: str, title: str, instruction: str, published: str = "(unknown)"
    ) -> Completion[BriefingDraft]:
        """Return one draft for the whole text and the tokens all calls cost."""
        parts = split_text(text, self.part_chars())
        try:
            async with asyncio.TaskGroup() as group:
                tasks = [
                    group.create_task(self._part(part, f"{title} (part {n} of {len(parts)})",
                                                 instruction, published))
                    for n, part in enumerate(parts, 1)
                ]  # fmt: skip
        except ExceptionGroup as failed:
            # The first failure (a budget, the server down) says it all; the rest were cancelled.
            raise failed.exceptions[0] from None
        drafts = [t.result() for t in tasks]
        usage = sum((t.result().usage for t in tasks), Usage())
        system, user = self._merge.render(
            language_instruction=instruction,
            title=title,
            count=str(len(drafts)),
            parts="\n\n".join(part_entry(n, d.value) for n, d in enumerate(drafts, 1)),
        )
        top = await self._llm.complete(system=system, user=user, schema=MergeDraft)
        first = drafts[0].value
        merged = BriefingDraft.model_construct(
            headline=top.value.headline,
            tldr=top.value.tldr,
            key_points=top.value.key_points,
            why_it_matters=top.value.why_it_matters,
            language=first.language,
            topics=_union(d.value.topics for d in drafts)[:8],
            places=_union(d.value.places for d in drafts)[:12],
            actors=merge_actors(d.value.actors for d in drafts),
        )
        return Completion(merged, usage + top.usage)

    async def _part(
        self, text: str, title: str, instruction: str, published: str
    ) -> Completion[BriefingDraft]:
        system, user = self._prompt.render(
            language_instruction=instruction, title=title, published=published,
            article=delimit(text),
        )  # fmt: skip
        return await self._llm.complete(system=system, user=user, schema=BriefingDraft)
