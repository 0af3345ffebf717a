"""Render /who answers: one actor's stances over time, actor lists, an article's actors."""

from __future__ import annotations

from collections.abc import Sequence

from bot.actors.identity import PAGE_STANCES, Identity
from bot.actors.page import MAX_SHIFTS, ActorPage, Counted
from bot.actors.shifts import Shift
from bot.models import Polarity
from bot.render.briefing_html import MARKS, article_url, esc, link, quote_html
from bot.render.dates import UTC_DATES, DateStyle
from bot.render.plural import counted
from bot.render.trust_marks import quote_mark
from bot.store.index import ChatArticle, StanceRow


def _article_label(article: ChatArticle, chat_id: int, username: str | None) -> str:
    name = article.headline or article.title or "an article"
    url = article_url(
        article.source.url if article.source else None, chat_id, article.message_id, username
    )
    label = link(url, name) if url else esc(name)
    if article.source:
        label += f" — {esc(article.source.label)}"
    return label


def _mark(polarity: str) -> str:
    try:
        return MARKS[Polarity(polarity)]
    except ValueError:
        return "•"


def _day(article: ChatArticle, dates: DateStyle) -> str:
    # Its publication date as this chat's sending gives it, and where that comes from.
    return esc(dates.published(article.dated, article.published_from))


def evidence(row: StanceRow, *, show_unverified: bool) -> str:
    """Render a stance's quote as what it is: the actor's words, reported, or not theirs."""
    mark = quote_mark(row, row.actor, show_unverified=show_unverified)
    return quote_html(mark, row.quote.strip())


def _stance(
    row: StanceRow, chat_id: int, username: str | None, show_unverified: bool, dates: DateStyle
) -> str:
    lines = [
        (
            f"{_day(row.article, dates)} · {_mark(row.polarity)} {esc(row.polarity)} "
            f"<i>{esc(row.target)}</i>: {esc(row.position)}"
        ),
        evidence(row, show_unverified=show_unverified),
        f"↳ {_article_label(row.article, chat_id, username)}",
    ]
    return "\n".join(lines)


def _mentioned_page(
    page: ActorPage, head: str, chat_id: int, username: str | None, dates: DateStyle
) -> str:
    """Render an actor only mentioned: the articles naming it, each without a stance of it."""
    n = page.mentioned
    head += f"\nMentioned in {counted(n, 'article')}, with no stance taken there."
    lines = [f"{_day(a, dates)} · {_article_label(a, chat_id, username)}" for a in page.mentions]
    if n > len(page.mentions):
        lines.append(f"<i>… and {counted(n - len(page.mentions), 'older article')}.</i>")
    return "\n\n".join([head, "\n".join(lines)] if lines else [head])


def render_shift(shift: Shift, dates: DateStyle = UTC_DATES) -> str:
    """Render one shift as a single line."""
    before, after = shift.before_article, shift.after_article
    return (
        f"🔄 <b>{esc(shift.actor)}</b> on <i>{esc(shift.target)}</i>: "
        f"{_mark(shift.before)} {esc(shift.before)} "
        f"({esc(dates.day(before.dated, before.published_from))}) → "
        f"{_mark(shift.after)} {esc(shift.after)} "
        f"({esc(dates.day(after.dated, after.published_from))})"
    )


def render_actor(
    actor: Identity,
    shifts: list[Shift],
    *,
    chat_id: int,
    username: str | None = None,
    show_unverified: bool = True,
    number: int = 1,
    dates: DateStyle = UTC_DATES,
) -> str:
    """Render one page of an actor's stances, newest first, with shifts flagged on page 1."""
    # Newest published first; on the same date by article, as the index orders them.
    newest = sorted(actor.stances, key=lambda r: r.article.article_hash)
    newest.sort(key=lambda r: r.article.dated, reverse=True)
    pages = max(1, -(-len(newest) // PAGE_STANCES))
    number = min(max(1, number), pages)
    page = ActorPage(
        actor=actor, stances=len(actor.stances), articles=actor.articles,
        newest=newest[(number - 1) * PAGE_STANCES : number * PAGE_STANCES],
        shifts=shifts[:MAX_SHIFTS], shift_count=len(shifts), page=number, pages=pages,
        all_stances=len(newest),
    )  # fmt: skip
    return render_page(
        page, chat_id=chat_id, username=username, show_unverified=show_unverified, dates=dates
    )


def render_page(
    page: ActorPage,
    *,
    chat_id: int,
    username: str | None = None,
    show_unverified: bool = True,
    dates: DateStyle = UTC_DATES,
) -> str:
    """Render an actor's page: counts, the newest shifts, the newest stances."""
    actor = page.actor
    aka = sorted(actor.aliases | actor.names - {actor.name})[:5]
    head = f"<b>{esc(actor.name)}</b> · <i>{esc(actor.kind)}</i>"
    if aka:
        head += f"\naka {esc(', '.join(aka))}"
    if not page.stances and page.filtered and page.all_stances:
        return (
            f"{head}\nNo stances {esc(page.filtered)} (of {page.all_stances} in all). "
            "Try fewer words or a longer period."
        )
    if not page.stances:
        return _mentioned_page(page, head, chat_id, username, dates)
    head += f"\n{counted(page.stances, 'stance')} in {counted(page.articles, 'article')}"
    if page.filtered:
        head += f" {esc(page.filtered)} (of {page.all_stances} in all)"
    if page.mentioned:
        head += f"\nAlso mentioned without a stance in {counted(page.mentioned, 'article')}"
    parts = [head]
    if page.shifts and page.page == 1:
        # Bounded: each shift is a few entities, and Telegram formats only 100 per message.
        lines = [render_shift(s, dates) for s in page.shifts[:MAX_SHIFTS]]
        if page.shift_count > MAX_SHIFTS:
            lines.append(f"<i>… and {counted(page.shift_count - MAX_SHIFTS, 'more shift')}.</i>")
        parts.append("<b>Shifts</b>\n" + "\n".join(lines))
    parts += [
        _stance(r, chat_id, username, show_unverified, dates) for r in page.newest[:PAGE_STANCES]
    ]
    if page.pages > 1:
        parts.append(f"<i>Page {page.page} of {page.pages}, newest first.</i>")
    elif page.stances > len(page.newest):  # no buttons here (the terminal): say what is left
        parts.append(f"<i>… and {counted(page.stances - len(page.newest), 'older stance')}.</i>")
    return "\n\n".join(parts)


def render_actor_list(actors: list[Identity], *, days: int | None) -> str:
    """Render the actors seen lately (all of them when `days` is None) with how often."""
    period = f" from the last {counted(days, 'day')}" if days else ""
    if not actors:
        return f"No actors in this chat's articles{period} yet."
    heading = f", last {counted(days, 'day')}" if days else ""
    lines = [f"<b>Actors in this chat's articles{heading}</b>"]
    for actor in actors[:30]:
        count = actor.articles
        said = counted(count, "article")
        if not count and isinstance(actor, Counted):  # named, but took no stance
            count = actor.mentioned
            said = f"mentioned in {counted(count, 'article')}, no stance"
        lines.append(f"• {esc(actor.name)} <i>({esc(actor.kind)})</i> — {said}")
    lines.append("\n/who NAME shows one actor's stances.")
    return "\n".join(lines)


def render_article_actors(
    actors: list[Identity], *, mentioned: Sequence[str] = (), show_unverified: bool = True
) -> str:
    """Render one article's actors and their stances, then those it names without one."""
    also = f"<i>Also mentioned:</i> {esc(', '.join(mentioned))}" if mentioned else ""
    if not actors:
        return f"That article's briefing names no actors with stances.\n\n{also}".strip()
    parts = []
    for actor in actors:
        lines = [f"<b>{esc(actor.name)}</b> · <i>{esc(actor.kind)}</i>"]
        for row in actor.stances:
            lines.append(f"{_mark(row.polarity)} <i>{esc(row.target)}</i>: {esc(row.position)}")
            lines.append(evidence(row, show_unverified=show_unverified))
        parts.append("\n".join(lines))
    return "\n\n".join([*parts, also] if also else parts)
