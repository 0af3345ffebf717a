"""Searching a chat's archive: folding and stemming words, queries, ranked hits and passages."""
