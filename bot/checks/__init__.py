"""Checks that decide what a briefing may call verified: quotes, provenance, summary claims."""
