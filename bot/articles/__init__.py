"""Article text: building an Article from raw text, canonical forms and hashes."""
