"""Write an /ask prompt's parts: the question and the numbered passages, neutralised."""

from __future__ import annotations

from collections.abc import Sequence

from bot.llm.delimiters import delimit
from bot.search.archive import Passage


def one_line(text: str) -> str:
    """Collapse whitespace: untrusted text cannot start a line that looks like a role."""
    return " ".join(text.split())


def passage_entry(number: int, passage: Passage) -> str:
    """Write one passage for the prompt: its number, date, source and title, then its text."""
    when = passage.published.isoformat() if passage.published else "date unknown"
    # Only the public name of a source goes to the model: a label that is a forwarder's
    # name (a private user, a private chat) is each chat's own business.
    source = passage.source_label if passage.source_url else None
    head = " · ".join(x for x in (when, source, passage.title) if x)
    return f"[P{number}] {delimit(one_line(head))}\n{delimit(passage.text.strip())}"


def passages_block(passages: Sequence[Passage]) -> str:
    """Write every passage, numbered from 1, blank lines between them."""
    return "\n\n".join(passage_entry(n, p) for n, p in enumerate(passages, 1))


def question_text(question: str) -> str:
    """Write the question for the prompt: one line, our markers neutralised."""
    return delimit(one_line(question))
