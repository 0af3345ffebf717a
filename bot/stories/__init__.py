"""Stories: one event's articles from every source of a chat, grouped as they arrive."""
