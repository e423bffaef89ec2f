"""Durable work: the job queue and its leases, the intake of Slack's events, the outbox of side effects, the
planner."""
