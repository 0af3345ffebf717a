"""Read the article `briefbot brief` is given: a link, a PDF or HTML file, text, or stdin."""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.errors import BriefbotError

if TYPE_CHECKING:
    from bot.models import Article
    from bot.services import Services


def _read(file: str) -> str:
    if file == "-":
        return sys.stdin.read()
    path = Path(file)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BriefbotError(f"No such file: {file}") from None
    except UnicodeDecodeError:
        raise BriefbotError(f"{file} is not UTF-8 text.") from None
    except OSError as exc:
        raise BriefbotError(f"Cannot read {file}: {exc.strerror}") from None


async def _article(settings: Settings, services: Services, args: argparse.Namespace) -> Article:
    from bot.articles.text import make_article
    from bot.models import Source
    from bot.sources.documents import document_kind

    if re.match(r"^(https?://|www\.)", args.file, re.IGNORECASE):  # a link: fetch it
        return await services.sources.article_from_url(args.file)
    name = Path(args.file).name
    kind = document_kind(name, None) if args.file != "-" else None
    if kind in {"pdf", "html"}:
        try:
            data = await asyncio.to_thread(Path(args.file).read_bytes)
        except OSError as exc:
            raise BriefbotError(f"Cannot read {args.file}: {exc.strerror}") from None
        source = Source(label=args.source or name)
        return await services.sources.article_from_document(
            data, file_name=name, mime_type=None, source=source
        )
    text = _read(args.file)
    source = Source(label=args.source or ("stdin" if args.file == "-" else name))
    return make_article(
        text,
        title=args.title,
        source=source,
        min_chars=settings.min_article_chars,
        max_chars=settings.max_article_chars,
    )
