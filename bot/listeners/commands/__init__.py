"""The `/journey` slash command: one module per group of subcommands."""
