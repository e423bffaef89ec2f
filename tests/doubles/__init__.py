"""The test doubles themselves: the Slack stand-in and the fake OpenAI server behave like the real ones."""
