"""Exports of a chat's history: briefings, stances or one actor's, with every citation."""
