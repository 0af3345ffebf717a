"""Digests: what a chat's periodic digest holds, its schedule and how it is made."""
