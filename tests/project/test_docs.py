"""The README and docs/ stay true: their commands exist, their links resolve, every setting is listed."""

from __future__ import annotations

import importlib.util
import re
import shlex
from pathlib import Path

import pytest

from bot.cli import _parser
from bot.config import Settings

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]

FENCE = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)
LINK = re.compile(r"\]\(([^)\s]+)\)")
INLINE = re.compile(r"`([^`\n]+)`")


def _text(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def _prose(page: Path) -> str:
    """Return a page without its fenced code blocks."""
    return FENCE.sub("", _text(page))


def _slug(heading: str) -> str:
    """Return the anchor GitHub gives a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    return {_slug(m) for m in re.findall(r"^#+ (.+)$", _prose(page), re.MULTILINE)}


def _cli_lines(page: Path) -> list[str]:
    """Return the `briefbot …` command lines a page's code blocks show."""
    found = []
    for block in FENCE.findall(_text(page)):
        for line in block.splitlines():
            command = line.split(" #")[0]
            if m := re.search(r"(?:^|[\s/])briefbot\s+([a-z].*)$", command):
                found.append(m.group(1))
    return found


def _cli_mentions(page: Path) -> list[str]:
    """Return the subcommands a page's prose names as `briefbot NAME …`."""
    spans = INLINE.findall(_prose(page))
    return [
        m.group(1) for s in spans if (m := re.fullmatch(r"(?:\S*/)?briefbot ([a-z]+)(?:\s.*)?", s))
    ]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_link_resolves(page: Path) -> None:
    for target in LINK.findall(_prose(page)):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        file, _, anchor = target.partition("#")
        linked = (page.parent / file).resolve() if file else page
        assert linked.exists(), f"{page.name}: {target}"
        if anchor:
            assert anchor in _anchors(linked), f"{page.name}: {target}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_briefbot_command_shown_exists(
    page: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    placeholders = {"ID": "100", "[--live]": "--live"}
    for line in _cli_lines(page):
        args = [placeholders.get(a, a) for a in shlex.split(line)]
        try:
            _parser().parse_args(args)
        except SystemExit:
            pytest.fail(f"{page.name}: briefbot {line}")
    for name in _cli_mentions(page):
        with pytest.raises(SystemExit) as help_shown:  # --help exits 0; an unknown command, 2
            _parser().parse_args([name, "--help"])
        assert help_shown.value.code == 0, f"{page.name}: briefbot {name}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_python_module_shown_exists(page: Path) -> None:
    for module in re.findall(r"python -m ([\w.]+)", _text(page)):
        assert importlib.util.find_spec(module) is not None, f"{page.name}: {module}"


def test_readme_says_the_python_version_before_the_quick_start() -> None:
    readme = _text(README)
    assert readme.index("Python 3.11") < readme.index("## Quick start")


def test_readme_test_command_is_the_one_ci_runs() -> None:
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line.strip()]
    readme = _text(README)
    assert ".venv/bin/python -m pytest" in ci
    assert 'pip install -e ".[dev]" && .venv/bin/python -m pytest' in readme
    # ... and then the same suite with every index on PostgreSQL, which the README tells of.
    assert ci[-1] == "BRIEFBOT_TEST_ENGINE=postgresql .venv/bin/python -m pytest"
    assert ci[-1] in readme


def test_readme_quick_start_is_the_two_commands() -> None:
    readme = _text(README)
    for command in (
        "python3 -m venv .venv && .venv/bin/pip install .",
        "cp .env.example .env",
        ".venv/bin/briefbot brief article.txt",
        ".venv/bin/briefbot run",
    ):
        assert command in readme, command


def test_every_setting_has_a_row_and_a_commented_example() -> None:
    table = _text(ROOT / "docs" / "settings.md")
    example = _text(ROOT / ".env.example").splitlines()
    for name in (n.upper() for n in Settings.model_fields):
        assert f"| `{name}` |" in table, name
        [at] = [i for i, line in enumerate(example) if line.startswith(f"{name}=")]
        assert example[at - 1].startswith("# "), name


def test_every_spender_of_the_hourly_quota_is_documented() -> None:
    # Articles, /follow and the questions /ask puts to the model all spend it (bot/telegram/
    # links.py, feeds.py, ask.py): a reader of either page must find all three.
    settings = _text(ROOT / "docs" / "settings.md")
    [row] = [r for r in settings.splitlines() if r.startswith("| `USER_RATE_LIMIT_PER_HOUR` |")]
    limits = _text(ROOT / "docs" / "security.md").split("## Limits\n", 1)[1].split("\n## ", 1)[0]
    rows = [r for r in limits.splitlines() if "`USER_RATE_LIMIT_PER_HOUR`" in r]
    for needle in ("articles", "/follow", "/ask"):
        assert needle in row, needle
        assert any(needle in r for r in rows), needle
