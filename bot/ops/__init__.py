"""For the people who run the bot: token budgets, usage statistics, the health check."""
