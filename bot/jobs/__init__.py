"""The life cycle of slow work: pending jobs, attempts, give-up, refunds and upgrades."""
