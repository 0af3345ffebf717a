"""Checks that make "verified" true: quote provenance, summary claims."""
