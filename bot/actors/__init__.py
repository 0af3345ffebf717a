"""Actors: who is who across articles, looking them up, their page and their shifts."""
