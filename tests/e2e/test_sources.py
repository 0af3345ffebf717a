"""The source service: fetch cache by canonical URL, freshness, AMP, documents; the CLI on links."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

import pytest

from bot.errors import NoArticleError, SourceError
from bot.sources.article_reader import SourceService
from bot.sources.documents import document_kind, read_document
from bot.sources.urls import links_in_text, url_key
from tests.briefbot_env import cli_env
from tests.briefings import fixture, korea_briefing
from tests.fake_llm import Reply
from tests.fake_web import FakeResolver, FakeWeb, RoutingTransport
from tests.harness import FakeClock
from tests.pages import news_page
from tests.pdfs import bomb_pdf, make_pdf

PUBLIC = "93.184.216.34"
KOREA = fixture("korea.txt")
MALLORY = "Harbour closed for good\n\n" + "\n\n".join(
    f"Paragraph {i}: the harbour authority said it will never reopen the port." for i in range(8)
)


@pytest.mark.parametrize(
    "variant",
    ["https://news.test/korea", "http://news.test/korea", "https://www.news.test/korea",
     "https://news.test/korea/", "https://news.test/korea#top", "https://NEWS.test/korea",
     "https://news.test/korea?utm_source=tg&utm_medium=social&utm_campaign=x",
     "https://news.test/korea?fbclid=IwAR0abc", "https://news.test/korea?gclid=xyz&mc_eid=123",
     "www.news.test/korea"],
)  # fmt: skip
def test_url_variants_share_one_key(variant) -> None:
    assert url_key(variant) == url_key("https://news.test/korea")


@pytest.mark.parametrize(
    "other",
    ["https://news.test/korea?id=2", "https://news.test/korea2", "https://news.test:8443/korea",
     "https://other.test/korea"],
)  # fmt: skip
def test_different_pages_keep_different_keys(other) -> None:
    assert url_key(other) != url_key("https://news.test/korea?id=1")


def test_bare_links_in_text_lose_trailing_punctuation() -> None:
    text = "See https://a.test/x, (www.b.test/y). And «https://c.test/z»!"
    assert links_in_text(text) == ["https://a.test/x", "http://www.b.test/y", "https://c.test/z"]


@pytest.fixture
def web():
    with FakeWeb() as fake:
        fake.add("/korea", news_page(KOREA))
        fake.add("/amp/korea", news_page(KOREA, canonical="https://news.test/korea"))
        fake.add("/spoof", news_page(KOREA, canonical="https://victim.test/their-story"))
        # A shared host: one user's post declares another user's post as its canonical.
        fake.add("/@alice/post", news_page(fixture("korea.txt"), site="Alice"))
        fake.add("/@mallory/post", news_page(MALLORY, canonical="https://news.test/@alice/post"))
        fake.redirect("/go/korea", "/story?utm_source=tg")
        fake.add("/story?utm_source=tg", news_page(KOREA, canonical="https://news.test/story"))
        yield fake


@pytest.fixture
async def service(settings, web):
    resolver = FakeResolver({"news.test": [[PUBLIC]], "www.news.test": [[PUBLIC]]})
    transport = RoutingTransport(web)
    clock = FakeClock(datetime(2026, 3, 12, 9, tzinfo=UTC))
    yield SourceService(settings, resolver=resolver, transport=transport, clock=clock), clock
    await transport.aclose()


async def test_page_is_cached_by_canonical_url_within_the_window(service, web) -> None:
    sources, clock = service
    first = await sources.article_from_url("https://news.test/korea?utm_source=x")
    again = await sources.article_from_url("http://www.news.test/korea#x")
    assert first == again
    assert web.paths() == ["/korea?utm_source=x"]
    assert list((sources.cache._store._root).rglob("*.json"))  # under BOT_DATA_DIR/fetched
    clock.advance(hours=25)  # FETCH_CACHE_HOURS defaults to 24
    await sources.article_from_url("https://news.test/korea")
    assert web.paths() == ["/korea?utm_source=x", "/korea"]


async def test_a_declared_canonical_that_is_another_page_is_not_trusted(service, web) -> None:
    # An AMP page is one case of it: its canonical is another URL, which no redirect confirmed.
    sources, _ = service
    amp = await sources.article_from_url("https://news.test/amp/korea")
    assert amp.source is not None and amp.source.url == "https://news.test/amp/korea"
    assert sources.cached_page("https://news.test/korea") is None
    await sources.article_from_url("https://news.test/korea")
    assert web.paths() == ["/amp/korea", "/korea"]


async def test_one_post_on_a_shared_host_cannot_stand_in_for_another(service, web) -> None:
    sources, _ = service
    mallory = await sources.article_from_url("https://news.test/@mallory/post")
    assert mallory.source is not None and mallory.source.url == "https://news.test/@mallory/post"
    alice = await sources.article_from_url("https://news.test/@alice/post")
    assert "never reopen" not in alice.text
    assert web.paths() == ["/@mallory/post", "/@alice/post"]


async def test_a_canonical_confirmed_by_the_redirect_is_used(service, web) -> None:
    sources, _ = service
    article = await sources.article_from_url("https://news.test/go/korea")
    assert article.source is not None and article.source.url == "https://news.test/story"
    await sources.article_from_url("https://news.test/story")  # the target, without tracking
    assert web.paths() == ["/go/korea", "/story?utm_source=tg"]


async def test_a_canonical_url_on_another_site_is_not_trusted(service, web) -> None:
    sources, _ = service
    article = await sources.article_from_url("https://news.test/spoof")
    assert article.source is not None and article.source.url == "https://news.test/spoof"
    assert sources.cached_page("https://victim.test/their-story") is None


REPORT = [
    f"Paragraph {i}: the harbour authority published its annual report today." for i in range(12)
]


@pytest.mark.parametrize(
    ("data", "kind", "expect"),
    [
        (make_pdf([REPORT[:6], REPORT[6:]], title="Annual Report"), "pdf", "Paragraph 11"),
        ("\n".join(REPORT).encode("utf-16"), "text", "Paragraph 11"),
        ("\n".join(REPORT).encode("utf-8-sig"), "text", "Paragraph 11"),
        ("\n".join(REPORT).encode("cp1252"), "text", "Paragraph 11"),
        (news_page("Annual report\n\n" + "\n\n".join(REPORT)).encode(), "html", "Paragraph 11"),
    ],
)
def test_documents_are_read(data, kind, expect) -> None:
    page = read_document(data, kind)
    assert expect in page.text
    assert "Paragraph 0" in page.text


def test_pdf_title_comes_from_its_metadata() -> None:
    assert read_document(make_pdf([REPORT]), "pdf").title is None
    assert read_document(make_pdf([REPORT], title="Annual Report"), "pdf").title == "Annual Report"


def test_scanned_pdf_has_no_text_layer() -> None:
    with pytest.raises(NoArticleError, match="no text layer"):
        read_document(make_pdf([[], [], []]), "pdf")


def test_damaged_pdf_is_explained() -> None:
    with pytest.raises(SourceError, match="damaged"):
        read_document(b"%PDF-1.7\n garbage", "pdf")


def test_a_pdf_pypdf_gives_up_on_is_damaged_not_a_crash() -> None:
    # A decompression bomb: pypdf stops with LimitReachedError, which is no PdfReadError.
    with pytest.raises(SourceError, match="damaged"):
        read_document(bomb_pdf(), "pdf")


@pytest.mark.parametrize("error", [RecursionError("deep"), AssertionError(), ZeroDivisionError()])
def test_any_exception_from_pypdf_is_a_damaged_pdf(monkeypatch, error: Exception) -> None:
    import pypdf

    def explode(*_args: object, **_kwargs: object) -> None:
        raise error

    monkeypatch.setattr(pypdf, "PdfReader", explode)
    with pytest.raises(SourceError, match="damaged"):
        read_document(make_pdf([REPORT]), "pdf")


@pytest.mark.parametrize(
    ("name", "mime", "kind"),
    [("a.pdf", "application/pdf", "pdf"), ("a.bin", "application/pdf", "pdf"), ("A.PDF", None, "pdf"),
     ("a.htm", None, "html"), ("a.txt", "text/plain; charset=utf-8", "text"), ("a.md", None, "text"),
     ("a.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", None),
     ("a.png", "image/png", None), (None, None, None)],
)  # fmt: skip
def test_document_kinds(name, mime, kind) -> None:
    assert document_kind(name, mime) == kind


def run_cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], env=env, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip


def test_cli_briefs_a_link_then_reuses_the_page(tmp_path, fake_llm, web) -> None:
    env = cli_env(tmp_path, fake_llm) | {"FETCH_ALLOW_PRIVATE_NETWORKS": "true"}
    fake_llm.script(Reply(content=korea_briefing()))
    first = run_cli(["brief", web.url("/korea")], env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("North Korea fires missile as allies drill\n")  # not upper-cased
    assert "Korea Watch" in first.stdout
    second = run_cli(["brief", web.url("/korea?utm_source=cli")], env)
    assert second.returncode == 0, second.stderr
    assert "from cache: no LLM call" in second.stderr
    assert web.paths() == ["/korea"]
    assert fake_llm.calls == 1


def test_cli_refuses_a_private_link_without_the_dangerous_setting(tmp_path, fake_llm, web) -> None:
    result = run_cli(["brief", web.url("/korea")], cli_env(tmp_path, fake_llm))
    assert result.returncode == 1
    assert "private network" in result.stderr
    assert "Traceback" not in result.stderr
    assert web.hits == []
    assert fake_llm.calls == 0


def test_cli_briefs_a_pdf_file(tmp_path, fake_llm) -> None:
    from tests.briefings import echo_briefing

    fake_llm.responder = echo_briefing
    path = tmp_path / "report.pdf"
    path.write_bytes(make_pdf([REPORT], title="Annual Report"))
    result = run_cli(["brief", str(path)], cli_env(tmp_path, fake_llm))
    assert result.returncode == 0, result.stderr
    assert "Paragraph 11" in fake_llm.requests[0].user


def test_long_pdf_is_read_only_as_far_as_it_will_be_briefed() -> None:
    pdf = make_pdf(
        [[f"Page {n} line {i} of a very long annual report." for i in range(40)] for n in range(30)]
    )
    page = read_document(pdf, "pdf", enough_chars=5000)
    assert "Page 0 line 0" in page.text
    assert "Page 29" not in page.text
    assert len(page.text) < 5000 + 2500  # at most one page past the point


def message(text: str, entities: list[dict[str, object]]):
    from telegram import Message

    data = {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}, "text": text,
            "entities": entities}  # fmt: skip
    return Message.de_json(data, None)


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_links_come_in_order_once_each_with_utf16_offsets() -> None:
    from bot.telegram.incoming import is_link_only, links_in

    text = "🇺🇦 Читайте: https://b.test/x?utm_source=tg 👉 тут and again https://b.test/x"
    hidden_at = text.index("тут")
    first, second = text.index("https://b.test/x?"), text.rindex("https://b.test/x")
    entities = [
        {"type": "url", "offset": utf16(text[:second]), "length": utf16("https://b.test/x")},
        {"type": "text_link", "offset": utf16(text[:hidden_at]), "length": 3, "url": "https://a.test/y"},
        {"type": "url", "offset": utf16(text[:first]), "length": utf16("https://b.test/x?utm_source=tg")},
    ]  # fmt: skip
    msg = message(text, entities)
    assert links_in(msg) == ["https://b.test/x?utm_source=tg", "https://a.test/y"]
    assert is_link_only(msg)


def test_a_long_post_with_a_link_is_not_link_only() -> None:
    from bot.telegram.incoming import is_link_only

    text = KOREA + "\nhttps://a.test/story"
    entity = {"type": "url", "offset": utf16(KOREA + "\n"), "length": utf16("https://a.test/story")}
    assert not is_link_only(message(text, [entity]))
