"""Link and document jobs: what a worker fetches or downloads before it can brief.

The handler only checks a link or a document cheaply and persists a job (so a crash during a
slow fetch or download loses nothing); the worker turns the job into an Article here. A
failure is a `FetchRefusedError` carrying the clear reply the user gets instead of a briefing.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass

from bot.errors import ArticleError
from bot.jobs.pending import Job, JobKind
from bot.jobs.port import FetchRefusedError, Replies
from bot.models import Article, Source
from bot.render.briefing_html import render_error
from bot.sources.article_reader import SourceService

log = logging.getLogger(__name__)

TOO_BIG = (
    "That file is too big: Telegram lets bots download files up to 20 MB. "
    "Paste the text, or send a smaller file."
)
NOT_DOWNLOADED = "I couldn't download that file. Try again."


@dataclass(frozen=True)
class DocumentRef:
    """What a DOCUMENT job needs to download and read its file (kept in the job's `ref`)."""

    file_id: str
    file_name: str | None
    mime_type: str | None

    def encode(self) -> str:
        """Return the job's `ref` for this document."""
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def decode(cls, ref: str) -> DocumentRef:
        """Read a DOCUMENT job's `ref`."""
        fields = json.loads(ref)
        return cls(fields["file_id"], fields.get("file_name"), fields.get("mime_type"))


async def article_of_job(replies: Replies, sources: SourceService, job: Job) -> Article:
    """Fetch a LINK job's page or download a DOCUMENT job's file, as an Article."""
    if job.ref is None:
        raise ValueError(f"job {job.id}: a {job.kind} job without a ref")
    try:
        if job.kind is JobKind.LINK:
            return await sources.article_from_url(job.ref)
        document = DocumentRef.decode(job.ref)
        data = await replies.download(job, document.file_id)
        source = job.source or Source(label=document.file_name or "a document")
        return await sources.article_from_document(
            data, file_name=document.file_name, mime_type=document.mime_type, source=source
        )
    except ArticleError as exc:
        log.info("job %s: %s gave no article: %s", job.id, job.kind, exc)
        raise FetchRefusedError(render_error(str(exc)), type(exc).__name__) from None
