"""`briefbot eval`: brief the shipped corpus subset with the configured model and score it.

Each article goes through the bot's own path (BriefingService: prompt, OpenAI-compatible
client, repair, grounding) as a user's article would, but in a temporary data directory, so
the user's cache, index and budgets are never read or written.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.articles.dates import dated
from bot.briefing.model_call import prompt_date
from bot.briefing.tidy import language_instruction
from bot.config import ResponseFormat, Settings
from bot.errors import BriefbotError, LLMAuthError, LLMError, LLMNotConfiguredError
from bot.evaluation.corpus_model import CorpusArticle
from bot.evaluation.model_quotes import QuoteTally, SummaryFailure, summary_failures, tally_quotes
from bot.llm.delimiters import delimit
from bot.llm.prompts import load_prompts, require
from bot.models import Article, Source, Usage
from bot.ops.budget import OUTPUT_ALLOWANCE, BudgetExceededError, estimate_tokens
from bot.ops.pricing import prices_for

if TYPE_CHECKING:
    from bot.services import Services

NOT_CONFIGURED = (
    "briefbot eval needs a language model: set OPENAI_API_KEY (and LLM_MODEL), or "
    "OPENAI_BASE_URL for an OpenAI-compatible server such as Ollama."
)
# The server or the operator must act: asking again for the next article cannot help.
_FATAL = (LLMAuthError, LLMNotConfiguredError, BudgetExceededError)
_SERVER_DOWN = frozenset({"unavailable", "request"})


@dataclass(frozen=True)
class Estimate:
    """What the run should cost before it starts."""

    articles: int
    input_tokens: int
    output_tokens: int  # the allowance per answer; a repair round would add to both
    cost_usd: float | None  # None: no price known for the model


def estimate(settings: Settings, articles: Sequence[CorpusArticle]) -> Estimate:
    """Estimate the run's tokens (the bot's own estimator) and cost (its prices)."""
    from bot.llm.client import schema_text  # lazy: the SDK only when asked
    from bot.models import BriefingDraft

    prompt = require(load_prompts(settings.prompts_dir), "briefing")
    instruction = language_instruction(settings.briefing_language)
    extra = ""
    if settings.llm_response_format is not ResponseFormat.JSON_SCHEMA:
        extra = schema_text(BriefingDraft)  # sent inside the system prompt
    tokens = 0
    for article in articles:
        system, user = prompt.render(
            language_instruction=instruction, title=delimit(article.title),
            published=prompt_date(_article(settings, article)), article=delimit(article.text),
        )  # fmt: skip
        tokens += estimate_tokens(system + user + extra)
    output = OUTPUT_ALLOWANCE * len(articles)
    price = prices_for(settings).for_model(settings.llm_model)
    cost = price.cost(Usage(prompt_tokens=tokens, completion_tokens=output)) if price else None
    return Estimate(len(articles), tokens, output, cost)


@dataclass
class ArticleResult:
    """One article's run: whether the answer was valid, what its quotes and summary were."""

    id: str
    language: str
    schema_valid: bool = False
    repaired: bool = False  # valid only after the client's repair round
    error: str | None = None  # the LLM error's kind when there was no valid briefing
    detail: str = ""  # the LLM error's message
    quotes: QuoteTally = field(default_factory=QuoteTally)
    summary: list[SummaryFailure] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    cost_usd: float | None = None
    latency_s: float = 0.0


@dataclass
class EvalReport:
    """The whole run."""

    model: str
    estimate: Estimate
    articles: list[ArticleResult]


class _Repairs(logging.Handler):
    """Count the client's "failed validation; asking for a repair" warnings."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "asking for a repair" in record.getMessage():
            self.count += 1


async def run_eval(
    settings: Settings,
    articles: Sequence[CorpusArticle],
    *,
    clock: Callable[[], float] = time.perf_counter,
    on_article: Callable[[ArticleResult], None] | None = None,
) -> EvalReport:
    """Brief each article with the configured model in a scratch data dir, and score it."""
    if not settings.llm_configured:
        raise LLMNotConfiguredError(NOT_CONFIGURED)
    from bot.services import build_services  # lazy: the CLI imports this module cheaply

    report = EvalReport(settings.llm_model, estimate(settings, articles), [])
    price = prices_for(settings).for_model(settings.llm_model)
    repairs = _Repairs()
    client_log = logging.getLogger("bot.llm.client")
    with tempfile.TemporaryDirectory(prefix="briefbot-eval-") as scratch:
        services = build_services(settings.model_copy(update={"bot_data_dir": Path(scratch)}))
        client_log.addHandler(repairs)
        try:
            for article in articles:
                before = repairs.count
                result = await _one(services, settings, article, clock)
                if result.error in _SERVER_DOWN and not any(
                    r.schema_valid for r in report.articles
                ):  # nothing got through yet: the server or its address is wrong, stop
                    raise BriefbotError(f"eval stopped at {article.id}: {result.detail}")
                result.repaired = result.schema_valid and repairs.count > before
                result.cost_usd = price.cost(result.usage) if price else None
                report.articles.append(result)
                if on_article is not None:
                    on_article(result)
        finally:
            client_log.removeHandler(repairs)
            await services.aclose()
    return report


def _article(settings: Settings, article: CorpusArticle) -> Article:
    """Make the corpus article a user's pasted text, dated as one is on receipt."""
    from bot.articles.text import make_article

    made = make_article(
        article.text,
        title=article.title,
        source=Source(label="briefbot eval"),
        min_chars=1,
        max_chars=settings.max_article_chars,
    )  # fmt: skip - min 1: every corpus article is an article, whatever MIN_ARTICLE_CHARS says
    # Its dateline's date, else the day it was received: as the bot dates a pasted article.
    start = datetime.min.time()
    return dated(made, received=datetime.combine(article.received, start, tzinfo=UTC))


async def _one(
    services: Services, settings: Settings, article: CorpusArticle, clock: Callable[[], float]
) -> ArticleResult:
    result = ArticleResult(article.id, article.language)
    made = _article(settings, article)
    started = clock()
    try:
        briefed = await services.briefing.brief(made, fallback=False)
    except _FATAL as exc:
        raise BriefbotError(f"eval stopped at {article.id}: {exc}") from None
    except LLMError as exc:
        result.latency_s = clock() - started
        result.error = exc.kind
        result.detail = str(exc)
        result.usage = exc.usage or Usage()
        return result
    result.latency_s = clock() - started
    result.schema_valid = True
    stored = briefed.stored
    result.usage = stored.usage
    result.quotes = tally_quotes(stored.briefing.actors, article)
    result.summary = summary_failures(stored.briefing, made.text)
    return result
