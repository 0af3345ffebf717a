"""The fake Telegram Bot API, split by concern (tests/fake_telegram.py re-exports it)."""
