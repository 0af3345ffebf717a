"""`briefbot run` as an operator starts it: a real process, polling or webhook, against fakes."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from tests.briefbot_env import cli_env
from tests.briefings import echo_briefing, news
from tests.fake_llm import FakeLLM
from tests.fake_telegram import FakeTelegram

USER = 100


def start(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"], env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def stop(proc: subprocess.Popen[str]) -> str:
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=20)
    return err


def bot_env(tmp_path: Path, tg: FakeTelegram, llm: FakeLLM, **extra: str) -> dict[str, str]:
    env = cli_env(tmp_path, llm)
    env.update(
        TELEGRAM_BOT_TOKEN=tg.token, TELEGRAM_API_BASE_URL=tg.base_url,
        ALLOWED_USER_IDS=str(USER), LOG_LEVEL="DEBUG", **extra,
    )  # fmt: skip
    return env


def test_run_polls_replies_and_stops_cleanly(tmp_path, tg: FakeTelegram, fake_llm: FakeLLM) -> None:
    fake_llm.responder = echo_briefing
    proc = start(bot_env(tmp_path, tg, fake_llm))
    try:
        tg.user_message(USER, USER, news("port expansion"))
        tg.wait_for_sync(lambda: tg.sent_messages(USER), timeout=20)
    finally:
        err = stop(proc)
    assert "Port Expansion update" in tg.sent_messages(USER)[0]["text"]
    assert proc.returncode == 0, err
    assert "getUpdates" in err  # DEBUG logging was on...
    assert tg.token not in err  # ...and the token never made it into a log line
    assert "sk-test-secret" not in err
    assert "Traceback" not in err


def test_run_without_token_says_what_to_set(tmp_path, fake_llm: FakeLLM) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"], env=cli_env(tmp_path, fake_llm),
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _post(url: str, update: dict[str, object], secret: str | None) -> int:
    headers = {"content-type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, json.dumps(update).encode(), headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except urllib.error.URLError:
        return 0  # not listening yet: PTB sets the webhook before its server is up


def test_webhook_mode_checks_the_secret_token(
    tmp_path, tg: FakeTelegram, fake_llm: FakeLLM
) -> None:
    fake_llm.responder = echo_briefing
    port = _free_port()
    url = f"http://127.0.0.1:{port}/hook"
    proc = start(bot_env(tmp_path, tg, fake_llm, WEBHOOK_URL=url, WEBHOOK_SECRET="s3cret-token",
                         WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(port)))  # fmt: skip
    try:
        tg.wait_for_sync(lambda: tg.webhook_url, timeout=20)
        [call] = tg.requests("setWebhook")
        assert call.params["secret_token"] == "s3cret-token"
        update = tg.user_message(USER, USER, news("bridge repairs"))
        tg.wait_for_sync(lambda: _post(url, {"update_id": 1}, None) == 403, timeout=20)
        assert _post(url, update, "wrong") == 403
        assert _post(url, update, "s3cret-token") == 200
        tg.wait_for_sync(lambda: tg.sent_messages(USER), timeout=20)
    finally:
        err = stop(proc)
    assert "Bridge Repairs update" in tg.sent_messages(USER)[0]["text"]
    assert "s3cret-token" not in err


async def test_run_sends_a_digest_that_fell_due_while_it_was_down(
    tmp_path, tg: FakeTelegram, fake_llm: FakeLLM, services
) -> None:
    from datetime import UTC, datetime, timedelta

    from bot.articles.text import make_article
    from tests.briefings import newsroom

    fake_llm.responder = newsroom()
    now = datetime.now(UTC)
    article = make_article(news("night ferry"))
    await services.briefing.brief(article)
    services.index.record_chat_article(USER, article.content_hash, message_id=1,
                                       received_at=now - timedelta(hours=2), title=None, source=None)  # fmt: skip
    due = (now - timedelta(hours=1)).time().replace(second=0, microsecond=0)
    services.subscriptions.subscribe(USER, due, "UTC", now - timedelta(days=2))
    proc = start(bot_env(tmp_path, tg, fake_llm, DIGEST_GRACE_HOURS="3"))
    try:
        tg.wait_for_sync(lambda: tg.sent_messages(USER), timeout=20)
    finally:
        err = stop(proc)
    [digest] = tg.sent_messages(USER)
    assert "Night Ferry update" in digest["text"]
    sub = services.subscriptions.get(USER)
    assert sub is not None
    assert sub.last_sent_at is not None
    assert "Traceback" not in err


async def test_start_up_jobs_run_however_late_the_job_queue_starts(
    tg: FakeTelegram, fake_llm: FakeLLM, make_settings
) -> None:
    from bot.services import build_services
    from bot.telegram.app import build_application

    # They are scheduled while the application is built; the JobQueue starts after the
    # start-up work, on a busy machine over a second later. APScheduler then dropped the
    # digest tick's first run (the one that sends what fell due while the bot was down: a
    # whole tick late) and skipped the /who warm-up (more than 1 s late).
    settings = make_settings(telegram_bot_token=tg.token, telegram_api_base_url=tg.base_url)
    services = build_services(settings)
    try:
        app = build_application(settings, services)
        assert app.job_queue is not None
        jobs = {j.name: j.job for j in app.job_queue.jobs()}
        assert set(jobs) >= {"digest-catch-up", "digest-tick", "warm-who", "feed-tick"}
        assert all(job.misfire_grace_time is None for job in jobs.values())
        # One-off jobs run late; an interval's first run, if past at start, would not.
        assert type(jobs["digest-catch-up"].trigger).__name__ == "DateTrigger"
    finally:
        await services.aclose()


def test_webhook_mode_without_a_secret_refuses_to_start(
    tmp_path, tg: FakeTelegram, fake_llm: FakeLLM
) -> None:
    port = _free_port()
    env = bot_env(tmp_path, tg, fake_llm, WEBHOOK_URL=f"http://127.0.0.1:{port}/hook",
                  WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(port))  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"], env=env, capture_output=True, text=True,
        timeout=30, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("briefbot: configuration error: WEBHOOK_SECRET: ")
    assert tg.requests("setWebhook") == []  # nothing was exposed, not even for a moment


def test_a_webhook_secret_telegram_would_refuse_is_a_configuration_error(
    tmp_path, fake_llm: FakeLLM
) -> None:
    env = cli_env(tmp_path, fake_llm)
    env.update(WEBHOOK_URL="https://bot.example/hook", WEBHOOK_SECRET="has spaces & symbols!")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"], env=env, capture_output=True, text=True,
        timeout=30, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.startswith("briefbot: configuration error: WEBHOOK_SECRET: ")
    assert "has spaces" not in result.stderr  # a secret is never echoed
