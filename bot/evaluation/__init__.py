"""The trust corpus and the code that scores the bot against it."""
