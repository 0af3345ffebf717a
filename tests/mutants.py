"""Re-run the mutants issue 24 found escaping: apply each, run its tests, report caught/escaped.

Run from the repository root: ``python -m tests.mutants [name ...]``. Each mutant is a plain
text patch (the exact `old` text must occur once in `path`); the file is restored afterwards,
whatever happens. A mutant is caught when its tests fail.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Mutant:
    """One deliberate bug and the tests that must catch it."""

    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


MUTANTS = (
    Mutant(
        "retry-after-ignored",
        "bot/telegram/limiter.py",
        "self.budget.penalise(chat_id, seconds + 0.1)",
        "self.budget.penalise(chat_id, 0.0)",
        (
            "tests/unit/telegram/test_limiter.py",
            "tests/e2e/test_bot.py::test_telegram_429_delays_but_delivers",
            "tests/e2e/test_faults.py::test_telegram_429_on_a_reply_delays_it",
        ),
    ),
    Mutant(
        "nested-optional-field",
        "bot/models.py",
        '    quote: str = Field(description="A verbatim quote from the article that shows the stance.")\n',
        '    quote: str = Field(description="A verbatim quote from the article that shows the stance.")\n'
        '    note: str = Field(default="", description="Left out of required.")\n',
        ("tests/e2e/test_llm.py",),
    ),
    Mutant(
        "callback-data-over-64-bytes",
        "bot/telegram/who.py",
        "_CALLBACK_BYTES = 60",
        "_CALLBACK_BYTES = 6000",
        ("tests/e2e/test_who.py::test_long_names_get_buttons_telegram_accepts",),
    ),
    Mutant(
        "output-priced-as-input",
        "bot/ops/pricing.py",
        "+ usage.completion_tokens * self.output",
        "+ usage.completion_tokens * self.input",
        ("tests/unit/ops/test_stats.py::test_period_counts_only_its_window",),
    ),
    Mutant(
        "live-item-sent-twice",
        "bot/feeds/item_delivery.py",
        "                await self.notifier.briefing(follow, result)\n",
        "                await self.notifier.briefing(follow, result)\n"
        "                await self.notifier.briefing(follow, result)\n",
        ("tests/e2e/test_feeds_bot.py::test_live_follow_sends_one_message_per_new_item",),
    ),
    Mutant(
        "stale-button-also-sends",
        "bot/telegram/basics.py",
        "        await update.callback_query.answer(STALE_BUTTON)\n",
        "        await update.callback_query.answer(STALE_BUTTON)\n"
        "        assert update.effective_chat is not None\n"
        "        await _context.bot.send_message(update.effective_chat.id, STALE_BUTTON)\n",
        ("tests/e2e/test_groups.py::test_a_tampered_or_stale_button_gets_a_short_answer",),
    ),
    Mutant(
        "lone-surrogate-crash",
        "bot/render/split.py",
        'text.encode("utf-16-le", "surrogatepass")',
        'text.encode("utf-16-le")',
        ("tests/unit/render/test_split_window.py",),
    ),
    Mutant(
        "budget-books-the-estimate",
        "bot/ops/budget.py",
        "            usage = completion.usage\n",
        "            usage = type(completion.usage)(prompt_tokens=estimate, calls=1)\n",
        (
            "tests/e2e/test_budget.py::test_fifty_concurrent_articles_with_a_budget_for_ten_let_ten_through",
        ),
    ),
)


def run(mutant: Mutant) -> bool:
    """Apply `mutant`, run its tests, restore the file; tell whether the tests caught it."""
    path = ROOT / mutant.path
    original = path.read_text(encoding="utf-8")
    if original.count(mutant.old) != 1:
        raise SystemExit(f"{mutant.name}: the text to mutate is not in {mutant.path} exactly once")
    try:
        path.write_text(original.replace(mutant.old, mutant.new), encoding="utf-8")
        command = [sys.executable, "-m", "pytest", "-n", "0", "-q", "-x", "-p", "no:cacheprovider"]
        result = subprocess.run(
            [*command, *mutant.tests], check=False, cwd=ROOT, capture_output=True
        )
    finally:
        path.write_text(original, encoding="utf-8")
    return result.returncode != 0


def main(names: list[str]) -> int:
    """Run the named mutants (all by default); exit 1 when any escaped."""
    chosen = [m for m in MUTANTS if not names or m.name in names]
    escaped = 0
    for mutant in chosen:
        caught = run(mutant)
        escaped += not caught
        sys.stdout.write(f"{'caught ' if caught else 'ESCAPED'}  {mutant.name}\n")
    return 1 if escaped else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
