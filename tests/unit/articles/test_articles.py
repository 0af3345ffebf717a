import pytest

from bot.articles.text import canonical, content_hash, make_article, normalize_text
from bot.errors import ArticleError
from bot.models import Source

BODY = (
    "The minister said on Monday that the “new policy” would take effect next year. "
    "Opposition parties called it a mistake — and promised to fight it in parliament. "
) * 3


@pytest.mark.parametrize(
    "variant",
    [
        BODY,
        "  " + BODY.replace(". ", ".   \n") + "\n\n\n",
        BODY.replace("“", '"').replace("”", '"').replace("—", "-"),
        BODY.replace("minister", "**minister**").replace("parliament", "__parliament__"),
        BODY.replace("e", "e\u200b", 3),
        "\ufeff" + BODY.replace(" ", "\u00a0", 5),
    ],
    ids=["same", "respaced", "straight-quotes", "markdown", "zero-width", "bom-nbsp"],
)
def test_hash_is_stable_under_repasting(variant: str) -> None:
    assert content_hash(variant) == content_hash(BODY)


def test_hash_changes_with_the_words() -> None:
    assert content_hash(BODY) != content_hash(BODY.replace("Monday", "Tuesday"))


def test_normalize_keeps_paragraphs_and_tidies_spaces() -> None:
    assert normalize_text("  a \t b \r\n\r\n\r\n c  ") == "a b\n\nc"


def test_canonical_folds_quotes_dashes_case() -> None:
    assert canonical("“Hello” — World’s") == canonical('"hello" - world\'s')


@pytest.mark.parametrize("text", ["", "   \n\t ", "ok", "word " * 10, "!" * 500])
def test_near_empty_input_is_rejected_clearly(text: str) -> None:
    with pytest.raises(ArticleError, match=r"too short|doesn't read like an article"):
        make_article(text)


def test_a_wall_of_one_letter_is_not_called_short() -> None:
    with pytest.raises(ArticleError, match=r"doesn't read like an article \(300,000 characters"):
        make_article("x" * 300_000)


def test_cjk_articles_count_characters_as_words() -> None:
    text = "朝鲜周二向其东部海域发射了一枚弹道导弹，" * 12
    assert make_article(text).text == text


def test_article_over_the_hard_cap_is_refused_never_truncated() -> None:
    text = "\n\n".join(f"Paragraph {i} " + "word " * 50 for i in range(200))
    with pytest.raises(ArticleError, match=r"too long") as refused:
        make_article(text, max_chars=5000, source=Source(label="file"))
    assert "MAX_ARTICLE_CHARS" not in str(refused.value)  # a chat never sees setting names
    assert "MAX_ARTICLE_CHARS" in refused.value.operator_note  # the terminal does
    article = make_article(text, max_chars=len(normalize_text(text)))
    assert article.text == normalize_text(text)  # at the cap: whole, not cut
    assert article.truncated_from is None
    assert article.content_hash == content_hash(article.text)


def test_article_keeps_title_and_source() -> None:
    article = make_article(
        BODY, title="  A  title ", source=Source(label="@chan", url="https://t.me/chan/1")
    )
    assert article.title == "A title"
    assert article.source is not None
    assert article.source.url == "https://t.me/chan/1"
    assert article.truncated_from is None


def test_a_short_whole_cjk_story_is_not_too_short() -> None:
    # 120 characters of Chinese say about what 240 Latin letters would: not "too short".
    story = (
        "台风“海燕”周二在福建沿海登陆，当地政府已紧急疏散两万多名居民。气象部门表示，风暴将在未来两天内向西北方向移动，并带来强降雨。"
        * 2
    )
    assert len(story) < 200
    assert make_article(story).text == story
    with pytest.raises(ArticleError, match="too short"):
        make_article(story[:60])
