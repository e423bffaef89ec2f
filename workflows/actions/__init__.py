"""Action items: parsed from the action plan, changed from Slack, reminded to their owners, digested weekly."""
