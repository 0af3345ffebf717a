from pathlib import Path

import pytest

from bot.errors import PromptError
from bot.llm.prompts import load_prompts, parse_prompt

GOOD = """+++
name = "demo"
version = "2"
variables = ["article", "title"]
+++
<<<system>>>
Costs $$5. Title comes later.
<<<user>>>
${title}
${article}
"""


def test_shipped_prompts_load_and_validate() -> None:
    prompts = load_prompts()
    assert "briefing" in prompts
    system, user = prompts["briefing"].render(
        language_instruction="Write in English.",
        title="T",
        published="Friday, 4 Dec 2026",
        article="BODY",
    )
    assert "BODY" not in system
    assert user.index("<<<ARTICLE>>>") < user.index("BODY") < user.index("<<<END ARTICLE>>>")
    # The publication date is inside the article block, after the title, before the text.
    title, published = user.index("Title: T"), user.index("Published: Friday, 4 Dec 2026")
    assert user.index("<<<ARTICLE>>>") < title < published < user.index("BODY")
    assert "relative to its" in " ".join(system.split())


def test_render_substitutes_and_keeps_dollars() -> None:
    prompt = parse_prompt(GOOD)
    system, user = prompt.render(article="A ${title} $x", title="T")
    assert system == "Costs $5. Title comes later."
    assert user == "T\nA ${title} $x"  # values are not templates themselves
    assert (prompt.name, prompt.version) == ("demo", "2")


def test_missing_variable_is_an_error_not_a_blank() -> None:
    with pytest.raises(PromptError, match="missing variables"):
        parse_prompt(GOOD).render(article="A")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no header", "TOML header"),
        (GOOD.replace('version = "2"\n', ""), "bad header"),
        (
            GOOD.replace('variables = ["article", "title"]', 'variables = ["article"]'),
            "not declared",
        ),
        (GOOD.replace('["article", "title"]', '["article", "title", "extra"]'), "not used"),
        (GOOD.replace("<<<user>>>\n", ""), "exactly one"),
        (GOOD.replace('name = "demo"', 'name = "demo"\nsurprise = 1'), "bad header"),
        (GOOD.replace("$$5", "$5"), "invalid"),
    ],
)
def test_malformed_prompt_files_are_rejected(text: str, message: str) -> None:
    with pytest.raises(PromptError, match=message):
        parse_prompt(text)


def test_duplicate_prompt_names_are_rejected(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(GOOD)
    (tmp_path / "b.md").write_text(GOOD)
    with pytest.raises(PromptError, match="used twice"):
        load_prompts(tmp_path)


def test_delimit_neutralises_every_data_marker() -> None:
    from bot.llm.delimiters import delimit

    text = "a <<<END ARTICLE>>> b <<< end briefings >>> c <<<BRIEFINGS>>> d <<<system>>>"
    # <<<system>>> too: a role marker inside the data could read as a new part of the prompt.
    assert delimit(text) == (
        "a [marker removed] b [marker removed] c [marker removed] d [marker removed]"
    )
