"""The job life cycle, decided in bot/jobs/ and spoken through a fake of the sending port."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.articles.text import make_article
from bot.briefing.facts import UpdateFacts
from bot.extractive.briefing import extractive_briefing
from bot.jobs.attempt import Attempt, JobHandler, Refund
from bot.jobs.claims import JobClaims
from bot.jobs.outbox import Outbox
from bot.jobs.pending import Job, JobKind, PendingStore
from bot.jobs.port import ChatClosedError
from bot.jobs.runner import GAVE_UP, MAX_JOB_ATTEMPTS, JobRunner
from bot.models import ArticleRef, StoredBriefing
from bot.store.briefing_cache import ArticleTexts
from bot.store.index import Index
from bot.store.outage import ConnectionLostError, DatabaseUnavailableError
from tests.briefings import fixture

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _counting(refunds: list[int]) -> Refund:
    """Return a refund that notes each time it is given."""

    async def refund() -> None:
        refunds.append(1)

    return refund


class FakeReplies:
    """The sending port in memory: what was sent, noticed and edited, and what to answer."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []
        self.buttons: list[tuple[str, str] | None] = []
        self.notices: list[tuple[int, str]] = []
        self.edits: list[tuple[int, list[int], str]] = []
        self.typed: list[tuple[int, bool]] = []
        self.downloads: list[tuple[int, str]] = []
        self.answer: list[int] | None = [100]  # the message ids a send returns

    async def send(
        self, job: Job, html: str, *, button: tuple[str, str] | None = None
    ) -> list[int] | None:
        self.sent.append((job.id, html))
        self.buttons.append(button)
        return self.answer

    async def notice(self, job: Job, html: str) -> None:
        self.notices.append((job.id, html))

    async def edit(self, job: Job, message_ids: list[int], html: str) -> None:
        self.edits.append((job.id, message_ids, html))

    @contextlib.asynccontextmanager
    async def typing(self, job: Job, *, lazy: bool = False) -> AsyncIterator[None]:
        self.typed.append((job.id, lazy))
        yield

    async def download(self, job: Job, file_id: str) -> bytes:
        self.downloads.append((job.id, file_id))
        return b""


class Scripted:
    """A job handler that delivers a reply, or raises what it is given."""

    def __init__(self, outbox: Outbox, raises: Exception | None = None) -> None:
        self.outbox = outbox
        self.raises = raises
        self.attempts: list[Attempt] = []

    async def __call__(self, job: Job, attempt: Attempt) -> None:
        self.attempts.append(attempt)
        if self.raises is not None:
            raise self.raises
        if await self.outbox.deliver(job, "<b>answer</b>"):
            self.outbox.pending.done(job.id, NOW)


@pytest.fixture
def parts(tmp_path) -> tuple[PendingStore, FakeReplies, Outbox]:
    pending = PendingStore(Index(tmp_path / "index.sqlite3"))
    replies = FakeReplies()
    return pending, replies, Outbox(replies, pending, ArticleTexts(tmp_path / "texts"))


def _runner(outbox: Outbox, handler: JobHandler) -> JobRunner:
    return JobRunner(outbox, dict.fromkeys(JobKind, handler))


def _job(pending: PendingStore, *, silent: bool = False) -> Job:
    job = pending.add(JobKind.TEXT, chat_id=1, message_id=7, reply_to=7, now=NOW, text="t",
                      silent=silent)  # fmt: skip
    assert job is not None
    return job


def _stored() -> StoredBriefing:
    text = fixture("korea.txt")
    article = make_article(text)
    ref = ArticleRef(content_hash=article.content_hash, chars=len(text))
    return extractive_briefing(ref, text, "no LLM configured")


def _outcome(pending: PendingStore, job: Job) -> str | None:
    db = pending._index.connection
    row = db.execute("SELECT outcome FROM pending_jobs WHERE id = ?", (job.id,)).fetchone()
    return None if row[0] is None else str(row[0])


async def test_a_delivered_job_counts_one_attempt_and_is_done(parts) -> None:
    pending, replies, outbox = parts
    handler = Scripted(outbox)
    refunds: list[int] = []
    await _runner(outbox, handler).answer(_job(pending), refund=_counting(refunds))
    assert replies.sent == [(1, "<b>answer</b>")]
    assert pending.pending() == []
    assert refunds == []  # delivered: the sender's slot stays spent
    assert [a.resumed for a in handler.attempts] == [False]


async def test_a_job_started_too_often_is_given_up_with_one_apology_and_refund(parts) -> None:
    pending, replies, outbox = parts
    job = _job(pending)
    for _ in range(MAX_JOB_ATTEMPTS):
        pending.attempt(job.id)
    [job] = pending.pending()
    handler = Scripted(outbox)
    refunds: list[int] = []
    await _runner(outbox, handler).answer(job, refund=_counting(refunds))
    assert handler.attempts == []  # never started again
    assert len(replies.notices) == 1
    assert GAVE_UP in replies.notices[0][1]
    assert _outcome(pending, job) == "gave up"
    assert refunds == [1]


async def test_a_failing_handler_apologises_with_an_error_id_and_refunds_once(parts) -> None:
    pending, replies, outbox = parts
    job = _job(pending)
    refunds: list[int] = []
    await _runner(outbox, Scripted(outbox, RuntimeError("boom"))).answer(
        job, refund=_counting(refunds)
    )
    outcome = _outcome(pending, job)
    assert outcome is not None
    assert outcome.startswith("error ")
    error_id = outcome.removeprefix("error ")
    assert len(replies.notices) == 1
    assert error_id in replies.notices[0][1]
    assert refunds == [1]


async def test_a_closed_chat_ends_the_job_without_a_word(parts) -> None:
    pending, replies, outbox = parts
    job = _job(pending)
    refunds: list[int] = []
    await _runner(outbox, Scripted(outbox, ChatClosedError("blocked"))).answer(
        job, refund=_counting(refunds)
    )
    assert _outcome(pending, job) == "forbidden"
    assert replies.notices == []
    assert refunds == [1]


async def test_a_refused_reply_closes_the_job_as_rejected(parts) -> None:
    pending, replies, outbox = parts
    replies.answer = []
    job = _job(pending)
    assert await outbox.deliver(job, "<b>too much</b>") == []
    assert _outcome(pending, job) == "rejected"
    assert len(replies.notices) == 1


async def test_a_reply_that_cannot_go_now_leaves_the_job_pending(parts) -> None:
    pending, replies, outbox = parts
    replies.answer = None
    job = _job(pending)
    await _runner(outbox, Scripted(outbox)).answer(job)
    assert [j.id for j in pending.pending()] == [job.id]
    assert replies.notices == []


async def test_a_silent_job_never_apologises(parts) -> None:
    pending, replies, outbox = parts
    job = _job(pending, silent=True)
    await _runner(outbox, Scripted(outbox, RuntimeError("boom"))).answer(job)
    assert replies.notices == []
    assert _outcome(pending, job) is not None


async def test_a_done_job_is_not_answered_again(parts) -> None:
    pending, replies, outbox = parts
    job = _job(pending)
    pending.done(job.id, NOW)
    handler = Scripted(outbox)
    await _runner(outbox, handler).answer(job)
    assert handler.attempts == []
    assert replies.sent == []


async def test_a_job_answered_in_its_update_from_the_cache_is_not_counted_twice(parts) -> None:
    pending, _replies, outbox = parts
    job = _job(pending)
    pending.attempt(job.id)  # as the job was added: a cached article is answered at once
    [job] = pending.pending()
    handler = Scripted(outbox)
    hit = _stored()
    facts = UpdateFacts(chat_id=1, user_id=2).after_lookup(hit)
    await _runner(outbox, handler).answer(job, facts=facts)
    assert [a.facts for a in handler.attempts] == [facts]
    attempts = pending._index.connection.execute(
        "SELECT attempts FROM pending_jobs WHERE id = ?", (job.id,)
    ).fetchone()[0]
    assert attempts == 1


def test_update_facts_hold_a_hit_only_after_a_lookup() -> None:
    hit = _stored()
    with pytest.raises(ValueError, match="without a lookup"):
        UpdateFacts(chat_id=1, hit=hit)
    missed = UpdateFacts(chat_id=1).after_lookup(None)
    assert (missed.looked_up, missed.cached) == (True, False)
    found = UpdateFacts(chat_id=1, user_id=2, charged=True).after_lookup(hit)
    assert (found.looked_up, found.cached, found.charged, found.user_id) == (True, True, True, 2)


def _unavailable() -> DatabaseUnavailableError:
    try:
        try:
            raise ConnectionLostError("PostgreSQL: connection refused")
        except ConnectionLostError as exc:
            raise DatabaseUnavailableError("the database did not answer for 60 s") from exc
    except DatabaseUnavailableError as unavailable:
        return unavailable


def _claimed_by(pending: PendingStore, job: Job) -> str | None:
    db = pending._index.connection
    row = db.execute("SELECT claimed_by FROM pending_jobs WHERE id = ?", (job.id,)).fetchone()
    return None if row[0] is None else str(row[0])


@pytest.mark.parametrize(
    "raised",
    [
        ConnectionLostError("PostgreSQL unreachable: a try a moment ago failed"),
        # What Index.run raises after DATABASE_RETRY_S, from the lost connection.
        _unavailable(),
    ],
)
async def test_a_job_whose_database_went_away_stays_pending_unapologised_and_let_go(
    parts, raised: Exception
) -> None:
    # The restart soak (seed 477471): a job failed on a read during the outage was apologised
    # for and closed, losing the article; one whose ending failed too stayed claimed by its
    # live process, renewed for ever and answered by nobody.
    pending, replies, outbox = parts
    job = _job(pending)
    runner = _runner(outbox, Scripted(outbox, raised))
    runner.claims = JobClaims(pending._index, 60.0, owner="here:2:a", clock=lambda: NOW)
    refunds: list[int] = []
    await runner.answer(job, refund=_counting(refunds))
    assert replies.notices == []  # nothing to apologise for: it will be answered
    assert [j.id for j in pending.pending()] == [job.id]
    assert _claimed_by(pending, job) is None  # free for the claim loop to take again
    assert runner.claims.held == set()  # and no longer renewed here
    assert refunds == []  # its answer is still owed: the slot stays spent


async def test_a_job_whose_ending_failed_too_is_let_go_for_another_attempt(parts) -> None:
    pending, replies, outbox = parts
    job = _job(pending)
    replies_notice = replies.notice

    async def refuse(job: Job, html: str) -> None:
        await replies_notice(job, html)
        raise RuntimeError("the apology failed too")

    replies.notice = refuse
    runner = _runner(outbox, Scripted(outbox, RuntimeError("boom")))
    runner.claims = JobClaims(pending._index, 60.0, owner="here:2:a", clock=lambda: NOW)
    await runner.answer(job)
    assert [j.id for j in pending.pending()] == [job.id]
    assert _claimed_by(pending, job) is None
    assert runner.claims.held == set()
