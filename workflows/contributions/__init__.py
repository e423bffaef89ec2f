"""People's notes: a thread reply read into contributions, recorded in Slack's order, cleaned, kept private."""
