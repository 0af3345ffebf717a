"""Searching a chat's archive: the query language, the index, hits and passages."""
