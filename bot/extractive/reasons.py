"""Why a briefing was made without the model, and whether asking again later can help.

The reason is stored with the extractive briefing (`StoredBriefing.extractive_reason`) and shown
to users, so it is plain words; the label says what would help, which depends on the reason.
"""

from __future__ import annotations

NO_MODEL = "no language model is configured"
MISCONFIGURED = "the language model service is misconfigured (the bot's log says why)"
REFUSED_REQUEST = "the language model server refused the request (the bot's log says why)"
# Resending helps only when the model is set up and was busy, over budget or erratic: these
# need the person who runs the bot to change something first.
_LASTING = frozenset({NO_MODEL, MISCONFIGURED, REFUSED_REQUEST})


def retry_may_help(reason: str) -> bool:
    """Tell whether sending the article again later may bring the full briefing."""
    return reason not in _LASTING


BRIEFING = (
    "the article's key sentences and attributed quotes",
    "Send it again later for the full briefing",
    "the full briefing",
)

OVERVIEW = (
    "the period's headlines, grouped by the actors they name",
    "Ask again later for the full overview",
    "the full overview",
)


def without_model_label(reason: str, kind: tuple[str, str, str] = BRIEFING) -> str:
    """Say, in one line, that something was made without the model and what would help."""
    what, again, full = kind
    if reason == NO_MODEL:
        # What helps is the operator's to do; the reader may be the operator.
        return (
            f"📝 Made without a language model (this bot has none set up): {what}. "
            f"For {full}, whoever runs the bot needs to connect one (OpenAI or a local model)."
        )
    if retry_may_help(reason):
        return f"📝 Made without the language model ({reason}): {what}. {again}."
    # Resending would give the same: say so, rather than invite a pointless retry.
    return (
        f"📝 Made without the language model ({reason}): {what}. "
        "Sending it again won't help until whoever runs the bot fixes that."
    )
