"""The archive fixture's 100 questions through /ask with a misbehaving scripted model.

Over the real archive (the index's FTS5 search), as the bot asks it; the same run prints its
figures with `python -m benchmarks ask`.
"""

from __future__ import annotations

from pathlib import Path

from tests.ask_eval import evaluate


async def test_no_bad_sentence_is_shown_and_refusals_stay_where_they_belong(
    tmp_path: Path,
) -> None:
    figures = await evaluate(tmp_path)
    assert figures.bad_shown == []
    assert sum(figures.bad_injected.values()) >= 60  # every kind of misbehaviour, many times
    assert all(count >= 10 for count in figures.bad_injected.values())
    assert figures.good_removed == 0
    assert (figures.unanswerable, figures.answerable) == (20, 80)
    assert figures.unanswerable_refused >= 0.9 * figures.unanswerable
    # Refusals of answerable questions are retrieval's misses only, never the checks'.
    assert figures.answerable_refused == figures.unretrieved
    assert figures.answerable_refused <= 0.05 * figures.answerable


async def test_the_checks_alone_never_refuse_a_retrieved_answer(tmp_path: Path) -> None:
    # Over the simple in-memory archive: fewer passages found, the same checks.
    figures = await evaluate(tmp_path, memory=True)
    assert figures.bad_shown == []
    assert figures.good_removed == 0
    assert figures.answerable_refused == figures.unretrieved
    assert figures.unanswerable_refused == figures.unanswerable
