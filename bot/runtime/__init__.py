"""Keeping the event loop responsive: frozen start-up garbage and yielding turns."""
