"""The briefing made without a model: sentences, attribution and word lists."""
