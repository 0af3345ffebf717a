"""Making one article's briefing: the service, the model call, tidying drafts, long articles."""
