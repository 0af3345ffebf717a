"""Wiring: build every service from one Settings object."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass

from bot.ask.models import AnswerCache
from bot.ask.service import AskService
from bot.briefing.service import BriefingService
from bot.config import Settings
from bot.digest.models import DigestCache
from bot.digest.service import DigestService
from bot.errors import ConfigError
from bot.feeds.following import FeedService
from bot.feeds.follows_store import FeedStore
from bot.feeds.poller import FeedPoller
from bot.feeds.seen import SeenItems
from bot.llm.port import Completion, LLMPort, T
from bot.llm.prompts import Prompt, load_prompts, require
from bot.ops.budget import MeteredLLM, TokenBudget
from bot.ops.retention import Housekeeper
from bot.ops.shared_budget import SharedTokenBudget
from bot.ops.stats import Events
from bot.pictures.cache import PictureCache
from bot.search.archive import Archive
from bot.sources.article_reader import SourceService
from bot.store.briefing_cache import ArticleTexts, BriefingCache, place
from bot.store.chat_language import ChatLanguages
from bot.store.chat_settings import ChatSettings
from bot.store.chat_zones import ChatZones
from bot.store.index import Index
from bot.store.outage import RetryPolicy
from bot.store.subscriptions import SubscriptionStore
from bot.stories.service import StoryService
from bot.stories.views import StoryViews

log = logging.getLogger(__name__)


@dataclass
class Services:
    """Everything the CLI and the bot use, built once."""

    settings: Settings
    prompts: dict[str, Prompt]
    index: Index
    cache: BriefingCache
    texts: ArticleTexts
    llm: LLMPort | None
    briefing: BriefingService
    digests: DigestService
    subscriptions: SubscriptionStore
    chat_settings: ChatSettings
    # Operations: what happened (stats), what it may cost (budgets), which language per chat.
    events: Events
    budget: TokenBudget
    languages: ChatLanguages
    zones: ChatZones  # the time zone each chat reads its dates in
    sources: SourceService  # links and documents → Articles
    # Followed feeds and channels: what each chat follows, and the poller that reads them.
    feeds: FeedService
    feed_poller: FeedPoller
    stories: StoryService  # one event's articles from every source, per chat
    story_views: StoryViews  # /story: the sources compared, each framing quote checked
    archive: Archive  # the chat's articles, searched (/search) and read for answers (/ask)
    ask: AskService  # grounded answers from the archive
    # Pruning the bookkeeping (fetch cache, feed history, events) on a schedule.
    housekeeper: Housekeeper
    pictures: PictureCache  # rendered /who timelines and /map maps, by the data they show

    async def migrate_chat_off_loop(self, old_id: int, new_id: int) -> None:
        """Carry a chat's history and digest over, in one commit on the database thread."""
        await self.index.run(_migrate_chat, self.feeds, old_id, new_id)
        for chat_id in (old_id, new_id):  # what this process kept of either id
            self.languages.forget(chat_id)
            self.zones.forget(chat_id)

    async def aclose(self) -> None:
        """Stop feed polls in flight; release the HTTP client and the database."""
        await self.feed_poller.aclose()
        if self.llm is not None:
            await self.llm.aclose()
        self.pictures.close()
        self.index.close()


class LazyLLM:
    """Build the OpenAI adapter on first use: a cached brief never pays for the SDK import."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._adapter: LLMPort | None = None

    @property
    def model(self) -> str:
        """Return the configured model name."""
        return self._settings.llm_model

    async def complete(self, *, system: str, user: str, schema: type[T]) -> Completion[T]:
        """Delegate to the adapter, creating it first if needed."""
        if self._adapter is None:
            from bot.llm.client import OpenAIAdapter

            self._adapter = OpenAIAdapter(self._settings)
        return await self._adapter.complete(system=system, user=user, schema=schema)

    async def warm_up(self) -> None:
        """Create the adapter now, not on the first call (`briefbot run` at start-up).

        Building the SDK's client (its TLS context) and its lazy imports held the event loop
        for up to 0.7 s in the first briefing while every other chat waited.
        """
        from bot.llm.client import warm_up

        await warm_up()
        if self._adapter is None:
            from bot.llm.client import OpenAIAdapter

            self._adapter = OpenAIAdapter(self._settings)

    async def aclose(self) -> None:
        """Close the adapter if one was created."""
        if self._adapter is not None:
            await self._adapter.aclose()


def open_postgresql(settings: Settings) -> Index:
    """Open the index on DATABASE_URL, or say in one line (no password) why it cannot be."""
    from bot.store.endpoints import parse

    url = settings.database or ""
    try:
        store = parse(url, source=False)
    except ConfigError as exc:  # the URL names no database, or is not one
        raise ConfigError(f"DATABASE_URL: {exc}") from None
    try:
        import psycopg
        from sqlalchemy.exc import SQLAlchemyError
    except ImportError:
        raise ConfigError(
            "DATABASE_URL: PostgreSQL needs its driver: pip install 'briefbot[postgres]'"
        ) from None
    try:
        retry = RetryPolicy(bound_s=settings.database_retry_s)
        return Index(settings.bot_data_dir / "index.sqlite3", database_url=url, retry=retry)
    except (psycopg.Error, SQLAlchemyError) as exc:  # the server is down, the password wrong
        said = store.redact((str(exc).strip() or type(exc).__name__).splitlines()[0])
        raise ConfigError(f"DATABASE_URL: cannot use {store.shown}: {said}") from None


def build_services(settings: Settings, *, llm: LLMPort | None = None) -> Services:
    """Load prompts, open the store and the LLM adapter (None when no LLM is configured)."""
    prompts = load_prompts(settings.prompts_dir)
    data_dir = settings.bot_data_dir
    if settings.database is not None:
        index = open_postgresql(settings)
    else:
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            index = Index(data_dir / "index.sqlite3")
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(f"BOT_DATA_DIR: cannot use {data_dir}: {exc}") from None
    # Where the data directory's files go: its folders, or the blobs table on PostgreSQL.
    where = index.blobs or data_dir
    cache = BriefingCache(where)
    texts = ArticleTexts(where, retry=index.retry)
    if llm is None and settings.llm_configured:
        llm = LazyLLM(settings)
    events = Events(index)
    # Processes sharing a database share the budgets' calls in flight; one process, its own.
    budget = (
        SharedTokenBudget(settings, events, index)
        if index.engine == "postgresql"
        else TokenBudget(settings, events)
    )
    languages = ChatLanguages(index, settings.briefing_language)
    if llm is not None:  # every call, whoever makes it, passes the budgets and is booked
        llm = MeteredLLM(llm, budget, events, settings)
    briefing = BriefingService(
        settings,
        llm=llm,
        prompt=require(prompts, "briefing"),
        cache=cache,
        texts=texts,
        index=index,
        merge_prompt=require(prompts, "merge"),
        languages=languages,
        events=events,
    )
    digests = DigestService(
        settings,
        llm=llm,
        prompt=require(prompts, "digest"),
        cache=DigestCache(where),
        briefing_cache=cache,
        index=index,
        languages=languages,
    )
    sources = SourceService(settings, blobs=index.blobs)
    stories = StoryService(index, window_hours=settings.story_window_hours)
    archive = Archive(index)
    ask = AskService(
        llm=llm,
        prompt=require(prompts, "ask"),
        cache=AnswerCache(where),
        archive=archive,
        index=index,
        texts=texts,
    )
    feeds = FeedService(settings, FeedStore(index), SeenItems(index), sources)
    poller = FeedPoller(feeds, briefing=briefing, index=index, texts=texts, events=events)
    poller.deliverer.place = stories.place  # followed items join the chat's stories too
    # The digest's hooks run on the database thread, with its index: the feeds read that one.
    digests.notes = lambda index, chat_id, since, until: _feeds_on(feeds, index).digest_notes(
        chat_id, since, until
    )  # "N items skipped (daily cap)" in the chat's digest
    digests.public_name = lambda index, chat_id, source: _feeds_on(feeds, index).public_name(
        chat_id, source
    )  # followed sources named in the digest prompt
    subscriptions = SubscriptionStore(index)
    return Services(
        settings=settings,
        prompts=prompts,
        index=index,
        cache=cache,
        texts=texts,
        llm=llm,
        briefing=briefing,
        digests=digests,
        subscriptions=subscriptions,
        chat_settings=ChatSettings(index),
        events=events,
        budget=budget,
        languages=languages,
        zones=ChatZones(index, subscriptions),
        sources=sources,
        feeds=feeds,
        feed_poller=poller,
        stories=stories,
        story_views=StoryViews(stories, index, cache, texts, llm, require(prompts, "story")),
        archive=archive,
        ask=ask,
        housekeeper=Housekeeper(settings, index),
        pictures=PictureCache(place(where, "pictures")),
    )


def _migrate_chat(index: Index, feeds: FeedService, old_id: int, new_id: int) -> None:
    """Move a chat's rows in every store to its new id, in one transaction on `index`."""
    with index.transaction():
        index.migrate_chat(old_id, new_id)
        subscriptions = SubscriptionStore(index)
        subscriptions.migrate(old_id, new_id)
        ChatSettings(index).migrate(old_id, new_id)
        Events(index).migrate_chat(old_id, new_id)
        ChatLanguages(index, None).migrate_chat(old_id, new_id)
        ChatZones(index, subscriptions).migrate(old_id, new_id)
        _feeds_on(feeds, index).migrate_chat(old_id, new_id)


def _feeds_on(feeds: FeedService, index: Index) -> FeedService:
    """Return the feeds reading `index` (the database thread's own) instead of their own."""
    return FeedService(
        feeds.settings, FeedStore(index), SeenItems(index), feeds.sources, clock=feeds.clock
    )
