"""Briefings, /who answers and digests as Telegram HTML or terminal text (pure functions)."""
