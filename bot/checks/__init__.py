"""What makes "verified" true: checking a briefing's quotes against its article."""
