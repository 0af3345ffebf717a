"""The extractive label says what would help: nothing to resend when no model is set up."""

from __future__ import annotations

from bot.briefing.tidy import fallback_reason
from bot.errors import LLMAuthError, LLMNotConfiguredError, LLMUnavailableError
from bot.extractive.reasons import retry_may_help, without_model_label


def test_no_model_label_never_asks_to_send_again() -> None:
    label = without_model_label(fallback_reason(LLMNotConfiguredError()))
    assert "this bot has none set up" in label
    assert "For the full briefing, whoever runs the bot needs to connect one" in label  # what helps
    assert "again" not in label
    assert "OPENAI" not in label


def test_a_busy_model_invites_a_resend() -> None:
    reason = fallback_reason(LLMUnavailableError("down"))
    assert retry_may_help(reason)
    assert "Send it again later for the full briefing" in without_model_label(reason)


def test_a_misconfigured_model_says_resending_will_not_help() -> None:
    reason = fallback_reason(LLMAuthError("401"))
    assert not retry_may_help(reason)
    label = without_model_label(reason)
    assert "won't help" in label and "Send it again later" not in label
