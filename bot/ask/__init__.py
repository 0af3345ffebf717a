"""Grounded answers from a chat's own articles: question, retrieval, model, checks."""
