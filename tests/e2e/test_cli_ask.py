"""`briefbot ask` as a user runs it: a real subprocess against the fake LLM server."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.articles.text import make_article
from bot.models import Source
from bot.services import Services
from tests.ask_kit import answering, is_ask
from tests.briefbot_env import cli_env
from tests.briefings import fixture
from tests.fake_llm import FakeLLM

KIM = "called the drills “a rehearsal for invasion”"


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], env=env, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip


async def test_ask_in_the_terminal_answers_refuses_and_works_without_a_model(
    tmp_path, fake_llm: FakeLLM, services: Services
) -> None:
    fake_llm.responder = answering(("Kim Jong Un called the drills a rehearsal for invasion.", KIM))
    article = make_article(fixture("korea.txt"))
    await services.briefing.brief(article)
    services.index.record_chat_article(
        42, article.content_hash, message_id=1, received_at=datetime.now(UTC),
        title="Pyongyang fires missile", source=Source(label="Reuters", url="https://example.com/k"),
    )  # fmt: skip
    env = cli_env(tmp_path, fake_llm)
    answer = run(
        ["ask", "--chat", "42", "What", "did", "Kim", "say", "about", "the", "drills?"], env
    )
    assert answer.returncode == 0, answer.stderr
    assert "Kim Jong Un called the drills a rehearsal for invasion. [1]" in answer.stdout
    assert "[1] " in answer.stdout
    assert "https://example.com/k" in answer.stdout
    assert sum(map(is_ask, fake_llm.requests)) == 1
    again = run(["ask", "--chat", "42", "What did Kim say about the drills?"], env)
    assert "from cache" in again.stderr
    other = run(["ask", "--chat", "43", "What did Kim say about the drills?"], env)
    assert other.returncode == 0, other.stderr
    assert other.stdout.startswith("Your articles don't say.")
    env.pop("OPENAI_API_KEY")
    env.pop("OPENAI_BASE_URL")
    bare = run(["ask", "--chat", "42", "What did Kim say about the drills?"], env)
    assert bare.returncode == 0, bare.stderr
    assert bare.stdout.startswith("Matching passages (no model configured)")
    assert "rehearsal for invasion" in bare.stdout
    assert sum(map(is_ask, fake_llm.requests)) == 1


async def test_ask_in_the_terminal_reads_time_words_in_the_chats_tz(
    tmp_path, fake_llm: FakeLLM, services: Services
) -> None:
    # 25 hours apart, so the two zones' days always differ: the one set with /tz counts.
    services.zones.set(43, ZoneInfo("Pacific/Kiritimati"))
    env = cli_env(tmp_path, fake_llm) | {"DIGEST_DEFAULT_TZ": "Pacific/Pago_Pago"}

    def yesterday() -> str:
        day = datetime.now(ZoneInfo("Pacific/Kiritimati")).date() - timedelta(days=1)
        return f"dated {day.day} {day:%b %Y}"

    before = yesterday()
    answer = run(["ask", "--chat", "43", "What happened yesterday?"], env)
    assert answer.returncode == 0, answer.stderr
    assert before in answer.stdout or yesterday() in answer.stdout, answer.stdout
